// Without --target: this machine when it can build network namespaces, else
// the project's VM when Vagrant made it (one line says so), else one line
// saying what to do instead.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTarget, projectVmExists, type HostFacts } from '../../lab/hosts/default-target.js';
import { LabError } from '../../lab/model/errors.js';
import { t, type Text } from '../../lab/model/i18n.js';

const linux: HostFacts = { platform: 'linux', netns: true, vmExists: false };
const en = (x: Text | undefined) => t(x ?? '', 'en');

describe('the default target', () => {
  it('is this machine on Linux with network namespaces, with nothing said, VM or not', () => {
    expect(defaultTarget(linux)).toEqual({ target: 'local' });
    expect(defaultTarget({ ...linux, vmExists: true })).toEqual({ target: 'local' });
  });

  it("is the project's VM on a Mac when it exists, with one line saying so", () => {
    const d = defaultTarget({ platform: 'darwin', netns: false, vmExists: true });
    expect(d.target).toBe('vagrant');
    expect(en(d.note)).toBe("this machine (darwin) is not Linux, so it has no network namespaces: using the project's VM (--target vagrant; --target local to insist)");
    expect(t(d.note!, 'zh')).toContain('改用项目的虚拟机');
  });

  it('without a VM, says in one line what to do instead', () => {
    for (const h of [{ platform: 'win32', netns: false, vmExists: false }, { ...linux, netns: false }] as HostFacts[]) {
      let error: unknown;
      try {
        defaultTarget(h);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LabError);
      const line = en((error as LabError).text);
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toContain('run `npm run lab:vm:up` once and add `--target vagrant`, or add `--target container` with Docker running');
    }
  });

  const dir = mkdtempSync('/tmp/eiplab-vm-unit-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the VM by the machine id Vagrant keeps beside the Vagrantfile", () => {
    expect(projectVmExists(dir)).toBe(false);
    mkdirSync(join(dir, '.vagrant', 'machines', 'eiplab', 'libvirt'), { recursive: true });
    expect(projectVmExists(dir)).toBe(false); // destroyed: the directory stays, the id goes
    writeFileSync(join(dir, '.vagrant', 'machines', 'eiplab', 'libvirt', 'id'), 'c0ffee');
    expect(projectVmExists(dir)).toBe(true);
  });
});

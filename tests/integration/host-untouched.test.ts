// The lab must never change the lab host's root network namespace: its
// rules, routes, links, addresses and net sysctls are identical after a run,
// and no lab link has an end in it.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILES } from '../../lab/topology/profiles.js';
import { rootNamespaceSnapshot } from '../helpers/host.js';
import { testLab } from '../helpers/lab.js';

const lab = testLab('eiplabt2');
afterAll(() => lab.down());

describe('the host is untouched', () => {
  it('the root namespace is identical before and after scheme 1 in every profile, with and without the fix', async () => {
    const before = rootNamespaceSnapshot();
    for (const profile of PROFILES) {
      await lab.run('scheme1', profile, {});
      await lab.run('scheme1', profile, { fix: 'pbr' });
    }
    expect(rootNamespaceSnapshot()).toEqual(before);
  });

  it('while the lab is up, no lab link has an end in the root namespace', async () => {
    const before = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    await lab.up('cloud');
    await lab.apply('scheme1', { fix: 'pbr' });
    const during = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    expect(during).toEqual(before);
    // Every veth in the lab's namespaces has its peer in another lab namespace.
    for (const ns of ['eiplabt2-inet', 'eiplabt2-edge', 'eiplabt2-server']) {
      const links = execFileSync('ip', ['-n', ns, '-o', 'link', 'show', 'type', 'veth'], { encoding: 'utf8' });
      for (const line of links.trim().split('\n')) expect(line).toMatch(/link-netns eiplabt2-/);
    }
    await lab.down();
  });
});

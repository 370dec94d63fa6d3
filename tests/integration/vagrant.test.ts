// The vagrant target end to end: the offline box (built or reused), a VM
// under libvirt (qemu software emulation here), scheme 1 and scheme 3 with
// and without the fix measured on the VM's real NICs, each verdict compared
// with the local target's, a program of the user's copied in and measured,
// what the vrf scheme leaves when taken back, and the VM destroyed. It starts a VM, so it only
// runs with EIPLAB_VM_TESTS=1 (.ci/vm-test sets it up and runs it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN_DIR, BINARIES } from '../../lab/go/build.js';
import { defaultConfig, names } from '../../lab/config/config.js';
import { Lab, type ApplyOptions } from '../../lab/run/lab.js';
import type { Profile } from '../../lab/topology/profiles.js';
import { silentReporter } from '../../lab/report/console.js';
import type { RunResult } from '../../lab/model/results.js';
import { vagrantTarget } from '../../lab/hosts/vagrant/host.js';
import type { Target } from '../../lab/hosts/host.js';
import { ensureBox } from '../../lab/hosts/vagrant/box.js';
import { isEmpty, leftovers } from '../../lab/hosts/vagrant/libvirt.js';
import { vmDown, vmUp } from '../../lab/hosts/vagrant/lifecycle.js';
import { boxVolumePrefix, VM, vmPrefix } from '../../lab/hosts/vagrant/vm.js';
import { check, measuredMap, testLab } from '../helpers/lab.js';
import type { KernelEvidence } from '../../lab/checks/kernel/index.js';
import { buildOwnApp } from '../helpers/own-app.js';

const enabled = process.env.EIPLAB_VM_TESTS === '1';
const prefix = enabled ? vmPrefix() : 'eiplab';
const MIN = 60_000;

const timings: Array<[string, number]> = [];
async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([what, performance.now() - t0]);
  }
}
const log = (line: string) => process.stdout.write(`    ${line}\n`);

function cli(...args: string[]) {
  const r = spawnSync('node', ['bin/eiplab.js', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One compact line per instance, as the matrix shows it: + pass, - fail, per check. */
const signs = (r: RunResult) =>
  ['eth0', 'eth1'].map((i) => r.checks.filter((c) => c.instance === i).map((c) => (c.measured === 'pass' ? '+' : '-')).join('')).join(' ');

interface Cell {
  scheme: string;
  o: ApplyOptions;
}
const label = (c: Cell, profile: Profile) => `${c.scheme} ${c.o.app ?? 'bound'}${c.o.fix ? ' +pbr' : ''} ${profile}`;
const table: string[] = [];

describe.skipIf(!enabled)('the vagrant target (a real VM)', () => {
  let target: Target;
  let vm: Lab;
  const local = testLab(prefix);
  const started = performance.now();

  let destroyed = false;

  beforeAll(async () => {
    // Whatever an earlier run left first (a rebuilt box must not pull the disk from under a VM).
    await timed('vagrant destroy (leftovers)', () => vmDown(() => {}));
    await timed('box (build or reuse)', () => ensureBox({ workDir: `/var/tmp/${prefix}-box`, log }));
    // Bad input is one line, before there is a VM.
    const none = cli('status', '--target', 'vagrant');
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toContain('npm run lab:vm:up');
    await timed('vagrant up', () => vmUp(log));
    target = await vagrantTarget();
    await timed('copy the Go binaries in', async () => expect((await target.syncBinaries!(BIN_DIR)).sort()).toEqual(Object.values(BINARIES).sort()));
    vm = new Lab(target, defaultConfig(prefix), silentReporter);
  }, 10 * MIN);

  afterAll(async () => {
    rmSync(`/tmp/${prefix}-vagrant-scheme3.json`, { force: true });
    await vm?.down().catch(() => {});
    await local.down();
    await target?.close();
    if (!destroyed && process.env.EIPLAB_VM_KEEP !== '1') await timed('vagrant destroy', () => vmDown(() => {}));
    timings.push(['whole VM test', performance.now() - started]);
    log('verdicts per instance (ingress-nic reply-nic egress-ip egress-nic; + pass, - fail):');
    log(`${'cell'.padEnd(28)} ${'vagrant'.padEnd(10)} local`);
    for (const line of table) log(line);
    for (const [what, ms] of timings) log(`${what.padEnd(28)} ${(ms / 1000).toFixed(1)} s`);
  }, 5 * MIN);

  it('`npm run lab -- run scheme3 --target vagrant` gives the local target verdicts', async () => {
    const json = `/tmp/${prefix}-vagrant-scheme3.json`;
    const r = await timed('CLI run scheme3', async () => cli('run', 'scheme3', '--target', 'vagrant', '--prefix', prefix, '--json', json));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('all 8 checks as expected');
    const viaCli = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(viaCli.target).toBe('vagrant');
    const here = await local.run('scheme3', 'lenient', {});
    expect(measuredMap(viaCli)).toEqual(measuredMap(here));
  }, 5 * MIN);

  it('your own program (--app-cmd) is copied into the VM and measured there: its binding measured, every check as expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eiplabv-own-'));
    try {
      const program = join(dir, 'own-app');
      buildOwnApp(program);
      const json = join(dir, 'own.json');
      const r = await timed('CLI run scheme1 --app-cmd', async () =>
        cli('run', 'scheme1', '--target', 'vagrant', '--prefix', prefix, '--json', json, '--app-cmd', `${program} -listen {listen} -bind`),
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`your program, copied to the vagrant lab host: /var/tmp/${prefix}-app/own-app (removed with the lab)`);
      const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
      expect(result.target).toBe('vagrant');
      expect(result.ownApp?.binding).toBe('bound');
      table.push(`${'scheme1 own program lenient'.padEnd(28)} ${signs(result)}`);
      const left = await target.run(`ls -d /var/tmp/${prefix}-app 2>/dev/null; true`);
      expect(left.stdout.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 3 * MIN);

  const compare = (profile: Profile, cells: Cell[], onVm: (label: string, r: RunResult) => void = () => {}) => async () => {
    await timed(`up ${profile} on the VM`, () => vm.up(profile));
    // The NICs are the VM's: the router's neighbour entries and the source check use their MACs.
    expect(vm.cfg.nics.map((n) => n.mac)).toEqual(VM.nics.server);
    await local.up(profile);
    for (const cell of cells) {
      const there = await timed(`${label(cell, profile)} on the VM`, async () => {
        await vm.apply(cell.scheme, cell.o);
        return vm.verify();
      });
      await local.apply(cell.scheme, cell.o);
      const here = await local.verify();
      table.push(`${label(cell, profile).padEnd(28)} ${signs(there).padEnd(10)} ${signs(here)}`);
      expect(measuredMap(there), label(cell, profile)).toEqual(measuredMap(here));
      expect(there.ok, label(cell, profile)).toBe(true);
      expect(there.target).toBe('vagrant');
      onVm(label(cell, profile), there);
    }
    await timed(`down ${profile} on the VM`, () => vm.down());
    await local.down();
  };

  it(
    'lenient: scheme 1, scheme 3 plain and bound, with and without pbr: the same verdicts as the local target',
    compare('lenient', [
      { scheme: 'scheme1', o: {} },
      { scheme: 'scheme1', o: { fix: 'pbr' } },
      { scheme: 'scheme3', o: { app: 'plain' } },
      { scheme: 'scheme3', o: { app: 'plain', fix: 'pbr' } },
      { scheme: 'scheme3', o: { app: 'bound' } },
      { scheme: 'scheme3', o: { app: 'bound', fix: 'pbr' } },
    ]),
    6 * MIN,
  );

  it(
    "cloud: the VPC's source check tells the two NICs apart by MAC on the router's one port",
    compare(
      'cloud',
      [
        { scheme: 'scheme1', o: {} },
        { scheme: 'scheme3', o: { app: 'bound', fix: 'pbr' } },
      ],
      // The kernel's account works on the VM too: the failing reply check names the main table's rule and route that sent it out eth0.
      (cell, r) => {
        if (cell !== 'scheme1 bound cloud') return;
        const reply = check(r, 'eth1', 'reply-nic');
        expect(reply.measured).toBe('fail');
        const k = reply.evidence.kernel as KernelEvidence;
        expect(k.route[0], cell).toMatch(/^from 172\.31\.0\.14 to 100\.64\.0\.2: rule 32766 \(from all lookup main\) -> table main -> default via 172\.31\.0\.1 dev eth0/);
        expect(k.drop, cell).toMatch(/^dropped: the VPC's source check dropped \d+ frame\(s\) with source 172\.31\.0\.14 sent out eth0$/);
      },
    ),
    4 * MIN,
  );

  // The local target's kernel has no VRF (its cells are skipped there); the VM's Debian kernel has. Its cells' verdicts are
  // measured by the VM job's matrix (.ci/vm-test vrf in .ci/run, every cell in the nightly), on this same VM: here, what a
  // matrix cannot see.
  it('vrf: taken back it leaves the server as up made it; teardown leaves no cgroup', async () => {
    // Taken back, the scheme leaves the server as up made it: the NICs' routes in their order, no l3mdev rule.
    await vm.up('lenient');
    const snapshot = async () =>
      (await target.run('ip -o link show | sed "s/ link.*//"; ip rule; ip route show table all; sysctl -a 2>/dev/null | grep "^net.ipv4.conf" | sort', { ns: names(vm.cfg).ns.server })).stdout;
    const before = await snapshot();
    await vm.apply('vrf', { app: 'plain' });
    expect(await snapshot()).not.toEqual(before);
    await vm.unapply();
    expect(await snapshot()).toEqual(before);
    await vm.down();
    // `ip vrf exec` made a cgroup per VRF under <cgroup>/<netns>-ns/vrf/: teardown removed them, and no /run/cgroup2 was made.
    const left = await target.run(`find /sys/fs/cgroup -type d -name '${names(vm.cfg).ns.server}-ns'; ls -d /run/cgroup2 2>/dev/null; true`);
    expect(left.stdout.trim()).toBe('');
  }, 7 * MIN);

  it('down gave the NICs back to the VM under their own names, and left no namespace', async () => {
    const r = await target.run(
      `ip netns list; for mac in ${[...VM.nics.server, VM.nics.edge].join(' ')}; do ip -br link | awk -v m=$mac '$3 == m {print $1}'; done; cat /sys/class/net/eth1/ifalias /sys/class/net/eth2/ifalias /sys/class/net/eth3/ifalias`,
    );
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['eth1', 'eth2', 'eth3']);
  });

  it('lab:vm:down leaves no domain, network or volume in libvirt', async () => {
    if (process.env.EIPLAB_VM_KEEP === '1') return;
    await target.close();
    await timed('vagrant destroy', () => vmDown(() => {}));
    destroyed = true;
    expect(isEmpty(await leftovers(prefix))).toBe(true);
    const pool = execFileSync('virsh', ['-q', '-c', 'qemu:///system', 'vol-list', 'default'], { encoding: 'utf8' });
    expect(pool).not.toContain(boxVolumePrefix(VM.box.offline));
  }, 2 * MIN);
});

// Scheme 2 on the real topology, with the lab's own Docker daemon in the
// server namespace: measured verdicts cell by cell for every profile, with
// and without the fix, the dockerd-restart scenario, and teardown (graceful
// and after a crash) leaving nothing behind and the host's Docker as it was.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILES } from '../../lab/topology/profiles.js';
import { containerPids, daemonPids, fixedDirs, hostDocker, labLeftovers, natPostrouting, runs, serverPids, shimSockets } from '../helpers/docker.js';
import { rootNamespaceSnapshot } from '../helpers/host.js';
import { spawnLab } from '../helpers/spawn-lab.js';
import { check, measuredMap, testLab } from '../helpers/lab.js';

const prefix = 'eiplabd';
const lab = testLab(prefix);
afterAll(() => lab.down());

const EIP = { eth0: '203.0.113.65', eth1: '198.51.100.75' };
const allPass = {
  'eth0 ingress-nic': 'pass', 'eth0 reply-nic': 'pass', 'eth0 egress-ip': 'pass', 'eth0 egress-nic': 'pass',
  'eth1 ingress-nic': 'pass', 'eth1 reply-nic': 'pass', 'eth1 egress-ip': 'pass', 'eth1 egress-nic': 'pass',
};
const counts = (v: unknown) => v as Record<string, number>;

describe('scheme 2: Docker containers + SNAT', () => {
  it("lenient: both EIPs are seen right, but eth1's container traffic and its replies leave through eth0", async () => {
    const r = await lab.run('scheme2', 'lenient', {});
    expect(measuredMap(r)).toEqual({ ...allPass, 'eth1 reply-nic': 'fail', 'eth1 egress-nic': 'fail' });
    expect(check(r, 'eth0', 'egress-ip').evidence.echoSaw).toBe(EIP.eth0);
    expect(check(r, 'eth1', 'egress-ip').evidence.echoSaw).toBe(EIP.eth1);
    // The app itself dialed from its container address: the EIP comes from the SNAT rule, not from the app.
    expect(check(r, 'eth1', 'egress-ip').evidence.appSource).toMatch(/^172\.19\.0\.101:/);
    const syns = counts(check(r, 'eth1', 'egress-nic').evidence.synsOut);
    expect(syns.eth1).toBe(0);
    expect(syns.eth0).toBeGreaterThan(0);
    const replies = counts(check(r, 'eth1', 'reply-nic').evidence.packetsOut);
    expect(replies.eth1).toBe(0);
    expect(replies.eth0).toBeGreaterThan(0);
    expect(r.ok).toBe(true);
  });

  it("cloud: the VPC source check drops eth1's traffic that leaves through eth0", async () => {
    const r = await lab.run('scheme2', 'cloud', {});
    expect(measuredMap(r)).toEqual({
      ...allPass,
      'eth1 ingress-nic': 'fail', 'eth1 reply-nic': 'fail', 'eth1 egress-ip': 'fail', 'eth1 egress-nic': 'fail',
    });
    expect(check(r, 'eth1', 'egress-ip').evidence.echoSaw).toBeNull();
    expect(counts(check(r, 'eth1', 'egress-nic').evidence.sourceCheckDrops).eth0).toBeGreaterThan(0);
    expect(counts(check(r, 'eth1', 'ingress-nic').evidence.packetsIn).eth1).toBeGreaterThan(0);
    expect(r.ok).toBe(true);
  });

  it('strict: rp_filter=1 drops the requests arriving on eth1, so no reply leaves at all', async () => {
    const r = await lab.run('scheme2', 'strict', {});
    expect(measuredMap(r)).toEqual({
      ...allPass,
      'eth1 ingress-nic': 'fail', 'eth1 reply-nic': 'fail', 'eth1 egress-ip': 'fail', 'eth1 egress-nic': 'fail',
    });
    expect(check(r, 'eth1', 'reply-nic').evidence.packetsOut).toEqual({ eth0: 0, eth1: 0 });
    expect(counts(check(r, 'eth1', 'ingress-nic').evidence.packetsIn).eth1).toBeGreaterThan(0);
    expect(check(r, 'eth1', 'ingress-nic').evidence.answeredBy).toBeNull();
    expect(r.ok).toBe(true);
  });

  for (const profile of PROFILES) {
    it(`${profile} with --fix pbr (keyed on the container IPs): all eight checks pass`, async () => {
      const r = await lab.run('scheme2', profile, { fix: 'pbr' });
      expect(measuredMap(r)).toEqual(allPass);
      expect(check(r, 'eth1', 'egress-ip').evidence.echoSaw).toBe(EIP.eth1);
      expect(r.ok).toBe(true);
    });
  }
});

describe('scheme 2, scenario dockerd-restart', () => {
  it("after a restart Docker's MASQUERADE sits above the SNAT rules, which match nothing: eth1 is seen as eth0's EIP", async () => {
    await lab.up('lenient');
    try {
      await lab.apply('scheme2', { scenario: 'dockerd-restart' });
      const r = await lab.verify();
      expect(measuredMap(r)).toEqual({ ...allPass, 'eth1 reply-nic': 'fail', 'eth1 egress-ip': 'fail', 'eth1 egress-nic': 'fail' });
      expect(check(r, 'eth1', 'egress-ip').evidence.echoSaw).toBe(EIP.eth0);
      expect(r.ok).toBe(true);
      // The rules themselves, after the probes: Docker's rule first and matching, the SNAT rules at zero.
      const rules = natPostrouting(prefix);
      expect(rules[0]).toMatchObject({ target: 'MASQUERADE', source: '172.19.0.0/16' });
      expect(rules[0].pkts).toBeGreaterThan(0);
      const snat = rules.filter((x) => x.target === 'SNAT');
      expect(snat.map((x) => x.source).sort()).toEqual(['172.19.0.100', '172.19.0.101']);
      expect(snat.map((x) => x.pkts)).toEqual([0, 0]);
    } finally {
      await lab.down();
    }
  });

  it('with --fix pbr the restart changes nothing measured: MASQUERADE picks the IP of the NIC the rules chose', async () => {
    const r = await lab.run('scheme2', 'cloud', { fix: 'pbr', scenario: 'dockerd-restart' });
    expect(measuredMap(r)).toEqual(allPass);
    expect(r.ok).toBe(true);
  });
});

describe("scheme 2 teardown: nothing of the lab's remains, the host's Docker is untouched", () => {
  it('after down: no process, mount, namespace, link, cgroup or file of the lab; the root namespace and host Docker as before', async () => {
    const root = rootNamespaceSnapshot();
    const dirs = fixedDirs();
    const docker = hostDocker();
    await lab.up('cloud');
    await lab.apply('scheme2', { fix: 'pbr' });
    const sockets = shimSockets(prefix);
    expect(sockets).toHaveLength(2);
    // While up, the lab's Docker is really there: daemons, containers, mounts, sockets.
    expect(daemonPids(prefix).length).toBeGreaterThanOrEqual(4);
    expect(containerPids(prefix)).toHaveLength(2);
    expect(labLeftovers(prefix, sockets).filter((l) => l.startsWith('mount /run/'))).not.toEqual([]);
    const pids = [...serverPids(prefix), ...containerPids(prefix)];
    await lab.down();
    expect(labLeftovers(prefix, sockets)).toEqual([]);
    expect(pids.filter(runs)).toEqual([]);
    expect(fixedDirs()).toEqual(dirs);
    expect(rootNamespaceSnapshot()).toEqual(root);
    expect(hostDocker()).toEqual(docker);
  });

  it('after a crash (dockerd, containerd and the shims SIGKILLed), down removes what they left', async () => {
    const dirs = fixedDirs();
    await lab.up('lenient');
    await lab.apply('scheme2', {});
    const sockets = shimSockets(prefix);
    const containers = containerPids(prefix);
    expect(containers).toHaveLength(2);
    const pids = [...serverPids(prefix), ...containers];
    execFileSync('kill', ['-KILL', ...daemonPids(prefix).map(String)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // What SIGKILL leaves: running containers, their layers and namespaces still mounted, shim sockets.
    expect(daemonPids(prefix).filter(runs)).toEqual([]);
    expect(containers.filter(runs)).toHaveLength(2);
    const left = labLeftovers(prefix, sockets);
    expect(left.filter((l) => l.includes('/overlay2/'))).toHaveLength(2);
    expect(left.filter((l) => l.startsWith('file /run/containerd/s/'))).toHaveLength(2);
    await lab.down();
    expect(labLeftovers(prefix, sockets)).toEqual([]);
    expect(pids.filter(runs)).toEqual([]);
    expect(fixedDirs()).toEqual(dirs);
  });

  it('after the lab itself is SIGKILLed mid-apply (its daemons still running), down stops and removes them', async () => {
    const dirs = fixedDirs();
    const run = spawnLab(['run', 'scheme2', '--prefix', prefix]);
    await run.waitFor('Run the unmodified app in a container for eth1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const sockets = shimSockets(prefix);
    const pids = [...serverPids(prefix), ...containerPids(prefix)];
    process.kill(-run.child.pid!, 'SIGKILL');
    await run.exited;
    expect(daemonPids(prefix).filter(runs).length).toBeGreaterThanOrEqual(2);
    // As a user would: `npm run lab:down` (the CLI also takes over the dead run's lock).
    const down = spawnSync('node', ['bin/eiplab.js', 'down', '--prefix', prefix], { encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    expect(labLeftovers(prefix, sockets)).toEqual([]);
    expect(pids.filter(runs)).toEqual([]);
    expect(fixedDirs()).toEqual(dirs);
  });

  it('down still finds what the prefix names when the run directory is already gone (a cgroup left by an interrupted teardown)', async () => {
    const parent = existsSync('/sys/fs/cgroup/cgroup.controllers') ? '/sys/fs/cgroup' : '/sys/fs/cgroup/pids';
    mkdirSync(`${parent}/${prefix}-docker/leftover`, { recursive: true });
    expect(existsSync(`/run/${prefix}`)).toBe(false);
    await lab.down();
    expect(labLeftovers(prefix)).toEqual([]);
  });
});

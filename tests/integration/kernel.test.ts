// The kernel's account on the real topology: each case asserts the rule or
// route that made the packet go where the counters saw it go, and the
// tracing leaves nothing behind (after verify, after down, after SIGKILL).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelEvidence } from '../../lab/checks/kernel/index.js';
import type { CheckName } from '../../lab/model/scheme.js';
import type { RunResult } from '../../lab/model/results.js';
import { alive, labPids, leftovers, spawnLab } from '../helpers/spawn-lab.js';
import { check, measuredMap, testLab } from '../helpers/lab.js';

const prefix = 'eiplabk';
const lab = testLab(prefix);
afterAll(() => lab.down());

const kernel = (r: RunResult, instance: string, name: CheckName) => check(r, instance, name).evidence.kernel as KernelEvidence;
const nftIn = (ns: string, ...args: string[]) => execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { encoding: 'utf8' });
const server = `${prefix}-server`;

describe("the kernel's account of the verdicts", () => {
  it("scheme 2 after dockerd's restart: Docker's MASQUERADE takes instance 2's connection, the SNAT rule for 172.19.0.101 is never reached", async () => {
    const r = await lab.run('scheme2', 'lenient', { scenario: 'dockerd-restart' });
    expect(check(r, 'eth1', 'egress-ip').measured).toBe('fail');
    const k = kernel(r, 'eth1', 'egress-ip');
    const postrouting = k.netfilter.find((l) => l.startsWith('ip nat POSTROUTING'));
    expect(postrouting).toMatch(/'[^']*ip saddr 172\.19\.0\.0\/16 masquerade' \(accept: source -> 172\.31\.0\.8, eth0's address\)/);
    expect(postrouting).toMatch(/not reached: .*'ip saddr 172\.19\.0\.101 snat to 172\.31\.0\.14'/);
    expect(k.summary.join('\n')).toMatch(/POSTROUTING 'masquerade' matched.*'ip saddr 172\.19\.0\.101 snat to 172\.31\.0\.14' not reached/);
    expect(k.route[0]).toMatch(/^from 172\.19\.0\.101 \(in eip_bridge\) to 192\.0\.2\.10: rule 32766 \(from all lookup main\) -> table main -> default via 172\.31\.0\.1 dev eth0/);
  });

  it("plain scheme 3: instance 2's connection leaves with eth0's address, so the SNAT rule for 172.19.0.101 never sees it", async () => {
    const r = await lab.run('scheme3', 'lenient', { app: 'plain' });
    const k = kernel(r, 'eth1', 'egress-ip');
    expect(k.route[0]).toMatch(/^from 172\.31\.0\.8 to 192\.0\.2\.10: rule 32766 \(from all lookup main\) -> table main -> default via 172\.31\.0\.1 dev eth0/);
    expect(k.netfilter.find((l) => l.startsWith('ip nat POSTROUTING'))).toMatch(/policy accept; did not match: .*'ip saddr 172\.19\.0\.101 snat to 172\.31\.0\.14'/);
    // The request came in through the DNAT rule to the bridge IP.
    expect(kernel(r, 'eth1', 'ingress-nic').netfilter.join('\n')).toMatch(/ip nat PREROUTING: '[^']*dnat to 172\.19\.0\.101:8090' \(accept: destination -> 172\.19\.0\.101:8090\)/);
  });

  it("scheme 1 with pbr: the rule from 172.31.0.14 chooses eth1's table, for the outgoing connection and the replies", async () => {
    const r = await lab.run('scheme1', 'lenient', { fix: 'pbr' });
    expect(measuredMap(r)['eth1 egress-nic']).toBe('pass');
    const rule = /rule \d+ \(from 172\.31\.0\.14 lookup 101\) -> table 101 -> default via 172\.31\.0\.1 dev eth1/;
    expect(kernel(r, 'eth1', 'egress-nic').route[0]).toMatch(new RegExp(`^from 172\\.31\\.0\\.14 to 192\\.0\\.2\\.10: ${rule.source}`));
    expect(kernel(r, 'eth1', 'reply-nic').route[0]).toMatch(new RegExp(`^from 172\\.31\\.0\\.14 to 100\\.64\\.0\\.2: ${rule.source}`));
    expect(kernel(r, 'eth0', 'egress-nic').route[0]).toMatch(/from 172\.31\.0\.8 to 192\.0\.2\.10: rule \d+ \(from 172\.31\.0\.8 lookup 100\) -> table 100 -> default via 172\.31\.0\.1 dev eth0/);
  });

  it("cloud: the frames eth1's IP sends out through eth0 die at the edge's source check", async () => {
    const r = await lab.run('scheme1', 'cloud', {});
    expect(measuredMap(r)['eth1 reply-nic']).toBe('fail');
    expect(kernel(r, 'eth1', 'reply-nic').route[0]).toMatch(/^from 172\.31\.0\.14 to 100\.64\.0\.2: rule 32766 .* dev eth0/);
    expect(kernel(r, 'eth1', 'reply-nic').drop).toMatch(/^dropped: the VPC's source check dropped \d+ frame\(s\) with source 172\.31\.0\.14 sent out eth0$/);
    expect(kernel(r, 'eth1', 'egress-nic').drop).toMatch(/^dropped: the VPC's source check dropped \d+ frame\(s\) of the connection sent out eth0/);
    expect(kernel(r, 'eth0', 'egress-nic').drop).toBeUndefined();
  });

  it('strict: rp_filter drops the requests arriving on eth1, and the route lookup from the client through eth1 is refused; --no-trace records none of it', async () => {
    await lab.up('strict');
    try {
      await lab.apply('scheme1');
      const r = await lab.verify();
      expect(measuredMap(r)['eth1 ingress-nic']).toBe('fail');
      const k = kernel(r, 'eth1', 'ingress-nic');
      expect(k.drop).toMatch(/^dropped: rp_filter in the server dropped \d+ packet\(s\) arriving on eth1 \(IPReversePathFilter \+\d+\)$/);
      expect(k.route[0]).toBe('from 100.64.0.2 (in eth1) to 172.31.0.14: refused by the kernel (Invalid argument)');
      expect(kernel(r, 'eth0', 'ingress-nic').drop).toBeUndefined();
      lab.trace = false;
      const untraced = await lab.verify();
      expect(measuredMap(untraced)).toEqual(measuredMap(r));
      expect(untraced.checks.every((c) => !('kernel' in c.evidence))).toBe(true);
    } finally {
      lab.trace = true;
      await lab.down();
    }
  });

  it('leaves nothing of the tracing behind: after verify, after down, after SIGKILL + down', async () => {
    await lab.up('lenient');
    try {
      await lab.apply('scheme1');
      await lab.verify();
      // Between verifies: no monitor, no trace table, no pid file.
      expect(labPids(prefix).filter((p) => /monitor/.test(cmdline(p)))).toEqual([]);
      expect(nftIn(server, 'list', 'tables')).not.toContain(`${prefix}_trace`);
      expect(existsSync(`/run/${prefix}/trace-monitor.pid`)).toBe(false);
    } finally {
      await lab.down();
    }
    expect(leftovers(prefix)).toEqual([]);

    // Killed while the monitor runs (cloud: eth1's probes time out, so verify lasts about a second).
    const run = spawnLab(['run', 'scheme1', '--profile', 'cloud', '--prefix', prefix]);
    await run.waitFor('▸ verify:');
    // The monitor itself (the helper shell that started it names it in its own command line).
    const monitor = await until(() => labPids(prefix).find((p) => /^nft -a monitor trace\b/.test(cmdline(p))));
    process.kill(-run.child.pid!, 'SIGKILL');
    await run.exited;
    expect(alive(monitor)).toBe(true);
    const down = spawnSync('node', ['bin/eiplab.js', 'down', '--prefix', prefix], { encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    expect(alive(monitor)).toBe(false);
    expect(leftovers(prefix)).toEqual([]);
  });
});

function cmdline(pid: number): string {
  try {
    return execFileSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' }).replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

async function until<T>(f: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

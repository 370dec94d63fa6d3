// A user's own program as the instances (--app-cmd): a small Go program of
// the test's own, which knows nothing of eiplab, calls a host name through
// the VPC resolver with Go's default client, and is built unmodified. Every
// scheme, profile and fix measures it with the truths the lab's own app
// shows for the same binding, and the binding itself is measured.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOwnApp } from '../../lab/cli/own-app.js';
import type { LabConfig } from '../../lab/config/config.js';
import type { CheckResult, RunResult } from '../../lab/model/results.js';
import type { KernelEvidence } from '../../lab/checks/kernel/index.js';
import { FIXES, type Fix } from '../../lab/model/scheme.js';
import { PROFILES, type Profile } from '../../lab/topology/profiles.js';
import { check, isRoot, testLab } from '../helpers/lab.js';
import { writeDockerArchive } from '../helpers/docker-archive.js';
import { buildOwnApp } from '../helpers/own-app.js';

const dir = mkdtempSync(join(tmpdir(), 'eiplab-own-app-'));
const program = join(dir, 'own-app');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const buildFixture = () => buildOwnApp(program);

const ownApp = (cmd: string) => parseOwnApp({ cmd }, dir)!;
const withApp = (cmd: string, more: Partial<LabConfig> = {}) => (cfg: LabConfig) => Object.assign(cfg, { ownApp: ownApp(cmd) }, more);

/** Every profile (or those given) with and without each fix, one after another on one prefix. */
async function everyCell(prefix: string, scheme: string, cmd: string, profiles: readonly Profile[] = PROFILES): Promise<RunResult[]> {
  const lab = testLab(prefix, withApp(cmd));
  const results: RunResult[] = [];
  for (const profile of profiles) for (const fix of [null, ...FIXES] as (Fix | null)[]) results.push(await lab.run(scheme, profile, { fix }));
  return results;
}

const differing = (rs: RunResult[]) =>
  rs.flatMap((r) => r.checks.filter((c) => c.measured !== c.expected).map((c) => `${r.scheme} ${r.profile} ${r.fix ?? '-'} ${c.instance} ${c.check}: ${c.evidence.summary}`));

const kernel = (c: CheckResult) => c.evidence.kernel as KernelEvidence;

const leftovers = (prefix: string) =>
  [
    ...['inet', 'edge', 'server'].map((n) => `/run/netns/${prefix}-${n}`),
    `/run/${prefix}`,
    `/etc/netns/${prefix}-server`,
  ].filter((p) => existsSync(p));

describe.skipIf(!isRoot)('your own app (--app-cmd)', () => {
  beforeAll(buildFixture, 120_000);

  it('every scheme, profile and fix: the same truths as the lab\'s own app for the binding measured', { timeout: 240_000 }, async () => {
    // One lab per scheme (scheme 2, whose cells cost the most, on two), at once; each runs its cells in sequence.
    const [s1, s2a, s2b, s3plain, s3bound] = await Promise.all([
      everyCell('ownapp1', 'scheme1', `${program} -listen {listen} -bind`),
      everyCell('ownapp2', 'scheme2', `${program} -listen {listen}`, ['lenient', 'cloud']),
      everyCell('ownapp5', 'scheme2', `${program} -listen {listen}`, ['strict']),
      everyCell('ownapp3', 'scheme3', `${program} -listen {listen}`),
      everyCell('ownapp4', 'scheme3', `${program} -listen {listen} -bind`),
    ]);
    const s2 = [...s2a, ...s2b];
    expect(s2).toHaveLength(PROFILES.length * (1 + FIXES.length));
    expect(differing([...s1, ...s2, ...s3plain, ...s3bound])).toEqual([]);
    expect(new Set(s1.map((r) => r.ownApp?.binding))).toEqual(new Set(['bound']));
    expect(new Set(s3plain.map((r) => r.ownApp?.binding))).toEqual(new Set(['plain']));
    expect(new Set(s3bound.map((r) => r.ownApp?.binding))).toEqual(new Set(['bound']));
    expect(new Set([...s1, ...s2, ...s3plain, ...s3bound].map((r) => r.app))).toEqual(new Set(['bound', 'plain']));
    // It called a name: the resolver answered its queries, which left through the NIC with the default route.
    const lenient = s3plain.find((r) => r.profile === 'lenient' && !r.fix)!;
    expect(check(lenient, 'eth1', 'egress-nic').evidence).toMatchObject({ dns: { queriesOut: { eth0: expect.any(Number), eth1: 0 }, answered: true } });
    expect(check(lenient, 'eth1', 'egress-ip').evidence).toMatchObject({ echoSaw: '203.0.113.65', dialedFrom: ['172.31.0.8'] });
    for (const p of ['ownapp1', 'ownapp2', 'ownapp3', 'ownapp4', 'ownapp5']) expect(leftovers(p)).toEqual([]);

    // The kernel's account follows the program's own probe phases: every failed check names the route the
    // kernel chose (or its refusal), and none contradicts the reason of its expected verdict.
    for (const r of [...s1, ...s2, ...s3plain, ...s3bound])
      for (const c of r.checks.filter((c) => c.measured === 'fail')) {
        const where = `${r.scheme} ${r.profile} ${r.fix ?? '-'} ${c.instance} ${c.check}`;
        expect(kernel(c).route.join(' '), where).toMatch(/rule \d+ \(|refused by the kernel/);
        expect(kernel(c).contradiction, where).toBeUndefined();
      }
    // Unbound, instance 2's connection takes eth0's address from the main table, so its SNAT rule never sees it.
    const plainOut = kernel(check(lenient, 'eth1', 'egress-ip'));
    expect(plainOut.route[0]).toMatch(/^from 172\.31\.0\.8 to 192\.0\.2\.10: rule 32766 \(from all lookup main\) -> table main -> default via 172\.31\.0\.1 dev eth0/);
    expect(plainOut.netfilter.find((l) => l.startsWith('ip nat POSTROUTING'))).toMatch(/did not match: .*'ip saddr 172\.19\.0\.101 snat to 172\.31\.0\.14'/);
    // Scheme 2 under cloud: the container's DNS query is routed out eth0 by the main table, SNATed to eth1's IP and dropped.
    const cloud = s2.find((r) => r.profile === 'cloud' && !r.fix)!;
    const dns = kernel(check(cloud, 'eth1', 'egress-nic'));
    expect(dns.route[0]).toMatch(/^from 172\.19\.0\.101 \(in eip_bridge\) to 172\.31\.0\.2: rule 32766 \(from all lookup main\) -> table main -> 172\.31\.0\.0\/24 dev eth0/);
    expect(dns.drop).toMatch(/^dropped: the VPC's source check dropped \d+ frame\(s\) sent out eth0 with another NIC's source \(its DNS queries\)/);
  });

  it('--resolve limits what the VPC resolver answers', async () => {
    const cmd = `${program} -listen {listen} -bind`;
    const none = await testLab('ownapp5', withApp(cmd, { resolve: ['other.example'] })).run('scheme1', 'lenient', {});
    expect(check(none, 'eth0', 'egress-ip')).toMatchObject({ measured: 'fail', evidence: { echoRequests: 0, dns: { answered: true } } });
    const named = await testLab('ownapp5', withApp(cmd, { resolve: ['haoip.cn'] })).run('scheme1', 'lenient', {});
    expect(named.ok).toBe(true);
    expect(check(named, 'eth0', 'egress-ip').evidence).toMatchObject({ echoSaw: '203.0.113.65', echoRequests: 1 });
  });

  it('scheme 2 with --app-image: the user\'s own image, loaded into the lab\'s daemon', async () => {
    const archive = join(dir, 'own-image.tar');
    writeDockerArchive(archive, program, ['/own-app', '-listen', ':9000']);
    const lab = testLab('ownapp6', (cfg) => Object.assign(cfg, { ownApp: parseOwnApp({ image: archive, port: '9000' }, dir) }));
    const r = await lab.run('scheme2', 'lenient', {});
    expect(differing([r])).toEqual([]);
    expect(check(r, 'eth1', 'ingress-nic').evidence.summary).toContain('SYN answered by 172.19.0.101:9000');
    expect(leftovers('ownapp6')).toEqual([]);
  });
});

/** The CLI as a user types it, in its own process: exit code, stdout, stderr. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('node', ['bin/eiplab.js', ...args], { env: { ...process.env, FORCE_COLOR: '0', INIT_CWD: dir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe.skipIf(!isRoot)('your own app: the CLI', () => {
  beforeAll(() => {
    if (!existsSync(program)) buildFixture();
    const script = (name: string, body: string, mode = 0o755) => {
      writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, name), mode);
    };
    script('exits', 'echo starting\necho "fatal: no config file" >&2\nexit 3');
    script('silent', 'echo "waiting for a message queue"\nexec sleep 30');
    script('noexec', 'exit 0', 0o644);
    writeFileSync(join(dir, 'broken.tar'), 'not a tar archive');
    // A dynamically linked program: the system's own.
    execFileSync('cp', ['/bin/true', join(dir, 'dynamic')]);
  }, 120_000);

  it('run scheme1 --app-cmd with a relative path: measured, the binding stated, exit 0', async () => {
    const r = await cli(['run', 'scheme1', '--prefix', 'ownappc', '--app-cmd', './own-app -listen {listen} -bind']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("your app (./own-app -listen {listen} -bind) binds: each instance's outgoing connection used its listen address as source, before any NAT");
    expect(r.stdout).toMatch(/eth1 +egress-ip +pass +pass +✓ echo saw 198\.51\.100\.75 \(1 request\); dialed from 172\.31\.0\.14 before NAT; DNS via eth0, answered/);
    expect(leftovers('ownappc')).toEqual([]);
  });

  it.concurrent.each([
    // what, prefix (each its own: they run at once), scheme, options, the line's text
    ['a program that does not exist', 'ownbad1', 'scheme1', ['--app-cmd', './missing -listen {listen}'], 'missing does not exist'],
    ['a program that is not executable', 'ownbad2', 'scheme1', ['--app-cmd', './noexec'], 'is not executable: `chmod +x ./noexec`'],
    ['a program that exits at once', 'ownbad3', 'scheme1', ['--app-cmd', './exits {listen}'], "eth0's instance exited (code 3) before it listened on 172.31.0.8:8090; its last output: starting | fatal: no config file"],
    ['a program that never listens', 'ownbad4', 'scheme3', ['--app-cmd', './silent'], "eth0's instance did not listen on 172.19.0.100:8090 within 3 s; its last output: waiting for a message queue"],
    ['a non-static binary for scheme 2', 'ownbad5', 'scheme2', ['--app-cmd', './dynamic'], 'is dynamically linked'],
    ['an unknown placeholder', 'ownbad6', 'scheme1', ['--app-cmd', './own-app -listen {address}'], 'unknown placeholder {address}: use {listen}, {ip}, {port}, {nic}'],
    ['an unreadable image archive', 'ownbad7', 'scheme2', ['--app-image', './broken.tar'], 'broken.tar is not a tar archive'],
    ['an image archive that is not there', 'ownbad8', 'scheme2', ['--app-image', './gone.tar'], 'cannot read ./gone.tar: ENOENT'],
  ])('%s: exit 2, one line, nothing left behind', async (_what, prefix, scheme, args, message) => {
    const r = await cli(['run', scheme as string, '--prefix', prefix as string, ...(args as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(leftovers(prefix as string)).toEqual([]);
  });
});

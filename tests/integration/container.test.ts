// The container target: every cell of the matrix (schemes 1, 2 and 3) run in
// two containers at once measures what the local target measures (every
// check as expected, as the matrix test finds on this machine);
// the CLI finds a kept lab host again across commands; a user's program is
// copied in and measured there; Ctrl-C removes it;
// and afterwards Docker and the host's root namespace are as they were.
// Skipped, with the reason, where no Docker daemon answers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLabHostImage } from '../../lab/hosts/container/image.js';
import { matrixCells } from '../../lab/run/matrix.js';
import { formatVariant } from '../../lab/model/variant.js';
import type { RunResult } from '../../lab/model/results.js';
import type { KernelEvidence } from '../../lab/checks/kernel/index.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import { containerTestsBlocked, dockerState, labelledContainers, removeContainerLab } from '../helpers/container.js';
import { rootNamespaceSnapshot } from '../helpers/host.js';
import { measuredMap } from '../helpers/lab.js';
import { spawnLab } from '../helpers/spawn-lab.js';
import { writeDockerArchive } from '../helpers/docker-archive.js';
import { buildOwnApp } from '../helpers/own-app.js';

const blocked = await containerTestsBlocked();
if (blocked) console.warn(`container target tests skipped: ${blocked}`);

const PREFIX = 'eiplabc';
const WORKERS = ['eiplabc1', 'eiplabc2'];
/** Prefixes of the own-program runs, one lab host each. */
const OWN = ['eiplabco1', 'eiplabco2', 'eiplabco3'];
// Its own directory, made (and removed) only when the tests run: a skipped file leaves nothing.
const ownDir = join(tmpdir(), `eiplabc-own-${process.pid}`);
const program = join(ownDir, 'own-app');
const archive = join(ownDir, 'own-image.tar');
const cli = (...args: string[]) =>
  spawnSync('node', ['bin/eiplab.js', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
/** The root namespace's configuration, without packet counters (other software on the host moves them). */
const rootConfig = () =>
  Object.fromEntries(
    Object.entries(rootNamespaceSnapshot()).map(([k, v]) => [k, v.replace(/counter packets \d+ bytes \d+/g, 'counter').replace(/\[\d+:\d+\]/g, '')]),
  );
const cellKey = (r: RunResult) => `${formatVariant({ ...r, scenario: r.scenario ?? null }, 'label')} ${r.profile}`;

describe.skipIf(blocked)(`the container target${blocked ? ` (skipped: ${blocked})` : ''}`, () => {
  let before: { docker: Awaited<ReturnType<typeof dockerState>>; root: Record<string, string> };

  beforeAll(async () => {
    mkdirSync(ownDir, { recursive: true });
    // The first build takes a minute or two (debootstrap without a registry); then it is cached.
    await ensureLabHostImage((line) => console.log(line));
    // Taken while the daemon runs: starting a daemon on the host changes the root namespace itself.
    before = { docker: await dockerState(), root: rootConfig() };
  }, 900_000);

  afterAll(async () => {
    for (const prefix of [PREFIX, ...WORKERS, ...OWN]) await removeContainerLab(prefix);
    rmSync(ownDir, { recursive: true, force: true });
    for (const run of ['matrix', 'verify', 'server']) rmSync(`/tmp/eiplabc-container-${run}.json`, { force: true });
  }, 120_000);

  it('every cell of the matrix, run in two containers at once (--parallel 2), measures what the local target measures', async () => {
    const json = '/tmp/eiplabc-container-matrix.json';
    const r = cli('matrix', '--target', 'container', '--parallel', '2', '--prefix', PREFIX, '--json', json);
    const schemes = await loadSchemes();
    const cells = matrixCells([...schemes.values()]);
    expect(r.stderr).toBe('');
    // The container shares this machine's kernel: a scheme that needs a feature it lacks (vrf) is skipped, as here.
    const skipped = (JSON.parse(readFileSync(json, 'utf8')) as RunResult[]).filter((x) => x.skipped);
    for (const x of skipped) expect(schemes.get(x.scheme)!.needs?.length, x.scheme).toBeGreaterThan(0);
    expect(r.stdout).toContain(`${cells.length} cells: ${cells.length - skipped.length} as expected, 0 differ${skipped.length ? `, ${skipped.length} skipped` : ''}`);
    expect(r.stdout).toContain('2 at once (eiplabc1, eiplabc2)');
    expect(r.status).toBe(0);
    // Both workers took cells.
    for (const w of WORKERS) expect(r.stdout).toMatch(new RegExp(`as expected .* ${w}\\n`));
    const inContainer = (JSON.parse(readFileSync(json, 'utf8')) as RunResult[]).filter((x) => x.target === 'container');
    expect(inContainer).toHaveLength(cells.length);
    // The matrix removed its containers.
    for (const w of WORKERS) expect(await labelledContainers(w)).toEqual([]);
    // The kernel's account works inside the lab host as on this machine: every failed check names its route,
    // and after dockerd's restart Docker's MASQUERADE takes instance 2's connection ahead of its SNAT rule.
    for (const x of inContainer)
      for (const c of x.checks.filter((c) => c.measured === 'fail')) expect((c.evidence.kernel as KernelEvidence).route.join(' '), `${cellKey(x)} ${c.instance} ${c.check}`).toMatch(/rule \d+ \(|refused by the kernel|the kernel assumes \S+ is on its link/);
    const restarted = inContainer.find((x) => x.scheme === 'scheme2' && x.scenario === 'dockerd-restart' && !x.fix && x.profile === 'lenient')!;
    const egress = restarted.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-ip')!.evidence.kernel as KernelEvidence;
    expect(egress.netfilter.find((l) => l.startsWith('ip nat POSTROUTING'))).toMatch(/masquerade' \(accept: source -> 172\.31\.0\.8, eth0's address\).*not reached: .*'ip saddr 172\.19\.0\.101 snat to 172\.31\.0\.14'/);

    // Every check measured as expected. The expectations do not depend on the target, and
    // tests/integration/matrix.test.ts measures the cells on this machine against the same ones
    // (the schemes beyond the post in one profile there; their other rows are the golden ones
    // eiplab matrix measured): a verdict the container measures differently from this machine fails here or there.
    const differing = inContainer.flatMap((x) => x.checks.filter((c) => c.expected === null || c.measured !== c.expected).map((c) => `${cellKey(x)} ${c.instance} ${c.check}`));
    expect(differing).toEqual([]);
  }, 900_000);

  it("up, apply, verify, exec and down in separate commands reach the same container; the lab, scheme 2's Docker included, lives inside it", async () => {
    const up = cli('up', '--target', 'container', '--prefix', PREFIX, '--profile', 'cloud');
    expect(up.status, up.stderr).toBe(0);
    expect(await labelledContainers(PREFIX)).toEqual([`/${PREFIX}-labhost running`]);
    const apply = cli('apply', 'scheme2', '--fix', 'pbr', '--target', 'container', '--prefix', PREFIX);
    expect(apply.status, apply.stderr).toBe(0);
    const json = '/tmp/eiplabc-container-verify.json';
    const verify = cli('verify', '--target', 'container', '--prefix', PREFIX, '--json', json);
    expect(verify.status, verify.stderr).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(result).toMatchObject({ scheme: 'scheme2', fix: 'pbr', profile: 'cloud', target: 'container', ok: true });
    expect(Object.values(measuredMap(result))).toEqual(Array(8).fill('pass'));
    // Nothing of it on this machine: no namespace, no run directory, and the app's containers belong to the lab's own daemon.
    for (const node of ['inet', 'edge', 'server']) expect(existsSync(`/run/netns/${PREFIX}-${node}`)).toBe(false);
    expect(existsSync(`/run/${PREFIX}`)).toBe(false);
    expect((await dockerState()).containers.filter((c) => c.includes(`/${PREFIX}-eth`))).toEqual([]);
    // exec reaches into a node of the container's lab, with the program's output and exit code.
    const addr = cli('exec', 'server', '--target', 'container', '--prefix', PREFIX, '--', 'ip', '-br', '-4', 'addr', 'show', 'eth1');
    expect(addr.status, addr.stderr).toBe(0);
    expect(addr.stdout).toMatch(/^eth1\S*\s+UP\s+172\.31\.0\.14\/24/);
    expect(cli('exec', 'inet', '--target', 'container', '--prefix', PREFIX, '--', 'sh', '-c', 'exit 3').status).toBe(3);

    const down = cli('down', '--target', 'container', '--prefix', PREFIX);
    expect(down.status, down.stderr).toBe(0);
    expect(await labelledContainers(PREFIX)).toEqual([]);
    const again = cli('verify', '--target', 'container', '--prefix', PREFIX);
    expect(again.status).toBe(2);
    expect(again.stderr.trim()).toBe(
      `eiplab: no lab "${PREFIX}" is up on the container target: run \`npm run lab -- up --target container --prefix ${PREFIX}\` first`,
    );
  }, 300_000);

  it("a captured server (tests/fixtures/captures: two NICs with the cloud guide's rules, Docker's chains) replays in the container as on this machine: every NIC its own", async () => {
    const json = '/tmp/eiplabc-container-server.json';
    const r = cli('run', '--server', 'tests/fixtures/captures/docker-ipset.json', '--profile', 'cloud', '--expect', 'own', '--target', 'container', '--prefix', PREFIX, '--json', json);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('iptables -t nat -A DOCKER -i docker0 -j RETURN: names docker0');
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(result).toMatchObject({ scheme: 'server', target: 'container', ok: true });
    expect(Object.values(measuredMap(result))).toEqual(Array(8).fill('pass'));
    expect(await labelledContainers(PREFIX)).toEqual([]);
  }, 300_000);

  it("your own program is copied into the lab host and measured there: scheme 1 runs the copy, scheme 2 packs it, or loads your image's archive", async () => {
    buildOwnApp(program);
    writeDockerArchive(archive, program, ['/own-app', '-listen', ':9000']);
    const json = (p: string) => join(ownDir, `${p}.json`);
    // Three lab hosts at once, each with a prefix of its own.
    const runs = [
      [OWN[0], 'scheme1', '--app-cmd', `${program} -listen {listen} -bind`],
      [OWN[1], 'scheme2', '--app-cmd', `${program} -listen {listen}`],
      [OWN[2], 'scheme2', '--app-image', archive, '--app-port', '9000'],
    ].map(([prefix, scheme, ...app]) => spawnLab(['run', scheme, ...app, '--target', 'container', '--prefix', prefix, '--json', json(prefix)]));
    const codes = await Promise.all(runs.map((r) => r.exited));
    runs.forEach((r, i) => expect(codes[i], r.output()).toBe(0));
    expect(runs[0].output()).toContain(`your program, copied to the container lab host: /var/tmp/${OWN[0]}-app/own-app (removed with the lab)`);
    expect(runs[2].output()).toContain(`your program, copied to the container lab host: /var/tmp/${OWN[2]}-app/own-image.tar (removed with the lab)`);
    const [bound, packed, image] = OWN.map((p) => JSON.parse(readFileSync(json(p), 'utf8')) as RunResult);
    for (const r of [bound, packed, image]) expect(r).toMatchObject({ target: 'container', ok: true });
    expect(bound.ownApp?.binding).toBe('bound');
    expect(packed.ownApp?.binding).toBe('plain');
    // The kernel's account of the copy, inside the lab host: eth1's bound connection is routed by the main table out eth0.
    const egress = bound.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-nic')!;
    expect(egress.measured).toBe('fail');
    expect((egress.evidence.kernel as KernelEvidence).route[0]).toMatch(/^from 172\.31\.0\.14 to 192\.0\.2\.10: rule 32766 \(from all lookup main\) -> table main -> default via 172\.31\.0\.1 dev eth0/);
    expect(image.checks.find((c) => c.instance === 'eth1' && c.check === 'ingress-nic')!.evidence.summary).toContain('SYN answered by 172.19.0.101:9000');
    for (const p of OWN) expect(await labelledContainers(p)).toEqual([]);
  }, 300_000);

  it('Ctrl-C during a run tears the lab down and removes its container', async () => {
    const run = spawnLab(['run', 'scheme2', '--target', 'container', '--prefix', PREFIX]);
    await run.waitFor('Run the unmodified app in a container for eth1', 60_000);
    expect(await labelledContainers(PREFIX)).toEqual([`/${PREFIX}-labhost running`]);
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output()).toContain('SIGINT: tearing the lab down');
    expect(await labelledContainers(PREFIX)).toEqual([]);
  }, 120_000);

  it('afterwards docker ps -a, docker network ls, docker images (but the cached lab images) and the root namespace are as they were', async () => {
    expect(await dockerState()).toEqual(before.docker);
    expect(rootConfig()).toEqual(before.root);
  });
});

// A captured server replayed in the lab and measured with packets. Each
// "real server" is built by hand (tests/helpers/real-server.ts, plain ip and
// iptables, none of the lab's code), captured with the capture script, and
// removed before the lab replays the capture.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../lab/cli/main.js';
import { parseCapture } from '../../lab/capture/capture.js';
import { replayedView, replayPlan } from '../../lab/capture/plan.js';
import { CAPTURE_SCRIPT } from '../../lab/capture/script.js';
import type { RunResult } from '../../lab/model/results.js';
import { isRoot, measuredMap } from '../helpers/lab.js';
import { buildRealServer, type RealServerOptions } from '../helpers/real-server.js';
import { leftovers } from '../helpers/spawn-lab.js';

const PREFIX = 'eiplabrp';
let dir: string;

/** Builds a real server by hand, captures it, removes it: the capture file. */
function capture(name: string, o: RealServerOptions): string {
  const server = buildRealServer(`${PREFIX}${name}`, o);
  try {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, server.sh(`sh ${CAPTURE_SCRIPT}`));
    return file;
  } finally {
    server.remove();
  }
}

function lab(args: string[]): { code: number | null; out: string } {
  const r = spawnSync('node', ['bin/eiplab.js', ...args, '--prefix', PREFIX], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** `run --server`, its JSON result and its output. */
function replay(file: string, extra: string[] = []): { result: RunResult; out: string; code: number | null } {
  const json = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  const r = lab(['run', '--server', file, '--json', json, ...extra]);
  expect(existsSync(json), r.out).toBe(true);
  return { result: JSON.parse(readFileSync(json, 'utf8')), out: r.out, code: r.code };
}

const all = (nics: string[], verdict: string) => Object.fromEntries(nics.flatMap((n) => ['ingress-nic', 'reply-nic', 'egress-ip', 'egress-nic'].map((c) => [`${n} ${c}`, verdict])));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eiplab-replay-'));
});
afterAll(() => {
  if (isRoot) lab(['down']);
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(isRoot)('a captured server, replayed and measured', () => {

  it("two NICs with the cloud guide's policy routing: under cloud every NIC is its own on all four checks", () => {
    const { result, code } = replay(capture('pbr', { nics: 2, guidePbr: true }), ['--profile', 'cloud', '--expect', 'own']);
    expect(measuredMap(result)).toEqual(all(['eth0', 'eth1'], 'pass'));
    expect(result.ok).toBe(true);
    expect(code).toBe(0);
    expect(leftovers(PREFIX)).toEqual([]);
  });

  it("the same server without the guide's rules: eth1's egress leaves through eth0 (measured only: nothing expected, nothing differs)", () => {
    const { result, code } = replay(capture('plain', { nics: 2 }));
    const eth1 = result.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-nic')!;
    expect(eth1.measured).toBe('fail');
    expect(eth1.evidence).toMatchObject({ synsOut: { eth1: 0, eth0: 1 } });
    expect(measuredMap(result)['eth0 egress-nic']).toBe('pass');
    expect(result.checks.every((c) => c.expected === null)).toBe(true);
    expect(code).toBe(0);
  });

  it('three NICs, each with its own EIP stand-in (one given with --eip), all their own', () => {
    const { result } = replay(capture('three', { nics: 3, guidePbr: true }), ['--profile', 'cloud', '--expect', 'own', '--eip', 'eth2=203.0.113.99']);
    expect(measuredMap(result)).toEqual(all(['eth0', 'eth1', 'eth2'], 'pass'));
    const seen = result.checks.find((c) => c.instance === 'eth2' && c.check === 'egress-ip')!;
    expect(JSON.stringify(seen.evidence)).toContain('203.0.113.99');
  });

  it("a capture with Docker's nat chain and an ipset rule replays the rest and lists those two, before the table", () => {
    const { result, out } = replay(capture('docker', { nics: 2, guidePbr: true, docker: true }), ['--profile', 'cloud', '--expect', 'own']);
    const block = out.slice(out.indexOf('not replayed from the capture'), out.indexOf('instance  check'));
    expect(block).toContain('iptables -t nat -A DOCKER -i docker0 -j RETURN: names docker0, an interface the lab does not create');
    expect(block).toContain('iptables -t filter -A INPUT -m set --match-set blocked src -j DROP: matches an ipset, whose contents are not captured');
    expect(block).toContain('interface docker0');
    // The rest of the capture is replayed: its policy rule still puts eth1's traffic through eth1.
    expect(measuredMap(result)).toEqual(all(['eth0', 'eth1'], 'pass'));
  });

  it('round trip, with NICs named ens5/ens6: the lab server after a replay captures as the original did, for everything the replay supports; a separate verify measures it', () => {
    const file = capture('round', { nics: 2, guidePbr: true, docker: true, names: ['ens5', 'ens6'] });
    const up = lab(['up', '--server', file, '--profile', 'cloud', '--expect', 'own']);
    expect(up.code, up.out).toBe(0);
    try {
      const again = spawnSync('ip', ['netns', 'exec', `${PREFIX}-server`, 'sh', CAPTURE_SCRIPT], { encoding: 'utf8' }).stdout;
      const original = replayPlan(parseCapture(readFileSync(file, 'utf8'), 'original'), 'original');
      const replayed = replayPlan(parseCapture(again, 'replayed'), 'replayed');
      expect(replayedView(replayed)).toEqual(replayedView(original));
      // and `verify`, given no config, measures the lab that `up --server` built, with the capture's NIC names
      const json = join(dir, 'verify.json');
      const verify = lab(['verify', '--json', json]);
      expect(verify.code, verify.out).toBe(0);
      expect(measuredMap(JSON.parse(readFileSync(json, 'utf8')))).toEqual(all(['ens5', 'ens6'], 'pass'));
    } finally {
      lab(['down']);
    }
    expect(leftovers(PREFIX)).toEqual([]);
  });
});

describe.runIf(isRoot)('a bad capture or --eip: exit 2, one line naming what is wrong, nothing created', () => {
  let file: string;
  let bad: string;
  beforeAll(() => {
    file = capture('bad', { nics: 2 });
    bad = join(dir, 'bad-input.json');
  });

  /** The CLI in this process (no lab starts before the input is checked): its exit code and what it wrote to stderr. */
  async function refused(content: string | object, extra: string[] = []): Promise<string> {
    writeFileSync(bad, typeof content === 'string' ? content : JSON.stringify(content));
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    let code: number;
    try {
      code = await main(['run', '--server', bad, '--prefix', PREFIX, ...extra]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(2);
    const lines = err.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(leftovers(PREFIX)).toEqual([]);
    return lines[0];
  }
  const good = () => JSON.parse(readFileSync(file, 'utf8'));
  const withNics = (n: number) => {
    const c = good();
    for (let i = 2; i < n; i++) {
      c.links.push({ ifname: `eth${i}`, address: `02:00:0a:00:02:${10 + i}`, link_type: 'ether' });
      c.addresses.push({ ifname: `eth${i}`, addr_info: [{ family: 'inet', local: `10.0.1.${30 + i}`, prefixlen: 24 }] });
    }
    return c;
  };

  it.each([
    ['not JSON', () => '{"format": "eiplab-capture",', /bad-input\.json is not JSON/],
    ['a capture from another tool', () => ({ format: 'batfish', version: 1, interfaces: [] }), /is not an eiplab capture \(its format is "batfish"/],
    ['a missing field', () => ({ ...good(), rules: undefined }), /the field rules is missing/],
    ['an interface of 16 characters', () => { const c = good(); c.links[1].ifname = 'a234567890123456'; return c; }, /interface "a234567890123456" has 16 characters/],
    ['more than four NICs', () => withNics(5), /5 NICs on the gateway's subnet 10\.0\.1\.0\/24 .*: the lab builds at most 4/],
    ['NICs that share no subnet with a gateway', () => { const c = good(); c.routes.find((r: { dst: string }) => r.dst === 'default').gateway = '192.168.99.1'; return c; }, /the NICs share no subnet with a gateway/],
  ])('%s', async (_what, content, message) => {
    expect(await refused(content())).toMatch(message);
  });

  it('a real public address given to --eip', async () => {
    expect(await refused(good(), ['--eip', 'eth1=8.8.8.8'])).toMatch(/--eip 8\.8\.8\.8 is not a stand-in for a public address/);
    expect(await refused(good(), ['--eip', 'eth7=203.0.113.9'])).toMatch(/the capture has no NIC eth7/);
  });
});

// Schemes as data files, run for real: the worked example of docs/schemes.md
// exactly as printed, the scheme written from the docs alone, a scheme with
// no expect (measured only), and bad files refused before anything is built.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measuredMap, testLab } from '../helpers/lab.js';

const PREFIX = 'eiplabyf';
const lab = testLab(PREFIX);
const dir = mkdtempSync(join(tmpdir(), 'eiplab-schemes-'));
afterAll(async () => {
  await lab.down();
  rmSync(dir, { recursive: true, force: true });
});

/** The first yaml block under a heading of docs/schemes.md. */
function docExample(heading: string): string {
  const doc = readFileSync('docs/schemes.md', 'utf8');
  const at = doc.indexOf(`### ${heading}`);
  const m = /```yaml\n([\s\S]*?)```/.exec(doc.slice(at));
  if (at < 0 || !m) throw new Error(`docs/schemes.md has no yaml block under "${heading}"`);
  return m[1];
}

function cli(...args: string[]) {
  const r = spawnSync('node', ['bin/eiplab.js', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`${PREFIX}-`));

const pass4 = (nic: string) => Object.fromEntries(['ingress-nic', 'reply-nic', 'egress-ip', 'egress-nic'].map((c) => [`${nic} ${c}`, 'pass']));

describe("docs/schemes.md's worked example, as printed", () => {
  const file = join(dir, 'pbr-only.yaml');
  writeFileSync(file, docExample('A worked example'));

  it('bound: every check passes through each NIC, under the cloud profile too', async () => {
    for (const profile of ['lenient', 'cloud'] as const) {
      const r = await lab.run(file, profile, { app: 'bound' });
      expect(measuredMap(r)).toEqual({ ...pass4('eth0'), ...pass4('eth1') });
      expect(r.ok).toBe(true);
    }
  });

  it("plain: replies follow the rule, but the unbound socket calls out with eth0's IP (as the file expects)", async () => {
    const r = await lab.run(file, 'lenient', { app: 'plain' });
    expect(measuredMap(r)).toMatchObject({ ...pass4('eth0'), 'eth1 reply-nic': 'pass', 'eth1 egress-ip': 'fail', 'eth1 egress-nic': 'fail' });
    expect(r.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-ip')!.reason).toContain('unbound socket');
    expect(r.ok).toBe(true);
  });
});

describe('a scheme written from docs/schemes.md alone', () => {
  it.each(['lenient', 'cloud', 'strict'] as const)('%s: measures as it expects, with and without its fix', async (profile) => {
    const file = 'tests/fixtures/schemes/from-the-docs.yaml';
    for (const fix of [null, 'pbr']) {
      const r = await lab.run(file, profile, { fix });
      expect(r.checks.filter((c) => c.measured !== c.expected), `${profile} ${fix}`).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });
});

describe('a scheme a newcomer wrote from the docs alone, without reading the code', () => {
  it.each(['lenient', 'cloud', 'strict'] as const)('%s: every NIC its own on all four checks, as the file expects', async (profile) => {
    const r = await lab.run('tests/fixtures/schemes/policy-per-nic.yaml', profile, {});
    expect(r.checks.filter((c) => c.measured !== c.expected), profile).toEqual([]);
    expect(r.checks.every((c) => c.measured === 'pass')).toBe(true);
    expect(r.ok).toBe(true);
  });
});

describe('a scheme without expect is measured only', () => {
  it('the table shows - as expected, --json writes null, nothing differs: exit 0', () => {
    const file = join(dir, 'bare.yaml');
    writeFileSync(file, docExample('A worked example').replace(/\nexpect:[\s\S]*$/, '\n'));
    const json = join(dir, 'bare.json');
    const r = cli('run', file, '--prefix', PREFIX, '--json', json);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/eth1\s+egress-nic\s+pass\s+-\s/);
    expect(r.stdout).toContain('8 checks measured (the scheme states no facts: nothing to compare)');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.ok).toBe(true);
    expect(result.checks.map((c: { expected: unknown }) => c.expected)).toEqual(Array(8).fill(null));
    expect(namespaces()).toEqual([]);
  });
});

describe('a bad scheme file: exit 2, one line with file:line, nothing created', () => {
  const good = docExample('A worked example');
  it.each([
    ['run', good.replace('for_each: nic', 'for_each: nics'), /^eiplab: .*bad1\.yaml:\d+: steps\[0\]\.for_each: unknown value "nics"/],
    ['apply', good.replace('{nic.table}\n', '{nic.tabel}\n'), /^eiplab: .*bad2\.yaml:\d+: steps\[0\]\.run\[0\]: unknown template variable \{nic\.tabel\}/],
    ['matrix', `${good}colour: blue\n`, /^eiplab: .*bad3\.yaml:\d+: colour: unknown key/],
  ])('%s', (command, source, message) => {
    const file = join(dir, `bad${['run', 'apply', 'matrix'].indexOf(command) + 1}.yaml`);
    writeFileSync(file, source);
    const r = cli(command, file, '--prefix', PREFIX);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(namespaces()).toEqual([]);
    expect(existsSync(`/run/${PREFIX}`)).toBe(false);
  });
});

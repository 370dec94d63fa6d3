// `matrix --shard i/n` and `merge-results`: the shards of scheme 1's matrix,
// run for real, cover it with no cell twice, and their merged outputs (JSON,
// JUnit, the HTML report's results) carry the same cells and verdicts, in
// the same order, as one run of the whole matrix. Evidence (ports, counters)
// and times differ from run to run, so those are left out of the comparison.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../lab/model/results.js';
import { formatVariant } from '../../lab/model/variant.js';
import { leftovers } from '../helpers/spawn-lab.js';

const PREFIX = 'eiplabsh';
const dir = mkdtempSync(`/tmp/${PREFIX}-`);
const at = (name: string) => join(dir, name);

function lab(...args: string[]) {
  const r = spawnSync('node', ['bin/eiplab.js', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const cell = (r: RunResult) => `${formatVariant(r, 'label')} ${r.profile}`;
/** What a report says about each cell: its verdicts, not the run's evidence or time. */
const verdicts = (results: RunResult[]) => results.map((r) => ({ cell: cell(r), ok: r.ok, checks: r.checks.map((c) => [c.instance, c.check, c.measured, c.expected, c.reason]) }));
const readJson = (name: string): RunResult[] => JSON.parse(readFileSync(at(name), 'utf8'));
/** The JUnit file's suites, cases and failures, without times and timestamps (nor the evidence in system-out). */
const junitShape = (name: string) =>
  readFileSync(at(name), 'utf8')
    .split('\n')
    .filter((l) => /<(testsuites|testsuite|testcase|failure|skipped)\b/.test(l))
    .map((l) => l.replace(/ (time|timestamp)="[^"]*"/g, ''));

afterAll(() => {
  lab('down', '--prefix', PREFIX);
  rmSync(dir, { recursive: true, force: true });
});

describe('matrix shards, merged', () => {
  it('cover the matrix with no cell twice and merge into the outputs of one run', () => {
    const one = lab('matrix', 'scheme1', '--prefix', PREFIX, '--json', at('one.json'), '--junit', at('one.xml'), '--report', at('one'));
    expect(one.status, one.out).toBe(0);
    for (const i of [1, 2, 3]) {
      const shard = lab('matrix', 'scheme1', '--shard', `${i}/3`, '--prefix', PREFIX, '--json', at(`shard${i}.json`));
      expect(shard.status, shard.out).toBe(0);
      // Round-robin: shard i of 3 gets every third cell, starting at the i-th.
      const total = Number(/matrix: (\d+) cells/.exec(one.out)?.[1]);
      expect(shard.out).toContain(`shard ${i}/3: ${Math.ceil((total - i + 1) / 3)} of them`);
    }
    const whole = readJson('one.json').map(cell);
    const shards = [1, 2, 3].map((i) => readJson(`shard${i}.json`).map(cell));
    expect(shards.flat().sort()).toEqual([...whole].sort());
    expect(new Set(shards.flat()).size).toBe(whole.length);

    // Given in any order, the files merge in the matrix's order.
    const merged = lab('merge-results', at('shard3.json'), at('shard1.json'), at('shard2.json'), '--json', at('merged.json'), '--junit', at('merged.xml'), '--report', at('merged'));
    expect(merged.status, merged.out).toBe(0);
    expect(merged.out).toContain(`merged ${whole.length} cells from 3 files`);
    expect(verdicts(readJson('merged.json'))).toEqual(verdicts(readJson('one.json')));
    expect(junitShape('merged.xml')).toEqual(junitShape('one.xml'));
    expect(verdicts(readJson('merged/results.json'))).toEqual(verdicts(readJson('one/results.json')));
    expect(existsSync(at('merged/index.html'))).toBe(true);
    // The matrix table it prints is the one run's.
    const table = (out: string) => out.slice(out.indexOf('  variant'), out.indexOf('per instance'));
    expect(table(merged.out)).toBe(table(one.out));

    // A cell in two files is refused in one line, and nothing is written.
    const twice = lab('merge-results', at('shard1.json'), at('one.json'), '--json', at('twice.json'));
    expect(twice.status).toBe(2);
    expect(twice.out.trim().split('\n')).toHaveLength(1);
    expect(twice.out).toMatch(/is in both .*shard1\.json and .*one\.json/);
    expect(existsSync(at('twice.json'))).toBe(false);
    expect(leftovers(PREFIX)).toEqual([]);
  }, 120_000);
});

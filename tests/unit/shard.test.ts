// The matrix's shards and the merge of their results.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabError } from '../../lab/model/errors.js';
import type { RunResult } from '../../lab/model/results.js';
import { formatVariant, type Cell } from '../../lab/model/variant.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import { matrixCells } from '../../lab/run/matrix.js';
import { mergeResults, readResults } from '../../lab/report/merge.js';
import { parseShard, shardOf } from '../../lab/run/shard.js';

const label = (c: Cell) => `${formatVariant(c, 'label')} ${c.profile}`;
const cells = async () => matrixCells([...(await loadSchemes()).values()]);
const resultOf = (c: Cell): RunResult => ({ ...c, target: 'local', ok: true, checks: [] });

describe('matrix --shard i/n', () => {
  it('the union of all n shards is the whole matrix, no cell twice, for every n', async () => {
    const all = await cells();
    for (let n = 1; n <= all.length + 2; n++) {
      const shards = Array.from({ length: n }, (_, i) => shardOf(all, { index: i + 1, count: n }));
      const union = shards.flat().map(label);
      expect(new Set(union).size, `n=${n}`).toBe(union.length);
      expect([...union].sort(), `n=${n}`).toEqual(all.map(label).sort());
      // Balanced: sizes differ by one at most.
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes), `n=${n}`).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic and keeps the matrix order inside a shard', async () => {
    const all = await cells();
    const a = shardOf(all, { index: 2, count: 3 });
    expect(shardOf(all, { index: 2, count: 3 })).toEqual(a);
    const positions = a.map((c) => all.indexOf(c));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });

  it('spreads each scheme over the shards', async () => {
    const all = await cells();
    const docker = all.filter((c) => c.scheme === 'scheme2').length;
    for (let i = 1; i <= 2; i++) expect(shardOf(all, { index: i, count: 2 }).filter((c) => c.scheme === 'scheme2').length).toBeGreaterThanOrEqual(Math.floor(docker / 2));
  });

  it.each(['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3', '-1/2', '1/65'])('refuses --shard %s in one line', (v) => {
    expect(() => parseShard(v)).toThrow(LabError);
    expect(() => parseShard(v)).toThrow(`bad --shard "${v}"`);
  });
});

describe('merge-results', () => {
  const dir = mkdtempSync('/tmp/eiplab-merge-unit-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the shards back in the matrix order', async () => {
    const all = await cells();
    const files = [3, 1, 2].map((i) => ({ path: `s${i}.json`, results: shardOf(all, { index: i, count: 3 }).map(resultOf) }));
    expect(mergeResults(files, all).map(label)).toEqual(all.map(label));
  });

  it('refuses a cell that two files both have', async () => {
    const all = await cells();
    const twice = [{ path: 'a.json', results: [resultOf(all[0])] }, { path: 'b.json', results: [resultOf(all[1]), resultOf(all[0])] }];
    expect(() => mergeResults(twice, all)).toThrow(`the cell "${label(all[0])} on local" is in both a.json and b.json`);
  });

  it('keeps the same cell from two targets, grouped by target in the order they first come', async () => {
    const all = await cells();
    const on = (target: string, c: Cell): RunResult => ({ ...resultOf(c), target });
    const merged = mergeResults(
      [
        { path: 'vm.json', results: [on('vagrant', all[1]), on('vagrant', all[0])] },
        { path: 'local.json', results: [on('local', all[0]), on('local', all[1])] },
      ],
      all,
    );
    expect(merged.map((r) => `${r.target} ${label(r)}`)).toEqual([`vagrant ${label(all[0])}`, `vagrant ${label(all[1])}`, `local ${label(all[0])}`, `local ${label(all[1])}`]);
  });

  it('reads what --json wrote (an array or one object) and refuses anything else in one line', async () => {
    const [c] = await cells();
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify(resultOf(c)));
    expect(readResults(one).map(label)).toEqual([label(c)]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ scheme: 'scheme1' }]));
    expect(() => readResults(bad)).toThrow(`${bad}: entry 1 is not an eiplab result`);
    writeFileSync(bad, '{ nope');
    expect(() => readResults(bad)).toThrow(`${bad}: cannot read it as JSON`);
  });
});

// `eiplab merge-results a.json b.json ...`: the --json outputs of several
// runs (the shards of one matrix, say) as one list of results, in the
// matrix's own cell order, so the merged outputs are those of one run. A
// cell found twice is an error: shards of one matrix never overlap. The same
// cell on two targets is two cells (a nightly merges local, container and
// VM runs): results are grouped by target, in the order targets first come.
import { readFileSync } from 'node:fs';
import { LabError } from '../model/errors.js';
import type { RunResult } from '../model/results.js';
import { formatVariant, type Cell } from '../model/variant.js';

const cellKey = (c: Cell) => `${formatVariant(c, 'label')} ${c.profile}`;
const targetKey = (r: RunResult) => `${cellKey(r)} on ${r.target}`;

function looksLikeResult(r: unknown): r is RunResult {
  const o = r as Partial<RunResult> | null;
  return typeof o === 'object' && o !== null && typeof o.scheme === 'string' && typeof o.profile === 'string' && Array.isArray(o.checks);
}

/** A --json file's results: `matrix` writes an array, `run` and `verify` one object. */
export function readResults(path: string): RunResult[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new LabError(`${path}: cannot read it as JSON (${(e as Error).message}): give files that --json wrote`);
  }
  const list = Array.isArray(data) ? data : [data];
  const bad = list.findIndex((r) => !looksLikeResult(r));
  if (bad >= 0) throw new LabError(`${path}: entry ${bad + 1} is not an eiplab result (no scheme, profile and checks): give files that --json wrote`);
  // A result written before scenarios existed has none.
  return list.map((r) => ({ ...r, scenario: r.scenario ?? null }));
}

/**
 * One list from several files, ordered as `order` (the matrix's cells) lists them; results of cells
 * it does not list follow in the files' order. Throws when a cell comes twice.
 */
export function mergeResults(files: { path: string; results: RunResult[] }[], order: Cell[]): RunResult[] {
  const rank = new Map(order.map((c, k) => [cellKey(c), k]));
  const targets: string[] = [];
  const seen = new Map<string, string>();
  const all: { r: RunResult; target: number; rank: number; at: number }[] = [];
  for (const { path, results } of files) {
    for (const r of results) {
      const key = targetKey(r);
      const first = seen.get(key);
      if (first) throw new LabError(`the cell "${key}" is in both ${first} and ${path}: shards of one matrix never share a cell`);
      seen.set(key, path);
      if (!targets.includes(r.target)) targets.push(r.target);
      all.push({ r, target: targets.indexOf(r.target), rank: rank.get(cellKey(r)) ?? order.length, at: all.length });
    }
  }
  return all.sort((a, b) => a.target - b.target || a.rank - b.rank || a.at - b.at).map((x) => x.r);
}

// The matrix: every scheme x app variant x fix (x scenario) x profile. A
// lab takes a variant's cells one after another: the first builds the lab
// and applies the scheme, the next ones (the same variant in another
// profile) change only the profile, and the last takes it all down. Only a
// scheme's own daemon (scheme 2's Docker) runs on into the next variant's
// cells on that lab, reset as a fresh daemon between them.
import type { Lab } from './lab.js';
import type { RunResult } from '../model/results.js';
import { PROFILES, type Profile } from '../topology/profiles.js';
import type { Fix, Scheme } from '../model/scheme.js';
import { sameVariant, type Cell, type Variant } from '../model/variant.js';

export function variantsOf(scheme: Scheme): Variant[] {
  const fixes: (Fix | null)[] = [null, ...(Object.keys(scheme.fixes) as Fix[])];
  const scenarios = [null, ...Object.keys(scheme.scenarios ?? {})];
  return scheme.apps.flatMap((app) =>
    scenarios.flatMap((scenario) => fixes.map((fix) => ({ scheme: scheme.id, app, fix, scenario }))),
  );
}

export function matrixCells(schemes: Scheme[], profiles: readonly Profile[] = PROFILES): Cell[] {
  return schemes.flatMap((s) => variantsOf(s).flatMap((v) => profiles.map((profile) => ({ ...v, profile }))));
}

/** The cells in runs of one variant, in order: the unit a lab takes from the pool. */
export function variantRuns(cells: Cell[]): number[][] {
  const runs: number[][] = [];
  cells.forEach((cell, i) => {
    const last = runs.at(-1);
    if (last && sameVariant(cells[last[0]], cell)) last.push(i);
    else runs.push([i]);
  });
  return runs;
}

/**
 * Runs the cells on a pool of labs (each its own prefix, and with the container
 * target its own container): each lab takes the next run of one variant's cells
 * when its last one is done, so one lab runs them one after another. `onCell`
 * hears each result as it lands; the results come back in the cells' order.
 */
export async function runMatrix(
  labs: Lab[],
  cells: Cell[],
  onCell: (cell: Cell, index: number, result: RunResult, ms: number, lab: Lab) => void,
  onStart: (cell: Cell, index: number, lab: Lab) => void = () => {},
  /**
   * A lab is kept from cell to cell: a variant's scheme stays applied while only the profile changes,
   * and a scheme's own daemon (scheme 2's Docker) runs on, reset as fresh; false: every cell a full run.
   */
  reuse = true,
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  const runs = variantRuns(cells);
  let next = 0;
  let failed = false;
  const worker = async (lab: Lab) => {
    // After a failure no new cell starts; the others finish theirs, so no lab is torn down under a running cell.
    try {
      while (!failed && next < runs.length) {
        const run = runs[next++];
        for (const [k, i] of run.entries()) {
          if (failed) break;
          onStart(cells[i], i, lab);
          const t0 = performance.now();
          try {
            // A cell whose scheme's tools are missing is skipped: the other schemes' cells still run.
            const hold = reuse && k < run.length - 1;
            results[i] = await lab.run(cells[i].scheme, cells[i].profile, { ...cells[i], skipMissingTools: true, keepDaemon: reuse, hold });
          } catch (e) {
            failed = true;
            throw e;
          }
          onCell(cells[i], i, results[i], performance.now() - t0, lab);
        }
      }
    } finally {
      // What the last cell kept (its scheme, or its daemon), and its lab.
      await lab.release();
    }
  };
  const settled = await Promise.allSettled(labs.map(worker));
  const error = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (error) throw error.reason;
  return results;
}

// The matrix: every scheme x app variant x fix (x scenario) x profile, each
// cell a full run (up, apply, verify, down) so no cell can leak into another;
// only a scheme's own daemon (scheme 2's Docker) may run on from one cell to
// the next on a lab, with the lab left up, reset as a fresh daemon between them.
import type { Lab } from './lab.js';
import type { RunResult } from '../model/results.js';
import { PROFILES, type Profile } from '../topology/profiles.js';
import type { Fix, Scheme } from '../model/scheme.js';
import type { Cell, Variant } from '../model/variant.js';

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

/**
 * Runs the cells on a pool of labs (each its own prefix, and with the container
 * target its own container): each lab takes the next cell when its last one is
 * done, so one lab runs them one after another. `onCell` hears each result as it
 * lands; the results come back in the cells' order.
 */
export async function runMatrix(
  labs: Lab[],
  cells: Cell[],
  onCell: (cell: Cell, index: number, result: RunResult, ms: number, lab: Lab) => void,
  onStart: (cell: Cell, index: number, lab: Lab) => void = () => {},
  /** A scheme's own daemon (scheme 2's Docker) runs on from cell to cell of a lab, reset as fresh between them; false: one per cell. */
  keepDaemons = true,
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  let next = 0;
  let failed = false;
  const worker = async (lab: Lab) => {
    // After a failure no new cell starts; the others finish theirs, so no lab is torn down under a running cell.
    try {
      while (!failed && next < cells.length) {
        const i = next++;
        onStart(cells[i], i, lab);
        const t0 = performance.now();
        try {
          // A cell whose scheme's tools are missing is skipped: the other schemes' cells still run.
          results[i] = await lab.run(cells[i].scheme, cells[i].profile, { ...cells[i], skipMissingTools: true, keepDaemon: keepDaemons });
        } catch (e) {
          failed = true;
          throw e;
        }
        onCell(cells[i], i, results[i], performance.now() - t0, lab);
      }
    } finally {
      // The daemon the last cell kept, and its lab.
      await lab.release();
    }
  };
  const settled = await Promise.allSettled(labs.map(worker));
  const error = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (error) throw error.reason;
  return results;
}

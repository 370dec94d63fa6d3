// The targets from the issue, checked against the measured medians.
import type { Goal, SpeedRow } from './result.js';
import { median, ratio } from './stats.js';

export const GOALS = {
  upMs: 1000,
  helpMs: 250,
  /** The lab's orchestration (the library), and `npm run lab --`, each within this many times the floor. */
  runVsFloor: 3,
  /** `run scheme1 --app-cmd` (a program of the user's) within this many times `run scheme1`. */
  ownAppVsLab: 1.2,
  /** The `eiplab` command within this many times the floor. */
  cliVsFloor: 2,
  /** The post's three schemes' cells, one after another. */
  seedMatrixMs: 25_000,
  /** Every cell of every scheme, one after another. */
  matrixMs: 90_000,
  /** verify with the kernel's account, against the same verify with --no-trace. */
  tracedVerify: 1.5,
};

/** The schemes of the post: their cells have a goal of their own. */
export const SEED_SCHEMES = ['scheme1', 'scheme2', 'scheme3'];

const med = (rows: SpeedRow[], id: string) => rows.find((r) => r.id === id)?.stat?.median ?? null;

/**
 * a / b from rows measured side by side: the median of the per-sample
 * ratios (each pair saw the same load), or of the medians otherwise.
 */
export function pairedRatio(rows: SpeedRow[], a: string, b: string): number | null {
  const x = rows.find((r) => r.id === a)?.stat;
  const y = rows.find((r) => r.id === b)?.stat;
  if (!x || !y) return null;
  if (x.samples.length !== y.samples.length) return ratio(x.median, y.median);
  return median(x.samples.map((v, i) => v / y.samples[i]));
}

export function runRatios(rows: SpeedRow[]) {
  return {
    runScheme1LibraryVsFloor: pairedRatio(rows, 'floor:lab:scheme1', 'floor:scheme1'),
    runScheme1CliVsFloor: pairedRatio(rows, 'cli:run:scheme1', 'floor:scheme1'),
    runScheme1NpmVsFloor: pairedRatio(rows, 'npm:run:scheme1', 'floor:scheme1'),
  };
}

function goal(name: string, value: number | null, limit: number, unit: string): Goal {
  return { goal: name, value, limit, unit, met: value === null ? null : value <= limit };
}

/** The seed schemes' cells the goal was set for (without connmark), in the sequential matrix. */
function seedMatrix(rows: SpeedRow[]): number | null {
  return med(rows, 'matrix:seed-cells');
}

export function checkGoals(rows: SpeedRow[]): Goal[] {
  const r = runRatios(rows);
  const s = (ms: number | null) => (ms === null ? null : ms / 1000);
  const parallel = med(rows, 'matrix:parallel2');
  // The same cells one after another: the row the parallel one names (the whole matrix; with --quick, the first cell of each scheme).
  const sequential = med(rows, rows.find((r) => r.id === 'matrix:parallel2')?.baseline ?? 'matrix');
  return [
    goal('up under 1 s', s(med(rows, 'up')), GOALS.upMs / 1000, 's'),
    goal('eiplab --help under 0.25 s', s(med(rows, 'cli:help')), GOALS.helpMs / 1000, 's'),
    goal('run scheme1 (library: the lab\'s orchestration) within 3x of the floor', r.runScheme1LibraryVsFloor, GOALS.runVsFloor, 'x'),
    goal('eiplab run scheme1 within 2x of the floor', r.runScheme1CliVsFloor, GOALS.cliVsFloor, 'x'),
    goal('npm run lab -- run scheme1 within 3x of the floor', r.runScheme1NpmVsFloor, GOALS.runVsFloor, 'x'),
    goal('the 30 cells of schemes 1-3 under 25 s, sequentially', s(seedMatrix(rows)), GOALS.seedMatrixMs / 1000, 's'),
    goal('the whole matrix under 90 s, sequentially', s(sequential), GOALS.matrixMs / 1000, 's'),
    goal('run scheme1 --app-cmd within 1.2x of run scheme1', pairedRatio(rows, 'ownapp:scheme1', 'ownapp:lab:scheme1'), GOALS.ownAppVsLab, 'x'),
    goal('the whole matrix faster with --parallel 2 than sequentially', parallel === null || sequential === null ? null : parallel / sequential, 1, 'x'),
    // The kernel's account (route lookups, the netfilter trace) against the same verify without it, per scheme measured.
    ...rows
      .filter((row) => row.id.startsWith('verify-untraced:'))
      .map((row) => {
        const scheme = row.id.slice('verify-untraced:'.length);
        return goal(`verify ${scheme} with the kernel trace within 1.5x of --no-trace`, pairedRatio(rows, `verify:${scheme}`, row.id), GOALS.tracedVerify, 'x');
      }),
  ];
}

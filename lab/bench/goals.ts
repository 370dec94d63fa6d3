// The targets from the issue, checked against the measured medians.
import type { Goal, SpeedRow } from './result.js';
import { median, ratio } from './stats.js';

export const GOALS = { upMs: 1000, runVsFloor: 3, matrixMs: 30_000 };

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
  };
}

function goal(name: string, value: number | null, limit: number, unit: string): Goal {
  return { goal: name, value, limit, unit, met: value === null ? null : value <= limit };
}

export function checkGoals(rows: SpeedRow[]): Goal[] {
  const r = runRatios(rows);
  const s = (ms: number | null) => (ms === null ? null : ms / 1000);
  return [
    goal('up under 1 s', s(med(rows, 'up')), GOALS.upMs / 1000, 's'),
    goal('run scheme1 (library: the lab\'s orchestration) within 3x of the floor', r.runScheme1LibraryVsFloor, GOALS.runVsFloor, 'x'),
    goal('run scheme1 (CLI, as a user runs it) within 3x of the floor', r.runScheme1CliVsFloor, GOALS.runVsFloor, 'x'),
    goal('matrix under 30 s, sequentially', s(med(rows, 'matrix')), GOALS.matrixMs / 1000, 's'),
  ];
}

// The matrix: every scheme x app variant x fix (x scenario) x profile, each
// cell a full run (up, apply, verify, down) so no cell can leak into another.
import type { AppVariant } from './app.js';
import type { Lab } from './lab.js';
import type { RunResult } from './results.js';
import { PROFILES, type Profile } from './profiles.js';
import type { Fix, Scheme } from './scheme.js';

export interface Variant {
  scheme: string;
  app: AppVariant;
  fix: Fix | null;
  scenario: string | null;
}

export interface Cell extends Variant {
  profile: Profile;
}

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

export function variantLabel(v: Variant): string {
  return [v.scheme, v.app, v.fix ? `+${v.fix}` : '', v.scenario ? `@${v.scenario}` : ''].filter(Boolean).join(' ');
}

export function sameVariant(a: Variant, b: Variant): boolean {
  return a.scheme === b.scheme && a.app === b.app && a.fix === b.fix && a.scenario === b.scenario;
}

/** Runs the cells one after another on one lab prefix; `onCell` hears each result as it lands. */
export async function runMatrix(
  lab: Lab,
  cells: Cell[],
  onCell: (cell: Cell, index: number, result: RunResult, ms: number) => void,
  onStart: (cell: Cell, index: number) => void = () => {},
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const [i, cell] of cells.entries()) {
    onStart(cell, i);
    const t0 = performance.now();
    const r = await lab.run(cell.scheme, cell.profile, cell);
    results.push(r);
    onCell(cell, i, r, performance.now() - t0);
  }
  return results;
}

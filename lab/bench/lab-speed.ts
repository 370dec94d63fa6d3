// The lab's own speed, measured through the library (the Lab class with a
// silent reporter): up, down, apply and verify per scheme, run per scheme,
// and the whole matrix one cell after another, then on two labs at once.
import { defaultConfig } from '../config/config.js';
import { Lab } from '../run/lab.js';
import { acquireLock } from '../run/lock.js';
import { silentReporter } from '../report/console.js';
import { matrixCells, runMatrix } from '../run/matrix.js';
import type { RunResult } from '../model/results.js';
import { elapsed } from './calm.js';
import { speedRow, type BenchContext } from './context.js';
import type { SpeedRow } from './result.js';
import { SEED_SCHEMES } from './goals.js';

const PROFILE = 'lenient';

/** A run whose verdicts differ from the expected ones is a broken lab, not a figure. */
function requireOk(r: RunResult): void {
  if (!r.ok) throw new Error(`${r.scheme} (${r.app}, fix ${r.fix ?? 'none'}, ${r.profile}): measured verdicts differ from the expected ones`);
}

export async function upDown(ctx: BenchContext): Promise<SpeedRow[]> {
  const m = await ctx.sampler.repeat(ctx.opts.runs, async () => {
    const [up] = await elapsed(() => ctx.lab.up(PROFILE));
    const [down] = await elapsed(() => ctx.lab.down());
    return { up, down };
  });
  return [
    speedRow('up', `up (${PROFILE})`, 'library', m.up),
    speedRow('down', 'down', 'library', m.down),
  ];
}

/** Apply and verify each scheme on a lab that is already up (building and removing it is not counted). */
export async function applyVerify(ctx: BenchContext): Promise<SpeedRow[]> {
  const rows: SpeedRow[] = [];
  for (const scheme of ctx.schemes) {
    let turn = 0;
    const m = await ctx.sampler.repeat(ctx.opts.runs, async () => {
      await ctx.lab.up(PROFILE);
      try {
        const [apply] = await elapsed(() => ctx.lab.apply(scheme.id));
        // The same verify with and without the kernel's account, one right after the other, under the
        // same load; which goes first alternates, so neither always finds the lab warmed by the other.
        const verifyOnce = async (trace: boolean) => {
          ctx.lab.trace = trace;
          const [ms, r] = await elapsed(() => ctx.lab.verify()).finally(() => (ctx.lab.trace = true));
          requireOk(r);
          return ms;
        };
        const tracedFirst = turn++ % 2 === 0;
        const first = await verifyOnce(tracedFirst);
        const second = await verifyOnce(!tracedFirst);
        const [verify, untraced] = tracedFirst ? [first, second] : [second, first];
        return { apply, verify, untraced, both: apply + verify };
      } finally {
        await ctx.lab.down();
      }
    });
    rows.push(
      speedRow(`apply:${scheme.id}`, `apply ${scheme.id}`, 'library', m.apply),
      speedRow(`verify:${scheme.id}`, `verify ${scheme.id}`, 'library', m.verify),
      speedRow(`verify-untraced:${scheme.id}`, `verify ${scheme.id} --no-trace`, 'library', m.untraced),
      speedRow(`apply+verify:${scheme.id}`, `apply+verify ${scheme.id}`, 'library', m.both),
    );
  }
  return rows;
}

/** `run` (up + apply + verify + down) per scheme, its default app and no fix. */
export async function runs(ctx: BenchContext): Promise<SpeedRow[]> {
  const rows: SpeedRow[] = [];
  for (const scheme of ctx.schemes) {
    const m = await ctx.sampler.repeat(ctx.opts.runs, async () => {
      const [run, r] = await elapsed(() => ctx.lab.run(scheme.id, PROFILE, {}));
      requireOk(r);
      return { run };
    });
    rows.push(speedRow(`run:${scheme.id}`, `run ${scheme.id}`, 'library', m.run));
  }
  return rows;
}

/** The row of the cells the goal was set for: the post's three schemes with no fix or pbr (connmark came later). */
export const SEED_CELLS = 'matrix:seed-cells';
const isSeedCell = (c: { scheme: string; fix: string | null }) => SEED_SCHEMES.includes(c.scheme) && c.fix !== 'connmark';

/** The first cell of each scheme, in the matrix's order. */
function firstCellOfEachScheme(cells: ReturnType<typeof matrixCells>): ReturnType<typeof matrixCells> {
  return cells.filter((c, i) => cells.findIndex((x) => x.scheme === c.scheme) === i);
}

/**
 * Every cell of every scheme, sequentially, as `npm run lab:matrix` runs them; and each scheme's share;
 * then the same cells on two labs at once. --quick asks whether the harness works, so it takes the
 * first cell of each scheme (tests/integration/matrix.test.ts runs every cell).
 */
export async function matrix(ctx: BenchContext): Promise<SpeedRow[]> {
  const all = matrixCells(ctx.schemes);
  const cells = ctx.opts.quick ? firstCellOfEachScheme(all) : all;
  let differ = 0;
  const m = await ctx.sampler.repeat(ctx.opts.matrixRuns, async () => {
    const perScheme: Record<string, number> = { ...Object.fromEntries(ctx.schemes.map((s) => [`matrix:${s.id}`, 0])), [SEED_CELLS]: 0 };
    const [ms, results] = await elapsed(() =>
      runMatrix([ctx.lab], cells, (cell, _i, _r, cellMs) => {
        perScheme[`matrix:${cell.scheme}`] += cellMs;
        if (isSeedCell(cell)) perScheme[SEED_CELLS] += cellMs;
      }),
    );
    differ += results.filter((r) => !r.ok).length;
    return { matrix: ms, ...perScheme };
  });
  if (differ) throw new Error(`matrix: ${differ} cells differ from their expected verdicts`);
  const count = (id: string) => cells.filter((c) => c.scheme === id).length;
  const parallel = await parallelMatrix(ctx, cells);
  const which = ctx.opts.quick ? `the first cell of each scheme (${cells.length} of ${all.length} cells)` : `${cells.length} cells`;
  // The cells of a scheme whose daemon the matrix keeps (scheme 2's Docker), again as full runs (a fresh lab and daemon per cell), for the saving.
  const fresh: SpeedRow[] = [];
  for (const s of ctx.opts.quick ? [] : ctx.schemes.filter((x) => x.keptDaemon)) {
    const own = cells.filter((c) => c.scheme === s.id);
    const f = await ctx.sampler.repeat(ctx.opts.matrixRuns, async () => {
      const [ms, results] = await elapsed(() => runMatrix([ctx.lab], own, () => {}, undefined, false));
      if (results.some((r) => !r.ok)) throw new Error(`matrix ${s.id}, every cell a full run: cells differ from their expected verdicts`);
      return { ms };
    });
    fresh.push({ ...speedRow(`matrix:${s.id}:full-runs`, `  ${s.id}'s cells, each a full run (a fresh lab and daemon per cell)`, 'library', f.ms), baseline: `matrix:${s.id}` });
  }
  return [
    speedRow('matrix', `matrix, sequential (${which})`, 'library', m.matrix, `${cells.length} cells, all as expected`),
    ...ctx.schemes.map((s) => speedRow(`matrix:${s.id}`, `  of which ${s.id} (${count(s.id)} cells)`, 'library', m[`matrix:${s.id}`])),
    speedRow(SEED_CELLS, `  of which the post's schemes without connmark (${cells.filter(isSeedCell).length} cells: the goal's 30)`, 'library', m[SEED_CELLS]),
    ...fresh,
    { ...speedRow('matrix:parallel2', `the same ${cells.length} cells on two labs at once (as --parallel 2)`, 'library', parallel), baseline: 'matrix' },
  ];
}

/** The same cells on two labs taking cells from one queue, as `matrix --parallel 2` runs them; the second lab is prefix + "p". */
async function parallelMatrix(ctx: BenchContext, cells: ReturnType<typeof matrixCells>) {
  const second = new Lab(ctx.target, defaultConfig(`${ctx.opts.prefix}p`), silentReporter);
  const lock = await acquireLock(ctx.target, second.cfg);
  try {
    let differ = 0;
    const m = await ctx.sampler.repeat(ctx.opts.matrixRuns, async () => {
      const [ms, results] = await elapsed(() => runMatrix([ctx.lab, second], cells, () => {}));
      differ += results.filter((r) => !r.ok).length;
      return { matrix: ms };
    });
    if (differ) throw new Error(`matrix on two labs: ${differ} cells differ from their expected verdicts`);
    return m.matrix;
  } finally {
    await second.down().catch(() => {});
    await lock.release();
  }
}

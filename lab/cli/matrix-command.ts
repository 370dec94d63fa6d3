// `npm run lab:matrix`: every cell, one progress line each as it lands, then
// the table. With --parallel n, n labs (<prefix>1..<prefix>n; with the
// container target, n containers) take cells from one queue.
import { chalk } from 'zx/core';
import { LabError } from '../model/errors.js';
import { t, type Text } from '../model/i18n.js';
import { matrixCells, runMatrix, variantsOf } from '../run/matrix.js';
import { formatVariant, type Cell, type Variant } from '../model/variant.js';
import { PROFILES } from '../topology/profiles.js';
import { shardOf } from '../run/shard.js';
import { secs, silentReporter } from '../report/console.js';
import { matrixTable } from '../report/matrix-table.js';
import { say } from '../report/phrases.js';
import { isLive, liveLine, type LiveLine } from '../report/progress.js';
import { differs, type RunResult } from '../model/results.js';
import { getScheme, loadSchemes } from '../model/scheme-registry.js';
import type { Options } from './options.js';
import type { Target } from '../hosts/host.js';
import type { Session } from './session.js';

/** The workers' prefixes: the prefix itself for one, numbered ones for several. */
export function workerPrefixes(prefix: string, n: number): string[] {
  return n === 1 ? [prefix] : Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`);
}

/** Opens the workers' labs (their lab hosts start at once), runs the cells, prints lines and the table. */
export async function matrix(
  opts: Options,
  session: Session,
  requires: Record<string, string>,
  /** Builds the Go binaries and hands them to the labs' hosts. */
  build: (targets: Target[]) => Promise<void>,
): Promise<RunResult[]> {
  const schemes = opts.scheme ? [await getScheme(opts.scheme)] : [...(await loadSchemes()).values()];
  const profiles = opts.profileGiven ? [opts.profile] : PROFILES;
  // A program of the user's is what it is: one app variant per scheme, its binding measured in each cell.
  const every = matrixCells(schemes, profiles);
  const all = opts.ownApp ? every.filter((c) => c.app === schemes.find((s) => s.id === c.scheme)!.apps[0]) : every;
  const cells = opts.shard ? shardOf(all, opts.shard) : all;
  if (!cells.length) throw new LabError(`--shard ${opts.shard!.index}/${opts.shard!.count}: this matrix has only ${all.length} cells, so slice ${opts.shard!.index} is empty: use at most ${all.length} slices`);
  const write = (s: string) => process.stdout.write(s);
  const L = (text: Text) => t(text, opts.lang);
  const prefixes = workerPrefixes(opts.prefix, Math.min(opts.parallel, cells.length));
  const labs = await Promise.all(
    prefixes.map(async (prefix) => {
      const lab = await session.open(prefix, { start: true, persistent: false, lock: true, requires, out: silentReporter });
      if (!lab) throw new LabError(`the ${opts.target} target made no lab host for "${prefix}"`);
      return lab;
    }),
  );
  await build(labs.map((l) => l.target));
  const several = prefixes.length > 1;
  const whole = L(say.matrix(all.length, schemes.map((s) => s.id).join(', '), profiles.join(', ')));
  const title = opts.shard ? `${whole}, ${L(say.matrixShard(opts.shard.index, opts.shard.count, cells.length))}` : whole;
  write(`${chalk.bold.cyan('▸')} ${chalk.bold(several ? `${title}, ${L(say.matrixWorkers(prefixes.length, prefixes.join(', ')))}` : title)}\n`);
  const width = String(cells.length).length;
  const labelWidth = Math.max(28, ...cells.map((c) => formatVariant(c, 'label').length));
  // Lines are numbered as they land: with several workers cells land out of order.
  let landed = 0;
  const head = (cell: Cell) => `  [${String(landed + 1).padStart(width)}/${cells.length}] ${formatVariant(cell, 'label').padEnd(labelWidth)} ${cell.profile.padEnd(8)} `;
  // On a terminal the running cell's line shows a spinner and its time so far; not with several
  // cells running at once, nor with -v, whose command lines would land on the spinner's line.
  const spin = isLive() && !several && !opts.verbose;
  let running: LiveLine | undefined;
  const results = await runMatrix(
    labs,
    cells,
    (cell, _i, r, ms, lab) => {
      running?.stop();
      const mark = r.skipped
        ? chalk.yellow(L(say.cellSkipped()))
        : r.ok
          ? chalk.green(L(say.cellAsExpected())) : chalk.red.bold(L(say.cellDiffer(r.checks.filter(differs).length)));
      const worker = several ? ` ${chalk.dim(lab.cfg.prefix)}` : '';
      write(`${running ? '' : head(cell)}${mark} ${chalk.dim(secs(ms))}${worker}\n`);
      landed++;
    },
    (cell) => {
      if (!spin) return;
      write(head(cell));
      running = liveLine(write, head(cell), { afterMs: 300 });
    },
  ).finally(() => running?.stop());
  write(`\n${matrixTable(results, opts.ownApp ? measuredVariants(results) : schemes.flatMap(variantsOf), profiles, labs[0].cfg.nics.map((n) => n.name), opts.lang)}`);
  // The summary line comes from main, after the outputs are written, so it is the last line.
  return results;
}

/** The variants the results were measured as (a user's program: its binding per cell), in the order they came. */
function measuredVariants(results: RunResult[]): Variant[] {
  const seen = new Map<string, Variant>();
  for (const r of results) {
    const v: Variant = { scheme: r.scheme, app: r.app, fix: r.fix, scenario: r.scenario };
    seen.set(formatVariant(v, 'label'), v);
  }
  return [...seen.values()];
}

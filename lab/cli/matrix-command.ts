// `npm run lab:matrix`: every cell, one progress line each as it lands, then
// the table. With --parallel n, n labs (<prefix>1..<prefix>n; with the
// container target, n containers) take cells from one queue.
import { chalk } from 'zx';
import { buildGo } from '../build.js';
import { LabError } from '../errors.js';
import { Lab } from '../lab.js';
import { matrixCells, runMatrix, variantLabel, variantsOf } from '../matrix.js';
import { PROFILES } from '../profiles.js';
import { secs, silentReporter } from '../report/console.js';
import { matrixTable } from '../report/matrix-table.js';
import type { RunResult } from '../results.js';
import { getScheme, loadSchemes } from '../scheme-registry.js';
import type { Options } from './options.js';
import type { Session } from './session.js';

/** The workers' prefixes: the prefix itself for one, numbered ones for several. */
export function workerPrefixes(prefix: string, n: number): string[] {
  return n === 1 ? [prefix] : Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`);
}

export async function matrix(opts: Options, session: Session, requires: Record<string, string>): Promise<RunResult[]> {
  const schemes = opts.scheme ? [await getScheme(opts.scheme)] : [...(await loadSchemes()).values()];
  const profiles = opts.profileGiven ? [opts.profile] : PROFILES;
  const cells = matrixCells(schemes, profiles);
  const write = (s: string) => process.stdout.write(s);
  await buildGo((l) => write(`  ${l}\n`));
  const prefixes = workerPrefixes(opts.prefix, Math.min(opts.parallel, cells.length));
  const t0 = performance.now();
  const labs = await Promise.all(
    prefixes.map(async (prefix) => {
      const lab = await session.open(prefix, { start: true, persistent: false, lock: true, requires });
      if (!lab) throw new LabError(`the ${opts.target} target made no lab host for "${prefix}"`);
      return new Lab(lab.target, lab.cfg, silentReporter, lab.verbose);
    }),
  );
  const on = prefixes.length > 1 ? `, ${prefixes.length} at once (${prefixes.join(', ')})` : '';
  write(`${chalk.bold.cyan('▸')} ${chalk.bold(`matrix: ${cells.length} cells (${schemes.map((s) => s.id).join(', ')} x ${profiles.join(', ')})${on}`)}\n`);
  const width = String(cells.length).length;
  let landed = 0;
  const results = await runMatrix(labs, cells, (cell, _i, r, ms, lab) => {
    const mark = r.ok ? chalk.green('as expected') : chalk.red.bold(`${r.checks.filter((c) => c.measured !== c.expected).length} differ`);
    const worker = prefixes.length > 1 ? ` ${chalk.dim(lab.cfg.prefix)}` : '';
    write(`  [${String(++landed).padStart(width)}/${cells.length}] ${variantLabel(cell).padEnd(28)} ${cell.profile.padEnd(8)} ${mark} ${chalk.dim(secs(ms))}${worker}\n`);
  });
  write(`\n${matrixTable(results, schemes.flatMap(variantsOf), profiles, labs[0].cfg.nics.map((n) => n.name))}`);
  const differ = results.filter((r) => !r.ok).length;
  const summary = `${results.length} cells: ${results.length - differ} as expected, ${differ} differ, in ${secs(performance.now() - t0)}`;
  write(`\n  ${differ ? chalk.red.bold(summary) : chalk.green.bold(summary)}\n`);
  return results;
}

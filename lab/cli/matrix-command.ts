// `npm run lab:matrix`: every cell, one progress line each, then the table.
import { chalk } from 'zx';
import { Lab } from '../lab.js';
import { matrixCells, runMatrix, variantLabel, variantsOf } from '../matrix.js';
import { PROFILES } from '../profiles.js';
import { secs, silentReporter } from '../report/console.js';
import { matrixTable } from '../report/matrix-table.js';
import type { RunResult } from '../results.js';
import { getScheme, loadSchemes } from '../scheme-registry.js';
import type { Options } from './options.js';

export async function matrix(opts: Options, lab: Lab): Promise<RunResult[]> {
  const schemes = opts.scheme ? [await getScheme(opts.scheme)] : [...(await loadSchemes()).values()];
  const profiles = opts.profileGiven ? [opts.profile] : PROFILES;
  const cells = matrixCells(schemes, profiles);
  const quiet = new Lab(lab.target, lab.cfg, silentReporter, lab.verbose);
  const write = (s: string) => process.stdout.write(s);
  write(`${chalk.bold.cyan('▸')} ${chalk.bold(`matrix: ${cells.length} cells (${schemes.map((s) => s.id).join(', ')} x ${profiles.join(', ')})`)}\n`);
  const t0 = performance.now();
  const width = String(cells.length).length;
  const results = await runMatrix(quiet, cells, (cell, i, r, ms) => {
    const mark = r.ok ? chalk.green('as expected') : chalk.red.bold(`${r.checks.filter((c) => c.measured !== c.expected).length} differ`);
    write(`  [${String(i + 1).padStart(width)}/${cells.length}] ${variantLabel(cell).padEnd(28)} ${cell.profile.padEnd(8)} ${mark} ${chalk.dim(secs(ms))}\n`);
  });
  write(`\n${matrixTable(results, schemes.flatMap(variantsOf), profiles, lab.cfg.nics.map((n) => n.name))}`);
  const differ = results.filter((r) => !r.ok).length;
  const summary = `${results.length} cells: ${results.length - differ} as expected, ${differ} differ, in ${secs(performance.now() - t0)}`;
  write(`\n  ${differ ? chalk.red.bold(summary) : chalk.green.bold(summary)}\n`);
  return results;
}

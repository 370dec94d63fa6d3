// `npm run lab:matrix`: every cell, one progress line each, then the table.
import { chalk } from 'zx';
import { t, type Text } from '../i18n.js';
import { Lab } from '../lab.js';
import { matrixCells, runMatrix, variantLabel, variantsOf } from '../matrix.js';
import { PROFILES } from '../profiles.js';
import { secs, silentReporter } from '../report/console.js';
import { matrixTable } from '../report/matrix-table.js';
import { say } from '../report/phrases.js';
import type { RunResult } from '../results.js';
import { getScheme, loadSchemes } from '../scheme-registry.js';
import type { Options } from './options.js';

export async function matrix(opts: Options, lab: Lab): Promise<RunResult[]> {
  const schemes = opts.scheme ? [await getScheme(opts.scheme)] : [...(await loadSchemes()).values()];
  const profiles = opts.profileGiven ? [opts.profile] : PROFILES;
  const cells = matrixCells(schemes, profiles);
  const quiet = new Lab(lab.target, lab.cfg, silentReporter, lab.verbose);
  const write = (s: string) => process.stdout.write(s);
  const L = (text: Text) => t(text, opts.lang);
  write(`${chalk.bold.cyan('▸')} ${chalk.bold(L(say.matrix(cells.length, schemes.map((s) => s.id).join(', '), profiles.join(', '))))}\n`);
  const t0 = performance.now();
  const width = String(cells.length).length;
  const results = await runMatrix(quiet, cells, (cell, i, r, ms) => {
    const mark = r.ok ? chalk.green(L(say.cellAsExpected())) : chalk.red.bold(L(say.cellDiffer(r.checks.filter((c) => c.measured !== c.expected).length)));
    write(`  [${String(i + 1).padStart(width)}/${cells.length}] ${variantLabel(cell).padEnd(28)} ${cell.profile.padEnd(8)} ${mark} ${chalk.dim(secs(ms))}\n`);
  });
  write(`\n${matrixTable(results, schemes.flatMap(variantsOf), profiles, lab.cfg.nics.map((n) => n.name), opts.lang)}`);
  const differ = results.filter((r) => !r.ok).length;
  const summary = L(say.matrixSummary(results.length, results.length - differ, differ, secs(performance.now() - t0)));
  write(`\n  ${differ ? chalk.red.bold(summary) : chalk.green.bold(summary)}\n`);
  return results;
}

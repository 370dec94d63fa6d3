// `npm run lab:matrix`: every cell, one progress line each, then the table.
import { chalk } from 'zx';
import { t, type Text } from '../i18n.js';
import { Lab } from '../lab.js';
import { matrixCells, runMatrix, variantLabel, variantsOf, type Cell } from '../matrix.js';
import { PROFILES } from '../profiles.js';
import { secs, silentReporter } from '../report/console.js';
import { matrixTable } from '../report/matrix-table.js';
import { isLive, liveLine, type LiveLine } from '../report/progress.js';
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
  const width = String(cells.length).length;
  const labelWidth = Math.max(28, ...cells.map((c) => variantLabel(c).length));
  const head = (cell: Cell, i: number) => `  [${String(i + 1).padStart(width)}/${cells.length}] ${variantLabel(cell).padEnd(labelWidth)} ${cell.profile.padEnd(8)} `;
  // On a terminal the running cell's line shows a spinner and its time so far.
  let running: LiveLine | undefined;
  const results = await runMatrix(
    quiet,
    cells,
    (cell, i, r, ms) => {
      running?.stop();
      const mark = r.ok ? chalk.green(L(say.cellAsExpected())) : chalk.red.bold(L(say.cellDiffer(r.checks.filter((c) => c.measured !== c.expected).length)));
      write(`${running ? '' : head(cell, i)}${mark} ${chalk.dim(secs(ms))}\n`);
    },
    (cell, i) => {
      // Not with -v: the commands it prints would land on the spinner's line.
      if (!isLive() || lab.verbose) return;
      write(head(cell, i));
      running = liveLine(write, head(cell, i), { afterMs: 300 });
    },
  ).finally(() => running?.stop());
  write(`\n${matrixTable(results, schemes.flatMap(variantsOf), profiles, lab.cfg.nics.map((n) => n.name), opts.lang)}`);
  // The summary line comes from main, after the outputs are written, so it is the last line.
  return results;
}

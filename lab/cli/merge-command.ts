// `eiplab merge-results a.json b.json ... [--json F] [--junit F] [--report DIR]`:
// the shards of one matrix (or any runs' --json files) as one set of outputs,
// written as the matrix writes its own, and the matrix table. It runs no lab:
// no root, no lock. Exits as the matrix would: 0 when every cell is as expected.
import { chalk } from 'zx/core';
import { loadConfig } from '../config/config-file.js';
import { t } from '../model/i18n.js';
import { exitCodeFor } from '../model/results.js';
import { loadSchemes } from '../model/scheme-registry.js';
import { sameVariant } from '../model/variant.js';
import { matrixTable } from '../report/matrix-table.js';
import { mergeResults, readResults } from '../report/merge.js';
import { prepareOutputs, writeOutputs } from '../report/outputs.js';
import { say } from '../report/phrases.js';
import { matrixSummary } from '../report/summary.js';
import { matrixCells, variantsOf } from '../run/matrix.js';
import { PROFILES } from '../topology/profiles.js';
import type { Options } from './options.js';

export async function mergeCommand(opts: Options, argv: string[]): Promise<number> {
  const startedAt = new Date();
  const cfg = loadConfig(opts.prefix, opts.config, opts.nics);
  const files = opts.files!.map((path) => ({ path, results: readResults(path) }));
  const schemes = [...(await loadSchemes()).values()];
  const results = mergeResults(files, matrixCells(schemes));
  prepareOutputs(opts);
  const write = (s: string) => process.stdout.write(s);
  const L = (x: Parameters<typeof t>[0]) => t(x, opts.lang);
  write(`${chalk.bold.cyan('▸')} ${chalk.bold(L(say.merged(results.length, files.length)))}\n`);
  // One table per target, with the rows and columns its results have, in the matrix's order.
  const targets = [...new Set(results.map((r) => r.target))];
  for (const target of targets) {
    const mine = results.filter((r) => r.target === target);
    const variants = schemes.flatMap(variantsOf).filter((v) => mine.some((r) => sameVariant(r, v)));
    const profiles = PROFILES.filter((p) => mine.some((r) => r.profile === p));
    if (targets.length > 1) write(`\n  ${chalk.bold(L(say.mergedTarget(target)))}`);
    write(`\n${matrixTable(mine, variants, profiles, cfg.nics.map((n) => n.name), opts.lang)}`);
  }
  // The runs' own time, not this command's: what one sequential run would have taken.
  const elapsedMs = results.reduce((sum, r) => sum + (r.durationMs ?? 0), 0);
  const written = writeOutputs(opts, results, {
    cfg,
    lang: opts.lang,
    schemes: Object.fromEntries(schemes.map((s) => [s.id, { title: t(s.title, 'en'), seed: s.seed }])),
    single: false,
    startedAt,
    elapsedMs,
    command: `eiplab ${argv.join(' ')}`,
  });
  for (const line of written) write(`  ${line}\n`);
  const summary = matrixSummary(results, elapsedMs, opts.lang);
  write(`\n  ${exitCodeFor(results) ? chalk.red.bold(summary) : chalk.green.bold(summary)}\n`);
  return exitCodeFor(results);
}

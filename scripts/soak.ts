// `npm run soak -- [cycles]`: up/apply/verify/down again and again, then
// check that nothing leaked. Exits 0 when clean, 1 on a leak or a failure.
import { argv, chalk } from 'zx';
import { BIN_DIR, buildGo } from '../lab/go/build.js';
import { defaultConfig } from '../lab/config/config.js';
import { Lab } from '../lab/run/lab.js';
import { secs, silentReporter } from '../lab/report/console.js';
import { loadSchemes } from '../lab/model/scheme-registry.js';
import { soak } from '../lab/bench/soak.js';
import { localTarget } from '../lab/hosts/local.js';

const cycles = Number(argv._[0] ?? 20);
const prefix = String(argv.prefix ?? 'eiplabsoak');
if (!Number.isInteger(cycles) || cycles < 1) {
  console.error(`${chalk.red('eiplab:')} soak takes a number of cycles (1 or more), got "${argv._[0]}"`);
  process.exit(2);
}
await buildGo();
const lab = new Lab(localTarget(BIN_DIR), defaultConfig(prefix), silentReporter);
const schemes = [...(await loadSchemes()).values()];
console.log(`${chalk.cyan('▸')} soak: ${cycles} cycles of ${schemes.map((s) => s.id).join(', ')} (prefix ${prefix})`);
const report = await soak(lab, schemes, cycles, (i, ok, ms) =>
  console.log(`  [${i + 1}/${cycles}] ${ok ? chalk.green('ok') : chalk.red('FAILED')} ${chalk.dim(secs(ms))}`),
);
console.log(`  heap after cycle 1: ${report.heapMB.afterFirst.toFixed(1)} MB, after cycle ${cycles}: ${report.heapMB.afterLast.toFixed(1)} MB`);
for (const f of report.failures) console.log(chalk.red(`  ${f}`));
for (const l of report.leaks) console.log(chalk.red(`  leak: ${l}`));
const clean = !report.failures.length && !report.leaks.length;
console.log(`\n  ${clean ? chalk.green.bold(`${cycles} cycles, nothing leaked`) : chalk.red.bold(`${report.failures.length} failures, ${report.leaks.length} leaks`)} in ${report.seconds.toFixed(1)} s`);
process.exitCode = clean ? 0 : 1;

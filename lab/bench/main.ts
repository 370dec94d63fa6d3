// The `npm run bench` command: parse, check, measure, print, write JSON.
// Exit 0 when everything was measured, 1 when some row failed, 2 on bad
// input or a missing requirement. Missed goals are reported, not failed:
// speed targets live here, not in timed tests.
import { t } from '../model/i18n.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { $, chalk } from 'zx';
import { BIN_DIR, buildGo } from '../go/build.js';
import { PACKAGE_DIR } from '../config/package-dir.js';
import { defaultConfig } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { Lab } from '../run/lab.js';
import { acquireLock } from '../run/lock.js';
import { preflight } from '../run/preflight.js';
import { silentReporter } from '../report/console.js';
import { getScheme, loadSchemes } from '../model/scheme-registry.js';
import { localTarget } from '../hosts/local.js';
import { runBench } from './bench.js';
import { BENCH_USAGE, DEFAULT_JSON, parseBenchOptions } from './options.js';
import { benchReport } from './report.js';

const ROOT = PACKAGE_DIR;

export async function benchMain(argv: string[]): Promise<number> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const opts = parseBenchOptions(argv);
    if (opts === 'help') {
      say(BENCH_USAGE);
      return 0;
    }
    const schemes = opts.schemes.length ? await Promise.all(opts.schemes.map(getScheme)) : [...(await loadSchemes()).values()];
    // The bench measures the local target: this machine's own namespaces.
    const target = localTarget(BIN_DIR);
    await preflight(target, Object.assign({}, ...schemes.map((s) => s.requires ?? {})));
    await buildGo((l) => say(t(l, 'en')));
    if (opts.sections.some((s) => s === 'floor' || s === 'cli' || s === 'schemes')) await buildCli(say);

    // The bench's prefix is its own while it runs, as the CLI's is (lab/run/lock.ts).
    const lab = new Lab(target, defaultConfig(opts.prefix), silentReporter);
    const lock = await acquireLock(target, lab.cfg);
    // Ctrl-C: remove the bench's lab before leaving (the floor script has its own trap).
    const onSignal = () => void lab.down().catch(() => {}).then(() => lock.release()).finally(() => process.exit(130));
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

    let result;
    try {
      result = await runBench(opts, { target, schemes, root: ROOT, log: say });
    } finally {
      await lock.release();
    }
    // The default lives in the repository; a path given on the command line is the user's.
    const json = opts.json === DEFAULT_JSON ? join(ROOT, DEFAULT_JSON) : resolve(opts.json);
    mkdirSync(dirname(json), { recursive: true });
    writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    say('');
    process.stdout.write(benchReport(result));
    say(`  results written to ${opts.json}`);
    const failed = [...result.speed.filter((r) => r.error), ...result.datapath.rows.filter((r) => r.error)];
    return failed.length ? 1 : 0;
  } catch (e) {
    if (e instanceof LabError) {
      process.stderr.write(`${chalk.red('eiplab bench:')} ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** The CLI rows time the compiled `eiplab`: compile it first when its sources are newer than dist/ (bin/eiplab.js says so). */
async function buildCli(say: (line: string) => void): Promise<void> {
  const probe = await $({ cwd: ROOT, quiet: true, nothrow: true, env: { ...process.env, LC_ALL: 'C' } })`node bin/eiplab.js --help`;
  if (!probe.stderr.includes('sources changed')) return;
  say('▸ compiling the CLI (npm run build): its sources are newer than dist/');
  await $({ cwd: ROOT, quiet: true })`npm run build`;
}

// The `npm run lab` command: parse, check, run, report, exit with 0 (all as
// expected), 1 (some verdicts differ) or 2 (an error).
import { chalk } from 'zx';
import { buildGo } from '../build.js';
import { loadConfig } from '../config-file.js';
import { LabError } from '../errors.js';
import { Lab } from '../lab.js';
import { acquireLock, type Lock } from '../lock.js';
import { preflight } from '../preflight.js';
import { consoleReporter, type Reporter } from '../report/console.js';
import { prepareOutputs, writeOutputs } from '../report/outputs.js';
import { matrixSummary, runSummary } from '../report/summary.js';
import { variantLabel } from '../matrix.js';
import { exitCodeFor, type RunResult } from '../results.js';
import { getScheme, loadSchemes } from '../scheme-registry.js';
import { createTarget } from '../target/index.js';
import { verbose, type Target } from '../target/target.js';
import { matrix } from './matrix-command.js';
import { parseOptions, USAGE, type Options } from './options.js';

function fail(message: string): number {
  process.stderr.write(`${chalk.red('eiplab:')} ${message}\n`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (e instanceof LabError) return fail(e.message);
    throw e;
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = consoleReporter();
  const startedAt = new Date();
  const t0 = performance.now();
  let target: Target | undefined;
  let tearingDown = false;
  let lock: Lock | undefined;
  try {
    // Everything the command needs is checked before anything is created.
    const schemes = opts.scheme ? [await getScheme(opts.scheme)] : opts.command === 'matrix' ? [...(await loadSchemes()).values()] : [];
    target = await createTarget(opts.target);
    if (opts.verbose) target = verbose(target, (l) => out.info(chalk.dim(l.trimStart())));
    const lab = new Lab(target, loadConfig(opts.prefix, opts.config), out, opts.verbose);
    if (opts.scheme && opts.command !== 'matrix') await lab.resolve(opts.scheme, opts, opts.profile);
    await preflight(target, Object.assign({}, ...schemes.map((s) => s.requires ?? {})));
    prepareOutputs(opts);
    if (['up', 'run', 'apply', 'matrix'].includes(opts.command)) {
      // A phase, so the first (slow) build shows its progress; nothing is printed when the binaries are current.
      const tb = performance.now();
      if (await buildGo((l) => out.phase(l))) out.done(performance.now() - tb);
    }
    // Everything but status changes the lab or its counters: one command per prefix at a time.
    if (opts.command !== 'status') lock = await acquireLock(target, lab.cfg);

    const onSignal = (signal: NodeJS.Signals) => {
      if (tearingDown) return;
      tearingDown = true;
      process.stderr.write(`\n${chalk.yellow(`eiplab: ${signal}: tearing the lab down before exiting`)}\n`);
      void lab
        .down()
        .catch(() => {})
        .then(() => lock?.release())
        .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    // `on`, not `once`: a signal can arrive twice (the terminal's, and tsx relaying it), and a second must not kill the teardown.
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

    const results = await dispatch(opts, lab, out);
    const all = await loadSchemes();
    const written = writeOutputs(opts, results, {
      cfg: lab.cfg,
      schemes: Object.fromEntries([...all.values()].map((s) => [s.id, { title: s.title, seed: s.seed }])),
      single: opts.command !== 'matrix',
      startedAt,
      elapsedMs: performance.now() - t0,
      command: `npm run lab -- ${argv.join(' ')}`,
    });
    for (const line of written) out.info(line);
    if (results.length && (opts.command === 'run' || opts.command === 'matrix')) {
      const ms = performance.now() - t0;
      const r = results[0];
      const summary = opts.command === 'matrix' ? matrixSummary(results, ms) : runSummary(r, `${variantLabel(r)} ${r.profile}`, ms);
      process.stdout.write(`\n  ${exitCodeFor(results) ? chalk.red.bold(summary) : chalk.green.bold(summary)}\n`);
    }
    return results.length ? exitCodeFor(results) : 0;
  } catch (e) {
    if (tearingDown) return new Promise(() => {}); // the signal handler exits
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    if (!tearingDown) await lock?.release();
    await target?.close();
  }
}

async function dispatch(opts: Options, lab: Lab, out: Reporter): Promise<RunResult[]> {
  const prefix = lab.cfg.prefix;
  switch (opts.command) {
    case 'up':
      await lab.up(opts.profile);
      out.info(`lab "${prefix}" is up: \`npm run lab -- apply <scheme>\` next, \`npm run lab:down\` to remove it`);
      return [];
    case 'apply':
      await lab.apply(opts.scheme!, opts);
      return [];
    case 'verify':
      return [await lab.verify()];
    case 'down':
      await lab.down();
      return [];
    case 'run':
      return [await lab.run(opts.scheme!, opts.profile, opts)];
    case 'matrix':
      return matrix(opts, lab);
    case 'status': {
      const s = await lab.status();
      if (!s.namespaces.length && !s.state) {
        out.info(`no lab "${prefix}" is up`);
        return [];
      }
      out.info(`lab "${prefix}": namespaces ${s.namespaces.join(', ') || 'none'}; ${s.pids.length} processes inside`);
      if (s.state) out.info(`profile ${s.state.profile}, up since ${s.state.upAt}`);
      const a = s.state?.applied;
      out.info(a ? `applied: ${a.scheme} app=${a.app} fix=${a.fix ?? 'none'}${a.scenario ? ` scenario=${a.scenario}` : ''}` : 'no scheme applied');
      return [];
    }
  }
}

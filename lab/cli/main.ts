// The `npm run lab` command: parse, check, run, report, exit with 0 (all as
// expected), 1 (some verdicts differ) or 2 (an error).
import { chalk } from 'zx';
import { BIN_DIR, buildGo } from '../build.js';
import { loadConfig } from '../config-file.js';
import { LabError } from '../errors.js';
import { both, langFromEnv, t, type Lang } from '../i18n.js';
import { Lab } from '../lab.js';
import { acquireLock, type Lock } from '../lock.js';
import { preflight } from '../preflight.js';
import { consoleReporter, type Reporter } from '../report/console.js';
import { say } from '../report/phrases.js';
import { prepareOutputs, writeOutputs } from '../report/outputs.js';
import { matrixSummary, runSummary } from '../report/summary.js';
import { variantLabel } from '../matrix.js';
import { exitCodeFor, type RunResult } from '../results.js';
import { describeApplied } from '../state.js';
import { getScheme, loadSchemes } from '../scheme-registry.js';
import { enterGate, runThrough } from '../step-gate.js';
import { createTarget } from '../target/index.js';
import { verbose, type Target } from '../target/target.js';
import { matrix } from './matrix-command.js';
import { lookAround, LOOK_COMMANDS } from './look-commands.js';
import { parseOptions, USAGE, type Options } from './options.js';

function fail(message: string): number {
  process.stderr.write(`${chalk.red('eiplab:')} ${message}\n`);
  return 2;
}

/** An error's one line, in the user's language when the error has one. */
const messageOf = (e: unknown, lang: Lang) => (e instanceof LabError ? t(e.text, lang) : e instanceof Error ? e.message : String(e));

export async function main(argv: string[]): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (e instanceof LabError) return fail(messageOf(e, langFromEnv()));
    throw e;
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = consoleReporter(undefined, undefined, opts.lang);
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
    const lang = opts.lang;
    const gate = opts.step
      ? enterGate({
          input: process.stdin,
          prompt: (i, n) => out.prompt?.(say.stepPrompt(i, n)),
          noTerminal: () => out.info(chalk.dim(t(say.stepNoTerminal(), lang))),
        })
      : runThrough;
    const lab = new Lab(target, loadConfig(opts.prefix, opts.config), out, opts.verbose, gate);
    if (opts.scheme && opts.command !== 'matrix') await lab.resolve(opts.scheme, opts, opts.profile);
    await preflight(target, Object.assign({}, ...schemes.map((s) => s.requires ?? {})));
    // shell, exec and watch only look: no lock (a trainee's shell must not block verify), no teardown on Ctrl-C.
    if (LOOK_COMMANDS.has(opts.command)) return await lookAround(opts, lab);
    prepareOutputs(opts);
    if (['up', 'run', 'apply', 'matrix'].includes(opts.command)) {
      // A phase, so the first (slow) build shows its progress; nothing is printed when the binaries are current.
      const tb = performance.now();
      if (await buildGo((l) => out.phase(l))) out.done(performance.now() - tb);
      // A remote lab host gets them over its own channel, and only when they changed.
      const copied = (await target.syncBinaries?.(BIN_DIR)) ?? [];
      if (copied.length) out.info(say.copiedBinaries(copied.join(', '), target.binDir, target.name));
    }
    // Everything but status changes the lab or its counters: one command per prefix at a time.
    if (opts.command !== 'status') lock = await acquireLock(target, lab.cfg);

    const onSignal = (signal: NodeJS.Signals) => {
      if (tearingDown) return;
      tearingDown = true;
      process.stderr.write(`\n${chalk.yellow(t(say.signal(signal), opts.lang))}\n`);
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
      lang: opts.lang,
      schemes: Object.fromEntries([...all.values()].map((s) => [s.id, { title: t(s.title, 'en'), seed: s.seed }])),
      single: opts.command !== 'matrix',
      startedAt,
      elapsedMs: performance.now() - t0,
      command: `npm run lab -- ${argv.join(' ')}`,
    });
    for (const line of written) out.info(line);
    if (results.length && (opts.command === 'run' || opts.command === 'matrix')) {
      const ms = performance.now() - t0;
      const r = results[0];
      const summary = opts.command === 'matrix' ? matrixSummary(results, ms, lang) : runSummary(r, `${variantLabel(r)} ${r.profile}`, ms, lang);
      process.stdout.write(`\n  ${exitCodeFor(results) ? chalk.red.bold(summary) : chalk.green.bold(summary)}\n`);
    }
    return results.length ? exitCodeFor(results) : 0;
  } catch (e) {
    if (tearingDown) return new Promise(() => {}); // the signal handler exits
    return fail(messageOf(e, opts.lang));
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
      out.info(say.labIsUp(prefix));
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
        out.info(say.noLab(prefix));
        return [];
      }
      out.info(both((l) => t(say.statusLab(prefix, s.namespaces.join(', ') || t(say.none(), l), s.pids.length), l)));
      if (s.state) out.info(say.statusProfile(s.state.profile, s.state.upAt));
      const a = s.state?.applied;
      out.info(a ? say.statusApplied(describeApplied(a)) : say.statusNoScheme());
      return [];
    }
    case 'shell':
    case 'exec':
    case 'watch':
      return []; // run by lookAround, before the lock
  }
}

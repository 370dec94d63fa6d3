// The `npm run lab` command: parse, check, run, report, exit with 0 (all as
// expected), 1 (some verdicts differ) or 2 (an error).
import { chalk } from 'zx/core';
import { BIN_DIR, buildGo } from '../go/build.js';
import { loadConfig } from '../config/config-file.js';
import { DEFAULT_PREFIX } from '../config/config.js';
import { captureScript } from '../capture/script.js';
import { loadServer, SERVER_SCHEME_ID } from '../capture/replay.js';
import { LabError } from '../model/errors.js';
import { both, langFromEnv, t, type Lang } from '../model/i18n.js';
import { schemeContext, type Lab } from '../run/lab.js';
import { consoleReporter, type Reporter } from '../report/console.js';
import { say } from '../report/phrases.js';
import { prepareOutputs, writeOutputs } from '../report/outputs.js';
import { matrixSummary, runSummary } from '../report/summary.js';
import { formatVariant } from '../model/variant.js';
import { exitCodeFor, type RunResult } from '../model/results.js';
import { describeApplied } from '../run/state.js';
import { getScheme, loadSchemes } from '../model/scheme-registry.js';
import { enterGate, runThrough } from '../run/step-gate.js';
import { removeLabHost } from '../hosts/index.js';
import { defaultTarget, hostFacts } from '../hosts/default-target.js';
import type { Target } from '../hosts/host.js';
import { lookAround, LOOK_COMMANDS } from './look-commands.js';
import { matrix } from './matrix-command.js';
import { parseOptions, USAGE, type Options } from './options.js';
import { checkStatic } from './own-app.js';
import { Session } from './session.js';
import { watchClosedOutput } from './closed-output.js';
import type { OwnApp } from '../config/config.js';
import type { Scheme } from '../model/scheme.js';

function fail(message: string): number {
  process.stderr.write(`${chalk.red('eiplab:')} ${message}\n`);
  return 2;
}

/** An error's one line, in the user's language when the error has one. */
const messageOf = (e: unknown, lang: Lang) => (e instanceof LabError ? t(e.text, lang) : e instanceof Error ? e.message : String(e));

export async function main(argv: string[]): Promise<number> {
  const output = watchClosedOutput();
  const code = await command(argv);
  if (!output.closed()) return code;
  let lang = langFromEnv();
  try {
    const opts = parseOptions(argv);
    if (opts !== 'help') lang = opts.lang;
  } catch {
    // The command itself already said what was wrong with its options.
  }
  process.stderr.write(`${chalk.red('eiplab:')} ${t(say.outputClosed(code), lang)}\n`);
  return 2;
}

async function command(argv: string[]): Promise<number> {
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
  // Printed for another machine: needs no lab, no root and no lock here.
  if (opts.command === 'capture-script') {
    process.stdout.write(captureScript());
    return 0;
  }
  if (opts.command === 'merge-results') {
    // Only files: no lab, no lock, no signal teardown.
    const { mergeCommand } = await import('./merge-command.js');
    return mergeCommand(opts, argv).catch((e) => fail(messageOf(e, opts.lang)));
  }
  const out = consoleReporter(undefined, undefined, opts.lang, opts.verbose);
  if (!opts.targetGiven) {
    // This machine, unless it cannot build network namespaces at all (a Mac, say).
    let chosen;
    try {
      chosen = defaultTarget(hostFacts());
    } catch (e) {
      return fail(messageOf(e, opts.lang));
    }
    opts.target = chosen.target;
    if (chosen.note) out.info(chosen.note);
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const lang = opts.lang;
  const gate = opts.step
    ? enterGate({
        input: process.stdin,
        prompt: (i, n) => out.prompt?.(say.stepPrompt(i, n)),
        noTerminal: () => out.info(chalk.dim(t(say.stepNoTerminal(), lang))),
      })
    : runThrough;
  const session = new Session(opts, out, gate);
  const looking = LOOK_COMMANDS.has(opts.command);
  const onSignal = (signal: NodeJS.Signals) => {
    if (session.aborting) return;
    process.stderr.write(`\n${chalk.yellow(t(say.signal(signal), lang))}\n`);
    void session.abort().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  // shell, exec and watch only look: Ctrl-C belongs to the program they run, and tears nothing down.
  // `on`, not `once`: a signal can arrive twice (the terminal's, and tsx relaying it), and a second must not kill the teardown.
  if (!looking) process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  let dispose = false;
  try {
    // Everything the command needs is checked before anything is created.
    const server = opts.server ? loadServer(opts.server, opts.eips, opts.expect === 'own', opts.prefix) : undefined;
    let cfg = server?.cfg ?? loadConfig(opts.prefix, opts.config, opts.nics);
    const schemes = opts.scheme ? [await getScheme(opts.scheme)] : opts.command === 'matrix' ? [...(await loadSchemes()).values()] : [];
    if (opts.scheme && opts.command !== 'matrix') schemeContext(cfg, opts.profile, schemes[0], opts);
    if (opts.ownApp) checkOwnAppFits(opts.ownApp, schemes);
    const requires: Record<string, string> = Object.assign({}, ...schemes.map((s) => s.requires ?? {}));
    if (!looking) prepareOutputs(opts);
    // The lab host goes with the lab after `down`, a `run` without --keep and the matrix, and after a failed `up`.
    dispose = opts.command === 'down' || opts.command === 'matrix' || (opts.command === 'run' && !opts.keep);
    let results: RunResult[];
    if (opts.command === 'matrix') {
      // Only the lab's own tools: a scheme whose tools are missing has its cells skipped, not the whole matrix.
      results = await matrix(opts, session, {}, (targets) => build(out, targets));
    } else {
      const start = ['up', 'run'].includes(opts.command);
      // Looking takes no lock: a trainee's shell must not block verify.
      const lock = !looking && opts.command !== 'status';
      const lab = await session.open(opts.prefix, { start, persistent: opts.command === 'up' || opts.keep, lock, requires, cfg: server?.cfg });
      if (!lab) return await nothingUp(opts, out);
      lab.server = server;
      if (looking) return await lookAround(opts, lab);
      if (['up', 'run', 'apply'].includes(opts.command)) await build(out, [lab.target]);
      try {
        results = await dispatch(opts, lab, out);
        // A replayed server (this command's, or the one `up --server` recorded) is drawn with its own NICs.
        cfg = lab.server?.cfg ?? cfg;
      } catch (e) {
        if (opts.command === 'up') dispose = true;
        throw e;
      }
    }
    const all = await loadSchemes();
    const written = writeOutputs(opts, results, {
      cfg,
      lang,
      schemes: Object.fromEntries([...all.values(), ...schemes].map((s) => [s.id, { title: t(s.title, 'en'), seed: s.seed }])),
      single: opts.command !== 'matrix',
      startedAt,
      elapsedMs: performance.now() - t0,
      command: `npm run lab -- ${argv.join(' ')}`,
    });
    for (const line of written) out.info(line);
    if (results.length && (opts.command === 'run' || opts.command === 'matrix')) {
      const ms = performance.now() - t0;
      const r = results[0];
      const summary = opts.command === 'matrix' ? matrixSummary(results, ms, lang) : runSummary(r, `${formatVariant(r, 'label')} ${r.profile}`, ms, lang);
      process.stdout.write(`\n  ${exitCodeFor(results) ? chalk.red.bold(summary) : chalk.green.bold(summary)}\n`);
    }
    return results.length ? exitCodeFor(results) : 0;
  } catch (e) {
    if (session.aborting) return new Promise(() => {}); // the signal handler exits
    return fail(messageOf(e, lang));
  } finally {
    await session.finish(dispose);
  }
}

/**
 * The Go binaries, as a phase so the first (slow) build shows its progress; nothing is printed when
 * they are current. A remote lab host (the Vagrant VM) then gets the ones it does not have yet.
 */
async function build(out: Reporter, targets: Target[]): Promise<void> {
  const tb = performance.now();
  if (await buildGo((l) => out.phase(l))) out.done(performance.now() - tb);
  for (const target of targets) {
    const copied = (await target.syncBinaries?.(BIN_DIR)) ?? [];
    if (copied.length) out.info(say.copiedBinaries(copied.join(', '), target.binDir, target.name));
  }
}

/** The target has no lab host for this prefix (the container target, before `up` or after `down`). */
async function nothingUp(opts: Options, out: Reporter): Promise<number> {
  switch (opts.command) {
    case 'down':
      await removeLabHost(opts.target, opts.prefix); // stopped leftovers of a crash
      out.info(say.nothingToTakeDown(opts.prefix, opts.target));
      return 0;
    case 'status':
      out.info(say.noLabOn(opts.prefix, opts.target));
      return 0;
    default:
      throw new LabError(say.notUpOn(opts.prefix, opts.target, `npm run lab -- up${sameLab(opts)}`));
  }
}

/** The options a later command needs to reach the same lab ('' for the local target's default prefix). */
function sameLab(opts: Options): string {
  return `${opts.target === 'local' ? '' : ` --target ${opts.target}`}${opts.prefix === DEFAULT_PREFIX ? '' : ` --prefix ${opts.prefix}`}`;
}

async function dispatch(opts: Options, lab: Lab, out: Reporter): Promise<RunResult[]> {
  const prefix = lab.cfg.prefix;
  switch (opts.command) {
    case 'up':
      await lab.up(opts.profile);
      if (lab.server) await lab.apply(SERVER_SCHEME_ID, { app: opts.app });
      out.info(say.labIsUp(prefix));
      if (sameLab(opts)) out.info(say.sameLab(sameLab(opts)));
      return [];
    case 'apply':
      await lab.apply(opts.scheme!, opts);
      return [];
    case 'verify':
      return [await lab.verify()];
    case 'down':
      await lab.down();
      return [];
    case 'run': {
      const r = await lab.run(opts.scheme ?? SERVER_SCHEME_ID, opts.profile, opts);
      if (opts.keep && sameLab(opts)) out.info(say.sameLab(sameLab(opts)));
      return [r];
    }
    case 'matrix':
      throw new Error('the matrix opens its own labs');
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
      return []; // run by lookAround, with no lock
    case 'merge-results':
      throw new Error('merge-results runs no lab');
    case 'capture-script':
      throw new Error('capture-script runs no lab');
  }
}

/** The user's program suits every scheme about to run it (on any target: a remote lab host gets a copy). */
function checkOwnAppFits(app: OwnApp, schemes: Scheme[]): void {
  const plain = schemes.find((s) => !s.containers);
  if (app.image && plain) throw new LabError(`--app-image is for schemes that run the app in containers (scheme2); ${plain.id} runs it on the server: use --app-cmd`);
  if (!app.image && schemes.some((s) => s.containers)) checkStatic(app.argv[0]);
}

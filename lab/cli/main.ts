// The `npm run lab` command: parse, check, run, report, exit with 0 (all as
// expected), 1 (some verdicts differ) or 2 (an error).
import { chalk } from 'zx';
import { buildGo } from '../build.js';
import { loadConfig } from '../config-file.js';
import { DEFAULT_PREFIX } from '../config.js';
import { LabError } from '../errors.js';
import { schemeContext, type Lab } from '../lab.js';
import { consoleReporter, type Reporter } from '../report/console.js';
import { prepareOutputs, writeOutputs } from '../report/outputs.js';
import { matrixSummary, runSummary } from '../report/summary.js';
import { variantLabel } from '../matrix.js';
import { exitCodeFor, type RunResult } from '../results.js';
import { getScheme, loadSchemes } from '../scheme-registry.js';
import { removeLabHost } from '../target/index.js';
import { matrix } from './matrix-command.js';
import { parseOptions, USAGE, type Options } from './options.js';
import { Session } from './session.js';

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
  const session = new Session(opts, out);
  const onSignal = (signal: NodeJS.Signals) => {
    if (session.aborting) return;
    process.stderr.write(`\n${chalk.yellow(`eiplab: ${signal}: tearing the lab down before exiting`)}\n`);
    void session.abort().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  // `on`, not `once`: a signal can arrive twice (the terminal's, and tsx relaying it), and a second must not kill the teardown.
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  let dispose = false;
  try {
    // Everything the command needs is checked before anything is created.
    const cfg = loadConfig(opts.prefix, opts.config);
    const schemes = opts.scheme ? [await getScheme(opts.scheme)] : opts.command === 'matrix' ? [...(await loadSchemes()).values()] : [];
    if (opts.scheme && opts.command !== 'matrix') schemeContext(cfg, opts.profile, schemes[0], opts);
    const requires: Record<string, string> = Object.assign({}, ...schemes.map((s) => s.requires ?? {}));
    prepareOutputs(opts);
    // The lab host goes with the lab after `down`, a `run` without --keep and the matrix, and after a failed `up`.
    dispose = opts.command === 'down' || opts.command === 'matrix' || (opts.command === 'run' && !opts.keep);
    let results: RunResult[];
    if (opts.command === 'matrix') {
      results = await matrix(opts, session, requires, () => build(out));
    } else {
      const start = ['up', 'run'].includes(opts.command);
      const lab = await session.open(opts.prefix, { start, persistent: opts.command === 'up' || opts.keep, lock: opts.command !== 'status', requires });
      if (!lab) return await nothingUp(opts, out);
      if (['up', 'run', 'apply'].includes(opts.command)) await build(out);
      try {
        results = await dispatch(opts, lab, out);
      } catch (e) {
        if (opts.command === 'up') dispose = true;
        throw e;
      }
    }
    const all = await loadSchemes();
    const written = writeOutputs(opts, results, {
      cfg,
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
    if (session.aborting) return new Promise(() => {}); // the signal handler exits
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    await session.finish(dispose);
  }
}

/** The Go binaries, as a phase so the first (slow) build shows its progress; nothing is printed when they are current. */
async function build(out: Reporter): Promise<void> {
  const tb = performance.now();
  if (await buildGo((l) => out.phase(l))) out.done(performance.now() - tb);
}

/** The target has no lab host for this prefix (the container target, before `up` or after `down`). */
async function nothingUp(opts: Options, out: Reporter): Promise<number> {
  const where = `no lab "${opts.prefix}" is up on the ${opts.target} target`;
  switch (opts.command) {
    case 'down':
      await removeLabHost(opts.target, opts.prefix); // stopped leftovers of a crash
      out.info(`${where}: nothing to take down`);
      return 0;
    case 'status':
      out.info(where);
      return 0;
    default:
      throw new LabError(`${where}: run \`npm run lab -- up${sameLab(opts)}\` first`);
  }
}

/** The options a later command needs to reach the same lab. */
function sameLab(opts: Options): string {
  return `${opts.target === 'local' ? '' : ` --target ${opts.target}`}${opts.prefix === DEFAULT_PREFIX ? '' : ` --prefix ${opts.prefix}`}`;
}

async function dispatch(opts: Options, lab: Lab, out: Reporter): Promise<RunResult[]> {
  const prefix = lab.cfg.prefix;
  switch (opts.command) {
    case 'up':
      await lab.up(opts.profile);
      out.info(`lab "${prefix}" is up: \`npm run lab -- apply <scheme>${sameLab(opts)}\` next, \`npm run lab -- down${sameLab(opts)}\` to remove it`);
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
      const r = await lab.run(opts.scheme!, opts.profile, opts);
      if (opts.keep && sameLab(opts)) out.info(`to reach this lab later, add${sameLab(opts)} to each command`);
      return [r];
    }
    case 'matrix':
      throw new Error('the matrix opens its own labs');
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

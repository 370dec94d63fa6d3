// The `npm run lab` command: parse, check, run, report, exit with 0 (all as
// expected), 1 (some verdicts differ) or 2 (an error).
import { writeFileSync } from 'node:fs';
import { chalk } from 'zx';
import { BIN_DIR, buildGo } from '../build.js';
import { defaultConfig } from '../config.js';
import { LabError } from '../errors.js';
import { Lab } from '../lab.js';
import { preflight } from '../preflight.js';
import { consoleReporter, type Reporter } from '../report/console.js';
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
  let target: Target | undefined;
  let tearingDown = false;
  try {
    // Everything the command needs is checked before anything is created.
    const schemes = opts.scheme ? [await getScheme(opts.scheme)] : opts.command === 'matrix' ? [...(await loadSchemes()).values()] : [];
    target = await createTarget(opts.target);
    if (opts.verbose) target = verbose(target, (l) => out.info(chalk.dim(l.trimStart())));
    const lab = new Lab(target, defaultConfig(opts.prefix), out, opts.verbose);
    if (opts.scheme && opts.command !== 'matrix') await lab.resolve(opts.scheme, opts, opts.profile);
    await preflight(target, Object.assign({}, ...schemes.map((s) => s.requires ?? {})));
    if (['up', 'run', 'apply', 'matrix'].includes(opts.command)) {
      await buildGo((l) => out.info(l));
      const copied = (await target.syncBinaries?.(BIN_DIR)) ?? [];
      if (copied.length) out.info(`copied ${copied.join(', ')} to ${target.binDir} on the ${target.name} lab host`);
    }

    const onSignal = (signal: NodeJS.Signals) => {
      if (tearingDown) return;
      tearingDown = true;
      process.stderr.write(`\n${chalk.yellow(`eiplab: ${signal}: tearing the lab down before exiting`)}\n`);
      void lab.down().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);

    const results = await dispatch(opts, lab, out);
    if (opts.json && results.length) {
      writeFileSync(opts.json, `${JSON.stringify(opts.command === 'matrix' ? results : results[0], null, 2)}\n`);
      out.info(`results written to ${opts.json}`);
    }
    return results.length ? exitCodeFor(results) : 0;
  } catch (e) {
    if (tearingDown) return new Promise(() => {}); // the signal handler exits
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
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

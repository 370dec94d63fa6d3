// The `npm run lab` command: parse, check, run, report, exit with 0 (all as
// expected), 1 (some verdicts differ) or 2 (an error).
import { writeFileSync } from 'node:fs';
import { chalk } from 'zx';
import { buildGo, BIN_DIR } from '../build.js';
import { defaultConfig } from '../config.js';
import { LabError } from '../errors.js';
import { Lab } from '../lab.js';
import { preflight } from '../preflight.js';
import { getScheme } from '../scheme-registry.js';
import { consoleReporter } from '../report/console.js';
import { exitCodeFor, type RunResult } from '../results.js';
import { localTarget } from '../target/local.js';
import { verbose, type Target } from '../target/target.js';
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
  const cfg = defaultConfig(opts.prefix);
  let target: Target = localTarget(BIN_DIR);
  if (opts.verbose) target = verbose(target, (l) => out.info(chalk.dim(l.trimStart())));
  const lab = new Lab(target, cfg, out, opts.verbose);
  let tearingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (tearingDown) return;
    tearingDown = true;
    process.stderr.write(`\n${chalk.yellow(`eiplab: ${signal}: tearing the lab down before exiting`)}\n`);
    void lab.down().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  try {
    // Everything the command needs is checked before anything is created.
    const scheme = opts.scheme ? await getScheme(opts.scheme) : undefined;
    if (opts.scheme) await lab.resolve(opts.scheme, opts, opts.profile);
    await preflight(target, scheme?.requires);
    if (opts.command === 'up' || opts.command === 'run' || opts.command === 'apply') {
      await buildGo((l) => out.info(l));
    }
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    const results: RunResult[] = [];
    switch (opts.command) {
      case 'up':
        await lab.up(opts.profile);
        out.info(`lab "${cfg.prefix}" is up: \`npm run lab -- apply <scheme>\` next, \`npm run lab:down\` to remove it`);
        break;
      case 'apply':
        await lab.apply(opts.scheme!, opts);
        break;
      case 'verify':
        results.push(await lab.verify());
        break;
      case 'down':
        await lab.down();
        break;
      case 'run':
        results.push(await lab.run(opts.scheme!, opts.profile, opts));
        break;
      case 'status': {
        const s = await lab.status();
        if (!s.namespaces.length && !s.state) out.info(`no lab "${cfg.prefix}" is up`);
        else {
          out.info(`lab "${cfg.prefix}": namespaces ${s.namespaces.join(', ') || 'none'}; ${s.pids.length} processes inside`);
          if (s.state) out.info(`profile ${s.state.profile}, up since ${s.state.upAt}`);
          const a = s.state?.applied;
          out.info(a ? `applied: ${a.scheme} app=${a.app} fix=${a.fix ?? 'none'}${a.scenario ? ` scenario=${a.scenario}` : ''}` : 'no scheme applied');
        }
        break;
      }
    }
    if (opts.json && results.length) {
      writeFileSync(opts.json, `${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
      out.info(`results written to ${opts.json}`);
    }
    return results.length ? exitCodeFor(results) : 0;
  } catch (e) {
    if (tearingDown) return new Promise(() => {}); // the signal handler exits
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    await target.close();
  }
}

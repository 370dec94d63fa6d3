// `npm run bench`: runs the sections in order, each on the bench's own
// prefix, and gathers one result. A section that fails becomes an error row;
// the others still run.
import { loadavg } from 'node:os';
import { defaultConfig } from '../config/config.js';
import { Lab } from '../run/lab.js';
import { silentReporter } from '../report/console.js';
import { t } from '../model/i18n.js';
import type { Scheme } from '../model/scheme.js';
import type { Target } from '../hosts/host.js';
import { load1, Sampler } from './calm.js';
import { cli } from './cli-speed.js';
import { schemeFiles } from './scheme-files.js';
import { errorRow, type BenchContext } from './context.js';
import { DATA_PROFILE, DIRECT_BASELINE, dataErrorRow, datapath } from './datapath.js';
import { floor } from './floor.js';
import { checkGoals, runRatios } from './goals.js';
import { applyVerify, matrix, runs, upDown } from './lab-speed.js';
import { machine } from './machine.js';
import { ownApp } from './own-app.js';
import type { BenchOptions, Section } from './options.js';
import type { BenchResult, DataRow, SpeedRow, Trace } from './result.js';
import { traceRun } from './trace.js';

const SPEED: [Section, string, (ctx: BenchContext) => Promise<SpeedRow[]>][] = [
  ['up', 'up and down', upDown],
  ['apply', 'apply and verify per scheme', applyVerify],
  ['run', 'run per scheme', runs],
  ['floor', 'run scheme1 beside the hand-written floor: the script, the library, the CLI', floor],
  ['cli', 'what starting the CLI costs', cli],
  ['ownapp', 'run scheme1 --app-cmd beside run scheme1', ownApp],
  ['schemes', 'what the data schemes add: reading and checking the shipped scheme files', schemeFiles],
  ['matrix', 'the matrix, sequentially', matrix],
];

export interface BenchDeps {
  target: Target;
  schemes: Scheme[];
  /** The repository root. */
  root: string;
  log: (line: string) => void;
}

export async function runBench(opts: BenchOptions, deps: BenchDeps): Promise<BenchResult> {
  const t0 = performance.now();
  const startLoad = loadavgNow();
  const cfg = defaultConfig(opts.prefix);
  const lab = new Lab(deps.target, cfg, silentReporter);
  // A scheme this lab host cannot run (a kernel feature it lacks) is left out of every section, and said so.
  const skipped = await unrunnable(lab, deps.schemes);
  for (const k of skipped) deps.log(`▸ skipped ${k.scheme}: ${k.reason}`);
  const schemes = deps.schemes.filter((s) => !skipped.some((k) => k.scheme === s.id));
  const ctx: BenchContext = { opts, cfg, lab, root: deps.root, target: deps.target, schemes, log: deps.log, sampler: new Sampler(opts, deps.log) };
  const on = (s: Section) => opts.sections.includes(s);
  const startedAt = new Date().toISOString();

  // One untimed run first: the first run in a process also loads modules.
  deps.log(`▸ warm-up: one run of scheme1 (load average ${load1()})`);
  await lab.run('scheme1', 'lenient', {});

  const speed: SpeedRow[] = [];
  for (const [section, title, fn] of SPEED) {
    if (!on(section)) continue;
    deps.log(`▸ ${title} (load average ${load1()})`);
    try {
      speed.push(...(await fn(ctx)));
    } catch (e) {
      deps.log(`    failed: ${e instanceof Error ? e.message : String(e)}`);
      speed.push(errorRow(section, title, 'library', e));
      await lab.down().catch(() => {});
    }
  }

  const traces: Trace[] = [];
  if (on('trace')) {
    deps.log(`▸ where the time goes: one run of each scheme with every command timed (load average ${load1()})`);
    for (const scheme of schemes) {
      await ctx.sampler.calm();
      traces.push(await traceRun((wrap, reporter) => new Lab(wrap(deps.target), cfg, reporter), scheme.id));
    }
  }

  let rows: DataRow[] = [];
  if (on('datapath')) {
    deps.log(`▸ data path: ${opts.requests} requests x ${opts.loadRuns} runs per row, ${opts.concurrency} in flight (load average ${load1()})`);
    try {
      rows = await datapath(ctx);
    } catch (e) {
      deps.log(`    failed: ${e instanceof Error ? e.message : String(e)}`);
      await lab.down().catch(() => {});
      rows = [dataErrorRow('direct', e)];
    }
  }

  return {
    skipped,
    startedAt,
    elapsedS: (performance.now() - t0) / 1000,
    machine: machine(),
    options: { ...opts },
    loadavg: { start: startLoad, end: loadavgNow() },
    speed,
    ratios: runRatios(speed),
    goals: checkGoals(speed),
    datapath: { profile: DATA_PROFILE, requests: opts.requests, concurrency: opts.concurrency, keepalive: false, baseline: DIRECT_BASELINE, rows },
    traces,
  };
}

function loadavgNow(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

/** The schemes whose kernel features this lab host lacks, with why: probed once on a lab that is up for it. */
async function unrunnable(lab: Lab, schemes: Scheme[]): Promise<BenchResult['skipped']> {
  if (!schemes.some((s) => s.needs?.length)) return [];
  await lab.up('lenient');
  try {
    const out: BenchResult['skipped'] = [];
    for (const scheme of schemes) {
      const why = await lab.lackingFeature(scheme);
      if (why) out.push({ scheme: scheme.id, reason: t(why, 'en') });
    }
    return out;
  } finally {
    await lab.down();
  }
}

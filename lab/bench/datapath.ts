// Each scheme's cost on the data path: requests per second and p50/p99
// latency of client -> app -> echo, the client in the lab's internet
// calling an elastic IP, for every scheme variant (with and without each
// fix) and each instance, under the lenient profile (where every variant
// carries traffic).
//
// The baseline, "direct": the same app, asked the same way, running in the
// client's own namespace next to the echo server: the same HTTP work with
// no network in between (no veths, bridges, router, NAT or conntrack). A
// row's ratio to it is what that scheme's path costs on top of the work.
// (The echo server alone would be half the work: one HTTP hop, not two.)
// The baseline runs in every variant's lab and is measured right before
// that variant's instances in each run, and ratios are taken run by run:
// on a shared machine a baseline measured once, minutes earlier, would
// compare two different loads.
import { defaultConfig } from '../config/config.js';
import { echoUrl } from '../schemes/blocks/app.js';
import { variantsOf } from '../run/matrix.js';
import { formatVariant, type Variant } from '../model/variant.js';
import { runStep } from '../model/steps.js';
import type { Calm } from './calm.js';
import type { BenchContext } from './context.js';
import { runLoad } from './load.js';
import type { DataRow, LoadRun } from './result.js';
import { median, ratio } from './stats.js';

export const DATA_PROFILE = 'lenient';
/** Where the direct baseline's app listens, inside the client's namespace. */
const DIRECT_LISTEN = '127.0.0.1:8090';
const DIRECT_URL = `http://${DIRECT_LISTEN}/`;

export const DIRECT_BASELINE = `the same app in the client's namespace next to the echo server (${DIRECT_LISTEN}): the same two HTTP hops, no network in between; measured beside every variant, ratios run by run`;

/** One load run of a row, and the baseline run measured just before it. */
interface Sample {
  run: LoadRun;
  direct: LoadRun;
  calm: Calm;
}

type RowBase = Pick<DataRow, 'id' | 'label' | 'scheme' | 'app' | 'fix' | 'instance' | 'url'>;

function load(ctx: BenchContext, url: string): Promise<LoadRun> {
  return runLoad(ctx.target, ctx.cfg, { url, requests: ctx.opts.requests, concurrency: ctx.opts.concurrency, maxTimeS: ctx.opts.loadMaxTime });
}

const okRuns = (runs: LoadRun[]) => runs.filter((r) => r.ok > 0);
const med = (runs: LoadRun[], f: (r: LoadRun) => number) => (okRuns(runs).length ? median(okRuns(runs).map(f)) : null);
/** The median of run-by-run ratios of a figure to its baseline. */
const pairedRatio = (samples: Sample[], f: (r: LoadRun) => number) => {
  const rs = samples.filter((s) => s.run.ok > 0 && s.direct.ok > 0).map((s) => ratio(f(s.run), f(s.direct))).filter((x): x is number => x !== null);
  return rs.length ? median(rs) : null;
};

function row(base: RowBase, runs: LoadRun[], calms: Calm[], vsDirect: DataRow['vsDirect']): DataRow {
  return {
    ...base,
    rps: med(runs, (r) => r.rps),
    p50Ms: med(runs, (r) => r.p50_ms),
    p99Ms: med(runs, (r) => r.p99_ms),
    count: runs.reduce((a, r) => a + r.count, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    vsDirect,
    runs,
    load: calms.map((c) => c.load),
    busyCores: calms.flatMap((c) => (c.busyCores === null ? [] : [c.busyCores])),
    busy: calms.some((c) => c.busy),
  };
}

function instanceRow(base: RowBase, samples: Sample[]): DataRow {
  return row(base, samples.map((s) => s.run), samples.map((s) => s.calm), {
    rps: pairedRatio(samples, (r) => r.rps),
    p50: pairedRatio(samples, (r) => r.p50_ms),
    p99: pairedRatio(samples, (r) => r.p99_ms),
  });
}

/** A row for a variant (or the baseline) that could not be measured. */
export function dataErrorRow(label: string, e: unknown, v?: Variant): DataRow {
  const base = { id: `${label}:error`, label, scheme: v?.scheme ?? null, app: v?.app ?? null, fix: v?.fix ?? null, instance: null, url: '' };
  return { ...row(base, [], [], { rps: null, p50: null, p99: null }), error: e instanceof Error ? e.message : String(e) };
}

/** The baseline's app, in the client's namespace, calling the echo server there. */
async function startDirect(ctx: BenchContext): Promise<void> {
  await runStep(ctx.target, ctx.cfg, {
    node: 'inet',
    explain: 'The direct baseline: the app next to the echo server, no network in between.',
    commands: [
      `lab_daemon app-direct eiplab-app --addr ${DIRECT_LISTEN} --name direct --echo ${echoUrl(ctx.cfg)}`,
      `lab_wait_http app-direct ${DIRECT_URL}whoami`,
    ],
  });
}

/** One scheme variant on a fresh lab: per run, the baseline, then each instance through its elastic IP. */
async function variant(ctx: BenchContext, v: Variant): Promise<{ rows: DataRow[]; samples: Sample[] }> {
  const scheme = ctx.schemes.find((s) => s.id === v.scheme)!;
  const c = await ctx.lab.resolve(v.scheme, v, DATA_PROFILE);
  const label = formatVariant(v, 'label');
  const instances = scheme.instances(c).map((inst) => ({ inst, url: `http://${inst.nic.eip}:${ctx.cfg.appPort}/`, samples: [] as Sample[] }));
  await ctx.lab.up(DATA_PROFILE);
  try {
    await ctx.lab.apply(v.scheme, v);
    await startDirect(ctx);
    for (let i = 0; i < ctx.opts.loadRuns; i++) {
      const calm = await ctx.sampler.calm();
      const direct = await load(ctx, DIRECT_URL);
      for (const x of instances) x.samples.push({ run: await load(ctx, x.url), direct, calm });
    }
  } finally {
    await ctx.lab.down();
  }
  const rows = instances.map((x) =>
    instanceRow({ id: `${label}:${x.inst.nic.name}`, label, scheme: v.scheme, app: v.app, fix: v.fix, instance: x.inst.nic.name, url: x.url }, x.samples),
  );
  // Each baseline run once (every instance of a run shares it).
  return { rows, samples: instances[0]?.samples ?? [] };
}

/**
 * Every variant of every scheme that carries traffic: scenarios aside (they disturb the lab on purpose), and a
 * variant whose facts say nothing reaches the echo server (SO_BINDTODEVICE with no route through its NIC).
 * --quick asks whether the harness works: the first such variant of each scheme.
 */
export function dataVariants(ctx: Pick<BenchContext, 'schemes'> & { opts: { quick: boolean } }): Variant[] {
  const cfg = defaultConfig();
  return ctx.schemes.flatMap((scheme) => {
    const carrying = variantsOf(scheme).filter((v) => {
      if (v.scenario !== null) return false;
      const facts = scheme.facts({ cfg, app: v.app, fix: v.fix, profile: DATA_PROFILE, scenario: null });
      return facts?.others.seen.is !== 'none' && facts?.default?.seen?.is !== 'none';
    });
    return ctx.opts.quick ? carrying.slice(0, 1) : carrying;
  });
}

export async function datapath(ctx: BenchContext): Promise<DataRow[]> {
  const rows: DataRow[] = [];
  const baseline: Sample[] = [];
  for (const v of dataVariants(ctx)) {
    try {
      const r = await variant(ctx, v);
      rows.push(...r.rows);
      baseline.push(...r.samples);
      ctx.log(`    ${formatVariant(v, 'label')}: ${r.rows.map((x) => `${x.instance} ${Math.round(x.rps ?? 0)} rps`).join(', ')}; direct ${r.samples.map((s) => Math.round(s.direct.rps)).join(', ')} rps`);
    } catch (e) {
      rows.push(dataErrorRow(formatVariant(v, 'label'), e, v));
      ctx.log(`    ${formatVariant(v, 'label')}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const direct = baseline.length
    ? row({ id: 'direct', label: 'direct (app next to echo, no network)', scheme: null, app: null, fix: null, instance: null, url: DIRECT_URL }, baseline.map((s) => s.direct), baseline.map((s) => s.calm), { rps: 1, p50: 1, p99: 1 })
    : dataErrorRow('direct', new Error('no variant could be measured, so neither could the baseline beside it'));
  return [direct, ...rows];
}

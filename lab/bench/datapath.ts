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
import { echoUrl } from '../app.js';
import { variantLabel, variantsOf, type Variant } from '../matrix.js';
import { runStep } from '../steps.js';
import type { BenchContext } from './context.js';
import { runLoad, type LoadSpec } from './load.js';
import type { DataRow, LoadRun } from './result.js';
import { median, ratio } from './stats.js';

export const DATA_PROFILE = 'lenient';
/** Where the direct baseline's app listens, inside the client's namespace. */
const DIRECT_LISTEN = '127.0.0.1:8090';

function spec(ctx: BenchContext, url: string): LoadSpec {
  return { url, requests: ctx.opts.requests, concurrency: ctx.opts.concurrency, maxTimeS: ctx.opts.loadMaxTime };
}

interface Measured {
  runs: LoadRun[];
  load: number[];
  busyCores: number[];
  busy: boolean;
}

async function measure(ctx: BenchContext, url: string): Promise<Measured> {
  const m: Measured = { runs: [], load: [], busyCores: [], busy: false };
  for (let i = 0; i < ctx.opts.loadRuns; i++) {
    const c = await ctx.sampler.calm();
    m.load.push(c.load);
    if (c.busyCores !== null) m.busyCores.push(c.busyCores);
    m.busy ||= c.busy;
    m.runs.push(await runLoad(ctx.target, ctx.cfg, spec(ctx, url)));
  }
  return m;
}

function row(base: Omit<DataRow, 'rps' | 'p50Ms' | 'p99Ms' | 'count' | 'errors' | 'vsDirect' | 'runs' | 'load' | 'busyCores' | 'busy'>, m: Measured): DataRow {
  const ok = m.runs.filter((r) => r.ok > 0);
  const pick = (f: (r: LoadRun) => number) => (ok.length ? median(ok.map(f)) : null);
  return {
    ...base,
    rps: pick((r) => r.rps),
    p50Ms: pick((r) => r.p50_ms),
    p99Ms: pick((r) => r.p99_ms),
    count: m.runs.reduce((a, r) => a + r.count, 0),
    errors: m.runs.reduce((a, r) => a + r.errors, 0),
    vsDirect: { rps: null, p50: null, p99: null },
    runs: m.runs,
    load: m.load,
    busyCores: m.busyCores,
    busy: m.busy,
  };
}

/** A row for a variant (or the baseline) that could not be measured. */
export function dataErrorRow(label: string, e: unknown, v?: Variant): DataRow {
  const base = { id: `${label}:error`, label, scheme: v?.scheme ?? null, app: v?.app ?? null, fix: v?.fix ?? null, instance: null, url: '' };
  return { ...row(base, { runs: [], load: [], busyCores: [], busy: false }), error: e instanceof Error ? e.message : String(e) };
}

/** The baseline: the app in the client's namespace, calling the echo server there. */
async function direct(ctx: BenchContext): Promise<DataRow> {
  const { cfg } = ctx;
  const url = `http://${DIRECT_LISTEN}/`;
  await ctx.lab.up(DATA_PROFILE);
  try {
    await runStep(ctx.target, cfg, {
      node: 'inet',
      explain: 'The direct baseline: the app next to the echo server, no network in between.',
      commands: [
        `lab_daemon app-direct eiplab-app --addr ${DIRECT_LISTEN} --name direct --echo ${echoUrl(cfg)}`,
        `lab_wait_http app-direct http://${DIRECT_LISTEN}/whoami`,
      ],
    });
    const m = await measure(ctx, url);
    return row({ id: 'direct', label: 'direct (app next to echo, no network)', scheme: null, app: null, fix: null, instance: null, url }, m);
  } finally {
    await ctx.lab.down();
  }
}

/** One scheme variant on a fresh lab: each instance, through its elastic IP. */
async function variant(ctx: BenchContext, v: Variant): Promise<DataRow[]> {
  const scheme = ctx.schemes.find((s) => s.id === v.scheme)!;
  const c = await ctx.lab.resolve(v.scheme, v, DATA_PROFILE);
  await ctx.lab.up(DATA_PROFILE);
  try {
    await ctx.lab.apply(v.scheme, v);
    const rows: DataRow[] = [];
    for (const inst of scheme.instances(c)) {
      const url = `http://${inst.nic.eip}:${ctx.cfg.appPort}/`;
      const label = variantLabel(v);
      const m = await measure(ctx, url);
      rows.push(row({ id: `${label}:${inst.nic.name}`, label, scheme: v.scheme, app: v.app, fix: v.fix, instance: inst.nic.name, url }, m));
    }
    return rows;
  } finally {
    await ctx.lab.down();
  }
}

/** Every variant of every scheme (scenarios aside: they disturb the lab on purpose). */
export function dataVariants(ctx: Pick<BenchContext, 'schemes'>): Variant[] {
  return ctx.schemes.flatMap(variantsOf).filter((v) => v.scenario === null);
}

export async function datapath(ctx: BenchContext): Promise<DataRow[]> {
  const rows: DataRow[] = [];
  const base = await direct(ctx);
  rows.push(base);
  ctx.log(`    direct: ${Math.round(base.rps ?? 0)} rps`);
  for (const v of dataVariants(ctx)) {
    try {
      const vr = await variant(ctx, v);
      rows.push(...vr);
      ctx.log(`    ${variantLabel(v)}: ${vr.map((r) => `${r.instance} ${Math.round(r.rps ?? 0)} rps`).join(', ')}`);
    } catch (e) {
      rows.push(dataErrorRow(variantLabel(v), e, v));
      ctx.log(`    ${variantLabel(v)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const r of rows) {
    r.vsDirect = { rps: ratio(r.rps, base.rps), p50: ratio(r.p50Ms, base.p50Ms), p99: ratio(r.p99Ms, base.p99Ms) };
  }
  return rows;
}

export const DIRECT_BASELINE = `the same app in the client's namespace next to the echo server (${DIRECT_LISTEN}): the same two HTTP hops, no network in between`;

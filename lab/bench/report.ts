// The bench's tables, for the terminal (and pasting into the README).
import { chalk } from 'zx';
import type { BenchResult, DataRow, Goal, SpeedRow, Trace } from './result.js';

const s = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`);
const x = (r: number | null) => (r === null ? '-' : `${r.toFixed(2)}x`);
const n0 = (v: number | null) => (v === null ? '-' : String(Math.round(v)));
const ms2 = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)} ms`);
const range = (xs: number[]) => (xs.length ? (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}-${Math.max(...xs)}`) : '-');

/** Cores busy before the samples, and a flag when some began above the limit. */
const cpu = (r: { busyCores: number[]; busy: boolean }) => `${range(r.busyCores)}${r.busy ? ' BUSY' : ''}`;

function table(head: string[], rows: string[][], right: number[] = []): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => `  ${r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()}`;
  return [chalk.bold(fmt(head)), ...rows.map(fmt)].join('\n');
}

export function speedTable(rows: SpeedRow[]): string {
  const body = rows.map((r) => {
    if (!r.stat) return [r.label, r.via, 'ERROR', '', '', '', r.error ?? ''];
    const st = r.stat;
    return [
      r.label,
      r.via,
      s(st.median),
      `${s(st.min)} - ${s(st.max)}`,
      `±${(st.spreadPct / 2).toFixed(0)}%`,
      String(st.runs),
      range(r.load),
      cpu(r),
    ];
  });
  return table(['lab speed', 'via', 'median', 'min - max', 'spread', 'runs', 'load avg', 'cpu busy'], body, [2, 4, 5]);
}

export function goalsTable(goals: Goal[]): string {
  const body = goals.map((g) => [
    g.met === null ? '?' : g.met ? chalk.green('met') : chalk.red('missed'),
    g.goal,
    g.value === null ? '-' : `${g.value.toFixed(2)}${g.unit === 'x' ? 'x' : ' s'}`,
    `limit ${g.limit}${g.unit === 'x' ? 'x' : ' s'}`,
  ]);
  return table(['goal', '', 'measured', ''], body);
}

export function dataTable(d: BenchResult['datapath']): string {
  const body = d.rows.map((r: DataRow) =>
    r.error
      ? [r.label, r.instance ?? '', 'ERROR', '', '', '', '', '', '', r.error]
      : [
          r.label,
          r.instance ?? '-',
          n0(r.rps),
          ms2(r.p50Ms),
          ms2(r.p99Ms),
          x(r.vsDirect.rps),
          x(r.vsDirect.p50),
          x(r.vsDirect.p99),
          r.errors ? `${r.errors}/${r.count}` : '0',
          range(r.load),
          cpu(r),
        ],
  );
  return table(['data path', 'instance', 'rps', 'p50', 'p99', 'rps/direct', 'p50/direct', 'p99/direct', 'errors', 'load avg', 'cpu busy'], body, [2, 3, 4, 5, 6, 7]);
}

/** Per phase: wall time, time inside lab-host commands, how many; then the slowest commands. */
export function traceTable(t: Trace, top = 8): string {
  const phases = t.phases.map((p) => [p.phase, s(p.inCallsMs), String(p.calls)]);
  const calls = [...t.calls]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top)
    .map((c) => [`${c.ms.toFixed(0)} ms`, c.phase, c.ns, c.what.length > 80 ? `${c.what.slice(0, 77)}...` : c.what]);
  const inCalls = t.calls.reduce((a, c) => a + c.ms, 0);
  return [
    `  one run ${t.scheme}: ${s(t.totalMs)}, ${t.calls.length} lab-host commands taking ${s(inCalls)}; ${s(t.totalMs - inCalls)} in Node between them (load ${t.load})`,
    table(['phase', 'in commands', 'commands'], phases, [1, 2]),
    '',
    table(['slowest', 'phase', 'namespace', 'command'], calls, [0]),
  ].join('\n');
}

export function benchReport(r: BenchResult): string {
  const m = r.machine;
  const out = [
    chalk.bold(`eiplab bench, ${r.startedAt}: ${m.os}, ${m.cores} cores (${m.cpu}), kernel ${m.kernel}, Node ${m.node}, ${m.go}`),
    `  load average at start ${r.loadavg.start.join(' ')}, at the end ${r.loadavg.end.join(' ')}`,
    '',
  ];
  if (r.speed.length) {
    out.push(speedTable(r.speed), '');
    const ra = r.ratios;
    if (ra.runScheme1LibraryVsFloor !== null || ra.runScheme1CliVsFloor !== null) {
      out.push(`  run scheme1 / floor: library ${x(ra.runScheme1LibraryVsFloor)}, eiplab ${x(ra.runScheme1CliVsFloor)}, npm run lab ${x(ra.runScheme1NpmVsFloor)}`, '');
    }
    out.push(goalsTable(r.goals), '');
  }
  if (r.datapath.rows.length) {
    const d = r.datapath;
    out.push(
      `  data path: client -> elastic IP -> app -> echo, profile ${d.profile}, ${d.requests} requests x ${r.options.loadRuns} runs, ${d.concurrency} in flight, ${d.keepalive ? 'keep-alive' : 'a new connection per request'}`,
      `  direct = ${d.baseline}`,
      dataTable(d),
      '',
    );
  }
  if (r.traces.length) out.push(chalk.bold('where the time goes'), ...r.traces.flatMap((t) => [traceTable(t), '']));
  const busy = [...r.speed.filter((x) => x.busy), ...r.datapath.rows.filter((x) => x.busy)].length;
  if (busy) out.push(chalk.yellow(`  ${busy} rows have samples that began with the CPU busy (BUSY): run the bench again when the machine is quieter`), '');
  out.push(`  ${r.elapsedS.toFixed(0)} s in all`);
  return `${out.join('\n')}\n`;
}

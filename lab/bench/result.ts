// What `npm run bench` writes as JSON. Times are milliseconds, rates per
// second; every figure comes with its load average.
import type { Stat } from './stats.js';

export interface SpeedRow {
  /** Stable id, e.g. "up", "apply+verify:scheme1", "run:scheme1", "cli:run:scheme1", "floor:scheme1", "matrix". */
  id: string;
  label: string;
  /** How it was driven: the Lab library, the CLI as a user runs it, or the hand-written shell floor. */
  via: 'library' | 'cli' | 'shell';
  stat: Stat | null;
  /** The 1-minute load average when each sample began. */
  load: number[];
  /** Cores busy just before each sample (empty in quick mode, which does not look). */
  busyCores: number[];
  /** Some sample began with the CPU busier than the limit. */
  busy: boolean;
  note?: string;
  /** The row this one is compared with (the matrix on two labs: the sequential row of the same cells). */
  baseline?: string;
  error?: string;
}

/** One eiplab-load run, as the Go program prints it. */
export interface LoadRun {
  url: string;
  requested: number;
  count: number;
  ok: number;
  errors: number;
  first_error?: string;
  concurrency: number;
  keepalive: boolean;
  elapsed_s: number;
  stopped_by_time_cap: boolean;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

export interface DataRow {
  /** Stable id, e.g. "direct", "scheme1 bound:eth1", "scheme3 plain +pbr:eth0". */
  id: string;
  label: string;
  scheme: string | null;
  app: string | null;
  fix: string | null;
  instance: string | null;
  url: string;
  /** Medians over the load runs. */
  rps: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Requests sent and failed, over all runs. */
  count: number;
  errors: number;
  /** This row over the direct baseline (rps: below 1 is slower; latency: above 1 is slower). */
  vsDirect: { rps: number | null; p50: number | null; p99: number | null };
  runs: LoadRun[];
  load: number[];
  busyCores: number[];
  busy: boolean;
  error?: string;
}

export interface TraceCall {
  phase: string;
  ns: string;
  what: string;
  ms: number;
}

export interface Trace {
  scheme: string;
  totalMs: number;
  /** Per phase: how many lab-host commands, and the time spent inside them. */
  phases: { phase: string; calls: number; inCallsMs: number }[];
  calls: TraceCall[];
  load: number;
}

export interface Goal {
  goal: string;
  value: number | null;
  limit: number;
  unit: string;
  met: boolean | null;
}

export interface BenchResult {
  /** Schemes left out because this lab host lacks a kernel feature they need, with the host's answer. */
  skipped: { scheme: string; reason: string }[];
  startedAt: string;
  elapsedS: number;
  machine: Record<string, string | number>;
  options: Record<string, unknown>;
  loadavg: { start: number[]; end: number[] };
  speed: SpeedRow[];
  ratios: { runScheme1LibraryVsFloor: number | null; runScheme1CliVsFloor: number | null; runScheme1NpmVsFloor: number | null };
  goals: Goal[];
  datapath: {
    profile: string;
    requests: number;
    concurrency: number;
    keepalive: boolean;
    baseline: string;
    rows: DataRow[];
  };
  /** One run of each scheme, every lab-host command timed. */
  traces: Trace[];
}

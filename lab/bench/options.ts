// `npm run bench` options: parsed and checked before anything is built.
import { minimist } from 'zx';
import { LabError } from '../model/errors.js';

export const SECTIONS = ['trace', 'up', 'apply', 'run', 'floor', 'cli', 'ownapp', 'schemes', 'matrix', 'datapath'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** Samples per lab-speed row. */
  runs: number;
  /** Samples of the whole matrix (each one is the full matrix). */
  matrixRuns: number;
  /** Load-generator runs per data-path row. */
  loadRuns: number;
  /** Requests per load run, and how many are in flight at once. */
  requests: number;
  concurrency: number;
  /** Cap on one load run, seconds. */
  loadMaxTime: number;
  sections: Section[];
  /** Scheme ids to measure; empty: every scheme in lab/schemes/. */
  schemes: string[];
  prefix: string;
  json: string;
  quick: boolean;
  /** Wait before a sample while other processes keep more than this many cores busy... */
  maxBusy: number;
  /** ...for at most this many seconds per sample (10x that in all), then measure anyway and flag it. */
  calmWait: number;
}

export const DEFAULT_JSON = 'bench/results/latest.json';

export const BENCH_USAGE = `usage: npm run bench -- [options]

Measures the lab's own speed (up, down, apply+verify and run per scheme, the
CLI, the matrix), a hand-written floor (bench/floor-scheme1.sh), and each
scheme's cost on the data path. Prints a table and writes JSON. Root.

options:
  --quick               one run of everything and few requests (CI: does the harness work?)
  --runs N              samples per lab-speed row (default 5; --quick: 1)
  --matrix-runs N       samples of the full matrix (default 3; --quick: 1)
  --load-runs N         load runs per data-path row (default 3; --quick: 1)
  --requests N          requests per load run (default 2000; --quick: 200)
  --concurrency N       requests in flight (default 8)
  --only a,b            sections to run: ${SECTIONS.join(', ')} (default all)
  --schemes a,b         schemes to measure (default: every scheme in lab/schemes/)
  --prefix NAME         name prefix of the labs it builds (default eiplabb; the floor uses NAME + "f", the CLI NAME + "c",
                        the matrix's second lab NAME + "p")
  --json FILE           where to write the results (default ${DEFAULT_JSON})
  --max-busy X          before each sample, wait while the CPU has more than X cores busy (default 0.5)
  --calm-wait S         wait at most S seconds per sample (10 x S in all), then measure and flag it
                        (default 20; --quick: 0, and the CPU is not looked at; the load average is always noted)`;

function count(name: string, v: unknown, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new LabError(`--${name} must be a whole number from 1 to ${max}, not "${String(v)}"`);
  return n;
}

function positive(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new LabError(`--${name} must be a number >= 0, not "${String(v)}"`);
  return n;
}

const KNOWN = new Set(['quick', 'runs', 'matrix-runs', 'load-runs', 'requests', 'concurrency', 'only', 'schemes', 'prefix', 'json', 'max-busy', 'calm-wait', 'help', 'h', '_', '--']);

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  const a = minimist(argv, {
    string: ['runs', 'matrix-runs', 'load-runs', 'requests', 'concurrency', 'only', 'schemes', 'prefix', 'json', 'max-busy', 'calm-wait'],
    boolean: ['quick', 'help', 'h'],
  });
  if (a.help || a.h) return 'help';
  for (const key of Object.keys(a)) if (!KNOWN.has(key)) throw new LabError(`unknown option --${key}: see \`npm run bench -- --help\``);
  if (a._.length) throw new LabError(`unexpected argument "${String(a._[0])}"`);
  const quick = Boolean(a.quick);
  const prefix = a.prefix ?? 'eiplabb';
  // The floor and the CLI rows add one letter, and the lab allows 12.
  if (!/^[a-z][a-z0-9]{0,10}$/.test(prefix)) throw new LabError(`bad --prefix "${prefix}": use 1 to 11 lower-case letters and digits, starting with a letter`);
  let sections: Section[] = [...SECTIONS];
  if (a.only !== undefined) {
    sections = String(a.only).split(',').filter(Boolean) as Section[];
    const bad = sections.find((s) => !SECTIONS.includes(s));
    if (bad || !sections.length) throw new LabError(`unknown section "${bad ?? ''}": choose from ${SECTIONS.join(', ')}`);
  }
  if (a.json === '') throw new LabError('--json needs a file name');
  return {
    runs: count('runs', a.runs, quick ? 1 : 5, 100),
    matrixRuns: count('matrix-runs', a['matrix-runs'], quick ? 1 : 3, 20),
    loadRuns: count('load-runs', a['load-runs'], quick ? 1 : 3, 20),
    requests: count('requests', a.requests, quick ? 200 : 2000, 100_000),
    concurrency: count('concurrency', a.concurrency, 8, 256),
    loadMaxTime: 20,
    sections,
    schemes: a.schemes === undefined ? [] : String(a.schemes).split(',').filter(Boolean),
    prefix,
    json: a.json ?? DEFAULT_JSON,
    quick,
    maxBusy: positive('max-busy', a['max-busy'], 0.5),
    calmWait: positive('calm-wait', a['calm-wait'], quick ? 0 : 20),
  };
}

// Command-line options: parsed, then validated before anything is built.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgv } from './argv.js';
import { APP_VARIANTS, type AppVariant } from '../schemes/blocks/app.js';
import { NIC_COUNT } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { LANGS, langFromEnv, type Lang } from '../model/i18n.js';
import { PROFILES, type Profile } from '../topology/profiles.js';
import { FIXES, type Fix } from '../model/scheme.js';
import { TARGETS } from '../hosts/index.js';
import { isNodeCommand, parseNodeArgs, type LabNode } from './node-args.js';
import { parseShard, type Shard } from '../run/shard.js';
import { parseOwnApp, parseResolve } from './own-app.js';
import type { OwnApp } from '../config/config.js';

export const COMMANDS = ['up', 'apply', 'verify', 'down', 'run', 'matrix', 'status', 'shell', 'exec', 'watch', 'merge-results', 'capture-script'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Options {
  command: Command;
  scheme?: string;
  profile: Profile;
  /** Whether --profile was given (the matrix runs every profile otherwise). */
  profileGiven: boolean;
  fix: Fix | null;
  app?: AppVariant;
  scenario: string | null;
  prefix: string;
  target: string;
  /** Whether --target was given (without it a machine that cannot run the lab itself picks the project's VM). */
  targetGiven: boolean;
  keep: boolean;
  json?: string;
  /** A JSON file overriding the lab's addresses, names and ports. */
  config?: string;
  /** How many NICs the server has (2 to 4); undefined: the config file's, or 2. */
  nics?: number;
  /** JUnit XML file to write (run, verify, matrix). */
  junit?: string;
  /** Directory for the HTML report (run, verify, matrix). */
  report?: string;
  verbose: boolean;
  /** apply, run: show each step of the scheme and wait for Enter before running it. */
  step: boolean;
  /** Language of explanations, verdict reasons and the terminal's phrases. */
  lang: Lang;
  /** watch: print one snapshot and exit. */
  once: boolean;
  /** shell, exec: the lab node to enter. */
  node?: LabNode;
  /** exec: the program to run there, and its arguments. */
  argv?: string[];
  /** Matrix cells run at once, each worker with its own lab (prefix + worker number); 1 = one after another. */
  parallel: number;
  /** matrix: run only this slice of the cells. */
  shard?: Shard;
  /** merge-results: the --json files to merge. */
  files?: string[];
  /** run, up: a capture of the user's own server (capture-script's JSON) to build the lab's server from. */
  server?: string;
  /** --server: NIC=ADDR elastic-IP stand-ins, as given. */
  eips: string[];
  /** --server: `own` expects every NIC to be its own on reply, egress and seen; otherwise measured only. */
  expect?: 'own';
  /** verify traces the probe's packets for the kernel's account of each verdict (--no-trace: off). */
  trace: boolean;
  /** The user's program (or image) as each NIC's instance instead of the lab's app. */
  ownApp?: OwnApp;
  /** The only names the VPC resolver answers; every name when absent. */
  resolve?: string[];
}

/** More workers than this only queue on the CPU: each cell is a handful of short-lived processes. */
export const MAX_PARALLEL = 16;

const KNOWN = new Set(['config', 'nics', 'profile', 'fix', 'app', 'scenario', 'prefix', 'target', 'keep', 'json', 'junit', 'report', 'parallel', 'shard', 'v', 'verbose', 'help', 'h', '_', '--', 'step', 'lang', 'once', 'server', 'eip', 'expect', 'trace', 'app-cmd', 'app-image', 'app-port', 'app-path', 'resolve']);

export { USAGE } from './usage.js';

function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new LabError(`unknown ${what} "${String(value)}": choose one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Commands that produce results, and so can write them as JUnit or a report. */
const REPORTING: readonly Command[] = ['run', 'verify', 'matrix', 'merge-results'];

/** Checks an output option before anything runs: given once, not empty, for a command with results, not the wrong kind of path. */
function outputPath(flag: string, value: unknown, kind: 'file' | 'directory', cmd: Command): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new LabError(`${flag} given more than once`);
  if (typeof value !== 'string' || value === '') throw new LabError(`${flag} needs a ${kind} name`);
  if (!REPORTING.includes(cmd)) throw new LabError(`${flag} only goes with ${REPORTING.join(', ')}: \`${cmd}\` produces no results`);
  const stat = statSync(value, { throwIfNoEntry: false });
  if (kind === 'file' && stat?.isDirectory()) throw new LabError(`${flag} ${value} is a directory: give a file name`);
  if (kind === 'directory' && stat && !stat.isDirectory()) throw new LabError(`${flag} ${value} is a file: give a directory`);
  return value;
}

export function parseOptions(argv: string[], env: Record<string, string | undefined> = process.env): Options | 'help' {
  // What follows `--` belongs to the command `exec` runs, options included.
  const dashes = argv.indexOf('--');
  const afterDashes = dashes < 0 ? [] : argv.slice(dashes + 1);
  const a = parseArgv(dashes < 0 ? argv : argv.slice(0, dashes), {
    string: ['config', 'nics', 'profile', 'fix', 'app', 'scenario', 'prefix', 'target', 'json', 'junit', 'report', 'lang', 'parallel', 'shard', 'server', 'eip', 'expect', 'app-cmd', 'app-image', 'app-port', 'app-path', 'resolve'],
    boolean: ['keep', 'v', 'verbose', 'help', 'h', 'step', 'once', 'trace'],
    default: { trace: true },
  });
  if (a.help || a.h) return 'help'; // as wantsHelp (usage.ts) decides before the CLI is loaded
  for (const key of Object.keys(a)) {
    if (!KNOWN.has(key)) throw new LabError(`unknown option --${key}: see \`npm run lab -- --help\``);
  }
  const [command, scheme, ...extra] = a._.map(String);
  if (!command) throw new LabError('no command given: see `npm run lab -- --help`');
  const cmd = oneOf('command', command, COMMANDS);
  const server = serverOptions(a, cmd);
  const needsScheme = cmd === 'apply' || (cmd === 'run' && !server);
  if (needsScheme && !scheme) throw new LabError(`\`${cmd}\` needs a scheme, e.g. \`npm run lab -- ${cmd} scheme1\``);
  const onNode = isNodeCommand(cmd) ? parseNodeArgs(cmd, a._.slice(1).map(String), afterDashes) : undefined;
  const files = cmd === 'merge-results' ? a._.slice(1).map(String) : undefined;
  if (files && !files.length) throw new LabError('`merge-results` needs the --json files to merge, e.g. `eiplab merge-results a.json b.json --junit all.xml --report all`');
  if (!onNode && afterDashes.length) throw new LabError(`unexpected argument "${afterDashes[0]}"`);
  if (!onNode && !files && ((!needsScheme && cmd !== 'matrix' && scheme) || extra.length)) throw new LabError(`unexpected argument "${needsScheme ? extra[0] : scheme}"`);
  if (a.step && !needsScheme && !server) throw new LabError('--step works with `apply` and `run`');
  if (a.once && cmd !== 'watch') throw new LabError('--once works with `watch`');
  const prefix = a.prefix ?? 'eiplab';
  if (!/^[a-z][a-z0-9]{0,11}$/.test(prefix)) {
    throw new LabError(`bad --prefix "${prefix}": use 1 to 12 lower-case letters and digits, starting with a letter`);
  }
  const parallel = parseParallel(a.parallel, cmd, prefix);
  if (a.shard !== undefined && cmd !== 'matrix') throw new LabError('--shard is for `matrix` only');
  if (Array.isArray(a.shard)) throw new LabError('--shard given more than once');
  if (a.json === '') throw new LabError('--json needs a file name');
  if (a.config === '') throw new LabError('--config needs a file name');
  const nics = parseNics(a.nics);
  const junit = outputPath('--junit', a.junit, 'file', cmd);
  const report = outputPath('--report', a.report, 'directory', cmd);
  if (junit && report && resolve(junit) === resolve(report)) throw new LabError('--junit and --report must not be the same path');
  const own = ownAppOptions(a, cmd, env);
  return {
    command: cmd,
    scheme: onNode || files ? undefined : scheme,
    profile: a.profile === undefined ? 'lenient' : oneOf('profile', a.profile, PROFILES),
    profileGiven: a.profile !== undefined,
    fix: a.fix === undefined || a.fix === 'none' ? null : fixName(a.fix),
    app: a.app === undefined ? undefined : oneOf('app', a.app, APP_VARIANTS),
    scenario: a.scenario ?? null,
    prefix,
    target: a.target === undefined ? 'local' : oneOf('target', a.target, TARGETS),
    targetGiven: a.target !== undefined,
    keep: Boolean(a.keep),
    json: a.json,
    config: a.config,
    ...(nics !== undefined && { nics }),
    junit,
    report,
    verbose: Boolean(a.v || a.verbose),
    step: Boolean(a.step),
    lang: a.lang === undefined ? langFromEnv(env) : oneOf('language', a.lang, LANGS),
    once: Boolean(a.once),
    ...(onNode && { node: onNode.node }),
    ...(cmd === 'exec' && onNode && { argv: onNode.argv }),
    parallel,
    ...(a.shard !== undefined && { shard: parseShard(String(a.shard)) }),
    ...(files && { files }),
    ...server,
    eips: server?.eips ?? [],
    trace: a.trace !== false,
    ...own,
  };
}

/** --server FILE with its --eip and --expect; null without --server (and then neither of those may be given). */
function serverOptions(a: Record<string, unknown>, cmd: Command): Pick<Options, 'server' | 'eips' | 'expect'> | null {
  const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  if (a.server === undefined) {
    if (a.eip !== undefined) throw new LabError('--eip goes with --server: it names the elastic IP of a captured NIC');
    if (a.expect !== undefined) throw new LabError('--expect goes with --server');
    return null;
  }
  if (Array.isArray(a.server)) throw new LabError('--server given more than once');
  if (a.server === '') throw new LabError('--server needs a capture file (the JSON `npm run lab -- capture-script` prints on your server)');
  if (cmd !== 'run' && cmd !== 'up') throw new LabError('--server works with `run` and `up` (then `verify` measures the lab that is up)');
  if (a.config !== undefined) throw new LabError("--config does not go with --server: the capture gives the server's names and addresses");
  if (a.expect !== undefined && a.expect !== 'own') throw new LabError(`unknown --expect "${String(a.expect)}": the one expectation is \`own\` (every NIC's traffic through itself)`);
  if (a.nics !== undefined) throw new LabError("--nics does not go with --server: the capture gives the server's NICs");
  return { server: String(a.server), eips: list(a.eip), ...(a.expect === 'own' && { expect: 'own' as const }) };
}

const APP_FLAGS = ['app-cmd', 'app-image', 'app-port', 'app-path'] as const;

/** --app-* and --resolve: given once, for the commands that start instances (or build a lab), and checked. */
function ownAppOptions(a: Record<string, unknown>, cmd: Command, env: Record<string, string | undefined>): Pick<Options, 'ownApp' | 'resolve'> {
  for (const flag of [...APP_FLAGS, 'resolve']) if (Array.isArray(a[flag])) throw new LabError(`--${flag} given more than once`);
  const given = APP_FLAGS.find((f) => a[f] !== undefined);
  if (given && !['run', 'apply', 'matrix'].includes(cmd)) throw new LabError(`--${given} goes with run, apply and matrix: they start the instances`);
  if (a.resolve !== undefined && !['up', 'run', 'matrix'].includes(cmd)) throw new LabError('--resolve goes with up, run and matrix: they start the resolver');
  if (given && a.app !== undefined) throw new LabError('--app chooses the lab\'s own app: leave it out with --app-cmd or --app-image, whose binding the lab measures');
  // npm runs scripts from the package's directory; INIT_CWD is where the user typed the command.
  const cwd = env.INIT_CWD || process.cwd();
  const str = (k: string) => (a[k] === undefined ? undefined : String(a[k]));
  const ownApp = parseOwnApp({ cmd: str('app-cmd'), image: str('app-image'), port: str('app-port'), path: str('app-path') }, cwd, env.PATH ?? '');
  const names = parseResolve(str('resolve'));
  return { ...(ownApp && { ownApp }), ...(names && { resolve: names }) };
}

/** A fix's name: checked against the scheme later (a scheme file may define its own fixes), its form here. */
function fixName(value: unknown): Fix {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9-]{0,31}$/.test(value)) {
    throw new LabError(`bad --fix "${String(value)}": give a fix's name, e.g. ${FIXES.join(', ')}`);
  }
  return value;
}

function parseNics(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= NIC_COUNT.min && n <= NIC_COUNT.max)) {
    throw new LabError(`bad --nics "${String(value)}": the server has ${NIC_COUNT.min} to ${NIC_COUNT.max} NICs`);
  }
  return n;
}

function parseParallel(value: unknown, cmd: Command, prefix: string): number {
  if (value === undefined) return 1;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_PARALLEL)) throw new LabError(`bad --parallel "${String(value)}": give a number of cells to run at once, 1 to ${MAX_PARALLEL}`);
  if (cmd !== 'matrix') throw new LabError('--parallel is for `matrix` only');
  // Each worker's lab is named <prefix><k>, and prefixes have at most 12 characters.
  if (n > 1 && prefix.length + String(n).length > 12) {
    throw new LabError(`--prefix "${prefix}" is too long for --parallel ${n}: the workers are named ${prefix}1..${prefix}${n}, at most 12 characters`);
  }
  return n;
}

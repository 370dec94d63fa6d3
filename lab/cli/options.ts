// Command-line options: parsed, then validated before anything is built.
import { minimist } from 'zx';
import type { AppVariant } from '../app.js';
import { LabError } from '../errors.js';
import { PROFILES, type Profile } from '../profiles.js';
import { FIXES, type Fix } from '../scheme.js';
import { TARGETS } from '../target/index.js';

export const COMMANDS = ['up', 'apply', 'verify', 'down', 'run', 'matrix', 'status'] as const;
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
  keep: boolean;
  json?: string;
  verbose: boolean;
}

const KNOWN = new Set(['profile', 'fix', 'app', 'scenario', 'prefix', 'target', 'keep', 'json', 'v', 'verbose', 'help', 'h', '_', '--']);

export const USAGE = `usage: npm run lab -- <command> [options]

commands:
  up                 build the topology (namespaces inet, edge, server)
  apply <scheme>     apply a scheme to the lab that is up
  verify             probe and print the measured verdicts
  down               remove everything the lab created (safe to run any time)
  run <scheme>       up + apply + verify + down
  matrix [scheme]    run every scheme x app x fix x profile (or one scheme's) and print the matrix
  status             show what is up and applied

options:
  --profile lenient|cloud|strict   the network the server lives in (default lenient; the matrix: all three)
  --fix pbr                        apply the scheme's fix (source-based policy routing)
  --app plain|bound                the app variant, where the scheme offers both
  --scenario <name>                a scheme's extra scenario
  --prefix <name>                  name prefix of everything the lab creates (default eiplab)
  --target local|vagrant           where the lab host is: this machine (default) or the Vagrantfile's VM
  --keep                           leave the lab up after run
  --json <file>                    write the results with their evidence as JSON
  -v, --verbose                    print every command run on the lab host, with its namespace`;

function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new LabError(`unknown ${what} "${String(value)}": choose one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function parseOptions(argv: string[]): Options | 'help' {
  const a = minimist(argv, {
    string: ['profile', 'fix', 'app', 'scenario', 'prefix', 'target', 'json'],
    boolean: ['keep', 'v', 'verbose', 'help', 'h'],
  });
  if (a.help || a.h) return 'help';
  for (const key of Object.keys(a)) {
    if (!KNOWN.has(key)) throw new LabError(`unknown option --${key}: see \`npm run lab -- --help\``);
  }
  const [command, scheme, ...extra] = a._.map(String);
  if (!command) throw new LabError('no command given: see `npm run lab -- --help`');
  const cmd = oneOf('command', command, COMMANDS);
  const needsScheme = cmd === 'apply' || cmd === 'run';
  if (needsScheme && !scheme) throw new LabError(`\`${cmd}\` needs a scheme, e.g. \`npm run lab -- ${cmd} scheme1\``);
  if ((!needsScheme && cmd !== 'matrix' && scheme) || extra.length) throw new LabError(`unexpected argument "${needsScheme ? extra[0] : scheme}"`);
  const prefix = a.prefix ?? 'eiplab';
  if (!/^[a-z][a-z0-9]{0,11}$/.test(prefix)) {
    throw new LabError(`bad --prefix "${prefix}": use 1 to 12 lower-case letters and digits, starting with a letter`);
  }
  if (a.json === '') throw new LabError('--json needs a file name');
  return {
    command: cmd,
    scheme,
    profile: a.profile === undefined ? 'lenient' : oneOf('profile', a.profile, PROFILES),
    profileGiven: a.profile !== undefined,
    fix: a.fix === undefined || a.fix === 'none' ? null : oneOf('fix', a.fix, FIXES),
    app: a.app === undefined ? undefined : oneOf('app', a.app, ['plain', 'bound'] as const),
    scenario: a.scenario ?? null,
    prefix,
    target: a.target === undefined ? 'local' : oneOf('target', a.target, TARGETS),
    keep: Boolean(a.keep),
    json: a.json,
    verbose: Boolean(a.v || a.verbose),
  };
}

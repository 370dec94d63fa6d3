// The CLI's own option parser reads every form eiplab takes as minimist
// (zx's copy, which it replaced to start faster) reads it.
import { describe, expect, it } from 'vitest';
import { minimist } from 'zx';
import { parseArgv } from '../../lab/cli/argv.js';

const spec = {
  string: ['config', 'nics', 'profile', 'fix', 'prefix', 'json', 'parallel', 'shard', 'app-cmd'],
  boolean: ['keep', 'v', 'verbose', 'help', 'h', 'step', 'trace'],
  default: { trace: true },
};

const LINES = [
  [],
  ['run', 'scheme1'],
  ['run', 'scheme3', '--profile', 'strict', '--fix', 'pbr', '--prefix', 'lab2', '--keep', '--json', 'out.json', '-v'],
  ['matrix', '--nics', '3', '--parallel=2', '--shard', '1/2'],
  ['matrix', '--shard', '1/2', '--shard', '2/2'],
  ['verify', '--no-trace'],
  ['verify', '--trace', 'false'],
  ['verify', '--trace=false', '--keep=true'],
  ['run', '--profile'],
  ['run', '--profile', '--keep'],
  ['run', 'scheme1', '--bogus'],
  ['run', 'scheme1', '--bogus', 'x'],
  ['run', 'scheme1', '--bogus', '7'],
  ['run', '-h'],
  ['run', '-vh'],
  ['run', '-x', 'y'],
  ['exec', 'server', 'ip', 'route'],
  ['run', '--app-cmd', './my-app -listen {listen}'],
  ['run', '-', 'scheme1'],
  ['run', '--no-keep', '--keep'],
  ['run', '--help'],
  ['run', '--prefix=', 'x'],
  ['run', '12', '--prefix', '007'],
];

describe("the CLI's option parser", () => {
  for (const line of LINES) {
    it(`reads ${JSON.stringify(line)} as minimist does`, () => {
      const ours = parseArgv(line, spec);
      const theirs = minimist(line, spec);
      expect({ ...ours, _: ours._.map(String) }).toEqual({ ...theirs, _: theirs._.map(String) });
    });
  }
});

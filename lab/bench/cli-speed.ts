// What starting the CLI costs before the lab does anything: `--help` as a
// user runs it (npx, tsx, Node, the lab's modules), and the layers under
// it: Node with tsx's loader (no npx, no second process), and Node alone.
// The CLI's `run scheme1` itself is timed beside the floor (floor.ts).
import { speedRow, type BenchContext } from './context.js';
import type { SpeedRow } from './result.js';
import { spawnTimed, tail, type Timed } from './spawn.js';

export async function cli(ctx: BenchContext): Promise<SpeedRow[]> {
  const o = { cwd: ctx.root, env: { FORCE_COLOR: '0' } };
  const ok = (what: string, t: Timed) => {
    if (t.code !== 0) throw new Error(`${what} exited ${t.code}: ${tail(t)}`);
    return t.ms;
  };
  const m = await ctx.sampler.repeat(ctx.opts.runs, async () => ({
    help: ok('lab --help', await spawnTimed('npx', ['tsx', 'scripts/lab.ts', '--help'], o)),
    loader: ok('node --import tsx', await spawnTimed('node', ['--import', 'tsx', 'scripts/lab.ts', '--help'], o)),
    node: ok('node -e 0', await spawnTimed('node', ['-e', '0'], o)),
  }));
  return [
    speedRow('cli:help', 'CLI start-up: npx tsx scripts/lab.ts --help', 'cli', m.help),
    speedRow('cli:help:node-import-tsx', '  node --import tsx scripts/lab.ts --help', 'cli', m.loader),
    speedRow('cli:node', '  node -e 0', 'cli', m.node),
  ];
}

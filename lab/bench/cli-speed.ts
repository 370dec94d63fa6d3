// What starting the CLI costs before the lab does anything: `eiplab --help`
// (plain node and the compiled CLI), the same through `npm run lab --`, and
// Node alone under both.
// The CLI's `run scheme1` itself is timed beside the floor (floor.ts).
import { speedRow, type BenchContext } from './context.js';
import type { SpeedRow } from './result.js';
import { CLI } from './floor.js';
import { spawnTimed, tail, type Timed } from './spawn.js';

export async function cli(ctx: BenchContext): Promise<SpeedRow[]> {
  const o = { cwd: ctx.root, env: { FORCE_COLOR: '0' } };
  const ok = (what: string, t: Timed) => {
    if (t.code !== 0) throw new Error(`${what} exited ${t.code}: ${tail(t)}`);
    return t.ms;
  };
  const m = await ctx.sampler.repeat(ctx.opts.runs, async () => ({
    help: ok('eiplab --help', await spawnTimed(CLI.eiplab[0], [...CLI.eiplab.slice(1), '--help'], o)),
    npm: ok('npm run lab -- --help', await spawnTimed(CLI.npm[0], [...CLI.npm.slice(1), '--help'], o)),
    node: ok('node -e 0', await spawnTimed('node', ['-e', '0'], o)),
  }));
  return [
    speedRow('cli:help', 'CLI start-up: eiplab --help', 'cli', m.help),
    speedRow('cli:help:npm', '  npm run lab -- --help', 'cli', m.npm),
    speedRow('cli:node', '  node -e 0', 'cli', m.node),
  ];
}

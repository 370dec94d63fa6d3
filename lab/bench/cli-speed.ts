// The CLI as a user runs it, `npx tsx scripts/lab.ts run scheme1`: the
// lab's work plus starting npx, tsx and Node. `--help` alone is that
// start-up cost, and the layers under it are timed too (Node alone; Node
// with tsx's loader, no npx and no second process), so the table shows
// what each one adds. The CLI runs on its own prefix (the bench's + "c"):
// the bench holds the lock on its own.
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
    node: ok('node -e 0', await spawnTimed('node', ['-e', '0'], o)),
    loader: ok('node --import tsx', await spawnTimed('node', ['--import', 'tsx', 'scripts/lab.ts', '--help'], o)),
    help: ok('lab --help', await spawnTimed('npx', ['tsx', 'scripts/lab.ts', '--help'], o)),
    run: ok('lab run scheme1', await spawnTimed('npx', ['tsx', 'scripts/lab.ts', 'run', 'scheme1', '--prefix', `${ctx.opts.prefix}c`], o)),
  }));
  return [
    speedRow('cli:run:scheme1', 'npx tsx scripts/lab.ts run scheme1', 'cli', m.run),
    speedRow('cli:help', '  start-up: npx tsx scripts/lab.ts --help', 'cli', m.help),
    speedRow('cli:help:node-import-tsx', '  start-up: node --import tsx scripts/lab.ts --help', 'cli', m.loader),
    speedRow('cli:node', '  start-up: node -e 0', 'cli', m.node),
  ];
}

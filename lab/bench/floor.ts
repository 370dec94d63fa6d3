// The floor, side by side with the lab: bench/floor-scheme1.sh does the
// work of `run scheme1` by hand (topology, scheme 1, the probes, teardown);
// its time is what the work itself costs. Each sample runs it, the lab's
// `run scheme1` through the library, and the CLI as a user types it (the
// `eiplab` command, and `npm run lab --`), one right after the other (in
// turns, so none always goes first): on a shared machine all four then see
// the same load, and their ratios hold.
import { join } from 'node:path';
import { elapsed } from './calm.js';
import { speedRow, type BenchContext } from './context.js';
import type { SpeedRow } from './result.js';
import { spawnTimed, tail } from './spawn.js';

export const FLOOR_SCRIPT = 'bench/floor-scheme1.sh';

async function runFloor(ctx: BenchContext): Promise<number> {
  const r = await spawnTimed('bash', [join(ctx.root, FLOOR_SCRIPT), `${ctx.opts.prefix}f`], {
    cwd: ctx.root,
    env: { EIPLAB_BIN: ctx.target.binDir },
  });
  if (r.code !== 0) throw new Error(`${FLOOR_SCRIPT} exited ${r.code}: ${tail(r)}`);
  // It must have done the work: the echo server saw both elastic IPs.
  const seen = r.stdout.split('== what the echo server saw')[1] ?? '';
  const missing = ctx.cfg.nics.filter((n) => !seen.includes(`"ip":"${n.eip}"`));
  if (missing.length) throw new Error(`${FLOOR_SCRIPT}: the echo server did not see ${missing.map((n) => n.eip).join(', ')}`);
  return r.ms;
}

async function runLibrary(ctx: BenchContext): Promise<number> {
  const [ms, r] = await elapsed(() => ctx.lab.run('scheme1', 'lenient', {}));
  if (!r.ok) throw new Error('run scheme1: measured verdicts differ from the expected ones');
  return ms;
}

/** A command line that runs the CLI, as a user types it. */
export const CLI = { eiplab: ['node', 'bin/eiplab.js'], npm: ['npm', 'run', '--silent', 'lab', '--'] } as const;

/** The CLI on its own prefix (the bench holds the lock on its own). */
async function runCli(ctx: BenchContext, how: keyof typeof CLI): Promise<number> {
  const [cmd, ...args] = CLI[how];
  const r = await spawnTimed(cmd, [...args, 'run', 'scheme1', '--prefix', `${ctx.opts.prefix}c`], { cwd: ctx.root, env: { FORCE_COLOR: '0' } });
  if (r.code !== 0) throw new Error(`${CLI[how].join(' ')} run scheme1 exited ${r.code}: ${tail(r)}`);
  return r.ms;
}

export async function floor(ctx: BenchContext): Promise<SpeedRow[]> {
  const runners: [string, (ctx: BenchContext) => Promise<number>][] = [
    ['floor', runFloor],
    ['lab', runLibrary],
    ['cli', (c) => runCli(c, 'eiplab')],
    ['npm', (c) => runCli(c, 'npm')],
  ];
  let turn = 0;
  const m = await ctx.sampler.repeat(ctx.opts.runs, async () => {
    const out: Record<string, number> = {};
    for (let k = 0; k < runners.length; k++) {
      const [name, fn] = runners[(turn + k) % runners.length];
      out[name] = await fn(ctx);
    }
    turn++;
    return out;
  });
  return [
    speedRow('floor:scheme1', `${FLOOR_SCRIPT} (hand-written), side by side with:`, 'shell', m.floor),
    speedRow('floor:lab:scheme1', '  run scheme1 (the Lab library)', 'library', m.lab),
    speedRow('cli:run:scheme1', '  eiplab run scheme1 (node bin/eiplab.js)', 'cli', m.cli),
    speedRow('npm:run:scheme1', '  npm run lab -- run scheme1', 'cli', m.npm),
  ];
}

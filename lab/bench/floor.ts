// The floor: bench/floor-scheme1.sh does the work of `run scheme1` by hand
// (topology, scheme 1, the probes, teardown). Its time is what the work
// itself costs; the lab's orchestration is whatever comes on top.
import { join } from 'node:path';
import { speedRow, type BenchContext } from './context.js';
import type { SpeedRow } from './result.js';
import { spawnTimed, tail } from './spawn.js';

export const FLOOR_SCRIPT = 'bench/floor-scheme1.sh';

export async function floor(ctx: BenchContext): Promise<SpeedRow[]> {
  const { nics } = ctx.cfg;
  const m = await ctx.sampler.repeat(ctx.opts.runs, async () => {
    const r = await spawnTimed('bash', [join(ctx.root, FLOOR_SCRIPT), `${ctx.opts.prefix}f`], {
      cwd: ctx.root,
      env: { EIPLAB_BIN: ctx.target.binDir },
    });
    if (r.code !== 0) throw new Error(`${FLOOR_SCRIPT} exited ${r.code}: ${tail(r)}`);
    // It must have done the work: the echo server saw both elastic IPs.
    const seen = r.stdout.split('== what the echo server saw')[1] ?? '';
    const missing = nics.filter((n) => !seen.includes(`"ip":"${n.eip}"`));
    if (missing.length) throw new Error(`${FLOOR_SCRIPT}: the echo server did not see ${missing.map((n) => n.eip).join(', ')}`);
    return { floor: r.ms };
  });
  return [speedRow('floor:scheme1', `${FLOOR_SCRIPT} (hand-written)`, 'shell', m.floor)];
}

// `run scheme1 --app-cmd ...` beside `run scheme1`: the same scheme with a
// program of the user's (the docs' example, built here, bound) instead of the
// lab's app, in turns so both see the same load. What it adds is the
// resolver's answers, the socket wait and the extra probe phase.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOwnApp } from '../cli/own-app.js';
import { silentReporter } from '../report/console.js';
import { Lab } from '../run/lab.js';
import { elapsed } from './calm.js';
import { speedRow, type BenchContext } from './context.js';
import type { SpeedRow } from './result.js';

/** The docs' example program, static, into a directory of its own. */
function buildExample(root: string, dir: string): string {
  const out = join(dir, 'my-app');
  execFileSync('go', ['build', '-trimpath', '-o', out, '.'], {
    cwd: join(root, 'docs/examples/my-app'),
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    stdio: 'pipe',
  });
  return out;
}

export async function ownApp(ctx: BenchContext): Promise<SpeedRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'eiplab-bench-own-'));
  try {
    const program = buildExample(ctx.root, dir);
    const own = new Lab(ctx.target, { ...ctx.cfg, ownApp: parseOwnApp({ cmd: `${program} -listen {listen} -bind` }, dir)! }, silentReporter);
    const runners: [string, Lab][] = [
      ['lab', ctx.lab],
      ['own', own],
    ];
    let turn = 0;
    const m = await ctx.sampler.repeat(ctx.opts.runs, async () => {
      const out: Record<string, number> = {};
      for (let k = 0; k < runners.length; k++) {
        const [name, lab] = runners[(turn + k) % runners.length];
        const [ms, r] = await elapsed(() => lab.run('scheme1', 'lenient', {}));
        if (!r.ok) throw new Error(`run scheme1${name === 'own' ? ' --app-cmd' : ''}: measured verdicts differ from the expected ones`);
        out[name] = ms;
      }
      turn++;
      return out;
    });
    return [
      speedRow('ownapp:lab:scheme1', "run scheme1, the lab's app", 'library', m.lab),
      speedRow('ownapp:scheme1', 'run scheme1 --app-cmd, the docs\' example program (bound)', 'library', m.own),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

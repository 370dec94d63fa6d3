// What the data schemes add to a run: reading the shipped scheme files
// (lab/schemes/*.yaml) and building their schemes, in a fresh process of
// the compiled CLI's modules (dist/, as `eiplab` runs) as a run does: with their check kept from an earlier run (what every run pays),
// with the kept checks removed (the first run after a file changes: the
// `yaml` package loaded, every file parsed and checked), and once more in
// the same process.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { speedRow, type BenchContext } from './context.js';
import type { SpeedRow } from './result.js';
import { spawnTimed, tail } from './spawn.js';
import { CACHE_DIR } from '../model/scheme-file/cache.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCHEME_DIR = join(HERE, '..', 'schemes');

/** The shipped scheme files. */
export const dataSchemeFiles = () => readdirSync(SCHEME_DIR).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(SCHEME_DIR, f));

/** Loads every shipped scheme file; prints `cold warm` in milliseconds (run as a script by the bench). */
export async function measureOnce(): Promise<void> {
  const t0 = performance.now();
  const { loadSchemeFile } = await import('../model/scheme-registry.js');
  const files = dataSchemeFiles();
  for (const f of files) await loadSchemeFile(f);
  const cold = performance.now() - t0;
  const t1 = performance.now();
  for (const f of files) await loadSchemeFile(f);
  process.stdout.write(`${cold.toFixed(2)} ${(performance.now() - t1).toFixed(2)}\n`);
}

export async function schemeFiles(ctx: BenchContext): Promise<SpeedRow[]> {
  // The compiled module (the bench builds dist/ first), as `eiplab run` loads it.
  const script = `import('${join(ctx.root, 'dist', 'lab', 'bench', 'scheme-files.js')}').then((m) => m.measureOnce())`;
  const once = async () => {
    const t = await spawnTimed('node', ['-e', script], { cwd: ctx.root });
    if (t.code !== 0) throw new Error(`loading the scheme files exited ${t.code}: ${tail(t)}`);
    return t.stdout.trim().split(/\s+/).map(Number);
  };
  const m = await ctx.sampler.repeat(ctx.opts.runs, async () => {
    rmSync(CACHE_DIR, { recursive: true, force: true });
    const [check] = await once();
    const [kept, again] = await once();
    return { kept, check, again };
  });
  const n = dataSchemeFiles().length;
  return [
    speedRow('schemes:kept', `load the ${n} shipped scheme files in a fresh process (a run)`, 'library', m.kept, 'their check kept from an earlier run'),
    speedRow('schemes:check', '  the same, the files parsed and checked (after a change)', 'library', m.check, 'includes loading the yaml package'),
    speedRow('schemes:again', '  the same files again, same process', 'library', m.again),
  ];
}

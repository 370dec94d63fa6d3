// `npm run build` (and `npm ci`, through `prepare`): compiles scripts/ and lab/
// into dist/ for the `eiplab` command, which plain node runs. Files that are
// not TypeScript (JSON, shell scripts, Dockerfiles, Go sources) are copied
// beside the compiled modules, so what a module finds next to itself is there.
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// bin/eiplab.js reads the same two names: it runs dist/ unless a source is newer than the stamp.
const DIST = 'dist';
const BUILD_STAMP = '.built';
const startedAt = new Date();

function assets(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === join(ROOT, 'lab', 'go') ? [] : assets(path);
    return name.endsWith('.ts') ? [] : [path];
  });
}

// Modules of a removed source must not linger in dist/.
for (const dir of ['lab', 'scripts']) rmSync(join(ROOT, DIST, dir), { recursive: true, force: true });
await $({ cwd: ROOT, stdio: 'inherit' })`node node_modules/typescript/bin/tsc -p tsconfig.build.json`;
const copied = assets(join(ROOT, 'lab'));
for (const file of copied) {
  const to = join(ROOT, DIST, relative(ROOT, file));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(file, to, { preserveTimestamps: true });
}
// The stamp carries the build's start: a source saved while tsc ran counts as newer than the build.
const stamp = join(ROOT, DIST, BUILD_STAMP);
writeFileSync(stamp, `${startedAt.toISOString()}\n`);
utimesSync(stamp, startedAt, startedAt);
console.log(`eiplab: built ${DIST}/ (${copied.length} files copied beside the modules)`);

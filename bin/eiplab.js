#!/usr/bin/env node
// The `eiplab` command (and `npm run lab`): the compiled CLI in dist/, run by
// plain node. dist/ is made by `npm run build`, which `npm ci` runs as
// `prepare`; an installed package carries it. In a checkout whose sources
// changed since that build, the sources themselves run through tsx instead,
// so an edit is never silently ignored (slower to start; one line says so).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// scripts/build.ts writes this stamp when it has compiled everything.
const stamp = `${root}dist/.built`;

// lab/go is not compiled into dist/ (the Go build has its own check), and the lab writes into it as it runs
// (the binaries, the checked scheme files): counting it would make every run after the first a stale one.
const notCompiled = new Set([`${root}lab/go`]);

/** The newest modification time under a directory (build outputs and what is not compiled aside). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'bin' || entry.name === 'node_modules' || notCompiled.has(`${dir}/${entry.name}`)) continue;
    const path = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** A checkout (it has the TypeScript sources) whose sources are newer than its build, or that has none. */
function sourcesNewer() {
  if (!existsSync(`${root}scripts/lab.ts`)) return false; // an installed package: dist/ is all there is
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return newest(`${root}lab`) > built || newest(`${root}scripts`) > built;
}

/** The user's language, as lab/model/i18n.ts reads it from the locale. */
const zh = /^zh/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '');

if (sourcesNewer()) {
  process.stderr.write(
    zh
      ? 'eiplab: 源码在上次编译之后改过了：改用 tsx 直接运行源码（`npm run build` 之后启动又会变快）\n'
      : 'eiplab: the sources changed since the last build: running them through tsx (`npm run build` makes the start fast again)\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  await import('../scripts/lab.ts');
} else {
  await import('../dist/scripts/lab.js');
}

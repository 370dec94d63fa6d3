// Builds the Go app, the echo server and the bench's load generator as static binaries, only when their
// sources changed since the last build.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { $ } from 'zx/core';
import { PACKAGE_DIR } from '../config/package-dir.js';
import { LabError } from '../model/errors.js';
import type { Text } from '../model/i18n.js';
import { say } from '../report/phrases.js';

/** The Go sources, beside the package's manifest (also in the compiled CLI, which runs from dist/). */
export const GO_DIR = join(PACKAGE_DIR, 'lab', 'go');

const writable = (dir: string) => {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** The user's cache directory for what an installed package cannot keep beside itself. */
function cacheDir(): string {
  const home = process.env.HOME ? homedir() : tmpdir();
  return join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'eiplab');
}

/**
 * Where the binaries go: lab/go/bin in the package, or, when the package's directory cannot be written
 * (installed read-only, say), a directory of the user's cache, one per package version.
 */
function binDir(): { dir: string; cached: boolean } {
  const own = join(GO_DIR, 'bin');
  if (existsSync(own) ? writable(own) : writable(GO_DIR)) return { dir: own, cached: false };
  const version: string = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')).version;
  return { dir: join(cacheDir(), version, 'bin'), cached: true };
}

const BIN = binDir();
export const BIN_DIR = BIN.dir;
export const BINARIES = { app: 'eiplab-app', echo: 'eiplab-echo', load: 'eiplab-load' } as const;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'bin' ? [] : sources(path);
    return /\.go$|^go\.(mod|sum)$/.test(name) ? [path] : [];
  });
}

export function sourceHash(): string {
  const h = createHash('sha256');
  for (const file of sources(GO_DIR).sort()) h.update(relative(GO_DIR, file)).update('\0').update(readFileSync(file));
  return h.digest('hex');
}

/** A Go target platform other than this machine's (the container target's Linux on a Mac, say). */
export interface GoPlatform {
  goos: string;
  goarch: string;
}

/** Where the binaries for a platform go: BIN_DIR for this machine's own. */
export function binDirFor(platform?: GoPlatform): string {
  return platform ? join(BIN_DIR, `${platform.goos}-${platform.goarch}`) : BIN_DIR;
}

/** Returns true when it had to build. */
export async function buildGo(log: (line: Text) => void = () => {}, platform?: GoPlatform): Promise<boolean> {
  const out = binDirFor(platform);
  const stamp = join(out, '.sources.sha256');
  const hash = sourceHash();
  const built = Object.values(BINARIES).every((b) => existsSync(join(out, b)));
  if (built && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return false;
  const go = await $({ quiet: true, nothrow: true })`sh -c 'command -v go'`;
  if (go.exitCode !== 0) throw new LabError('missing tool go (to build the lab\'s Go app): run `npm run setup` or `apt-get install golang-go`');
  if (BIN.cached) log(say.goBinariesCached(GO_DIR, BIN_DIR));
  log(say.goBuilding(platform ? `${platform.goos}/${platform.goarch}` : ''));
  mkdirSync(out, { recursive: true });
  const env = {
    ...process.env,
    ...(platform ? { GOOS: platform.goos, GOARCH: platform.goarch } : {}),
    CGO_ENABLED: '0',
    GOFLAGS: '-mod=mod',
    GOCACHE: process.env.GOCACHE ?? join(process.env.HOME ? homedir() : tmpdir(), '.cache', 'go-build'),
  };
  for (const [dir, bin] of Object.entries(BINARIES)) {
    const r = await $({ cwd: GO_DIR, env, quiet: true, nothrow: true })`go build -trimpath -o ${join(out, bin)} ./${dir}`;
    if (r.exitCode !== 0) throw new Error(`go build ./${dir} failed: ${r.stderr.trim()}`);
  }
  writeFileSync(stamp, hash);
  return true;
}

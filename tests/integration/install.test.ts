// The package as a user gets it: `npm pack`, the tarball installed into an
// empty directory elsewhere, and `npx eiplab run scheme1` run there as root,
// with plain node (the tarball has no tsx). The package's directory is made
// read-only (a read-only bind mount in a mount namespace of the test's own,
// gone when the command ends), so the Go binaries must go to the cache
// directory, with one line saying so.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers } from '../helpers/spawn-lab.js';

const PREFIX = 'eiplabpk';
const dir = mkdtempSync(`/tmp/${PREFIX}-`);
const app = join(dir, 'app');
const cache = join(dir, 'cache');
const pkg = join(app, 'node_modules', 'eiplab');
const VERSION: string = JSON.parse(readFileSync('package.json', 'utf8')).version;

function run(cmd: string, args: string[], o: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...o, env: { ...process.env, FORCE_COLOR: '0', ...o.env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `npx eiplab ...` in the install directory, with the package's directory read-only. */
const eiplab = (...args: string[]) =>
  run(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', `mount --bind ${pkg} ${pkg} && mount -o remount,bind,ro ${pkg} && exec npx --no-install eiplab "$@"`, 'sh', ...args],
    { cwd: app, env: { XDG_CACHE_HOME: cache } },
  );

afterAll(() => {
  run('node', ['bin/eiplab.js', 'down', '--prefix', PREFIX]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball, installed elsewhere', () => {
  it('runs `npx eiplab run scheme1` as root, building the Go binaries into the cache', () => {
    // The tarball is built from dist/: compile first when the sources are newer (the launcher says so).
    const stale = run('node', ['bin/eiplab.js', '--help'], { env: { LC_ALL: 'C' } }).out.includes('sources changed');
    const pack = run('npm', ['pack', '--silent', '--pack-destination', dir, ...(stale ? [] : ['--ignore-scripts'])]);
    expect(pack.status, pack.out).toBe(0);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    mkdirSync(app);
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: app });
    expect(install.status, install.out).toBe(0);
    // What a user gets is compiled JavaScript and the assets it needs, not the TypeScript sources.
    expect(existsSync(join(pkg, 'dist', 'scripts', 'lab.js'))).toBe(true);
    expect(existsSync(join(pkg, 'lab', 'go', 'app', 'main.go'))).toBe(true);
    expect(existsSync(join(pkg, 'scripts'))).toBe(false);
    expect(existsSync(join(pkg, 'node_modules', 'tsx')) || existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);

    const help = eiplab('--help');
    expect(help.status, help.out).toBe(0);
    expect(help.out).toMatch(/^usage: eiplab <command>/);

    const first = eiplab('run', 'scheme1', '--prefix', PREFIX);
    expect(first.status, first.out).toBe(0);
    const bin = join(cache, 'eiplab', VERSION, 'bin');
    expect(first.out).toContain(`${join(pkg, 'lab', 'go')} cannot be written: the Go binaries are built into ${bin}`);
    expect(first.out.match(/cannot be written/g)).toHaveLength(1);
    expect(first.out).toContain('all 8 checks as expected (6 pass, 2 fail)');
    expect(readdirSync(bin).sort()).toEqual(expect.arrayContaining(['eiplab-app', 'eiplab-echo', 'eiplab-load']));
    expect(existsSync(join(pkg, 'lab', 'go', 'bin'))).toBe(false);

    // The second run finds them there: nothing is built, nothing said about it.
    const second = eiplab('run', 'scheme1', '--prefix', PREFIX);
    expect(second.status, second.out).toBe(0);
    expect(second.out).not.toContain('cannot be written');
    expect(second.out).not.toContain('building the Go app');
    expect(leftovers(PREFIX)).toEqual([]);
  }, 180_000);
});

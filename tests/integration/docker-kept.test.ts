// The matrix keeps scheme 2's Docker daemon running from cell to cell,
// reset to a fresh daemon's state between them. Its verdicts must be those
// of a fresh daemon per cell, also right after the dockerd-restart scenario
// (which still restarts it), and nothing of it may outlive the matrix: not
// after the last cell, and not after a SIGKILL mid-matrix followed by `down`.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runMatrix } from '../../lab/run/matrix.js';
import type { RunResult } from '../../lab/model/results.js';
import type { Cell } from '../../lab/model/variant.js';
import { fixedDirs, labLeftovers, runs, serverPids, containerPids } from '../helpers/docker.js';
import { check, measuredMap, testLab } from '../helpers/lab.js';
import { spawnLab } from '../helpers/spawn-lab.js';

const prefix = 'eiplabdk';
const lab = testLab(prefix);
afterAll(() => lab.down());

const cell = (profile: Cell['profile'], fix: Cell['fix'], scenario: string | null): Cell => ({ scheme: 'scheme2', app: 'plain', fix, scenario, profile });
// The restart first: the next cell (plain lenient) then shows eth1's EIP only if the reset put
// Docker's MASQUERADE back below where the SNAT rules go, as a fresh daemon has it.
// Then a profile change and a fix, whose rules the reset must take back.
const CELLS = [cell('lenient', null, 'dockerd-restart'), cell('lenient', null, null), cell('strict', 'pbr', null)];

/** What a cell measured: every verdict, and who the echo server saw for each instance. */
const measured = (r: RunResult) => ({
  verdicts: measuredMap(r),
  seen: Object.fromEntries(['eth0', 'eth1'].map((nic) => [nic, check(r, nic, 'egress-ip').evidence.echoSaw])),
});

const dockerdPid = () => (existsSync(`/run/${prefix}/docker/dockerd.pid`) ? readFileSync(`/run/${prefix}/docker/dockerd.pid`, 'utf8').trim() : null);

describe('one Docker daemon for the matrix', () => {
  it('measures every cell as a fresh daemon per cell does, restarts it for dockerd-restart, and leaves nothing after the last cell', async () => {
    const dirs = fixedDirs();
    const fresh = await runMatrix([lab], CELLS, () => {}, undefined, false);
    const pids: Array<string | null> = [];
    const kept = await runMatrix([lab], CELLS, () => pids.push(dockerdPid()));
    expect(kept.map(measured)).toEqual(fresh.map(measured));
    expect(kept.every((r) => r.ok)).toBe(true);
    // The daemon the restart cell started serves every cell after it: none started one of its own.
    expect(pids[0]).toBeTruthy();
    expect(pids.slice(1)).toEqual([pids[0], pids[0]]);
    expect(labLeftovers(prefix)).toEqual([]);
    expect(fixedDirs()).toEqual(dirs);
  }, 120_000);

  it('after a SIGKILL in the cell after a kept one, down removes the kept daemon and the lab', async () => {
    const dirs = fixedDirs();
    const run = spawnLab(['matrix', 'scheme2', '--profile', 'lenient', '--prefix', prefix]);
    await run.waitFor('[1/6]', 60_000);
    const pids = [...serverPids(prefix), ...containerPids(prefix)];
    expect(pids.length).toBeGreaterThan(0);
    process.kill(-run.child.pid!, 'SIGKILL');
    await run.exited;
    const down = spawnSync('node_modules/.bin/tsx', ['scripts/lab.ts', 'down', '--prefix', prefix], { encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    expect(labLeftovers(prefix)).toEqual([]);
    expect(pids.filter(runs)).toEqual([]);
    expect(fixedDirs()).toEqual(dirs);
  }, 120_000);
});

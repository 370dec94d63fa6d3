// The matrix keeps scheme 2's Docker daemon running from cell to cell (its
// verdicts, those of a fresh daemon per cell, are compared in
// matrix-reuse.test.ts). Nothing of it may outlive a SIGKILL mid-matrix
// followed by `down`.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedDirs, labLeftovers, runs, serverPids, containerPids } from '../helpers/docker.js';
import { testLab } from '../helpers/lab.js';
import { spawnLab } from '../helpers/spawn-lab.js';

const prefix = 'eiplabdk';
const lab = testLab(prefix);
afterAll(() => lab.down());

describe('one Docker daemon for the matrix', () => {
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

// Crash safety: Ctrl-C or SIGTERM tears the lab down before exiting; after
// SIGKILL at any phase, `down` removes every leftover.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alive, labPids, leftovers, spawnLab } from '../helpers/spawn-lab.js';

const prefix = 'eiplabt7';
const down = () => spawnSync('node', ['bin/eiplab.js', 'down', '--prefix', prefix], { encoding: 'utf8' });
// Phases as the CLI announces them; the cloud profile makes verify last about a second.
const PHASES = ['▸ up:', '[server] Run one instance listening on eth1', '▸ verify:'];

describe('crash safety', () => {
  for (const phase of PHASES) {
    it(`SIGKILL during "${phase}" leaves what down removes completely`, async () => {
      const run = spawnLab(['run', 'scheme1', '--profile', 'cloud', '--prefix', prefix]);
      await run.waitFor(phase);
      const pids = labPids(prefix);
      process.kill(-run.child.pid!, 'SIGKILL');
      await run.exited;
      const r = down();
      expect(r.status, r.stderr).toBe(0);
      expect(leftovers(prefix)).toEqual([]);
      expect(pids.filter(alive)).toEqual([]);
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during verify tears the lab down before exiting`, async () => {
      const run = spawnLab(['run', 'scheme1', '--profile', 'cloud', '--prefix', prefix]);
      await run.waitFor('▸ verify:');
      const pids = labPids(prefix);
      expect(pids.length).toBeGreaterThan(0);
      process.kill(-run.child.pid!, signal);
      const code = await run.exited;
      expect(run.output()).toContain(`${signal}: tearing the lab down`);
      expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(leftovers(prefix)).toEqual([]);
      expect(pids.filter(alive)).toEqual([]);
    });
  }

  it('the next up removes a killed lab by itself', async () => {
    const run = spawnLab(['up', '--prefix', prefix]);
    await run.waitFor('is up');
    await run.exited;
    const pids = labPids(prefix);
    const again = spawnSync('node', ['bin/eiplab.js', 'run', 'scheme1', '--prefix', prefix], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('removing a leftover lab first');
    expect(pids.filter(alive)).toEqual([]);
    expect(leftovers(prefix)).toEqual([]);
  });
});

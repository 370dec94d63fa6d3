// The bench's hand-written floor (bench/floor-scheme1.sh) does its whole
// teardown: the ratio of `run scheme1` to it is only fair then. Its daemons
// must not outlive their namespaces.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { leftovers } from '../helpers/spawn-lab.js';

const PREFIX = 'eiplabfl';

describe('bench/floor-scheme1.sh', () => {
  it('measures scheme 1 and leaves nothing behind, no daemon in a nameless namespace either', () => {
    const r = spawnSync('bash', ['bench/floor-scheme1.sh', PREFIX], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('what the echo server saw');
    expect(r.stdout).toMatch(/"seen":"198\.51\.100\.75"|198\.51\.100\.75/);
    expect(leftovers(PREFIX)).toEqual([]);
  });
});

// Two labs with different prefixes run at once and both measure correctly;
// a second command on a busy prefix refuses and leaves the first alone.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leftovers, spawnLab } from '../helpers/spawn-lab.js';

describe('concurrent labs', () => {
  it('two prefixes at once: both runs measure as expected', async () => {
    const a = spawnLab(['run', 'scheme1', '--profile', 'cloud', '--prefix', 'eiplabt9']);
    const b = spawnLab(['run', 'scheme3', '--app', 'bound', '--fix', 'pbr', '--profile', 'strict', '--prefix', 'eiplabt10']);
    const [codeA, codeB] = await Promise.all([a.exited, b.exited]);
    expect(a.output()).toContain('all 8 checks as expected (4 pass, 4 fail)');
    expect(b.output()).toContain('all 8 checks as expected (8 pass, 0 fail)');
    expect([codeA, codeB]).toEqual([0, 0]);
    expect([...leftovers('eiplabt9'), ...leftovers('eiplabt10')]).toEqual([]);
  });

  it('the same prefix twice: the second refuses with one line, the first goes on undisturbed', async () => {
    // The scheme 1 matrix: several seconds of holding the lock.
    const first = spawnLab(['matrix', 'scheme1', '--prefix', 'eiplabt9']);
    await first.waitFor('[1/');
    const second = spawnSync('node', ['bin/eiplab.js', 'down', '--prefix', 'eiplabt9'], { encoding: 'utf8' });
    expect(second.status).toBe(2);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(/lab "eiplabt9" is in use by another eiplab \(pid \d+\)/);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/(\d+) cells: \1 as expected, 0 differ/);
    expect(leftovers('eiplabt9')).toEqual([]);
  });

  it('a name too long for an interface is refused before anything is built', () => {
    const config = '/tmp/eiplabt9-config.json';
    writeFileSync(config, JSON.stringify({ nics: [{ name: 'eth0-with-a-long-name' }] }));
    const r = spawnSync('node', ['bin/eiplab.js', 'up', '--prefix', 'eiplabt9', '--config', config], { encoding: 'utf8' });
    rmSync(config);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nics.0.name: must be an interface name');
    expect(leftovers('eiplabt9')).toEqual([]);
  });
});

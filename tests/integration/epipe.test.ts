// `eiplab run scheme1 | head -1`: the reader goes away after one line. A
// closed standard output must not stop the teardown: the run finishes it,
// says so on stderr and exits non-zero.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers } from '../helpers/spawn-lab.js';

const P = 'eiplabep';

afterAll(() => {
  spawnSync('node', ['bin/eiplab.js', 'down', '--prefix', P]);
});

describe('a closed standard output', () => {
  it('run scheme1 | head -1: the lab is torn down and the run exits non-zero', () => {
    const r = spawnSync('bash', ['-c', `node bin/eiplab.js run scheme1 --prefix ${P} | head -1; echo "exit \${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/standard output closed/);
    expect(r.stderr).toMatch(/exit 2\n$/);
    expect(leftovers(P)).toEqual([]);
  });
});

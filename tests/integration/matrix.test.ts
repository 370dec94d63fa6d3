// The whole matrix through the CLI, as CI and trainers run it: every cell
// must match its expectation, --json must carry every cell, and the host's
// root namespace (rules, routes, links, addresses, net sysctls) is unchanged.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matrixCells } from '../../lab/run/matrix.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import { rootNamespaceSnapshot } from '../helpers/host.js';

describe('the matrix', () => {
  it('runs every scheme x app x fix x profile, every cell matches expected, and the root namespace is as before', async () => {
    const before = rootNamespaceSnapshot();
    const json = '/tmp/eiplabt6-matrix.json';
    const r = spawnSync('npx', ['tsx', 'scripts/lab.ts', 'matrix', '--prefix', 'eiplabt6', '--json', json], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const cells = matrixCells([...(await loadSchemes()).values()]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${cells.length} cells: ${cells.length} as expected, 0 differ`);
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(json, 'utf8'));
    expect(results).toHaveLength(cells.length);
    for (const result of results) {
      expect(result.ok).toBe(true);
      expect(result.checks).toHaveLength(8);
    }
    expect(rootNamespaceSnapshot()).toEqual(before);
  }, 600_000);
});

// The matrix through the CLI, as CI and trainers run it: every cell must
// match its expectation, --json must carry every cell, and the host's root
// namespace (rules, routes, links, addresses, net sysctls) is unchanged.
// The post's schemes run in every profile; the schemes beyond the post in
// the one profile that tells their variants apart most (CI time: every
// profile of theirs is in tests/unit/golden-expected.test.ts, and `eiplab
// matrix` runs them all). Two labs take each scheme's cells at once
// (--parallel 2), as the nightly's runners can: half the time, and the local
// target's worker pool runs every cell (the shards and reports tests run
// scheme 1's matrix one cell after another).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matrixCells } from '../../lab/run/matrix.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import type { Profile } from '../../lab/topology/profiles.js';
import { rootNamespaceSnapshot } from '../helpers/host.js';

/** Each shipped scheme and the profile it runs in here (undefined: all three). */
const RUNS: Record<string, Profile | undefined> = {
  scheme1: undefined,
  scheme2: undefined,
  scheme3: undefined,
  // strict: +metric fails egress-ip there only (rp_filter drops the echo server's answers).
  bindtodevice: 'strict',
  // cloud: the source check fails eth1's egress-ip without pbr, and connmark fixes replies only.
  'docker-host-ipv4': 'cloud',
  // Skipped where the kernel has no VRF (here), with its answer; the VM test measures every profile.
  vrf: 'lenient',
};

describe('the matrix', () => {
  it('runs every shipped scheme here, and no other', async () => {
    expect([...(await loadSchemes()).keys()].sort()).toEqual(Object.keys(RUNS).sort());
  });

  it('runs every scheme x app x fix (x profile), every cell matches expected, and the root namespace is as before', async () => {
    const before = rootNamespaceSnapshot();
    const schemes = await loadSchemes();
    for (const [id, profile] of Object.entries(RUNS)) {
      const json = `/tmp/eiplabt6-matrix-${id}.json`;
      const r = spawnSync('node', ['bin/eiplab.js', 'matrix', id, ...(profile ? ['--profile', profile] : []), '--parallel', '2', '--prefix', 'eiplabt6', '--json', json], {
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      const cells = matrixCells([schemes.get(id)!], profile ? [profile] : undefined);
      expect(r.stderr, id).toBe('');
      expect(r.status, id).toBe(0);
      expect(r.stdout, id).toContain('2 at once (eiplabt61, eiplabt62)');
      // Both workers took cells (a cell this lab host cannot run is skipped by its worker).
      for (const w of ['eiplabt61', 'eiplabt62']) expect(r.stdout, id).toMatch(new RegExp(`(as expected|skipped) .* ${w}\\n`));
      const results = JSON.parse(readFileSync(json, 'utf8'));
      rmSync(json);
      expect(results, id).toHaveLength(cells.length);
      // Only a scheme that needs a kernel feature may be skipped, and then with the lab host's answer.
      const skipped = results.filter((x: { skipped?: string }) => x.skipped);
      if (skipped.length) expect(schemes.get(id)!.needs?.length, id).toBeGreaterThan(0);
      for (const result of skipped) expect(result.skipped, id).toMatch(/cannot run VRFs.*it answered "/);
      expect(r.stdout, id).toContain(`${cells.length} cells: ${cells.length - skipped.length} as expected, 0 differ${skipped.length ? `, ${skipped.length} skipped` : ''}`);
      for (const result of results) {
        expect(result.ok, `${id} ${result.profile}`).toBe(true);
        expect(result.checks).toHaveLength(result.skipped ? 0 : 8);
      }
    }
    expect(rootNamespaceSnapshot()).toEqual(before);
  }, 600_000);
});

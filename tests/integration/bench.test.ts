// `npm run bench -- --quick` works: it measures every row (every scheme the
// registry has, so new schemes are covered on their own) and writes sane
// numbers. No speed assertions: speed targets live in the benchmark itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dataVariants } from '../../lab/bench/datapath.js';
import type { BenchResult } from '../../lab/bench/result.js';
import { defaultConfig } from '../../lab/config/config.js';
import { formatVariant } from '../../lab/model/variant.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import { strayProcesses } from '../helpers/strays.js';

const PREFIX = 'eiplabbt';
const JSON_FILE = `/tmp/${PREFIX}-bench.json`;
const REQUESTS = 50;

// The bench's namespaces, and any process it left in a namespace with no name (the floor's daemons once were).
const leftovers = () => [
  ...execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => /^eiplabbt[fcp]?-/.test(l)),
  ...strayProcesses(),
];

describe('the bench in quick mode', () => {
  afterAll(() => rmSync(JSON_FILE, { force: true }));
  it('measures every row and writes sane numbers', async () => {
    const r = spawnSync('npx', ['tsx', 'scripts/bench.ts', '--quick', '--requests', String(REQUESTS), '--prefix', PREFIX, '--json', JSON_FILE], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('lab speed');
    expect(r.stdout).toContain('data path');
    const result = JSON.parse(readFileSync(JSON_FILE, 'utf8')) as BenchResult;
    // A scheme this host lacks a kernel feature for is left out, with the host's answer (here: vrf).
    const all = [...(await loadSchemes()).values()];
    for (const k of result.skipped) expect(all.find((s) => s.id === k.scheme)!.needs?.length, k.scheme).toBeGreaterThan(0);
    const schemes = all.filter((s) => !result.skipped.some((k) => k.scheme === s.id));

    // Lab speed: one row per measurement, each with one sane sample.
    const speedIds = [
      'up', 'down',
      ...schemes.flatMap((s) => [`apply:${s.id}`, `verify:${s.id}`, `verify-untraced:${s.id}`, `apply+verify:${s.id}`, `run:${s.id}`]),
      'floor:scheme1', 'floor:lab:scheme1', 'cli:run:scheme1', 'npm:run:scheme1', 'cli:help', 'cli:help:npm', 'cli:node', 'schemes:kept', 'schemes:check', 'schemes:again', 'matrix', 'matrix:seed-cells', 'matrix:parallel2',
      'ownapp:lab:scheme1', 'ownapp:scheme1',
      ...schemes.map((s) => `matrix:${s.id}`),
    ];
    expect(result.speed.map((s) => s.id).sort()).toEqual([...speedIds].sort());
    for (const row of result.speed) {
      expect(row.error, row.id).toBeUndefined();
      expect(row.stat?.runs, row.id).toBe(1);
      expect(row.stat!.median, row.id).toBeGreaterThan(0);
      expect(row.stat!.median, row.id).toBeLessThan(600_000);
      expect(row.load, row.id).toHaveLength(1);
    }
    expect(result.ratios.runScheme1LibraryVsFloor).toBeGreaterThan(0);
    expect(result.ratios.runScheme1CliVsFloor).toBeGreaterThan(0);
    expect(result.ratios.runScheme1NpmVsFloor).toBeGreaterThan(0);
    expect(result.goals.map((g) => g.met)).not.toContain(null);

    // Data path: the direct baseline, then each variant's instances, all answered.
    const cfg = defaultConfig(PREFIX);
    const dataIds = [
      'direct',
      ...dataVariants({ schemes, opts: { quick: true } }).flatMap((v) => {
        const scheme = schemes.find((s) => s.id === v.scheme)!;
        return scheme.instances({ cfg, app: v.app, fix: v.fix, profile: 'lenient', scenario: null }).map((i) => `${formatVariant(v, 'label')}:${i.nic.name}`);
      }),
    ];
    expect(result.datapath.rows.map((d) => d.id)).toEqual(dataIds);
    const variants = dataVariants({ schemes, opts: { quick: true } }).length;
    for (const d of result.datapath.rows) {
      expect(d.error, d.id).toBeUndefined();
      // The baseline runs once beside every variant.
      expect(d.count, d.id).toBe(d.id === 'direct' ? REQUESTS * variants : REQUESTS);
      expect(d.errors, d.id).toBe(0);
      expect(d.rps, d.id).toBeGreaterThan(0);
      expect(d.p50Ms, d.id).toBeGreaterThan(0);
      expect(d.p99Ms!, d.id).toBeGreaterThanOrEqual(d.p50Ms!);
      expect(d.vsDirect.rps, d.id).toBeGreaterThan(0);
    }
    expect(result.datapath.rows[0].vsDirect.rps).toBe(1);

    // The profile of one run of each scheme: where the time went.
    expect(result.traces.map((t) => t.scheme)).toEqual(schemes.map((s) => s.id));
    for (const t of result.traces) {
      expect(t.calls.length, t.scheme).toBeGreaterThan(5);
      expect(t.totalMs, t.scheme).toBeGreaterThan(0);
    }
    expect(result.machine.cores).toBeGreaterThan(0);

    expect(leftovers()).toEqual([]);
  }, 600_000);
});

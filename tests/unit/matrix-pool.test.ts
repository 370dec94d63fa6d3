// The matrix's pool of labs: every cell runs once, no lab runs two cells at
// once, results come back in the cells' order, and a failure stops new cells.
// A lab takes a variant's cells (one per profile) together, holding the
// scheme applied between them.
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../lab/run/lab.js';
import { matrixCells, runMatrix, variantRuns } from '../../lab/run/matrix.js';
import type { Cell } from '../../lab/model/variant.js';
import type { RunResult } from '../../lab/model/results.js';
import { workerPrefixes } from '../../lab/cli/matrix-command.js';

const cells: Cell[] = Array.from({ length: 7 }, (_, i) => ({ scheme: `s${i}`, app: 'plain', fix: null, scenario: null, profile: 'lenient' }));

function fakeLab(prefix: string, log: string[], busy: Set<string>, delay: (scheme: string) => number, failOn?: string, holds?: string[]): Lab {
  return {
    cfg: { prefix },
    async run(scheme: string, profile: string, o: { hold?: boolean }) {
      holds?.push(`${prefix}:${scheme}:${profile}${o.hold ? ':hold' : ''}`);
      if (busy.has(prefix)) throw new Error(`${prefix} runs two cells at once`);
      busy.add(prefix);
      await new Promise((r) => setTimeout(r, delay(scheme)));
      busy.delete(prefix);
      log.push(`${prefix}:${scheme}`);
      if (scheme === failOn) throw new Error(`${scheme} failed`);
      return { scheme, ok: true } as unknown as RunResult;
    },
    async release() {
      if (busy.has(prefix)) throw new Error(`${prefix} released while running a cell`);
      log.push(`${prefix}:release`);
    },
  } as unknown as Lab;
}

describe('runMatrix on a pool of labs', () => {
  it('runs every cell once, one at a time per lab, and returns results in cell order', async () => {
    const log: string[] = [];
    const busy = new Set<string>();
    const labs = ['a1', 'a2', 'a3'].map((p) => fakeLab(p, log, busy, (s) => (s === 's0' ? 30 : 5)));
    const landed: number[] = [];
    const results = await runMatrix(labs, cells, (_c, i) => landed.push(i));
    expect(results.map((r) => r.scheme)).toEqual(cells.map((c) => c.scheme));
    expect(log.filter((l) => !l.endsWith(':release'))).toHaveLength(cells.length);
    expect(log.filter((l) => l.endsWith(':release')).sort()).toEqual(['a1:release', 'a2:release', 'a3:release']);
    expect(landed[0]).not.toBe(0); // the slow first cell lands after others: lines print as they land
    expect([...landed].sort()).toEqual(cells.map((_, i) => i));
  });

  it('with one lab runs the cells in order', async () => {
    const log: string[] = [];
    await runMatrix([fakeLab('solo', log, new Set(), () => 1)], cells, () => {});
    // The daemon the last cell kept goes with the lab once the cells are done.
    expect(log).toEqual([...cells.map((c) => `solo:${c.scheme}`), 'solo:release']);
  });

  it('stops handing out cells after a failure, lets running cells finish, then throws', async () => {
    const log: string[] = [];
    const busy = new Set<string>();
    const labs = ['b1', 'b2'].map((p) => fakeLab(p, log, busy, (s) => (s === 's1' ? 20 : 5), 's0'));
    await expect(runMatrix(labs, cells, () => {})).rejects.toThrow('s0 failed');
    expect(log).toContain('b2:s1'); // the cell running when s0 failed was finished, not abandoned
    expect(log.filter((l) => !l.endsWith(':release')).length).toBeLessThan(cells.length);
    // A failed matrix still releases every lab's kept daemon.
    expect(log.filter((l) => l.endsWith(':release')).sort()).toEqual(['b1:release', 'b2:release']);
  });

  it("gives a lab a variant's cells together, holding the scheme between its profiles, and only there", async () => {
    const profiles = ['lenient', 'cloud', 'strict'] as const;
    const three = ['x', 'y', 'z'].flatMap((scheme) => profiles.map((profile): Cell => ({ scheme, app: 'plain', fix: null, scenario: null, profile })));
    expect(variantRuns(three)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    // A shard's slice (every other cell) breaks runs where the variant changes.
    expect(variantRuns(three.filter((_, i) => i % 2 === 0))).toEqual([[0, 1], [2], [3, 4]]);
    const holds: string[] = [];
    const busy = new Set<string>();
    const labs = ['h1', 'h2'].map((p) => fakeLab(p, [], busy, (s) => (s === 'x' ? 15 : 1), undefined, holds));
    await runMatrix(labs, three, () => {});
    // h1 takes x's three cells while h2 runs y's and z's: no variant is split between labs.
    expect(holds.filter((h) => h.startsWith('h1'))).toEqual(['h1:x:lenient:hold', 'h1:x:cloud:hold', 'h1:x:strict']);
    expect(holds.filter((h) => h.startsWith('h2'))).toEqual(['h2:y:lenient:hold', 'h2:y:cloud:hold', 'h2:y:strict', 'h2:z:lenient:hold', 'h2:z:cloud:hold', 'h2:z:strict']);
    // Every cell a full run: nothing is held.
    holds.length = 0;
    await runMatrix([fakeLab('f', [], new Set(), () => 1, undefined, holds)], three, () => {}, undefined, false);
    expect(holds.filter((h) => h.endsWith(':hold'))).toEqual([]);
  });

  it("the whole matrix's cells come in runs of one variant in every profile", async () => {
    const { loadSchemes } = await import('../../lab/model/scheme-registry.js');
    const cells = matrixCells([...(await loadSchemes()).values()]);
    expect(variantRuns(cells).every((run) => run.length === 3)).toBe(true);
  });

  it('names one worker by the prefix, several by the prefix and a number', () => {
    expect(workerPrefixes('eiplab', 1)).toEqual(['eiplab']);
    expect(workerPrefixes('eiplabc', 3)).toEqual(['eiplabc1', 'eiplabc2', 'eiplabc3']);
  });
});

describe('what a kept lab must match (heldKey)', () => {
  it('the same variant in another profile matches; another fix, or a program of the user\'s, does not', async () => {
    const { heldKey } = await import('../../lab/run/lab.js');
    const { getScheme } = await import('../../lab/model/scheme-registry.js');
    const { defaultConfig } = await import('../../lab/config/config.js');
    const { parseOwnApp } = await import('../../lab/cli/own-app.js');
    const cfg = defaultConfig('eiplabhk');
    const scheme = await getScheme('scheme1');
    const ctx = (profile: Cell['profile'], fix: Cell['fix']) => ({ cfg, app: 'bound' as const, fix, profile, scenario: null });
    expect(heldKey(scheme, ctx('cloud', null), cfg)).toBe(heldKey(scheme, ctx('lenient', null), cfg));
    expect(heldKey(scheme, ctx('cloud', 'pbr'), cfg)).not.toBe(heldKey(scheme, ctx('cloud', null), cfg));
    const own = { ...cfg, ownApp: parseOwnApp({ cmd: '/bin/true {listen}' }, '/')! };
    expect(heldKey(scheme, { ...ctx('cloud', null), cfg: own }, own)).toBeUndefined();
  });
});

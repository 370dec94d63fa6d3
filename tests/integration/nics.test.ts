// NICs are roles, not names, and there may be 2 to 4 of them. Measured on one
// lab per case, the variants applied in sequence (apply removes the one before):
// renamed NICs (ens5/ens6) give, check for check, the verdicts eth0/eth1 are
// expected to give; with three NICs every shipped scheme is as expected, with
// and without the fix, and the third NIC behaves as the second.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN_DIR } from '../../lab/go/build.js';
import { loadConfig } from '../../lab/config/config-file.js';
import { defaultConfig, type LabConfig } from '../../lab/config/config.js';
import { expectedVerdict } from '../../lab/model/expected.js';
import type { RunResult } from '../../lab/model/results.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import { formatVariant, type Variant } from '../../lab/model/variant.js';
import { Lab } from '../../lab/run/lab.js';
import { variantsOf } from '../../lab/run/matrix.js';
import { silentReporter } from '../../lab/report/console.js';
import { localTarget } from '../../lab/hosts/local.js';
import type { Profile } from '../../lab/topology/profiles.js';
import { CHECKS } from '../../lab/model/scheme.js';

const schemes = [...(await loadSchemes()).values()].filter((s) => ['scheme1', 'scheme2', 'scheme3'].includes(s.id));
// Scheme 2's containers last: scheme 1 and 3 are quick to apply and remove.
schemes.sort((a, b) => Number(a.id === 'scheme2') - Number(b.id === 'scheme2'));
const variants = schemes.flatMap(variantsOf).filter((v) => !v.scenario);

/** Applies each variant in turn to a lab that is up under `profile`; the lab goes down at the end. */
async function measureAll(lab: Lab, profile: Profile, list: Variant[], whileUp = async () => {}): Promise<Map<Variant, RunResult>> {
  const results = new Map<Variant, RunResult>();
  await lab.up(profile);
  try {
    for (const v of list) {
      await lab.apply(v.scheme, v);
      results.set(v, await lab.verify());
    }
    await whileUp();
  } finally {
    await lab.down();
  }
  return results;
}

/** "+-+-" per instance, measured. */
const row = (r: RunResult, instance: string) =>
  CHECKS.map((check) => (r.checks.find((c) => c.instance === instance && c.check === check)!.measured === 'pass' ? '+' : '-')).join('');

const labs: Lab[] = [];
const labFor = (cfg: LabConfig) => {
  const lab = new Lab(localTarget(BIN_DIR), cfg, silentReporter);
  labs.push(lab);
  return lab;
};
afterAll(async () => {
  for (const lab of labs) await lab.down();
});

describe('NICs by role', () => {
  it('a config naming the NICs ens5/ens6 gives the verdicts eth0/eth1 are expected to give, for every shipped scheme', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eiplabrn-'));
    const file = join(dir, 'renamed.json');
    writeFileSync(file, JSON.stringify({ nics: [{ name: 'ens5' }, { name: 'ens6' }] }));
    const cfg = loadConfig('eiplabrn', file);
    rmSync(dir, { recursive: true, force: true });
    expect(cfg.nics.map((n) => n.name)).toEqual(['ens5', 'ens6']);
    const named = defaultConfig('eiplabrn');
    const results = await measureAll(labFor(cfg), 'lenient', variants);
    for (const [v, r] of results) {
      const ctx = { cfg: named, app: v.app, fix: v.fix, profile: r.profile, scenario: v.scenario };
      const label = formatVariant(v, 'label');
      expect([...new Set(r.checks.map((c) => c.instance))], label).toEqual(['ens5', 'ens6']);
      for (const c of r.checks) {
        const was = named.nics[cfg.nics.findIndex((n) => n.name === c.instance)].name;
        expect(`${label} ${c.instance} ${c.check} ${c.measured}`).toBe(`${label} ${c.instance} ${c.check} ${expectedVerdict(schemes.find((s) => s.id === v.scheme)!, ctx, was, c.check).expect}`);
        expect(c.reason).not.toMatch(/\beth\d\b/);
      }
      expect(r.ok, label).toBe(true);
    }
  }, 120_000);
});

describe('three NICs', () => {
  const cfg = defaultConfig('eiplabn3', 3);

  it('every shipped scheme, with and without --fix pbr, is as expected; the third NIC behaves as the second', async () => {
    const results = await measureAll(labFor(cfg), 'lenient', variants);
    const table: string[] = [];
    for (const [v, r] of results) {
      const label = formatVariant(v, 'label');
      expect(r.checks, label).toHaveLength(12);
      expect(r.checks.filter((c) => c.measured !== c.expected), label).toEqual([]);
      expect(row(r, 'eth2'), label).toBe(row(r, 'eth1'));
      table.push(`${label.padEnd(20)} ${cfg.nics.map((n) => row(r, n.name)).join(' ')}`);
    }
    // The third NIC's own EIP is what the echo server saw when its instance's egress is right.
    const fixed = [...results].find(([v]) => v.scheme === 'scheme1' && v.fix === 'pbr')![1];
    expect(fixed.checks.find((c) => c.instance === 'eth2' && c.check === 'egress-ip')!.evidence.echoSaw).toBe(cfg.nics[2].eip);
    console.log(`three NICs, lenient:\n${table.join('\n')}`);
  }, 120_000);

  it('cloud: the source check drops each other NIC\'s address leaving through eth0, and pbr sends all three out their own NIC', async () => {
    const list = variants.filter((v) => v.scheme === 'scheme1');
    // A command given another NIC count than the lab's says so instead of measuring part of it.
    const twoNics = new Lab(localTarget(BIN_DIR), defaultConfig(cfg.prefix), silentReporter);
    let refused: unknown;
    const results = await measureAll(labFor(cfg), 'cloud', list, async () => {
      refused = await twoNics.verify().catch((e: unknown) => e);
    });
    expect(String(refused)).toMatch(/is up with the NICs eth0, eth1, eth2, and this command's config has eth0, eth1/);
    const [plain, fixed] = list.map((v) => results.get(v)!);
    expect(cfg.nics.map((n) => row(plain, n.name))).toEqual(['++++', '----', '----']);
    expect(cfg.nics.map((n) => row(fixed, n.name))).toEqual(['++++', '++++', '++++']);
    expect(plain.ok && fixed.ok).toBe(true);
    const drops = plain.checks.find((c) => c.instance === 'eth2' && c.check === 'egress-nic')!.evidence.sourceCheckDrops as Record<string, number>;
    expect(drops.eth0).toBeGreaterThan(0);
  }, 60_000);
});

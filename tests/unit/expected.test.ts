import { describe, expect, it } from 'vitest';
import type { AppVariant } from '../../lab/schemes/blocks/app.js';
import { defaultConfig } from '../../lab/config/config.js';
import { expectedVerdict } from '../../lab/model/expected.js';
import { t } from '../../lab/model/i18n.js';
import { PROFILES } from '../../lab/topology/profiles.js';
import { CHECKS, type Fix, type SchemeContext } from '../../lab/model/scheme.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';

const cfg = defaultConfig('unit');
const schemes = [...(await loadSchemes()).values()];

describe('expected verdicts', () => {
  it('finds the schemes in lab/schemes/', () => {
    expect(schemes.map((s) => s.id)).toContain('scheme1');
  });

  // Every cell a run can produce has an expectation with a reason.
  for (const scheme of schemes) {
    it(`${scheme.id}: every app x fix x profile x scenario x instance x check has a verdict and a reason`, () => {
      const fixes: (Fix | null)[] = [null, ...(Object.keys(scheme.fixes) as Fix[])];
      const scenarios = [null, ...Object.keys(scheme.scenarios ?? {})];
      for (const app of scheme.apps as AppVariant[])
        for (const fix of fixes)
          for (const profile of PROFILES)
            for (const scenario of scenarios) {
              const ctx: SchemeContext = { cfg, app, fix, profile, scenario };
              for (const nic of cfg.nics)
                for (const check of CHECKS) {
                  const e = expectedVerdict(scheme, ctx, nic.name, check);
                  expect(['pass', 'fail']).toContain(e.expect);
                  expect(t(e.reason, 'en').length).toBeGreaterThan(10);
                }
            }
    });
  }

  it('scheme 1: eth1 without the fix is expected to leave through eth0; with pbr everything passes', async () => {
    const s1 = (await loadSchemes()).get('scheme1')!;
    const ctx: SchemeContext = { cfg, app: 'bound', fix: null, profile: 'lenient', scenario: null };
    expect(expectedVerdict(s1, ctx, 'eth1', 'egress-nic').expect).toBe('fail');
    expect(expectedVerdict(s1, ctx, 'eth1', 'egress-ip').expect).toBe('pass');
    expect(expectedVerdict(s1, { ...ctx, profile: 'cloud' }, 'eth1', 'egress-ip').expect).toBe('fail');
    for (const check of CHECKS) expect(expectedVerdict(s1, { ...ctx, fix: 'pbr', profile: 'strict' }, 'eth1', check).expect).toBe('pass');
  });
});

import { describe, expect, it } from 'vitest';
import type { AppVariant } from '../../lab/schemes/blocks/app.js';
import { defaultConfig, type LabConfig } from '../../lab/config/config.js';
import { expectedVerdict } from '../../lab/model/expected.js';
import { expectFromFacts } from '../../lab/model/expect-from-facts.js';
import type { NicFacts, Side } from '../../lab/model/facts.js';
import { t } from '../../lab/model/i18n.js';
import { PROFILES, type Profile } from '../../lab/topology/profiles.js';
import { CHECKS, type Fix, type SchemeContext } from '../../lab/model/scheme.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';

const cfg = defaultConfig('unit');
const schemes = [...(await loadSchemes()).values()];

const facts = (reply: Side, egress: Side, seen: Side): NicFacts => ({
  reply: { is: reply, why: { en: 'R {nic.name} {default.name}', zh: '回 {nic.name}' } },
  egress: { is: egress, why: { en: 'E {nic.ip}', zh: '出 {nic.ip}' } },
  seen: { is: seen, why: { en: 'S {nic.eip}', zh: '见 {nic.eip}' } },
});
const row = (f: NicFacts, profile: Profile) => {
  const e = expectFromFacts({ others: f }, profile, cfg.nics[1], cfg.nics[0], 'other');
  return CHECKS.map((c) => (e[c].expect === 'pass' ? '+' : '-')).join('');
};

describe('expected verdicts from facts', () => {
  it('lenient follows the facts; ingress always arrives', () => {
    expect(row(facts('own', 'own', 'own'), 'lenient')).toBe('++++');
    expect(row(facts('default', 'default', 'own'), 'lenient')).toBe('+-+-');
    expect(row(facts('default', 'default', 'default'), 'lenient')).toBe('+---');
    expect(row(facts('own', 'default', 'default'), 'lenient')).toBe('++--');
    expect(row(facts('own', 'own', 'default'), 'lenient')).toBe('++-+');
  });

  it("cloud: the source check drops a NIC's address leaving through another", () => {
    expect(row(facts('default', 'own', 'own'), 'cloud')).toBe('--++'); // reply=default also fails ingress
    expect(row(facts('own', 'default', 'own'), 'cloud')).toBe('++--'); // egress=default with seen=own fails egress-ip
    expect(row(facts('own', 'default', 'default'), 'cloud')).toBe('++--');
    expect(row(facts('own', 'own', 'own'), 'cloud')).toBe('++++');
  });

  it('strict gives the verdicts of cloud, with rp_filter=1 as the reason for the dropped requests', () => {
    for (const r of ['own', 'default'] as Side[])
      for (const e of ['own', 'default'] as Side[])
        for (const s of ['own', 'default', 'none'] as Side[])
          if (!(r === 'default' && e === 'own')) expect(row(facts(r, e, s), 'strict')).toBe(row(facts(r, e, s), 'cloud'));
    const e = expectFromFacts({ others: facts('default', 'own', 'own') }, 'strict', cfg.nics[1], cfg.nics[0], 'other');
    expect(e['ingress-nic'].reason.en).toMatch(/^rp_filter=1/);
    expect(e['reply-nic'].reason.zh).toMatch(/^rp_filter=1/);
  });

  it("strict also drops the echo server's answers on a NIC whose route back is another (measured: bindtodevice +metric)", () => {
    expect(row(facts('default', 'own', 'own'), 'cloud')).toBe('--++');
    expect(row(facts('default', 'own', 'own'), 'strict')).toBe('---+');
    const e = expectFromFacts({ others: facts('default', 'own', 'own') }, 'strict', cfg.nics[1], cfg.nics[0], 'other');
    expect(e['egress-ip'].reason.en).toContain("rp_filter=1 drops the echo server's answers coming back on eth1");
  });

  it('seen=none fails egress-ip in every profile, whatever the other facts', () => {
    for (const p of ['lenient', 'cloud', 'strict'] as const) expect(row(facts('own', 'own', 'none'), p)).toBe('++-+');
  });

  it("a reason is the fact's why with the NICs filled in, plus the profile's rule", () => {
    const e = expectFromFacts({ others: facts('default', 'default', 'own') }, 'cloud', cfg.nics[1], cfg.nics[0], 'other');
    expect(e['reply-nic'].reason).toEqual({ en: 'R eth1 eth0', zh: '回 eth1' });
    expect(e['egress-nic'].reason.en).toBe('E 172.31.0.14');
    expect(e['egress-ip'].reason.en).toBe("E 172.31.0.14; the VPC's source check drops a frame with eth1's IP leaving through eth0, so the echo server sees nothing");
    expect(e['ingress-nic'].reason.en).toContain('source check');
  });

  it("the default NIC's left-out facts are its own, with a reason", () => {
    const e = expectFromFacts({ others: facts('default', 'default', 'default') }, 'strict', cfg.nics[0], cfg.nics[0], 'default');
    for (const c of CHECKS) {
      expect(e[c].expect).toBe('pass');
      expect(e[c].reason.en).toContain('eth0');
    }
  });
});

describe('expected verdicts of the shipped schemes', () => {
  it('finds the schemes in lab/schemes/', () => {
    expect(schemes.map((s) => s.id)).toContain('scheme1');
  });

  // Every cell a run can produce has an expectation with a reason that names no NIC it is not about.
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
                  expect(t(e.reason, 'en')).not.toMatch(/\{\w+\.\w+\}/);
                  expect(t(e.reason, 'zh')).not.toMatch(/\{\w+\.\w+\}/);
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

  it('NICs are roles, not names: ens5/ens6 give the verdicts of eth0/eth1, with the new names in the reasons', () => {
    const renamed: LabConfig = { ...cfg, nics: cfg.nics.map((n, i) => ({ ...n, name: `ens${5 + i}` })) as LabConfig['nics'] };
    for (const scheme of schemes)
      for (const app of scheme.apps)
        for (const fix of [null, ...(Object.keys(scheme.fixes) as Fix[])])
          for (const profile of PROFILES)
            for (const [i, nic] of cfg.nics.entries())
              for (const check of CHECKS) {
                const ctx: SchemeContext = { cfg, app, fix, profile, scenario: null };
                const was = expectedVerdict(scheme, ctx, nic.name, check);
                const now = expectedVerdict(scheme, { ...ctx, cfg: renamed }, renamed.nics[i].name, check);
                expect(now.expect).toBe(was.expect);
                expect(t(now.reason, 'en')).not.toMatch(/\beth\d\b/);
              }
  });
});

// Both languages complete: every explanation, reason and fixed phrase the
// repository ships has English and Chinese, non-empty and different.
import { describe, expect, it } from 'vitest';
import type { AppVariant } from '../../lab/schemes/blocks/app.js';
import { probeCounterStep } from '../../lab/checks/counters.js';
import { defaultConfig } from '../../lab/config/config.js';
import { isBilingual, langFromEnv, t, type Bilingual, type Text } from '../../lab/model/i18n.js';
import { PROFILES, profileSteps } from '../../lab/topology/profiles.js';
import { say } from '../../lab/report/phrases.js';
import { expectedVerdict } from '../../lab/model/expected.js';
import { CHECKS, type Fix, type Scheme, type SchemeContext } from '../../lab/model/scheme.js';
import { captureSay } from '../../lab/capture/phrases.js';
import { loadSchemes } from '../../lab/model/scheme-registry.js';
import type { Step } from '../../lab/model/steps.js';
import { teardownSteps } from '../../lab/topology/teardown.js';
import { topologySteps } from '../../lab/topology/topology.js';

const cfg = defaultConfig('unit');
const schemes = [...(await loadSchemes()).values()];
const CJK = /[\u4e00-\u9fff]/;

type Found = [where: string, text: Text];

const fromSteps = (where: string, steps: Step[]): Found[] => steps.map((s, i) => [`${where} step ${i + 1} [${s.node}]`, s.explain]);

/** Every text a scheme can show, over every app x fix x profile x scenario. */
function schemeTexts(scheme: Scheme): Found[] {
  const found: Found[] = [[`${scheme.id} title`, scheme.title]];
  const fixes = Object.keys(scheme.fixes) as Fix[];
  for (const app of scheme.apps as AppVariant[])
    for (const fix of [null, ...fixes])
      for (const profile of PROFILES)
        for (const scenario of [null, ...Object.keys(scheme.scenarios ?? {})]) {
          const ctx: SchemeContext = { cfg, app, fix, profile, scenario };
          const at = `${scheme.id} app=${app} fix=${fix} profile=${profile} scenario=${scenario}`;
          found.push(...fromSteps(`${at} steps`, scheme.steps(ctx)), ...fromSteps(`${at} teardown`, scheme.teardown?.(ctx) ?? []));
          for (const f of fixes) found.push(...fromSteps(`${at} fix ${f}`, scheme.fixes[f]!(ctx)));
          for (const nic of cfg.nics)
            for (const check of CHECKS) found.push([`${at} ${nic.name} ${check} reason`, expectedVerdict(scheme, ctx, nic.name, check).reason]);
          if (scenario) {
            const s = scheme.scenarios![scenario];
            found.push([`${at} scenario`, s.explain], ...fromSteps(`${at} scenario`, s.steps(ctx)));
          }
        }
  return found;
}

function expectComplete(where: string, text: Text) {
  expect(isBilingual(text), `${where}: has no Chinese (a plain string): ${JSON.stringify(text)}`).toBe(true);
  const { en, zh } = text as Bilingual;
  expect(en.trim(), `${where}: English is empty`).not.toBe('');
  expect(zh.trim(), `${where}: Chinese is empty`).not.toBe('');
  expect(zh, `${where}: Chinese is the English`).not.toBe(en);
  expect(zh, `${where}: the Chinese has no Chinese characters`).toMatch(CJK);
}

describe('both languages', () => {
  it('finds texts to check in every scheme', () => {
    expect(schemes.length).toBeGreaterThanOrEqual(2);
    for (const s of schemes) expect(schemeTexts(s).length).toBeGreaterThan(10);
  });

  for (const scheme of schemes) {
    it(`${scheme.id}: every title, step explanation, fix, scenario and verdict reason has en and zh`, () => {
      for (const [where, text] of schemeTexts(scheme)) expectComplete(where, text);
    });
  }

  it('the topology, profile, counter and teardown steps have en and zh', () => {
    const found = [
      ...fromSteps('topology', topologySteps(cfg)),
      ...PROFILES.flatMap((p) => fromSteps(`profile ${p}`, profileSteps(cfg, p))),
      ...fromSteps('counters', [probeCounterStep(cfg)]),
      ...fromSteps('teardown', teardownSteps(cfg)),
    ];
    expect(found.length).toBeGreaterThan(8);
    for (const [where, text] of found) expectComplete(where, text);
  });

  it("every fixed phrase of the terminal has en and zh, and both keep every value it mentions", () => {
    for (const [name, phrase] of [...Object.entries(say), ...Object.entries(captureSay)]) {
      const args = Array.from({ length: phrase.length }, (_, i) => `ARG${i}`);
      const text = (phrase as (...a: string[]) => Bilingual)(...args);
      expectComplete(`phrase ${name}`, text);
      for (const arg of args) {
        expect(text.en, `phrase ${name} (en) drops ${arg}`).toContain(arg);
        expect(text.zh, `phrase ${name} (zh) drops ${arg}`).toContain(arg);
      }
    }
  });
});

describe('language selection', () => {
  it.each([
    [{ LANG: 'zh_CN.UTF-8' }, 'zh'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{}, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_TW.UTF-8' }, 'zh'],
    [{ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }, 'en'],
    [{ LANG: 'zh_CN.UTF-8', LC_ALL: '' }, 'zh'],
  ])('%j -> %s', (env, lang) => {
    expect(langFromEnv(env)).toBe(lang);
  });

  it('a plain string reads the same in both languages', () => {
    expect(t('eth0', 'zh')).toBe('eth0');
    expect(t({ en: 'reply', zh: '回包' }, 'zh')).toBe('回包');
  });
});

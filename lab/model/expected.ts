// The expected verdict of one cell (scheme x app x fix x profile x instance x
// check): the scheme's facts for the variant, turned into verdicts by the
// profile's rules. The instance is named by its NIC; its role comes from the
// config's order (the first NIC holds the default route).
import { LabError } from './errors.js';
import { withResolver } from './expect-dns.js';
import { expectFromFacts, roleOf } from './expect-from-facts.js';
import type { Bilingual } from './i18n.js';
import { CHECKS, type CheckName, type SchemeContext, type Scheme, type Verdict } from './scheme.js';
import { formatVariant } from './variant.js';

/** What a check is expected to give and why; `expect` is null when the scheme states nothing for the variant (measured only). */
export interface Expectation {
  expect: Verdict | null;
  reason: Bilingual;
}

const MEASURED_ONLY: Bilingual = {
  en: 'the scheme states no facts for this variant: measured only, nothing to compare',
  zh: '方案没有为这个变体声明事实：只测量，不做比较',
};

/** `resolvesNames`: the instances are a program that calls names through the VPC resolver (measured). */
export function expectedVerdict(scheme: Scheme, ctx: SchemeContext, instance: string, check: CheckName, resolvesNames = false): Expectation {
  return expectedChecks(scheme, ctx, instance, resolvesNames)[check];
}

/** The four expectations of one instance. */
export function expectedChecks(scheme: Scheme, ctx: SchemeContext, instance: string, resolvesNames = false): Record<CheckName, Expectation> {
  const nics = ctx.cfg.nics;
  const nic = nics.find((n) => n.name === instance);
  if (!nic) throw new LabError(`${scheme.id}: no NIC named "${instance}" in the config (${nics.map((n) => n.name).join(', ')})`);
  const facts = scheme.facts(ctx);
  if (!facts) return Object.fromEntries(CHECKS.map((c) => [c, { expect: null, reason: MEASURED_ONLY }])) as Record<CheckName, Expectation>;
  const checks = expectFromFacts(facts, ctx.profile, nic, nics[0], roleOf(nics, nic));
  return resolvesNames ? withResolver(scheme, ctx, nic, checks) : checks;
}

export function describeContext(ctx: Pick<SchemeContext, 'app' | 'fix' | 'profile' | 'scenario'>): string {
  return formatVariant({ app: ctx.app, fix: ctx.fix, scenario: ctx.scenario, profile: ctx.profile }, 'fields');
}

// Looks up the expected verdict for one cell of scheme x app x fix x profile
// x instance x check in a scheme's rules.
import type { Text } from './i18n.js';
import type { CheckName, ExpectRule, SchemeContext, Scheme, Verdict } from './scheme.js';
import { formatVariant } from './variant.js';

export interface Expectation {
  expect: Verdict;
  reason: Text;
}

function matches<T>(want: T | T[] | undefined, have: T): boolean {
  if (want === undefined) return true;
  return Array.isArray(want) ? want.includes(have) : want === have;
}

export function ruleMatches(rule: ExpectRule, ctx: SchemeContext, instance: string, check: CheckName): boolean {
  const w = rule.when;
  return (
    matches(w.instance, instance) &&
    matches(w.check, check) &&
    (w.fix === undefined || w.fix === ctx.fix) &&
    matches(w.profile, ctx.profile) &&
    matches(w.app, ctx.app) &&
    (w.scenario === undefined || w.scenario === ctx.scenario)
  );
}

export function expectedVerdict(scheme: Scheme, ctx: SchemeContext, instance: string, check: CheckName): Expectation {
  const rule = scheme.expected.find((r) => ruleMatches(r, ctx, instance, check));
  if (!rule) throw new Error(`${scheme.id} has no expected verdict for ${instance} ${check} (${describeContext(ctx)})`);
  return { expect: rule.expect, reason: rule.reason };
}

export function describeContext(ctx: Pick<SchemeContext, 'app' | 'fix' | 'profile' | 'scenario'>): string {
  return formatVariant({ app: ctx.app, fix: ctx.fix, scenario: ctx.scenario, profile: ctx.profile }, 'fields');
}

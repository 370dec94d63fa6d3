// The result of one run, as `--json` writes it (docs/design.md, "The checks"): the
// field names are a contract other tools read.
import type { AppVariant } from '../schemes/blocks/app.js';
import type { Measured } from '../checks/verdicts.js';
import type { Profile } from '../topology/profiles.js';
import { t, type Text } from './i18n.js';
import type { CheckName, Fix, Verdict } from './scheme.js';
import type { Step } from './steps.js';

export interface CheckResult {
  instance: string;
  check: CheckName;
  measured: Verdict;
  /** null when the scheme states nothing for the variant: measured only, nothing can differ. */
  expected: Verdict | null;
  /** Why the network does this, in English (the contract's field). */
  reason: string;
  /** The same reason in Chinese (always written by the lab; optional so results built elsewhere stay valid). */
  reason_zh?: string;
  evidence: Measured['evidence'];
}

export interface RunResult {
  scheme: string;
  app: AppVariant;
  fix: Fix | null;
  profile: Profile;
  target: string;
  scenario: string | null;
  ok: boolean;
  checks: CheckResult[];
  /** What was applied before the probes, in order (optional: added for the reports). */
  steps?: AppliedStep[];
  /** up + apply + verify + down, in milliseconds, when the run did all four. */
  durationMs?: number;
  /**
   * Present when the cell could not run on this lab host (a kernel feature or a
   * scheme's tool is missing): why, in English; `checks` is then empty and `ok` true.
   */
  skipped?: string;
  /** The same reason in Chinese. */
  skipped_zh?: string;
  /** Present when the instances were the user's program (--app-cmd, --app-image). */
  ownApp?: OwnAppResult;
}

/** What the lab measured about a user's program: how it binds its outgoing connections. */
export interface OwnAppResult {
  command: string;
  /** `bound` when every instance's outgoing connection used its listen address as source before NAT, `plain` when one did not, null when none called out. */
  binding: AppVariant | null;
  /** Per instance: the address it listens on, and the sources its connections to the echo server used before NAT. */
  sources: Record<string, { listen: string; dialedFrom: string[] }>;
  /** The app variant whose expected verdicts the checks were compared with (`app` above). */
  expectedFor: AppVariant;
  /** It sent DNS queries to the VPC resolver: it calls names, so where its queries go counts too. */
  resolvesNames: boolean;
}

/**
 * A step as applied: which part of the run it belongs to, so reports can group
 * them. Like `reason`, `explain` is the English and `explain_zh` the Chinese.
 */
export interface AppliedStep extends Step {
  part: 'profile' | 'scheme' | 'fix' | 'scenario';
  explain: string;
  explain_zh?: string;
}

export function appliedSteps(steps: Step[], part: AppliedStep['part']): AppliedStep[] {
  return steps.map(({ node, explain, commands }) => ({ part, node, explain: t(explain, 'en'), explain_zh: t(explain, 'zh'), commands }));
}

/** A result for a cell this lab host cannot run: no checks, and nothing that fails the run. */
export function skippedResult(v: Omit<RunResult, 'ok' | 'checks' | 'skipped' | 'skipped_zh'>, why: Text): RunResult {
  return { ...v, ok: true, checks: [], skipped: t(why, 'en'), skipped_zh: t(why, 'zh') };
}

/** A measured verdict that is not the expected one (a measured-only check never differs). */
export function differs(c: Pick<CheckResult, 'measured' | 'expected'>): boolean {
  return c.expected !== null && c.measured !== c.expected;
}

export function isOk(checks: CheckResult[]): boolean {
  return checks.length > 0 && !checks.some(differs);
}

/** 0 when every measured verdict equals the expected one, 1 otherwise. */
export function exitCodeFor(results: RunResult[]): number {
  return results.every((r) => r.ok) ? 0 : 1;
}

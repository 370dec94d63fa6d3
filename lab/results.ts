// The result of one run, as `--json` writes it (DESIGN.md "Results"): the
// field names are a contract other tools read.
import type { AppVariant } from './app.js';
import type { Measured } from './checks/verdicts.js';
import type { Profile } from './profiles.js';
import type { CheckName, Fix, Verdict } from './scheme.js';
import type { Step } from './steps.js';

export interface CheckResult {
  instance: string;
  check: CheckName;
  measured: Verdict;
  expected: Verdict;
  reason: string;
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
}

/** A step as applied: which part of the run it belongs to, so reports can group them. */
export interface AppliedStep extends Step {
  part: 'profile' | 'scheme' | 'fix' | 'scenario';
}

export function appliedSteps(steps: Step[], part: AppliedStep['part']): AppliedStep[] {
  return steps.map(({ node, explain, commands }) => ({ part, node, explain, commands }));
}

export function isOk(checks: CheckResult[]): boolean {
  return checks.length > 0 && checks.every((c) => c.measured === c.expected);
}

/** 0 when every measured verdict equals the expected one, 1 otherwise. */
export function exitCodeFor(results: RunResult[]): number {
  return results.every((r) => r.ok) ? 0 : 1;
}

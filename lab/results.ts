// The result of one run, as `--json` writes it (DESIGN.md "Results"): the
// field names are a contract other tools read.
import type { AppVariant } from './app.js';
import type { Measured } from './checks/verdicts.js';
import type { Profile } from './profiles.js';
import type { CheckName, Fix, Verdict } from './scheme.js';

export interface CheckResult {
  instance: string;
  check: CheckName;
  measured: Verdict;
  expected: Verdict;
  /** Why the network does this, in English (the contract's field). */
  reason: string;
  /** The same reason in Chinese (added with --lang; tools reading `reason` are unaffected). */
  reason_zh: string;
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
}

export function isOk(checks: CheckResult[]): boolean {
  return checks.length > 0 && checks.every((c) => c.measured === c.expected);
}

/** 0 when every measured verdict equals the expected one, 1 otherwise. */
export function exitCodeFor(results: RunResult[]): number {
  return results.every((r) => r.ok) ? 0 : 1;
}

// Results for report tests: a real scheme 1 matrix recorded from the lab
// (tests/fixtures/scheme1-matrix.json), and a builder for cases the lab does
// not produce today (more NICs, new checks, hostile text in evidence).
import { readFileSync } from 'node:fs';
import { differs, type CheckResult, type RunResult } from '../../lab/model/results.js';

export function recordedMatrix(): RunResult[] {
  return JSON.parse(readFileSync(new URL('../fixtures/scheme1-matrix.json', import.meta.url), 'utf8')) as RunResult[];
}

/** A check whose evidence counts packets per interface, as the lab's NIC checks do. */
export function nicCheck(instance: string, check: string, counts: Record<string, number>, expected: 'pass' | 'fail', extra: Record<string, unknown> = {}): CheckResult {
  const used = Object.entries(counts).filter(([, n]) => n > 0).map(([k]) => k);
  const measured = used.length === 1 && used[0] === instance ? 'pass' : 'fail';
  const key = check.startsWith('ingress') ? 'packetsIn' : 'packetsOut';
  return {
    instance,
    check: check as CheckResult['check'],
    measured,
    expected,
    reason: `because ${check}`,
    evidence: { [key]: counts, ...extra, summary: `${key} ${Object.entries(counts).map(([k, n]) => `${k}:${n}`).join(' ')}` },
  };
}

export function run(over: Partial<RunResult> & Pick<RunResult, 'checks'>): RunResult {
  const r: RunResult = { scheme: 'scheme1', app: 'bound', fix: null, profile: 'lenient', target: 'local', scenario: null, ok: true, ...over };
  r.ok = !r.checks.some(differs);
  return r;
}

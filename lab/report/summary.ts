// The last line of `run` and `matrix`: counts and elapsed time, so a log's
// tail says how it went.
import { t, type Lang } from '../model/i18n.js';
import { differs, type RunResult } from '../model/results.js';
import { secs } from './console.js';
import { say } from './phrases.js';

/** "18 cells: 18 as expected, 0 differ, in 13.00 s" */
export function matrixSummary(results: RunResult[], ms: number, lang: Lang = 'en'): string {
  const differ = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.skipped).length;
  return t(say.matrixSummary(results.length, results.length - differ - skipped, differ, skipped, secs(ms)), lang);
}

/** "scheme1 bound lenient: 8 checks: 8 as expected, 0 differ (6 pass, 2 fail), in 3.10 s" */
export function runSummary(r: RunResult, label: string, ms: number, lang: Lang = 'en'): string {
  if (r.skipped) return t(say.runSkipped(label, lang === 'zh' ? (r.skipped_zh ?? r.skipped) : r.skipped, secs(ms)), lang);
  const differ = r.checks.filter(differs).length;
  const pass = r.checks.filter((c) => c.measured === 'pass').length;
  return t(say.runSummary(label, r.checks.length, r.checks.length - differ, differ, pass, r.checks.length - pass, secs(ms)), lang);
}

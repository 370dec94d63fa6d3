// The last line of `run` and `matrix`: counts and elapsed time, so a log's
// tail says how it went.
import type { RunResult } from '../results.js';
import { secs } from './console.js';

/** "18 cells: 18 as expected, 0 differ, in 13.00 s" */
export function matrixSummary(results: RunResult[], ms: number): string {
  const differ = results.filter((r) => !r.ok).length;
  return `${results.length} cells: ${results.length - differ} as expected, ${differ} differ, in ${secs(ms)}`;
}

/** "scheme1 bound lenient: 8 checks: 8 as expected, 0 differ (6 pass, 2 fail), in 3.10 s" */
export function runSummary(r: RunResult, label: string, ms: number): string {
  const differ = r.checks.filter((c) => c.measured !== c.expected).length;
  const pass = r.checks.filter((c) => c.measured === 'pass').length;
  return `${label}: ${r.checks.length} checks: ${r.checks.length - differ} as expected, ${differ} differ (${pass} pass, ${r.checks.length - pass} fail), in ${secs(ms)}`;
}

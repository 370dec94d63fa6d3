// JUnit XML for CI: one testsuite per run (scheme variant x profile), one
// testcase per instance x check. A testcase fails when the measured verdict
// differs from the expected one; the failure carries both, the reason for
// the expectation and the evidence, so a CI page explains itself.
import { formatVariant } from '../model/variant.js';
import { differs, type CheckResult, type RunResult } from '../model/results.js';
import { escapeXml as x } from './markup.js';
import { kernelLines } from './kernel-lines.js';

export interface JunitOptions {
  /** When the results were produced (the testsuites' timestamp). */
  timestamp?: Date;
  /** Total wall time of the command, in milliseconds. */
  elapsedMs?: number;
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

/** "scheme1 bound +pbr [cloud]": what a CI page lists the suite as. */
export function suiteName(r: RunResult): string {
  return `${formatVariant(r, 'label')} [${r.profile}]`;
}

/** Dotted, so JUnit viewers group by target, then scheme, then variant. */
export function className(r: RunResult): string {
  return ['eiplab', r.target, ...formatVariant(r, 'words')].join('.');
}

export function failureText(r: RunResult, c: CheckResult): string {
  return [
    `${suiteName(r)}: instance ${c.instance}, check ${c.check}`,
    `expected: ${c.expected ?? '-'} (${c.reason})`,
    `measured: ${c.measured}`,
    `evidence: ${c.evidence.summary}`,
    ...kernelLines(c.evidence.kernel, 'en'),
    JSON.stringify(c.evidence, null, 2),
  ].join('\n');
}

function testcase(r: RunResult, c: CheckResult): string {
  const open = `    <testcase classname="${x(className(r))}" name="${x(`${c.instance} ${c.check}`)}"`;
  const out = `      <system-out>${x(`measured ${c.measured}, expected ${c.expected ?? '- (measured only)'}: ${c.evidence.summary}`)}</system-out>\n`;
  if (!differs(c)) return `${open}>\n${out}    </testcase>`;
  const message = `expected ${c.expected}, measured ${c.measured}: ${c.evidence.summary}`;
  return `${open}>\n      <failure type="verdict-differs" message="${x(message)}">${x(failureText(r, c))}</failure>\n${out}    </testcase>`;
}

function properties(r: RunResult): string {
  const props = { target: r.target, scheme: r.scheme, app: r.app, fix: r.fix ?? 'none', profile: r.profile, scenario: r.scenario ?? 'none' };
  return Object.entries(props)
    .map(([k, v]) => `      <property name="${x(k)}" value="${x(v)}"/>`)
    .join('\n');
}

/** A cell the lab host could not run: one testcase, skipped, with the reason. */
function skippedCase(r: RunResult): string {
  return `    <testcase classname="${x(className(r))}" name="${x(formatVariant(r, 'label'))}">\n      <skipped message="${x(r.skipped!)}"/>\n    </testcase>`;
}

function testsuite(r: RunResult, timestamp: string): string {
  if (r.skipped) {
    return [
      `  <testsuite name="${x(suiteName(r))}" tests="1" failures="0" errors="0" skipped="1" time="${seconds(r.durationMs)}" timestamp="${x(timestamp)}">`,
      `    <properties>\n${properties(r)}\n    </properties>`,
      skippedCase(r),
      '  </testsuite>',
    ].join('\n');
  }
  const failures = r.checks.filter(differs).length;
  return [
    `  <testsuite name="${x(suiteName(r))}" tests="${r.checks.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(r.durationMs)}" timestamp="${x(timestamp)}">`,
    `    <properties>\n${properties(r)}\n    </properties>`,
    ...r.checks.map((c) => testcase(r, c)),
    '  </testsuite>',
  ].join('\n');
}

export function junitXml(results: RunResult[], o: JunitOptions = {}): string {
  const checks = results.flatMap((r) => r.checks);
  const failures = checks.filter(differs).length;
  const skipped = results.filter((r) => r.skipped).length;
  // JUnit timestamps carry no zone and no milliseconds.
  const timestamp = (o.timestamp ?? new Date()).toISOString().slice(0, 19);
  const total = o.elapsedMs ?? results.reduce((sum, r) => sum + (r.durationMs ?? 0), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eiplab" tests="${checks.length + skipped}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(total)}">`,
    ...results.map((r) => testsuite(r, timestamp)),
    '</testsuites>',
    '',
  ].join('\n');
}

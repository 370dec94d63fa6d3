// Terminal output: progress, the steps as they are applied (commands and
// the one-line why), and the measured table, in the reporter's language.
import { chalk } from 'zx/core';
import { t, type Lang, type Text } from '../model/i18n.js';
import type { Step } from '../model/steps.js';
import { differs, type RunResult } from '../model/results.js';
import { say } from './phrases.js';
import { kernelLines } from './kernel-lines.js';
import { isLive, liveLine, type LiveLine } from './progress.js';
import { padEnd, width } from './width.js';

export interface Reporter {
  /** A phase begins (up, apply, verify, down). */
  phase(title: Text): void;
  /** A phase ended; elapsed milliseconds. */
  done(ms: number): void;
  /** A step about to run; `detail` shows its commands. */
  step(step: Step, detail: boolean): void;
  info(line: Text): void;
  result(r: RunResult): void;
  /** A line the person at the terminal answers (--step's "press Enter"); stops any live line. */
  prompt?(text: Text): void;
}

export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Prints nothing: for matrix cells (which report one line each) and tests. */
export const silentReporter: Reporter = { phase() {}, done() {}, step() {}, info() {}, result() {} };

export function consoleReporter(
  write: (s: string) => void = (s) => process.stdout.write(s),
  live = isLive(),
  lang: Lang = 'en',
  /** -v: the kernel's account under every check, not only the failed ones. */
  kernelAll = false,
): Reporter {
  // A phase's title waits on its line for the time it took, unless something else is printed first.
  // On a terminal, a long phase shows a spinner and its elapsed time meanwhile.
  let open = false;
  let ticking: LiveLine | undefined;
  const settle = () => {
    ticking?.stop();
    ticking = undefined;
  };
  const line = (s = '') => {
    settle();
    if (open) write('\n');
    open = false;
    write(`${s}\n`);
  };
  return {
    phase(title) {
      settle();
      if (open) write('\n');
      const head = `${chalk.bold.cyan('▸')} ${chalk.bold(t(title, lang))} `;
      write(head);
      if (live) ticking = liveLine(write, head);
      open = true;
    },
    done(ms) {
      settle();
      write(chalk.dim(`${open ? '' : '  '}... ${secs(ms)}\n`));
      open = false;
    },
    step(step, detail) {
      line(`\n  ${chalk.yellow(`[${step.node}]`)} ${t(step.explain, lang)}`);
      if (detail) for (const cmd of step.commands) for (const l of cmd.split('\n')) line(chalk.dim(`      $ `) + l);
      // A step that takes a while (starting dockerd, building an image) shows its time so far under its commands.
      if (live) ticking = liveLine(write, '      ', { clear: true });
    },
    prompt(text) {
      // The person reads this line while the step waits: no spinner may draw over it.
      settle();
      write(`\n  ${chalk.cyan('⏎')} ${chalk.bold(t(text, lang))} `);
    },
    info: (s) => line(`  ${t(s, lang)}`),
    result: (r) => {
      settle();
      write(resultTable(r, lang, kernelAll));
    },
  };
}

/** One row per instance x check: measured, expected, the evidence's summary, and why where it fails. */
export function resultTable(r: RunResult, lang: Lang = 'en', kernelAll = false): string {
  if (r.skipped) return `\n  ${chalk.yellow.bold(t(say.skippedBecause(skipReason(r, lang)), lang))}\n`;
  const rows = r.checks.map((c) => {
    const match = !differs(c);
    const expected = c.expected ?? '-';
    const verdict = c.measured === 'pass' ? chalk.green('pass') : chalk.red('FAIL');
    return {
      cells: [c.instance, c.check, c.measured, expected],
      colored: [c.instance, c.check, verdict, match ? chalk.dim(expected) : chalk.bgRed.white(expected)],
      mark: match ? chalk.green('✓') : chalk.bgRed.white('≠'),
      evidence: c.evidence.summary,
      why: c.expected === 'fail' || !match ? (lang === 'zh' ? (c.reason_zh ?? c.reason) : c.reason) : '',
      kernel: c.measured === 'fail' || kernelAll ? kernelLines(c.evidence.kernel, lang) : [],
    };
  });
  const head = [say.colInstance(), say.colCheck(), say.colMeasured(), say.colExpected()].map((h) => t(h, lang));
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((row) => row.cells[i].length)));
  const out = [`\n  ${head.map((h, i) => chalk.bold(padEnd(h, widths[i]))).join('  ')}    ${chalk.bold(t(say.colEvidence(), lang))}`];
  for (const row of rows) {
    const cells = row.colored.map((c, i) => padEnd(c, widths[i]));
    out.push(`  ${cells.join('  ')}  ${row.mark} ${row.evidence}`);
    const indent = `  ${' '.repeat(widths.slice(0, 4).reduce((a, b) => a + b + 2, 0))}  `;
    if (row.why) out.push(`${indent}${chalk.dim(t(say.why(row.why), lang))}`);
    for (const k of row.kernel) out.push(`${indent}${chalk.dim(k)}`);
  }
  const differ = r.checks.filter(differs).length;
  const measuredOnly = r.checks.length > 0 && r.checks.every((c) => c.expected === null);
  const passed = r.checks.filter((c) => c.measured === 'pass').length;
  const verdict = differ
    ? chalk.red.bold(t(say.someDiffer(differ, r.checks.length), lang))
    : measuredOnly
      ? chalk.bold(t(say.measuredOnly(r.checks.length), lang))
      : chalk.green.bold(t(say.allAsExpected(r.checks.length), lang));
  out.push(`\n  ${verdict} ${chalk.dim(t(say.passFail(passed, r.checks.length - passed), lang))}\n`);
  if (r.ownApp) out.push(...ownAppLines(r, lang).map((l) => `  ${l}`), '');
  return `${out.join('\n')}\n`;
}

/** Why a cell was skipped, in the reader's language. */
export function skipReason(r: RunResult, lang: Lang): string {
  return (lang === 'zh' ? r.skipped_zh : undefined) ?? r.skipped ?? '';
}

/** What the lab measured about a user's program's binding, and which expectations that chose. */
export function ownAppLines(r: RunResult, lang: Lang): string[] {
  const o = r.ownApp!;
  const L = (x: Text) => t(x, lang);
  const lines: string[] = [];
  if (o.binding === null) lines.push(L(say.ownNoCall(o.command)));
  else if (o.binding === 'bound') lines.push(L(say.ownBound(o.command)));
  else {
    const which = Object.entries(o.sources)
      .filter(([, s]) => s.dialedFrom.some((ip) => ip !== s.listen))
      .map(([nic, s]) => L(say.ownPlainWhich(nic, s.listen, s.dialedFrom.join(', '))))
      .join('; ');
    lines.push(L(say.ownPlain(o.command, which)));
  }
  lines.push(o.binding && o.binding !== o.expectedFor ? L(say.ownNotOffered(r.scheme, o.expectedFor, o.binding)) : L(say.ownExpectedFor(o.expectedFor)));
  return lines;
}

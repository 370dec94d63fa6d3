// Terminal output: progress, the steps as they are applied (commands and
// the one-line why), and the measured table.
import { chalk } from 'zx';
import type { Step } from '../steps.js';
import type { RunResult } from '../results.js';
import { isLive, liveLine, type LiveLine } from './progress.js';

export interface Reporter {
  /** A phase begins (up, apply, verify, down). */
  phase(title: string): void;
  /** A phase ended; elapsed milliseconds. */
  done(ms: number): void;
  /** A step about to run; `detail` shows its commands. */
  step(step: Step, detail: boolean): void;
  info(line: string): void;
  result(r: RunResult): void;
}

export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Prints nothing: for matrix cells (which report one line each) and tests. */
export const silentReporter: Reporter = { phase() {}, done() {}, step() {}, info() {}, result() {} };

export function consoleReporter(write: (s: string) => void = (s) => process.stdout.write(s), live = isLive()): Reporter {
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
      const head = `${chalk.bold.cyan('▸')} ${chalk.bold(title)} `;
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
      line(`\n  ${chalk.yellow(`[${step.node}]`)} ${step.explain}`);
      if (detail) for (const cmd of step.commands) for (const l of cmd.split('\n')) line(chalk.dim(`      $ `) + l);
      // A step that takes a while (starting dockerd, building an image) shows its time so far under its commands.
      if (live) ticking = liveLine(write, '      ', { clear: true });
    },
    info: (s) => line(`  ${s}`),
    result: (r) => {
      settle();
      write(resultTable(r));
    },
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** One row per instance x check: measured, expected, the evidence's summary, and why where it fails. */
export function resultTable(r: RunResult): string {
  const rows = r.checks.map((c) => {
    const match = c.measured === c.expected;
    const verdict = c.measured === 'pass' ? chalk.green('pass') : chalk.red('FAIL');
    return {
      cells: [c.instance, c.check, c.measured, c.expected],
      colored: [c.instance, c.check, verdict, match ? chalk.dim(c.expected) : chalk.bgRed.white(c.expected)],
      mark: match ? chalk.green('✓') : chalk.bgRed.white('≠'),
      evidence: c.evidence.summary,
      why: c.expected === 'fail' || !match ? c.reason : '',
    };
  });
  const head = ['instance', 'check', 'measured', 'expected'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row.cells[i].length)));
  const out = [`\n  ${head.map((h, i) => chalk.bold(pad(h, widths[i]))).join('  ')}    ${chalk.bold('evidence')}`];
  for (const row of rows) {
    const cells = row.colored.map((c, i) => c + ' '.repeat(widths[i] - row.cells[i].length));
    out.push(`  ${cells.join('  ')}  ${row.mark} ${row.evidence}`);
    if (row.why) out.push(`  ${' '.repeat(widths.slice(0, 4).reduce((a, b) => a + b + 2, 0))}  ${chalk.dim(`why: ${row.why}`)}`);
  }
  const differ = r.checks.filter((c) => c.measured !== c.expected).length;
  const passed = r.checks.filter((c) => c.measured === 'pass').length;
  const verdict = differ
    ? chalk.red.bold(`${differ} of ${r.checks.length} checks differ from expected`)
    : chalk.green.bold(`all ${r.checks.length} checks as expected`);
  out.push(`\n  ${verdict} ${chalk.dim(`(${passed} pass, ${r.checks.length - passed} fail)`)}\n`);
  return `${out.join('\n')}\n`;
}

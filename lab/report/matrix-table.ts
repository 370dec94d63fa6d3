// The matrix at a glance: rows are scheme variants, columns are profiles,
// each cell the eight checks as one symbol each (per instance: ingress-nic,
// reply-nic, egress-ip, egress-nic). A symbol is "+" or "-" when the
// measured verdict is the expected one, and a loud "P" or "F" when the
// measurement differs (P: passed but expected to fail; F: the reverse).
import { chalk } from 'zx/core';
import { formatVariant, sameVariant, type Variant } from '../model/variant.js';
import { t, type Lang } from '../model/i18n.js';
import type { Profile } from '../topology/profiles.js';
import { differs, type CheckResult, type RunResult } from '../model/results.js';
import { CHECKS } from '../model/scheme.js';
import { skipReason } from './console.js';
import { say } from './phrases.js';
import { padEnd } from './width.js';

export function symbol(c: CheckResult): string {
  if (c.expected === null) return chalk.dim(c.measured === 'pass' ? 'p' : 'f');
  if (!differs(c)) return c.measured === 'pass' ? chalk.green('+') : chalk.red('-');
  return chalk.bgRed.white.bold(c.measured === 'pass' ? 'P' : 'F');
}

export function cellText(r: RunResult | undefined, instances: string[], lang: Lang = 'en'): string {
  if (!r) return '·'.repeat(instances.length * (CHECKS.length + 1) - 1);
  if (r.skipped) return chalk.yellow(t(say.cellSkipped(), lang));
  return instances
    .map((inst) =>
      CHECKS.map((check) => {
        const c = r.checks.find((x) => x.instance === inst && x.check === check);
        return c ? symbol(c) : '?';
      }).join(''),
    )
    .join(' ');
}

const pad = padEnd;

export function matrixTable(results: RunResult[], variants: Variant[], profiles: readonly Profile[], instances: string[], lang: Lang = 'en'): string {
  const labelWidth = Math.max(7, ...variants.map((v) => formatVariant(v, 'label').length));
  const cellWidth = Math.max(...profiles.map((p) => p.length), instances.length * (CHECKS.length + 1) - 1);
  const lines = [
    `  ${pad(chalk.bold(t(say.matrixVariant(), lang)), labelWidth)}  ${profiles.map((p) => pad(chalk.bold(p), cellWidth)).join('  ')}`,
    `  ${' '.repeat(labelWidth)}  ${profiles.map(() => pad(chalk.dim(instances.map((i) => i.padEnd(CHECKS.length)).join(' ')), cellWidth)).join('  ')}`,
  ];
  for (const v of variants) {
    const cells = profiles.map((p) => cellText(results.find((r) => r.profile === p && sameVariant(r, v)), instances, lang));
    lines.push(`  ${pad(formatVariant(v, 'label'), labelWidth)}  ${cells.map((c) => pad(c, cellWidth)).join('  ')}`);
  }
  lines.push(
    chalk.dim(`\n  ${t(say.matrixLegend(), lang)}`),
  );
  // Each reason once, with the schemes it kept from running.
  const skips = new Map<string, Set<string>>();
  for (const r of results) if (r.skipped) skips.set(skipReason(r, lang), (skips.get(skipReason(r, lang)) ?? new Set()).add(r.scheme));
  for (const [why, schemes] of skips) lines.push(chalk.yellow(`  ${[...schemes].join(', ')}: ${t(say.skippedBecause(why), lang)}`));
  return `${lines.join('\n')}\n`;
}

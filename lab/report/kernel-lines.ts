// The kernel's account of a check as the terminal, JUnit and the HTML
// report show it: its one or two summary lines, then any contradiction
// with the hand-written reason.
import { t, type Lang } from '../model/i18n.js';
import type { KernelEvidence } from '../checks/kernel/account.js';
import { say } from './phrases.js';

export function kernelLines(kernel: unknown, lang: Lang): string[] {
  const k = kernel as KernelEvidence | undefined;
  if (!k || !Array.isArray(k.summary)) return [];
  const summary = lang === 'zh' && k.summary_zh ? k.summary_zh : k.summary;
  const lines = summary.map((s) => t(say.kernel(s), lang));
  const against = lang === 'zh' ? (k.contradiction_zh ?? k.contradiction) : k.contradiction;
  if (against) lines.push(t(say.kernel(against), lang));
  return lines;
}

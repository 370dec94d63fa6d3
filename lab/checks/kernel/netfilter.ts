// A traced packet's netfilter path as lines: each chain it passed, the
// rules that matched there with their verdicts and rewrites, and the NAT
// rules of that chain it passed without matching (or never reached).
import type { LabConfig } from '../../config/config.js';
import { both, type Bilingual } from '../../model/i18n.js';
import { say } from '../../report/phrases.js';
import { chainKey, isNatRule, type Ruleset } from './ruleset.js';
import type { Passage, RuleHit } from './trace.js';

const shown = (text: string) => text.replace(/\bcounter ?/g, '').replace(/\s+/g, ' ').trim();

/** "snat to 172.31.0.14" from a whole rule: the part a person recognises. */
export const natAction = (text: string) => shown(text).match(/\b(?:snat|dnat|masquerade|redirect)\b.*$/)?.[0] ?? shown(text);

const isTerminal = (v: string) => ['accept', 'drop', 'reject', 'queue', 'stolen'].includes(v.split(' ')[0]);

function rewrite(cfg: LabConfig, p: Passage, hit: RuleHit): Bilingual | undefined {
  const to = hit.text.match(/\b(snat|dnat) (?:ip )?to (\S+)/);
  if (to) return to[1] === 'snat' ? say.kernelSourceTo(to[2]) : say.kernelDestTo(to[2]);
  if (/\bmasquerade\b/.test(hit.text)) {
    const dev = p.packet?.oif;
    const nic = cfg.nics.find((n) => n.name === dev);
    return nic ? say.kernelMasqTo(nic.ip, nic.name) : dev ? both((l) => (l === 'en' ? `source -> ${dev}'s address` : `源地址 -> ${dev} 的地址`)) : undefined;
  }
  return undefined;
}

/** The chain's NAT rules the packet did not match: before the rule that ended the chain, or never reached after it. */
function missedNat(ruleset: Ruleset, p: Passage): { missed: string[]; unreached: string[] } {
  const listed = ruleset.get(chainKey(p.family, p.table, p.chain)) ?? [];
  const hitHandles = new Set(p.rules.map((r) => r.handle));
  const endAt = p.rules.find((r) => isTerminal(r.verdict));
  const endIndex = endAt ? listed.findIndex((r) => r.handle === endAt.handle) : -1;
  const missed: string[] = [];
  const unreached: string[] = [];
  listed.forEach((r, i) => {
    if (!isNatRule(r.text) || hitHandles.has(r.handle)) return;
    (endIndex >= 0 && i > endIndex ? unreached : missed).push(shown(r.text));
  });
  return { missed, unreached };
}

export interface NetfilterPath {
  /** One line per chain passed. */
  lines: string[];
  /** The NAT decisions, for the console (both languages). */
  nat: Bilingual[];
  /** The rule that dropped the packet, when one did. */
  dropped?: { where: string; rule: string };
}

/**
 * `relevant`: addresses that make a missed NAT rule worth a mention in the short account (the packet's own
 * source, the NIC address its instance should leave with); the full lines list every one.
 */
export function netfilterPath(cfg: LabConfig, passages: Passage[], ruleset: Ruleset, relevant: string[] = []): NetfilterPath {
  const mentions = (rule: string) => relevant.some((ip) => new RegExp(`(^|[^\\d.])${ip.replace(/\./g, '\\.')}([^\\d]|$)`).test(rule));
  const lines: string[] = [];
  const nat: Bilingual[] = [];
  let dropped: NetfilterPath['dropped'];
  for (const p of passages) {
    const where = `${p.family} ${p.table} ${p.chain}`;
    const hits = p.rules.map((r) => {
      const rw = rewrite(cfg, p, r);
      return `'${shown(r.text)}' (${r.verdict}${rw ? `: ${rw.en}` : ''})`;
    });
    const { missed, unreached } = missedNat(ruleset, p);
    const natHits = p.rules.filter((r) => isNatRule(r.text));
    const parts = [...hits, ...(p.end?.startsWith('policy') ? [p.end] : [])];
    if (missed.length) parts.push(`did not match: ${missed.map((m) => `'${m}'`).join(', ')}`);
    if (unreached.length) parts.push(`not reached: ${unreached.map((m) => `'${m}'`).join(', ')}`);
    lines.push(`${where}: ${parts.join('; ') || 'no rule matched'}`);
    const missedShown = missed.filter(mentions);
    const unreachedShown = unreached.filter(mentions);
    if (natHits.length || missedShown.length || unreachedShown.length) {
      const chain = p.chain;
      const words = [
        ...natHits.map((h) => say.kernelNatHit(chain, natAction(h.text), rewrite(cfg, p, h)?.en ?? '')),
        ...(natHits.length ? [] : [say.kernelNatNone(chain)]),
        ...missedShown.map((m) => say.kernelNatMissed(shown(m))),
        ...unreachedShown.map((m) => say.kernelNatUnreached(shown(m))),
      ];
      const zhWords = [
        ...natHits.map((h) => say.kernelNatHit(chain, natAction(h.text), rewrite(cfg, p, h)?.zh ?? '').zh),
        ...words.slice(natHits.length).map((w) => w.zh),
      ];
      nat.push({ en: words.map((w) => w.en).join(', '), zh: zhWords.join('，') });
    }
    const drop = p.rules.find((r) => r.verdict === 'drop' || r.verdict.startsWith('reject'));
    if (drop && !dropped) dropped = { where, rule: shown(drop.text) };
    else if (p.end === 'policy drop' && !dropped) dropped = { where, rule: 'policy drop' };
  }
  return { lines, nat, ...(dropped && { dropped }) };
}

// The captured iptables-save text, split into what iptables-restore can
// replay in the lab and what it cannot (each with its reason).
import type { Bilingual } from '../model/i18n.js';
import { captureSay } from './phrases.js';

export interface IptablesTable {
  name: string;
  /** `:CHAIN POLICY [0:0]` lines, counters zeroed. */
  chains: string[];
  /** `-A ...` lines the lab can replay. */
  rules: string[];
}

export interface Unreplayable {
  what: string;
  why: Bilingual;
}

/** Splits a rule line into words as iptables-save quotes them ("..." with \" and \\ inside). */
export function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let w = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        w += line[i++];
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') w += line[i++];
    }
    out.push(w);
  }
  return out;
}

/** True when an iptables interface name (`eth+` is a prefix) names only interfaces the lab creates, and at least one. */
export function namesOnlyCreated(name: string, created: Set<string>, captured: string[]): boolean {
  const matches = (n: string) => (name.endsWith('+') ? n.startsWith(name.slice(0, -1)) : n === name);
  const hits = [...new Set([...captured, ...created])].filter(matches);
  return hits.length > 0 && hits.every((n) => created.has(n));
}

const INTERFACE_FLAGS = new Set(['-i', '--in-interface', '-o', '--out-interface', '--physdev-in', '--physdev-out']);

/** Why one rule cannot be replayed, or null when it can. */
export function ruleProblem(line: string, created: Set<string>, captured: string[]): Bilingual | null {
  const w = words(line);
  for (let i = 0; i < w.length; i++) {
    if (INTERFACE_FLAGS.has(w[i]) && !namesOnlyCreated(w[i + 1] ?? '', created, captured)) return captureSay.namesInterface(w[i + 1] ?? '');
    if (w[i] === '-m' && w[i + 1] === 'set') return captureSay.ipsetMatch();
    if (w[i] === '-j' && w[i + 1] === 'SET') return captureSay.ipsetMatch();
    if (w[i] === '-m' && w[i + 1] === 'physdev') return captureSay.physdev();
  }
  return null;
}

/** Parses iptables-save output; comments and COMMIT lines are structure, not content. */
export function parseIptablesSave(text: string): { name: string; chains: string[]; rules: string[] }[] {
  const tables: { name: string; chains: string[]; rules: string[] }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line === 'COMMIT') continue;
    if (line.startsWith('*')) tables.push({ name: line.slice(1), chains: [], rules: [] });
    else if (!tables.length) continue;
    else if (line.startsWith(':')) tables[tables.length - 1].chains.push(line.replace(/\s*\[\d+:\d+\]$/, ' [0:0]'));
    else if (line.startsWith('-A ')) tables[tables.length - 1].rules.push(line.replace(/^\[\d+:\d+\]\s*/, ''));
  }
  return tables;
}

/** The tables to restore and the rules left out, each named by table and line. */
export function planIptables(text: string | null, created: Set<string>, captured: string[]): { tables: IptablesTable[]; skipped: Unreplayable[] } {
  if (!text) return { tables: [], skipped: [] };
  const skipped: Unreplayable[] = [];
  const tables = parseIptablesSave(text).map((t) => ({
    name: t.name,
    chains: t.chains,
    rules: t.rules.filter((rule) => {
      const why = ruleProblem(rule, created, captured);
      if (why) skipped.push({ what: `iptables -t ${t.name} ${rule}`, why });
      return !why;
    }),
  }));
  return { tables, skipped };
}

/** iptables-restore input for the tables (declared chains kept, so jumps to a chain whose rules were skipped still work). */
export function restoreInput(tables: IptablesTable[]): string {
  return tables.map((t) => [`*${t.name}`, ...t.chains, ...t.rules, 'COMMIT'].join('\n')).join('\n') + '\n';
}

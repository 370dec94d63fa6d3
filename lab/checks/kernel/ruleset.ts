// The rules of each chain, in the order the kernel evaluates them, from
// `nft -a list ruleset`: what tells a NAT rule the packet passed without
// matching from one it never reached.
import { cleanRule } from './trace.js';

export interface ListedRule {
  text: string;
  handle: number;
}

/** Rules by "family table chain". */
export type Ruleset = Map<string, ListedRule[]>;

export const chainKey = (family: string, table: string, chain: string) => `${family} ${table} ${chain}`;

export function parseRuleset(listing: string): Ruleset {
  const out: Ruleset = new Map();
  let table: string | undefined;
  let chain: ListedRule[] | undefined;
  let depth = 0;
  for (const raw of listing.split('\n')) {
    const line = raw.trim();
    const opens = (line.match(/\{/g) ?? []).length;
    const closes = (line.match(/\}/g) ?? []).length;
    const t = line.match(/^table (\S+) (\S+) \{/);
    const c = line.match(/^chain (\S+) \{/);
    if (depth === 0 && t) table = `${t[1]} ${t[2]}`;
    else if (depth === 1 && c && table) out.set(`${table} ${c[1]}`, (chain = []));
    else if (depth === 2 && chain && /# handle \d+$/.test(line) && !/^type \S+ hook /.test(line)) {
      const r = cleanRule(line);
      if (r.handle !== undefined) chain.push({ text: r.text, handle: r.handle });
    }
    depth += opens - closes;
    if (depth <= 1) chain = undefined;
    if (depth <= 0) table = undefined;
  }
  return out;
}

export const isNatRule = (text: string) => /\b(snat|dnat|masquerade|redirect)\b/.test(text);

// A variant's facts from a scheme file's expect blocks: the scheme's, its
// scenario's, its fix's, each followed by its app's override, merged fact by fact.
import type { Fact, FactName } from '../facts.js';
import type { FactsBlock, FileApp, SchemeFile } from './read.js';

/** Which expect blocks a variant's facts merge, in order: the scheme's, its scenario's, its fix's (each with its app's overrides). */
export function blocksFor(file: SchemeFile, app: FileApp, fix: string | null, scenario: string | null): FactsBlock[] {
  const out: FactsBlock[] = [];
  for (const block of [file.expect, scenario ? file.scenarios[scenario]?.expect : undefined, fix ? file.fixes[fix]?.expect : undefined]) {
    if (!block) continue;
    out.push(block);
    const over = block.apps?.[app];
    if (over) out.push(over);
  }
  return out;
}

/** The merged facts of the NICs without the default route, and the default NIC's, for one variant. */
export function mergeFacts(blocks: FactsBlock[]): { others: Partial<Record<FactName, Fact>>; default: Partial<Record<FactName, Fact>> } {
  const others: Partial<Record<FactName, Fact>> = {};
  const dflt: Partial<Record<FactName, Fact>> = {};
  for (const b of blocks) {
    Object.assign(others, b.all, b.others);
    Object.assign(dflt, b.all, b.default);
  }
  return { others, default: dflt };
}


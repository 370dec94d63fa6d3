// The captured nft ruleset (nft -j), reduced to what the lab can load with
// `nft -j -f`: iptables-nft's own tables come back through iptables-restore,
// IPv6-only tables and rules naming interfaces the lab lacks are left out.
import type { Bilingual } from '../model/i18n.js';
import type { Unreplayable } from './iptables.js';
import { namesOnlyCreated } from './iptables.js';
import { captureSay } from './phrases.js';

type NftObject = Record<string, unknown>;
type Entry = Record<string, unknown>;

const INTERFACE_KEYS = new Set(['iifname', 'oifname', 'iif', 'oif']);

/** Every interface name a rule's expressions compare with (meta iifname/oifname/iif/oif). */
export function interfaceNames(expr: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const match = (node as { match?: { left?: { meta?: { key?: string } }; right?: unknown } }).match;
    if (match && INTERFACE_KEYS.has(match.left?.meta?.key ?? '')) {
      const right = match.right as unknown;
      const values = typeof right === 'string' ? [right] : ((right as { set?: unknown[] })?.set ?? []).filter((v): v is string => typeof v === 'string');
      // nft writes a wildcard as "eth*"; iptables as "eth+".
      found.push(...values.map((v) => v.replace(/\*$/, '+')));
    }
    Object.values(node).forEach(walk);
  };
  walk(expr);
  return found;
}

const tableKey = (family: unknown, name: unknown) => `${String(family)} ${String(name)}`;

/** Zeroes counter values, so the lab's counters start from its own packets. */
function zeroCounters(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(zeroCounters);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'counter' && v && typeof v === 'object' && 'packets' in v) out[k] = { ...(v as object), packets: 0, bytes: 0 };
    else out[k] = zeroCounters(v);
  }
  return out;
}

/**
 * What `nft -j -f` loads, and what it leaves out.
 * `iptablesTables` are the tables iptables-save listed: with the nft backend they are also in the ruleset, and come back through iptables-restore.
 * The lab's own tables (named like `eiplab_*`) are never replayed from a capture: a capture of a lab server holds them.
 */
export function planNft(
  ruleset: { nftables: NftObject[] } | null,
  created: Set<string>,
  captured: string[],
  iptablesTables: string[],
): { ruleset: { nftables: NftObject[] } | null; skipped: Unreplayable[] } {
  if (!ruleset) return { ruleset: null, skipped: [] };
  const skipped: Unreplayable[] = [];
  const leftOut = new Map<string, Bilingual | null>();
  for (const obj of ruleset.nftables) {
    const t = obj.table as Entry | undefined;
    if (!t) continue;
    const key = tableKey(t.family, t.name);
    if (String(t.name).startsWith('eiplab')) leftOut.set(key, null);
    else if ((t.family === 'ip' || t.family === 'ip6') && iptablesTables.includes(String(t.name))) leftOut.set(key, null);
    else if (t.family === 'ip6') leftOut.set(key, captureSay.notIpv4('ip6'));
    else if (t.family === 'arp') leftOut.set(key, captureSay.notIpv4('arp'));
    if (leftOut.get(key)) skipped.push({ what: `nft table ${key}`, why: leftOut.get(key)! });
  }
  const kept: NftObject[] = [];
  // A chain left out takes its rules with it (listed once, as the chain).
  const chainsOut = new Set<string>();
  for (const obj of ruleset.nftables) {
    const [kind, body] = Object.entries(obj)[0] ?? [];
    if (kind === 'metainfo' || !body || typeof body !== 'object') continue;
    const e = body as Entry;
    const key = tableKey(e.family, kind === 'table' ? e.name : e.table);
    if (leftOut.has(key) || (kind === 'rule' && chainsOut.has(`${key} ${String(e.chain)}`))) continue;
    // A netdev chain or flowtable is bound to devices; so is a rule comparing interface names.
    const devices = [e.dev, e.devices, kind === 'rule' ? interfaceNames(e.expr) : []].flat().filter((d): d is string => typeof d === 'string');
    const foreign = devices.find((d) => !namesOnlyCreated(d, created, captured));
    if (foreign !== undefined) {
      if (kind === 'chain') chainsOut.add(`${key} ${String(e.name)}`);
      skipped.push({ what: `nft ${kind} ${key}${e.chain ? ` ${String(e.chain)}` : e.name && kind !== 'table' ? ` ${String(e.name)}` : ''}${kind === 'rule' ? ` #${String(e.handle)}` : ''}`, why: captureSay.namesInterface(foreign) });
      continue;
    }
    const { handle: _handle, ...rest } = e;
    kept.push({ [kind]: zeroCounters(rest) });
  }
  return { ruleset: kept.length ? { nftables: kept } : null, skipped };
}

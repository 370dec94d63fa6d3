// Reads `nft -a monitor trace` output: every traced packet of the probe,
// with the chains it passed in order, the rules that matched there and
// their verdicts. The kernel gives a packet a new trace id at some hooks
// (prerouting, then forward), so one packet's events are joined by what
// stays the same along the server: its endpoints before SNAT.
import { resolverIp, type LabConfig } from '../../config/config.js';
import { PROBE_TABLE } from '../counters.js';
import { MARKER_BASE_PORT, MAX_MARKERS, traceTableName } from './trace-table.js';

export interface PacketFields {
  iif?: string;
  oif?: string;
  saddr?: string;
  daddr?: string;
  sport?: number;
  dport?: number;
  /** `syn`, `0x12` (SYN-ACK), ... as nft prints them. */
  flags?: string;
  mark?: string;
  udp: boolean;
}

export interface RuleHit {
  text: string;
  handle?: number;
  verdict: string;
}

/** One visit of one chain. */
export interface Passage {
  family: string;
  table: string;
  chain: string;
  /** The packet as it entered the chain (printed at the first chain of each trace id). */
  packet?: PacketFields;
  rules: RuleHit[];
  /** `policy accept`, or the verdict a rule ended the chain with. */
  end?: string;
}

export type PacketKind = 'request' | 'reply' | 'outgoing' | 'echo-reply' | 'dns';

export interface TracedPacket {
  kind: PacketKind;
  /** The packet as first traced. */
  first: PacketFields;
  passages: Passage[];
  /** The probe phase it was first seen in (the last marker before it). */
  phase: number;
  /** Further copies seen (retransmissions), not joined. */
  copies: number;
}

const LINE = /^trace id (\S+) (\S+) (\S+) (\S+) (packet: |rule |verdict |policy |unknown rule handle )(.*)$/;

export function parsePacket(text: string): PacketFields {
  const word = (key: string) => text.match(new RegExp(`(?:^|\\s)${key} (\\S+)`))?.[1]?.replace(/^"|"$/g, '');
  const num = (key: string) => {
    const v = word(key);
    return v === undefined ? undefined : Number(v);
  };
  const udp = /\budp dport\b/.test(text);
  return {
    iif: word('iif'),
    oif: word('oif'),
    saddr: word('ip saddr'),
    daddr: word('ip daddr'),
    sport: num(udp ? 'udp sport' : 'tcp sport'),
    dport: num(udp ? 'udp dport' : 'tcp dport'),
    flags: text.match(/tcp flags == (\S+)/)?.[1],
    mark: word('meta mark'),
    udp,
  };
}

/** "… counter packets 3 bytes 180 masquerade # handle 19" -> text and handle. */
export function cleanRule(text: string): { text: string; handle?: number } {
  const handle = text.match(/# handle (\d+)\s*$/)?.[1];
  const clean = text
    .replace(/\s*# handle \d+\s*$/, '')
    .replace(/\bcounter packets \d+ bytes \d+ ?/g, 'counter ')
    .replace(/\s+/g, ' ')
    .trim();
  return { text: clean, ...(handle && { handle: Number(handle) }) };
}

interface Group {
  passages: Passage[];
  first?: PacketFields;
}

/** Events grouped by trace id, in order of first appearance. */
function groups(trace: string): Group[] {
  const byId = new Map<string, Group>();
  for (const line of trace.split('\n')) {
    const m = line.trim().match(LINE);
    if (!m) continue;
    const [, id, family, table, chain, kind, rest] = m;
    let g = byId.get(id);
    if (!g) byId.set(id, (g = { passages: [] }));
    let p = g.passages[g.passages.length - 1];
    if (!p || p.family !== family || p.table !== table || p.chain !== chain || kind === 'packet: ') {
      p = { family, table, chain, rules: [] };
      g.passages.push(p);
    }
    if (kind === 'packet: ') {
      p.packet = parsePacket(rest);
      g.first ??= p.packet;
    } else if (kind === 'rule ') {
      const v = rest.match(/^(.*) \(verdict ([^)]*)\)\s*$/);
      const rule = cleanRule(v ? v[1] : rest);
      const verdict = v ? v[2] : '?';
      p.rules.push({ ...rule, verdict });
      if (verdict !== 'continue' && !verdict.startsWith('jump') && !verdict.startsWith('goto')) p.end = verdict;
    } else if (kind === 'policy ') {
      p.end = `policy ${rest.trim()}`;
    } else if (kind === 'verdict ') {
      if (!rest.startsWith('continue')) p.end = rest.trim();
    }
  }
  return [...byId.values()];
}

function kindOf(cfg: LabConfig, f: PacketFields): PacketKind | 'marker' | undefined {
  if (f.udp) {
    const port = f.dport ?? 0;
    if (f.daddr === resolverIp(cfg) && port === 53) return 'dns';
    return f.daddr === '127.0.0.1' && port >= MARKER_BASE_PORT && port < MARKER_BASE_PORT + MAX_MARKERS ? 'marker' : undefined;
  }
  const synAck = f.flags === '0x12' || f.flags === 'syn|ack' || f.flags === 'syn,ack';
  if (f.daddr === cfg.uplink.clientIp && synAck) return 'reply';
  if (f.saddr === cfg.uplink.clientIp && f.dport === cfg.appPort && f.flags === 'syn') return 'request';
  if (f.daddr === cfg.echo.ip && f.dport === cfg.echo.port && f.flags === 'syn') return 'outgoing';
  if (f.saddr === cfg.echo.ip && f.sport === cfg.echo.port && synAck) return 'echo-reply';
  return undefined;
}

/** What stays the same for one packet while it crosses the server (NAT rewrites at the last hook, or the other end). */
function keyOf(kind: PacketKind, f: PacketFields): string {
  switch (kind) {
    case 'request':
      return `client:${f.saddr}:${f.sport}`;
    case 'reply':
      return `client-reply:${f.daddr}:${f.dport}`;
    case 'outgoing':
      return `out:${f.saddr}:${f.sport}`;
    case 'echo-reply':
      return `echo-reply:${f.dport}`;
    case 'dns':
      return `dns:${f.saddr}:${f.sport}`;
  }
}

/** The lab's own measuring tables: not part of any scheme, left out of the account. */
export function labTables(cfg: LabConfig): string[] {
  return [traceTableName(cfg), PROBE_TABLE];
}

export function parseTrace(cfg: LabConfig, trace: string): TracedPacket[] {
  const own = new Set(labTables(cfg));
  const packets = new Map<string, TracedPacket>();
  let phase = 0;
  for (const g of groups(trace)) {
    if (!g.first) continue;
    const kind = kindOf(cfg, g.first);
    if (kind === 'marker') {
      phase = Math.max(phase, (g.first.dport ?? MARKER_BASE_PORT) - MARKER_BASE_PORT);
      continue;
    }
    if (!kind) continue;
    const key = keyOf(kind, g.first);
    const passages = g.passages.filter((p) => !own.has(p.table));
    const known = packets.get(key);
    // A packet starts where the trace table marked it; a group starting there again is a retransmission.
    const fresh = g.passages[0]?.table === traceTableName(cfg);
    if (!known) packets.set(key, { kind, first: g.first, passages, phase, copies: 0 });
    else if (fresh) known.copies++;
    else if (!known.copies) known.passages.push(...passages);
  }
  return [...packets.values()];
}

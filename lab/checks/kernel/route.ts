// The route decision for a traced packet, as the kernel makes it: `ip
// route get` with the packet's own source, destination, input interface
// and mark (and `fibmatch` for the route entry that matched), and the
// policy rule that chose the table, found by walking `ip rule` in order.
import { inCidr } from '../../config/ipv4.js';
import type { PacketFields, TracedPacket } from './trace.js';

export interface RouteQuery {
  from: string;
  to: string;
  /** The input interface for a packet arriving from outside (or a container's bridge); absent for a local socket's. */
  iif?: string;
  /**
   * The device a local socket's packet was routed with: a VRF's device (the lookup is made in its
   * table), or the NIC its socket is bound to (SO_BINDTODEVICE: only routes through it count).
   */
  oif?: string;
  mark?: string;
}

export interface RouteDecision {
  query: RouteQuery;
  /** `ip route get` output's first line, or the kernel's refusal. */
  get: string;
  /** The route entry (`fibmatch`). */
  entry?: string;
  /** The kernel refused the lookup (rp_filter's martian check answers "Invalid argument"). */
  refused?: string;
  table?: string;
  dev?: string;
  /** The rule that chose the table, as `ip rule` prints it. */
  rule?: { priority: number; text: string };
  /** A socket bound to a device that no route goes through: the kernel assumes the destination is on that device's link. */
  onLink?: boolean;
}

/**
 * The query for a packet as it was where it was first traced, destination after any DNAT. `nics`: the
 * lab's NICs; a local packet first sent to another device (a socket in a VRF goes to the VRF's device
 * first) was routed in that device's table, which a lookup without it would not see. `boundTo`: the
 * NIC the packet's socket is bound to (SO_BINDTODEVICE), which the kernel routed it with.
 */
export function routeQuery(p: TracedPacket, nics: string[] = [], boundTo?: string): RouteQuery | undefined {
  const f: PacketFields = p.first;
  if (!f.saddr || !f.daddr) return undefined;
  const dnat = p.passages.flatMap((x) => x.rules).map((r) => r.text.match(/\bdnat (?:ip )?to (\d+\.\d+\.\d+\.\d+)/)?.[1]).find(Boolean);
  const local = !f.iif || f.iif === 'lo';
  const viaDevice = local && f.oif && f.oif !== 'lo' && ((nics.length > 0 && !nics.includes(f.oif)) || f.oif === boundTo);
  return { from: f.saddr, to: dnat ?? f.daddr, ...(!local && { iif: f.iif }), ...(viaDevice && { oif: f.oif }), ...(f.mark && { mark: f.mark }) };
}

function args(q: RouteQuery): string {
  return `${q.to} from ${q.from}${q.iif ? ` iif ${q.iif}` : ''}${q.oif ? ` oif ${q.oif}` : ''}${q.mark ? ` mark ${q.mark}` : ''}`;
}

/**
 * One script for the server namespace: every lookup in one `ip -batch` (with `-force`, a refused lookup
 * does not stop the others; `ip` names it on stderr), and the rules. (The ruleset is read by the probe
 * script, lab/checks/kernel/probe-hooks.ts.)
 */
export function routeScript(queries: RouteQuery[]): string {
  const batch = [...queries.flatMap((q) => [`route get ${args(q)}`, `route get fibmatch ${args(q)}`]), 'rule list'];
  return [`ip -j -force -batch - 2>&1 <<'IP'`, ...batch, 'IP', 'true'].join('\n');
}

/** One command's answer: its JSON, or the kernel's refusal. */
type Answer = { json: Array<Record<string, unknown>> } | { error: string };

/** `ip -j -force -batch` output: JSON arrays for the commands that worked, in order; "Command failed -:N" after each refusal. */
export function batchAnswers(count: number, output: string): Answer[] {
  const failed = new Map<number, string>();
  const json: Array<Array<Record<string, unknown>>> = [];
  let lastError = '';
  for (const line of output.split('\n').map((l) => l.trim())) {
    const f = line.match(/^Command failed -:(\d+)$/);
    if (f) failed.set(Number(f[1]) - 1, lastError || 'failed');
    else if (line.startsWith('[')) {
      try {
        json.push(JSON.parse(line) as Array<Record<string, unknown>>);
      } catch {
        lastError = line;
      }
    } else if (line) lastError = line.replace(/^RTNETLINK answers: /, '');
  }
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(failed.has(i) ? { error: failed.get(i)! } : { json: json.shift() ?? [] });
  return answers;
}

/** "default via 172.31.0.1 dev eth1", "local 172.19.0.101 dev br-eip2": a route entry as `ip route` prints it. */
function entryText(r: Record<string, unknown>): string {
  const type = typeof r.type === 'string' && r.type !== 'unicast' ? `${r.type} ` : '';
  return `${type}${String(r.dst)}${r.gateway ? ` via ${String(r.gateway)}` : ''}${r.dev ? ` dev ${String(r.dev)}` : ''}`;
}

interface IpRule {
  priority: number;
  src?: string;
  srclen?: number;
  dst?: string;
  dstlen?: number;
  iifname?: string;
  oifname?: string;
  fwmark?: string;
  fwmask?: string;
  table?: string;
  suppress_prefixlen?: number;
  not?: unknown;
  /** Present (null) on the VRF rule: it looks up the table of the VRF the packet's device belongs to. */
  l3mdev?: unknown;
  action?: string;
}

export function ruleText(r: IpRule): string {
  const sel = (addr: string | undefined, len: number | undefined) => (!addr || addr === 'all' ? 'all' : len !== undefined && len !== 32 ? `${addr}/${len}` : addr);
  const parts = [r.not !== undefined ? 'not' : '', `from ${sel(r.src, r.srclen)}`];
  if (r.dst && r.dst !== 'all') parts.push(`to ${sel(r.dst, r.dstlen)}`);
  if (r.fwmark) parts.push(`fwmark ${r.fwmark}${r.fwmask ? `/${r.fwmask}` : ''}`);
  if (r.iifname) parts.push(`iif ${r.iifname}`);
  if (r.oifname) parts.push(`oif ${r.oifname}`);
  parts.push(r.table ? `lookup ${r.table}` : r.l3mdev !== undefined ? 'lookup [l3mdev-table]' : (r.action ?? ''));
  if (r.suppress_prefixlen !== undefined) parts.push(`suppress_prefixlength ${r.suppress_prefixlen}`);
  return parts.filter(Boolean).join(' ');
}

function selects(r: IpRule, q: RouteQuery): boolean {
  const inPrefix = (ip: string, addr: string | undefined, len: number | undefined) =>
    !addr || addr === 'all' || inCidr(ip, `${addr}/${len ?? 32}`);
  const markOk = !r.fwmark || (Number(q.mark ?? 0) & Number(r.fwmask ?? '0xffffffff')) === Number(r.fwmark);
  const match =
    inPrefix(q.from, r.src, r.srclen) &&
    inPrefix(q.to, r.dst, r.dstlen) &&
    (!r.iifname || r.iifname === (q.iif ?? 'lo')) &&
    (!r.oifname || !q.iif) && // an oif rule only applies to a local socket bound to that device: not decided here
    markOk;
  return r.not !== undefined ? !match : match;
}

const prefixLenOf = (entry: string) => {
  const dest = entry.split(/\s+/)[0] === 'local' || entry.split(/\s+/)[0] === 'broadcast' ? entry.split(/\s+/)[1] : entry.split(/\s+/)[0];
  if (dest === 'default') return 0;
  const len = dest?.split('/')[1];
  return len === undefined ? 32 : Number(len);
};

/** The first rule, in priority order, that selects the packet and whose table gave the route (a suppressed lookup falls through). */
export function choosingRule(rules: IpRule[], q: RouteQuery, table: string, entry: string | undefined): IpRule | undefined {
  const sorted = [...rules].sort((a, b) => a.priority - b.priority);
  for (const r of sorted) {
    if (!selects(r, q)) continue;
    // The VRF rule gives a VRF's own table, to a packet with a device (in or out): any table but the shared ones.
    if (r.l3mdev !== undefined) {
      if ((q.iif || q.oif) && !['local', 'main', 'default'].includes(table)) return r;
      continue;
    }
    if (r.table !== table) continue;
    if (r.suppress_prefixlen !== undefined && entry && prefixLenOf(entry) <= r.suppress_prefixlen) continue;
    return r;
  }
  return undefined;
}

/** The route decisions. */
export function parseRouteOutput(queries: RouteQuery[], stdout: string): { decisions: RouteDecision[] } {
  const answers = batchAnswers(queries.length * 2 + 1, stdout);
  const last = answers[queries.length * 2];
  const rules = (last && 'json' in last ? last.json : []) as unknown as IpRule[];
  const decisions = queries.map((query, i): RouteDecision => {
    const get = answers[2 * i];
    const fib = answers[2 * i + 1];
    if (!get || 'error' in get) return { query, get: '', refused: get ? get.error : 'no answer' };
    const route = get.json[0] ?? {};
    const local = route.type === 'local' || route.type === 'broadcast';
    const table = typeof route.table === 'string' ? route.table : local ? 'local' : 'main';
    const dev = typeof route.dev === 'string' ? route.dev : undefined;
    // Bound to a device no route goes through, the kernel answers on-link (no gateway) where no table has an entry.
    if (query.oif && fib && 'error' in fib && !route.gateway && dev === query.oif) return { query, get: entryText(route), table, dev, onLink: true };
    const entry = fib && 'json' in fib && fib.json[0] ? entryText(fib.json[0]) : entryText(route);
    const rule = choosingRule(rules, query, table, entry);
    return { query, get: entryText(route), entry, table, dev, ...(rule && { rule: { priority: rule.priority, text: ruleText(rule) } }) };
  });
  return { decisions };
}

/** "from 172.19.0.101 (in eip_bridge) to 100.64.0.2: rule 32766 (from all lookup main) -> table main -> default via 172.31.0.1 dev eth0" */
export function routeLine(d: RouteDecision): string {
  const q = d.query;
  const head = `from ${q.from}${q.iif ? ` (in ${q.iif})` : ''}${q.oif ? ` (out ${q.oif})` : ''} to ${q.to}${q.mark ? ` mark ${q.mark}` : ''}`;
  if (d.refused) return `${head}: refused by the kernel (${d.refused})`;
  if (d.onLink) return `${head}: no table has a route through ${d.dev}, so the kernel assumes ${q.to} is on its link -> ${d.get}`;
  const rule = d.rule ? `rule ${d.rule.priority} (${d.rule.text}) -> ` : '';
  const entry = d.entry ?? d.get;
  return `${head}: ${rule}table ${d.table} -> ${entry.replace(/ table \S+/, '')}`;
}

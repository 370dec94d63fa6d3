// Captured routes (every table) and policy rules, as the `ip` lines that
// rebuild them, and the ones the lab cannot rebuild with their reasons.
import { inCidr } from '../config/ipv4.js';
import type { CapturedRoute, CapturedRule } from './capture.js';
import type { Unreplayable } from './iptables.js';
import { captureSay } from './phrases.js';
import { networkOf, type CapturedServer } from './server.js';

/** Route fields the replay turns into `ip route` words; any other field makes the route unreplayable. */
const ROUTE_FIELDS = new Set(['type', 'dst', 'gateway', 'via', 'dev', 'table', 'protocol', 'scope', 'prefsrc', 'metric', 'flags', 'metrics', 'nexthops', 'tos', 'pref', 'expires', 'cache', 'uid']);
const ROUTE_TYPES = new Set(['unicast', 'local', 'blackhole', 'unreachable', 'prohibit', 'throw', 'broadcast', 'anycast', 'multicast']);
const METRICS = new Set(['mtu', 'advmss', 'window', 'rtt', 'rttvar', 'initcwnd', 'initrwnd', 'quickack', 'hoplimit', 'features', 'congctl', 'fastopen_no_cookie']);

/** One line for the list of what is left out: the route as `ip route` shows it. */
export function describeRoute(r: CapturedRoute): string {
  const w = [r.type && r.type !== 'unicast' ? String(r.type) : '', r.dst, r.gateway ? `via ${r.gateway}` : '', r.dev ? `dev ${r.dev}` : '', `table ${r.table ?? 'main'}`];
  return `route ${w.filter(Boolean).join(' ')}`;
}

/** The subnets the capture's NICs are on: a gateway outside them cannot be reached in the lab. */
function capturedSubnets(server: CapturedServer): string[] {
  return server.nics.flatMap((n) => n.addresses.map((a) => `${networkOf(a.ip, a.prefixLen)}/${a.prefixLen}`));
}

/** The kernel makes these itself from the addresses: replaying them would only collide. */
function madeByKernel(r: CapturedRoute): boolean {
  return r.protocol === 'kernel' && ((r.table ?? 'main') === 'local' || ((r.table ?? 'main') === 'main' && r.scope === 'link' && !r.gateway));
}

/** The `ip route add` words for one route, or why it cannot be replayed. */
export function routeLine(r: CapturedRoute, server: CapturedServer, created: Set<string>): { line: string } | { why: ReturnType<typeof captureSay.namesInterface> } {
  const unknown = Object.keys(r).find((k) => !ROUTE_FIELDS.has(k));
  if (unknown) return { why: captureSay.unknownField('route', unknown) };
  const type = String(r.type ?? 'unicast');
  if (!ROUTE_TYPES.has(type)) return { why: captureSay.unknownValue('route type', type) };
  const subnets = capturedSubnets(server);
  const hops = (r.nexthops as { gateway?: string; dev?: string; weight?: number; flags?: string[] }[] | undefined) ?? [{ gateway: r.gateway, dev: r.dev, flags: r.flags as string[] | undefined }];
  for (const h of hops) {
    if (h.dev && !created.has(h.dev)) return { why: captureSay.namesInterface(h.dev) };
    if (h.gateway && !subnets.some((c) => inCidr(h.gateway!, c))) return { why: captureSay.gatewayOutside(h.gateway) };
  }
  const w: string[] = [type, r.dst];
  if (r.tos !== undefined) w.push('tos', String(r.tos));
  w.push('table', String(r.table ?? 'main'));
  if (r.protocol !== undefined) w.push('proto', String(r.protocol));
  if (r.scope !== undefined) w.push('scope', String(r.scope));
  if (r.prefsrc !== undefined) w.push('src', String(r.prefsrc));
  if (r.metric !== undefined) w.push('metric', String(r.metric));
  for (const m of (r.metrics as Record<string, unknown>[] | undefined) ?? []) {
    for (const [k, v] of Object.entries(m)) {
      if (!METRICS.has(k)) return { why: captureSay.unknownField('route metric', k) };
      w.push(k, String(v));
    }
  }
  const hopWords = (h: (typeof hops)[number]) => [
    ...(h.gateway ? ['via', h.gateway] : []),
    ...(h.dev ? ['dev', h.dev] : []),
    ...(h.weight !== undefined ? ['weight', String(h.weight)] : []),
    ...((h.flags ?? []).includes('onlink') ? ['onlink'] : []),
  ];
  if (r.nexthops) for (const h of hops) w.push('nexthop', ...hopWords(h));
  else w.push(...hopWords(hops[0]));
  return safeLine(w);
}

/** Words that reach a shell or `ip -batch` must be plain: addresses, names, numbers. */
const SAFE_WORD = /^[A-Za-z0-9_.:/-]+$/;

function safeLine(w: string[]): { line: string } | { why: ReturnType<typeof captureSay.namesInterface> } {
  const bad = w.find((word) => !SAFE_WORD.test(word));
  return bad === undefined ? { line: w.join(' ') } : { why: captureSay.unknownValue('word', bad) };
}

export function planRoutes(routes: CapturedRoute[], server: CapturedServer, created: Set<string>): { lines: string[]; skipped: Unreplayable[] } {
  const lines: string[] = [];
  const skipped: Unreplayable[] = [];
  for (const r of routes) {
    // The kernel makes these from the addresses; those of an interface the lab does not create go with it (listed once, as the interface).
    if (madeByKernel(r)) continue;
    const out = routeLine(r, server, created);
    if ('line' in out) lines.push(out.line);
    else skipped.push({ what: describeRoute(r), why: out.why });
  }
  return { lines, skipped };
}

/** The rules a new namespace starts with; the replay removes any of them the capture lacks. */
export const DEFAULT_RULES = [
  { priority: 0, table: 'local' },
  { priority: 32766, table: 'main' },
  { priority: 32767, table: 'default' },
];

const RULE_FIELDS = new Set(['priority', 'not', 'src', 'srclen', 'dst', 'dstlen', 'tos', 'dsfield', 'fwmark', 'fwmask', 'iif', 'oif', 'uid_start', 'uid_end', 'ipproto', 'sport', 'dport', 'sport_start', 'sport_end', 'dport_start', 'dport_end', 'l3mdev', 'table', 'goto', 'action', 'nop', 'suppress_prefixlen', 'suppress_ifgroup', 'realms', 'protocol', 'flags']);

const isDefault = (r: CapturedRule) =>
  Object.keys(r).every((k) => ['priority', 'src', 'table'].includes(k)) && r.src === 'all' && DEFAULT_RULES.some((d) => d.priority === r.priority && d.table === r.table);

export function describeRule(r: CapturedRule): string {
  return `rule ${Object.entries(r)
    .map(([k, v]) => (v === null ? k : `${k} ${String(v)}`))
    .join(' ')}`;
}

/** The `ip rule add` words for one rule, or why it cannot be replayed. */
export function ruleLine(r: CapturedRule, created: Set<string>): { line: string } | { why: ReturnType<typeof captureSay.namesInterface> } {
  const unknown = Object.keys(r).find((k) => !RULE_FIELDS.has(k));
  if (unknown) return { why: captureSay.unknownField('rule', unknown) };
  for (const dev of [r.iif, r.oif]) if (typeof dev === 'string' && !created.has(dev)) return { why: captureSay.namesInterface(dev) };
  const w: string[] = [];
  if ('not' in r) w.push('not');
  w.push('pref', String(r.priority));
  const prefix = (addr: unknown, len: unknown) => (len === undefined ? String(addr) : `${String(addr)}/${String(len)}`);
  w.push('from', r.src === undefined || r.src === 'all' ? 'all' : prefix(r.src, r.srclen));
  if (r.dst !== undefined && r.dst !== 'all') w.push('to', prefix(r.dst, r.dstlen));
  if (r.tos !== undefined) w.push('tos', String(r.tos));
  if (r.dsfield !== undefined) w.push('dsfield', String(r.dsfield));
  if (r.fwmark !== undefined) w.push('fwmark', r.fwmask !== undefined ? `${String(r.fwmark)}/${String(r.fwmask)}` : String(r.fwmark));
  if (r.iif !== undefined) w.push('iif', String(r.iif));
  if (r.oif !== undefined) w.push('oif', String(r.oif));
  if (r.uid_start !== undefined) w.push('uidrange', `${String(r.uid_start)}-${String(r.uid_end)}`);
  if (r.ipproto !== undefined) w.push('ipproto', String(r.ipproto));
  if (r.sport !== undefined) w.push('sport', String(r.sport));
  if (r.sport_start !== undefined) w.push('sport', `${String(r.sport_start)}-${String(r.sport_end)}`);
  if (r.dport !== undefined) w.push('dport', String(r.dport));
  if (r.dport_start !== undefined) w.push('dport', `${String(r.dport_start)}-${String(r.dport_end)}`);
  if ('l3mdev' in r) w.push('l3mdev');
  if (r.protocol !== undefined) w.push('protocol', String(r.protocol));
  if (r.goto !== undefined) w.push('goto', String(r.goto));
  else if ('nop' in r) w.push('nop');
  else if (r.action !== undefined && r.action !== 'to_tbl') w.push(String(r.action));
  else if (r.table !== undefined) w.push('table', String(r.table));
  if (r.suppress_prefixlen !== undefined) w.push('suppress_prefixlength', String(r.suppress_prefixlen));
  if (r.suppress_ifgroup !== undefined) w.push('suppress_ifgroup', String(r.suppress_ifgroup));
  if (r.realms !== undefined) w.push('realms', String(r.realms));
  return safeLine(w);
}

/** `ip rule` lines: deletions of default rules the capture lacks, then the capture's own rules. */
export function planRules(rules: CapturedRule[], created: Set<string>): { lines: string[]; skipped: Unreplayable[] } {
  const lines = DEFAULT_RULES.filter((d) => !rules.some((r) => isDefault(r) && r.priority === d.priority)).map((d) => `del pref ${d.priority} table ${d.table}`);
  const skipped: Unreplayable[] = [];
  for (const r of rules) {
    if (isDefault(r)) continue;
    const out = ruleLine(r, created);
    if ('line' in out) lines.push(`add ${out.line}`);
    else skipped.push({ what: describeRule(r), why: out.why });
  }
  return { lines, skipped };
}

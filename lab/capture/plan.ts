// The replay plan: from a capture to everything the lab's server is given
// (NICs, routes in every table, rules, sysctls, netfilter rules) and the
// list of what it is not given, each with its reason. Pure: no lab host.
import type { Capture } from './capture.js';
import { planIptables, parseIptablesSave, type IptablesTable, type Unreplayable } from './iptables.js';
import { planNft } from './nft.js';
import { captureSay } from './phrases.js';
import { planRoutes, planRules } from './routes.js';
import { capturedServer, createdInterfaces, type CapturedServer } from './server.js';
import { planSysctls, type SysctlWrite } from './sysctls.js';

export interface ReplayPlan {
  server: CapturedServer;
  /** `ip route add` arguments, in the capture's order. */
  routes: string[];
  /** `ip rule` arguments (`del ...` for default rules the capture lacks, then `add ...`). */
  rules: string[];
  sysctls: SysctlWrite[];
  iptables: IptablesTable[];
  nft: { nftables: Record<string, unknown>[] } | null;
  /** What the lab cannot replay, each with its reason: shown in one block before the table. */
  notReplayed: Unreplayable[];
}

/** Everything in the capture that is not IPv4, counted per kind. */
function nonIpv4(capture: Capture, server: CapturedServer): Unreplayable[] {
  const out: Unreplayable[] = [];
  const v6 = capture.addresses.flatMap((a) => a.addr_info.filter((i) => i.family === 'inet6' && i.scope !== 'link' && i.scope !== 'host').map((i) => `${a.ifname} ${i.local}/${i.prefixlen}`));
  if (v6.length) out.push({ what: `IPv6 addresses: ${v6.join(', ')}`, why: captureSay.notIpv4('IPv6') });
  const nics = new Set(server.nics.map((n) => n.name));
  const routes6 = capture.routes6.filter((r) => r.protocol !== 'kernel' && (!r.dev || nics.has(String(r.dev))));
  if (routes6.length) out.push({ what: `${routes6.length} IPv6 routes (${routes6.map((r) => String(r.dst)).join(', ')})`, why: captureSay.notIpv4('IPv6') });
  const rules6 = capture.rules6.filter((r) => ![0, 32766].includes(Number(r.priority)));
  if (rules6.length) out.push({ what: `${rules6.length} IPv6 rules`, why: captureSay.notIpv4('IPv6') });
  return out;
}

export function replayPlan(capture: Capture, source: string): ReplayPlan {
  const server = capturedServer(capture, source);
  const created = createdInterfaces(server);
  const captured = capture.links.map((l) => l.ifname);
  const routes = planRoutes(capture.routes, server, created);
  const rules = planRules(capture.rules, created);
  const sysctls = planSysctls(capture, created);
  const iptables = planIptables(capture.iptables, created, captured);
  const iptablesTables = capture.iptables ? parseIptablesSave(capture.iptables).map((t) => t.name) : [];
  const nft = planNft(capture.nft, created, captured, iptablesTables);
  const interfaces = server.foreign.map((f) => ({ what: `interface ${f.name}`, why: captureSay.notCreated(f.kind) }));
  return {
    server,
    routes: routes.lines,
    rules: rules.lines,
    sysctls: sysctls.writes,
    iptables: iptables.tables,
    nft: nft.ruleset,
    notReplayed: [
      ...interfaces,
      ...routes.skipped,
      ...rules.skipped,
      ...sysctls.skipped,
      ...iptables.skipped,
      ...nft.skipped,
      ...nonIpv4(capture, server),
      { what: 'conntrack', why: captureSay.conntrack() },
    ],
  };
}

/**
 * What a replay rebuilds, in a form two captures can be compared by: the round trip
 * (capture a lab server after a replay) must give the same view as the original.
 */
export function replayedView(plan: ReplayPlan) {
  return {
    gateway: plan.server.gateway,
    subnet: plan.server.subnet,
    nics: plan.server.nics,
    routes: [...plan.routes].sort(),
    rules: plan.rules.filter((r) => r.startsWith('add ')).sort(),
    sysctls: Object.fromEntries(plan.sysctls.map((s) => [s.path, s.value])),
    iptables: plan.iptables.filter((t) => t.rules.length || t.chains.some((c) => !/ ACCEPT \[0:0\]$/.test(c) || !/^:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) /.test(c))).map((t) => ({ ...t, chains: [...t.chains].sort() })),
    nft: plan.nft,
  };
}

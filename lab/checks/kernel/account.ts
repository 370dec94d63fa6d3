// The kernel's account of each check: for the packets the check is about
// (the client's request and its SYN-ACK; the instance's outgoing SYN), the
// route the kernel chose, the netfilter path, and where the frame died.
// Evidence only: verdicts come from the counters and the echo server.
import type { LabConfig } from '../../config/config.js';
import { both, type Bilingual } from '../../model/i18n.js';
import type { CheckName } from '../../model/scheme.js';
import { say } from '../../report/phrases.js';
import { sourceCheckCounters } from '../../topology/profiles.js';
import type { InstanceMeasurement } from '../probe.js';
import { netfilterPath, type NetfilterPath } from './netfilter.js';
import type { KernelRecord } from './probe-hooks.js';
import { routeLine, type RouteDecision } from './route.js';
import type { Ruleset } from './ruleset.js';
import type { TracedPacket } from './trace.js';
import { claimsOf, contradiction, subjectOf } from './claims.js';

/** What `--json` writes under `evidence.kernel`. */
export interface KernelEvidence {
  /** The route decisions, one line per packet. */
  route: string[];
  /** The netfilter path, one line per chain passed. */
  netfilter: string[];
  /** Where the frame died, when it did. */
  drop?: string;
  drop_zh?: string;
  /** One or two lines for the console and the reports. */
  summary: string[];
  summary_zh: string[];
  /** The kernel's account disagrees with the hand-written reason of the expected verdict. */
  contradiction?: string;
  contradiction_zh?: string;
  /** This lab host could not trace. */
  unavailable?: string;
  note?: string;
}

/** The packets of one instance, as traced. */
export interface InstancePackets {
  request?: TracedPacket;
  reply?: TracedPacket;
  outgoing?: TracedPacket;
  echoReply?: TracedPacket;
  /** A user's program's first DNS query to the VPC resolver in its egress phase. */
  dns?: TracedPacket;
}

/** Which traced packets belong to which instance: the request by the NIC address it was sent to, its SYN-ACK by the client's port, the outgoing SYN by its probe phase. */
export function packetsOf(cfg: LabConfig, ms: InstanceMeasurement[], packets: TracedPacket[]): InstancePackets[] {
  return ms.map((m) => {
    const request = packets.find((p) => p.kind === 'request' && p.first.daddr === m.instance.nic.ip);
    const reply = request && packets.find((p) => p.kind === 'reply' && p.first.dport === request.first.sport);
    const outgoing = packets.find((p) => p.kind === 'outgoing' && p.phase === m.phases.egress);
    const echoReply = outgoing && packets.find((p) => p.kind === 'echo-reply' && p.first.dport === outgoing.first.sport);
    const dns = packets.find((p) => p.kind === 'dns' && p.phase === m.phases.egress);
    return { request, reply, outgoing, echoReply, dns };
  });
}

/** Everything the account of one packet needs. */
export interface Explained {
  packet: TracedPacket;
  route?: RouteDecision;
  path: NetfilterPath;
}

export function explain(
  cfg: LabConfig,
  p: TracedPacket | undefined,
  routes: Map<TracedPacket, RouteDecision>,
  ruleset: Ruleset,
  relevant: string[],
): Explained | undefined {
  return p && { packet: p, route: routes.get(p), path: netfilterPath(cfg, p.passages, ruleset, relevant) };
}

/** A route entry without what does not decide the way out (proto, scope, metric, preferred source). */
const shortEntry = (entry: string) =>
  entry.replace(/ table \S+/, '').replace(/ (proto|scope|metric|src|pref) \S+/g, '').replace(/\s+/g, ' ').trim();

function routeSummary(d: RouteDecision | undefined): Bilingual | undefined {
  if (!d) return undefined;
  const from = `${d.query.from}${d.query.iif ? ` (in ${d.query.iif})` : ''}${d.query.oif ? ` (out ${d.query.oif})` : ''}`;
  if (d.refused) return say.kernelRouteRefused(from, d.query.to, d.refused);
  if (d.onLink) return say.kernelRouteOnLink(from, d.query.to, d.dev ?? '?');
  return say.kernelRoute(from, d.table ?? 'main', d.rule ? String(d.rule.priority) : '', shortEntry(d.entry ?? d.get));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

interface Drops {
  request?: Bilingual;
  reply?: Bilingual;
  outgoing?: Bilingual;
}

function drops(cfg: LabConfig, m: InstanceMeasurement, k: InstancePackets, x: Record<'request' | 'reply' | 'outgoing' | 'dns', Explained | undefined>, rec: KernelRecord): Drops {
  const nic = m.instance.nic;
  const out: Drops = {};
  const rpIn = (p: number) => (rec.rpFilter[p + 1] ?? 0) - (rec.rpFilter[p] ?? 0);
  const rpIngress = rpIn(m.phases.ingress);
  // The request: arrived (traced at prerouting), then either answered or dropped.
  if (!k.request) out.request = say.kernelNoRequest();
  else if (x.request?.path.dropped) out.request = say.kernelDropNetfilter(x.request.path.dropped.where, x.request.path.dropped.rule);
  else if (!k.reply && rpIngress > 0) out.request = say.kernelDropRpFilter(rpIngress, k.request.first.iif ?? nic.name);
  else if (!k.reply) out.request = say.kernelNoSynAck();
  // The reply: the VPC drops a frame whose source is not its NIC's own.
  const replyDrops = cfg.nics.filter((v) => v !== nic).map((via) => [via.name, m.ingressCounters.edge[sourceCheckCounters.reply(via.name, nic.name)] ?? 0] as const);
  const [via, n] = replyDrops.find(([, c]) => c > 0) ?? [];
  if (x.reply?.path.dropped) out.reply = say.kernelDropNetfilter(x.reply.path.dropped.where, x.reply.path.dropped.rule);
  else if (via && n) out.reply = say.kernelDropSourceCheck(n, nic.ip, via);
  // The outgoing connection: dropped by the VPC, or no answer.
  const outDrops = cfg.nics.map((v) => [v.name, m.egressCounters.edge[sourceCheckCounters.outgoing(v.name)] ?? 0] as const).filter(([, c]) => c > 0);
  // No connection at all: a user's program may never have had an answer to its DNS query.
  const dnsDrops = cfg.nics.map((v) => [v.name, m.egressCounters.edge[sourceCheckCounters.dropped(v.name)] ?? 0] as const).filter(([, c]) => c > 0);
  if (!k.outgoing && x.dns?.path.dropped) out.outgoing = say.kernelDropNetfilter(x.dns.path.dropped.where, x.dns.path.dropped.rule);
  else if (!k.outgoing && k.dns && dnsDrops.length) out.outgoing = say.kernelDropSourceCheckDns(sum(dnsDrops.map(([, c]) => c)), dnsDrops.map(([v]) => v).join(', '));
  else if (!k.outgoing && k.dns) out.outgoing = say.kernelNoOutgoingAfterDns();
  else if (!k.outgoing) out.outgoing = say.kernelNoOutgoing();
  else if (x.outgoing?.path.dropped) out.outgoing = say.kernelDropNetfilter(x.outgoing.path.dropped.where, x.outgoing.path.dropped.rule);
  else if (outDrops.length) out.outgoing = say.kernelDropSourceCheckOut(sum(outDrops.map(([, c]) => c)), outDrops.map(([v]) => v).join(', '));
  else if (!k.echoReply) out.outgoing = say.kernelNoEchoSynAck(`${cfg.echo.ip}:${cfg.echo.port}`);
  return out;
}

function evidence(parts: Explained[], drop: Bilingual | undefined): KernelEvidence {
  const routes = parts.map((p) => p.route).filter((r): r is RouteDecision => !!r);
  const routeLines = routes.map(routeLine);
  const lines = parts.flatMap((p) => p.path.lines);
  const routeText = routes.map(routeSummary).filter((r): r is Bilingual => !!r);
  const nat = parts.flatMap((p) => p.path.nat);
  const first: Bilingual | undefined = routeText.length ? both((l) => routeText.map((r) => r[l]).join(l === 'en' ? '; ' : '；')) : undefined;
  const second: Bilingual | undefined =
    nat.length || drop
      ? both((l) => [...(nat.length ? [`nat: ${nat.map((n) => n[l]).join(l === 'en' ? '; ' : '；')}`] : []), ...(drop ? [drop[l]] : [])].join(l === 'en' ? '; ' : '；'))
      : undefined;
  const summary = [first, second].filter((s): s is Bilingual => !!s);
  return {
    route: routeLines,
    netfilter: lines,
    ...(drop && { drop: drop.en, drop_zh: drop.zh }),
    summary: summary.map((s) => s.en),
    summary_zh: summary.map((s) => s.zh),
  };
}

/** The account of each of one instance's checks. */
export function instanceAccount(
  cfg: LabConfig,
  m: InstanceMeasurement,
  k: InstancePackets,
  rec: KernelRecord,
  routes: Map<TracedPacket, RouteDecision>,
  ruleset: Ruleset,
  /** The English reason of each check's expected verdict, to hold against the account. */
  reasonOf: (check: CheckName) => string | undefined,
): Record<CheckName, KernelEvidence> {
  const own = (p?: TracedPacket) => [p?.first.saddr ?? '', m.instance.nic.ip].filter(Boolean);
  const x = {
    request: explain(cfg, k.request, routes, ruleset, []),
    reply: explain(cfg, k.reply, routes, ruleset, own(k.reply)),
    outgoing: explain(cfg, k.outgoing, routes, ruleset, own(k.outgoing)),
    dns: explain(cfg, k.dns, routes, ruleset, own(k.dns)),
  };
  const d = drops(cfg, m, k, x, rec);
  const some = (...e: (Explained | undefined)[]) => e.filter((v): v is Explained => !!v);
  const parts: Record<CheckName, [Explained[], Bilingual | undefined]> = {
    'ingress-nic': [some(x.request, x.reply), d.request ?? d.reply],
    // No reply at all: what happened to the request says why.
    'reply-nic': [some(k.reply ? x.reply : x.request), d.reply ?? (k.reply ? undefined : d.request)],
    // No connection: the DNS query it made first says where its calls went.
    'egress-ip': [some(x.outgoing ?? x.dns), d.outgoing],
    'egress-nic': [some(x.outgoing ?? x.dns), d.outgoing],
  };
  const out = {} as Record<CheckName, KernelEvidence>;
  for (const check of Object.keys(parts) as CheckName[]) {
    const [explained, drop] = parts[check];
    const e = evidence(explained, drop);
    const reason = reasonOf(check);
    const against = reason ? contradiction(check, claimsOf(cfg, m.instance.nic, reason), subjectOf(check, x), drop?.en) : undefined;
    if (against) Object.assign(e, { contradiction: against.en, contradiction_zh: against.zh });
    if (rec.note) e.note = rec.note;
    out[check] = e;
  }
  return out;
}

export function unavailableEvidence(why: string): KernelEvidence {
  const s = say.kernelUnavailable(why);
  return { route: [], netfilter: [], summary: [s.en], summary_zh: [s.zh], unavailable: why };
}

// Holds a hand-written reason against the kernel's account. A reason names
// a few checkable facts (the NIC a packet leaves through, the routing
// table, Docker's MASQUERADE, an rp_filter or source-check drop); where the
// kernel's account of the same packet says otherwise, the output says so.
import type { LabConfig, Nic } from '../../config/config.js';
import { both, type Bilingual } from '../../model/i18n.js';
import type { CheckName } from '../../model/scheme.js';
import { say } from '../../report/phrases.js';
import type { Explained } from './account.js';

export interface Claims {
  dev?: string;
  table?: string;
  /** A policy rule (not the main table) chose the route. */
  policy?: boolean;
  masquerade?: boolean;
  drop?: 'rp_filter' | 'source check';
}

export function claimsOf(cfg: LabConfig, nic: Nic, reason: string): Claims {
  const names = cfg.nics.map((n) => n.name).join('|');
  const c: Claims = {};
  const dev = [...reason.matchAll(new RegExp(`\\b(?:through|via) (its own NIC|${names})\\b`, 'g'))].map((m) => m[1]);
  if (dev.length) c.dev = dev[dev.length - 1] === 'its own NIC' ? nic.name : dev[dev.length - 1];
  if (/\bmain table\b|\btable main\b|\bthe main table\b|查 main 表/.test(reason)) c.table = 'main';
  const nicTable = reason.match(new RegExp(`\\b(${names})'s table\\b`));
  if (nicTable) c.table = String(cfg.nics.find((n) => n.name === nicTable[1])!.table);
  if (/\b(?:the|a) policy rules? (?:sends?|picks?|routes?)\b|\brules keyed on\b/.test(reason)) c.policy = true;
  if (/\bMASQUERADE\b/.test(reason)) c.masquerade = true;
  if (/\brp_filter=1\b.*\bdrop/.test(reason)) c.drop = 'rp_filter';
  else if (/source check drops/.test(reason)) c.drop = 'source check';
  return c;
}

/** The packet a check's reason talks about: the SYN-ACK for ingress and reply, the SYN for egress (or, with none, the DNS query before it). */
export function subjectOf(check: CheckName, parts: { request?: Explained; reply?: Explained; outgoing?: Explained; dns?: Explained }): Explained | undefined {
  return check === 'egress-ip' || check === 'egress-nic' ? (parts.outgoing ?? parts.dns) : (parts.reply ?? parts.request);
}

/** What the reason says that the kernel's account of the same packet denies; undefined when nothing. */
export function contradiction(check: CheckName, claims: Claims, subject: Explained | undefined, drop: string | undefined): Bilingual | undefined {
  const found: Bilingual[] = [];
  const route = subject?.route;
  if (route && !route.refused) {
    if (claims.dev && route.dev && claims.dev !== route.dev) found.push(say.kernelClaimDev(claims.dev, route.dev));
    if (claims.table && route.table && claims.table !== route.table) found.push(say.kernelClaimTable(claims.table, route.table));
    else if (claims.policy && !claims.table && route.table === 'main') found.push(say.kernelClaimPolicy(route.rule ? String(route.rule.priority) : '?'));
  }
  // Only an outgoing connection is source-NATed: a reason's MASQUERADE is about that one.
  const egress = check === 'egress-ip' || check === 'egress-nic';
  if (egress && claims.masquerade && subject && !subject.packet.passages.some((p) => p.rules.some((r) => /\bmasquerade\b/.test(r.text)))) {
    found.push(say.kernelClaimMasquerade());
  }
  if (claims.drop === 'rp_filter' && !/rp_filter/.test(drop ?? '')) found.push(say.kernelClaimDrop('rp_filter'));
  if (claims.drop === 'source check' && !/source check/.test(drop ?? '')) found.push(say.kernelClaimDrop("the VPC's source check"));
  if (!found.length) return undefined;
  return both((l) => say.kernelContradicts(found.map((f) => f[l]).join(l === 'en' ? '; ' : '；'))[l]);
}

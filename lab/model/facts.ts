// What a scheme says about its traffic, per NIC: three facts, each `own`
// (the instance's own NIC) or `default` (the NIC that holds the default
// route); `seen` may also be `none` (nothing reaches the echo server). The
// expected verdicts of every check and profile follow from them
// (expect-from-facts.ts), so a scheme states facts, never per-cell rules.
import type { Text } from './i18n.js';

/** `none`: nothing gets there at all (for `seen`: the echo server sees no request). */
export type Side = 'own' | 'default' | 'none';
/** reply: the NIC the instance's replies leave by; egress: the NIC its own outgoing connections leave by; seen: whose EIP the echo server sees. */
export const FACT_NAMES = ['reply', 'egress', 'seen'] as const;
export type FactName = (typeof FACT_NAMES)[number];

/**
 * One fact and why it holds, one line in English and Chinese. The why may name
 * NICs by role: {nic.name}, {nic.ip}, {nic.eip} (the instance's NIC) and
 * {default.name}, {default.ip}, {default.eip} (the NIC with the default route).
 */
export interface Fact {
  is: Side;
  why: Text;
}
export type NicFacts = Record<FactName, Fact>;

/**
 * What one variant (scheme x app x fix x scenario) states. `others`: every NIC
 * that does not hold the default route. `default`: the NIC with the default
 * route; a fact it leaves out is `own`, for the reason DEFAULT_NIC_FACTS gives.
 */
export interface VariantFacts {
  others: NicFacts;
  default?: Partial<NicFacts>;
}

/** The default NIC's facts when a scheme says nothing else: its traffic is its own by construction. */
export const DEFAULT_NIC_FACTS: NicFacts = {
  reply: {
    is: 'own',
    why: {
      en: '{nic.name} holds the default route, so replies from its IP leave through it',
      zh: '默认路由在 {nic.name} 上，源地址是它的 IP 的回包本来就从它出去',
    },
  },
  egress: {
    is: 'own',
    why: {
      en: '{nic.name} holds the default route, so traffic from its IP leaves through it',
      zh: '默认路由在 {nic.name} 上，源地址是它的 IP 的流量本来就从它出去',
    },
  },
  seen: {
    is: 'own',
    why: {
      en: "the instance leaves with {nic.name}'s IP, which the router maps to {nic.eip}",
      zh: '实例以 {nic.name} 的 IP 出去，路由器把它映射成 {nic.eip}',
    },
  },
};

/** The same facts for every NIC, the default one included (a variant where each NIC's traffic is its own). */
export function sameForAll(facts: NicFacts): VariantFacts {
  return { others: facts, default: facts };
}

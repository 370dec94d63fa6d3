// Turns a variant's facts into the four expected verdicts of one NIC's
// instance under one profile, each with a reason: the fact's why, and the
// profile's rule when the profile is what decides.
//   lenient: the checks follow the facts (ingress always arrives).
//   cloud:   the VPC drops a frame carrying one NIC's address out through another:
//            reply=default also fails ingress; egress=default with seen=own fails egress-ip.
//   strict:  cloud + rp_filter=1, which drops requests on a NIC whose route back is another,
//            and so also the echo server's answers to connections leaving through it.
import type { Nic } from '../config/config.js';
import { DEFAULT_NIC_FACTS, FACT_NAMES, type Fact, type NicFacts, type VariantFacts } from './facts.js';
import { LANGS, t, type Bilingual, type Lang } from './i18n.js';
import type { CheckName, Verdict } from './scheme.js';
import type { Profile } from '../topology/profiles.js';

export interface Expectation {
  expect: Verdict;
  reason: Bilingual;
}

/** What a NIC is to the schemes: the one with the default route (the config's first), or another. */
export type NicRole = 'default' | 'other';

export const roleOf = (nics: readonly Nic[], nic: Nic): NicRole => (nic === nics[0] || nic.name === nics[0].name ? 'default' : 'other');

/** The facts that hold for a NIC of this role: the default NIC's left-out facts are its own. */
export function factsFor(facts: VariantFacts, role: NicRole): NicFacts {
  if (role === 'other') return facts.others;
  return Object.fromEntries(FACT_NAMES.map((f) => [f, facts.default?.[f] ?? DEFAULT_NIC_FACTS[f]])) as NicFacts;
}

/** Fills {nic.*} and {default.*} in a why with the NICs' names and addresses. */
export function fillRoles(text: string, nic: Nic, defaultNic: Nic): string {
  const value = (who: Nic, key: string) => (key === 'name' ? who.name : key === 'ip' ? who.ip : key === 'eip' ? who.eip : undefined);
  return text.replace(/\{(nic|default)\.(\w+)\}/g, (all, who: string, key: string) => value(who === 'nic' ? nic : defaultNic, key) ?? all);
}

type Say = (lang: Lang, why: (f: Fact) => string) => string;

/** The profile's rule with the deciding facts' whys in it, in both languages. */
function phrase(f: Say, nic: Nic, defaultNic: Nic): Bilingual {
  const [en, zh] = LANGS.map((lang) => fillRoles(f(lang, (fact) => t(fact.why, lang)), nic, defaultNic));
  return { en, zh };
}

const has = (profile: Profile) => ({ sourceCheck: profile !== 'lenient', rpStrict: profile === 'strict' });

/**
 * The four expectations of one instance. A default-role NIC's `default` side is
 * that NIC itself, so for it both sides are its own.
 */
export function expectFromFacts(variant: VariantFacts, profile: Profile, nic: Nic, defaultNic: Nic, role: NicRole): Record<CheckName, Expectation> {
  const facts = factsFor(variant, role);
  const own = (f: Fact) => role === 'default' || f.is === 'own';
  const { reply, egress, seen } = facts;
  const { sourceCheck, rpStrict } = has(profile);
  const say = (expect: Verdict, f: Say): Expectation => ({ expect, reason: phrase(f, nic, defaultNic) });
  const zh = (lang: Lang) => lang === 'zh';

  const ingress = (): Expectation => {
    if (own(reply))
      return say('pass', (l, w) =>
        zh(l)
          ? `路由器把发往 {nic.eip} 的流量交给 {nic.name} 的 MAC 地址，而且${w(reply)}`
          : `the router delivers {nic.eip}'s traffic to {nic.name}'s MAC, and ${w(reply)}`,
      );
    if (rpStrict)
      return say('fail', (l, w) =>
        zh(l)
          ? `rp_filter=1：回程路由不走 {nic.name}，从它进来的请求被内核丢弃（${w(reply)}）`
          : `rp_filter=1: the route back is not via {nic.name}, so requests arriving on it are dropped (${w(reply)})`,
      );
    if (sourceCheck)
      return say('fail', (l, w) =>
        zh(l)
          ? `SYN-ACK 带着 {nic.name} 的 IP 从 {default.name} 发出，被 VPC 的源地址检查丢弃：连接始终建立不起来（${w(reply)}）`
          : `the SYN-ACK leaves through {default.name} with {nic.name}'s IP and the VPC's source check drops it: the request never completes (${w(reply)})`,
      );
    return say('pass', (l) =>
      zh(l)
        ? '路由器把发往 {nic.eip} 的流量交给 {nic.name} 的 MAC 地址；没有源地址检查，应答不管从哪块网卡出去都能到达客户端'
        : "the router delivers {nic.eip}'s traffic to {nic.name}'s MAC; with no source check the answer reaches the client whichever NIC it leaves by",
    );
  };

  const replyNic = (): Expectation => {
    if (own(reply)) return say('pass', (_, w) => w(reply));
    if (rpStrict)
      return say('fail', (l, w) =>
        zh(l)
          ? `rp_filter=1 丢弃了从 {nic.name} 进来的请求，所以根本没有回包发出（回程路由不走 {nic.name}：${w(reply)}）`
          : `rp_filter=1 drops the requests arriving on {nic.name}, so no reply leaves at all (the route back is not via {nic.name}: ${w(reply)})`,
      );
    return say('fail', (_, w) => w(reply));
  };

  const egressIp = (): Expectation => {
    if (!own(seen)) return say('fail', (_, w) => w(seen));
    // rp_filter=1 checks what comes back on {nic.name} as it checks requests: by the route back, the replies' route.
    if (rpStrict && own(egress) && !own(reply))
      return say('fail', (l, w) =>
        zh(l)
          ? `${w(egress)}；但 rp_filter=1 丢弃了从 {nic.name} 回来的 echo 服务器应答：回程路由不走 {nic.name}（${w(reply)}）`
          : `${w(egress)}; but rp_filter=1 drops the echo server's answers coming back on {nic.name}: the route back is not via {nic.name} (${w(reply)})`,
      );
    if (!own(egress) && sourceCheck)
      return say('fail', (l, w) =>
        zh(l)
          ? `${w(egress)}；VPC 的源地址检查丢弃从 {default.name} 发出、源地址是 {nic.name} IP 的帧，echo 服务器什么也收不到`
          : `${w(egress)}; the VPC's source check drops a frame with {nic.name}'s IP leaving through {default.name}, so the echo server sees nothing`,
      );
    return say('pass', (_, w) => w(seen));
  };

  const egressNic = (): Expectation => say(own(egress) ? 'pass' : 'fail', (_, w) => w(egress));

  return { 'ingress-nic': ingress(), 'reply-nic': replyNic(), 'egress-ip': egressIp(), 'egress-nic': egressNic() };
}

// A program that calls a name needs the VPC resolver first. Its queries
// leave through the NIC with the default route (the resolver is on the VPC
// subnet: a connected route of the main table), so where a scheme makes
// them carry another NIC's address (scheme 2's SNAT), the cloud's source
// check drops them: the name never resolves and the instance never calls
// out. The lab's own app calls the echo server by IP and is never affected.
import type { Nic } from '../config/config.js';
import { fillRoles, roleOf, type Expectation } from './expect-from-facts.js';
import { LANGS, t } from './i18n.js';
import type { CheckName, Scheme, SchemeContext } from './scheme.js';

/** The expectations of an instance whose program resolves names, given where its DNS queries go. */
export function withResolver(scheme: Scheme, ctx: SchemeContext, nic: Nic, checks: Record<CheckName, Expectation>): Record<CheckName, Expectation> {
  const nics = ctx.cfg.nics;
  const queries = scheme.resolverQueries?.(ctx);
  if (!queries || queries.is !== 'own' || roleOf(nics, nic) === 'default' || ctx.profile === 'lenient') return checks;
  const [en, zh] = LANGS.map((lang) =>
    fillRoles(
      lang === 'zh'
        ? `${t(queries.why, lang)}，被 VPC 的源地址检查丢弃：域名解析不出来，实例根本连不出去`
        : `${t(queries.why, lang)}, and the VPC's source check drops them: the name never resolves, so the instance never calls out`,
      nic,
      nics[0],
    ),
  );
  const dropped: Expectation = { expect: 'fail', reason: { en, zh } };
  return { ...checks, 'egress-ip': dropped, 'egress-nic': dropped };
}

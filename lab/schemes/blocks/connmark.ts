// The fix engineers try after policy routing: mark each connection by the NIC
// it came in on, restore the mark on every packet of it, and route marked
// packets by `fwmark`. It works the same whatever the scheme does to the
// traffic (bound or unbound app, containers, DNAT), so every scheme offers it:
// replies follow their connection's NIC, while the app's own outgoing
// connections (which came in on no NIC) carry no mark and keep the main table.
import type { Fact, VariantFacts } from '../../model/facts.js';
import type { Scheme, SchemeContext } from '../../model/scheme.js';
import type { Step } from '../../model/steps.js';

/** The fix's nft table in the server (one per lab: the namespace is the lab's). */
const TABLE = 'eiplab_connmark';
/** Rule preferences: before the pbr fix's (1000+), after the local table. */
const pref = (i: number) => 900 + i * 10;

export function connmarkSteps(ctx: SchemeContext): Step[] {
  const { cfg } = ctx;
  const marks = cfg.nics.map((nic) => `    ct state new iifname "${nic.name}" ct mark set ${nic.table}`);
  return [
    {
      node: 'server',
      explain: {
        en: "Mark each new connection with the table of the NIC it came in on, and copy the connection's mark onto every packet of it, in prerouting and (rerouting) in output.",
        zh: '给每条新连接打上它进入时那块网卡的路由表号作为标记，并在 prerouting 和 output（会重新选路）把连接的标记复制到它的每个包上。',
      },
      commands: [
        `nft -f - <<'NFT'
table ip ${TABLE} {
  chain prerouting {
    type filter hook prerouting priority mangle; policy accept;
${marks.join('\n')}
    meta mark set ct mark
  }
  chain output {
    type route hook output priority mangle; policy accept;
    meta mark set ct mark
  }
}
NFT`,
      ],
      undo: [`nft delete table ip ${TABLE}`],
    },
    {
      node: 'server',
      explain: {
        en: "Route marked packets by their mark: local subnets first (`lookup main suppress_prefixlength 0`, so a bridge's containers still route), then the NIC's own table with its default route. src_valid_mark=1 lets rp_filter check the route back with the mark too.",
        zh: '按标记给包选路：先查本地子网（`lookup main suppress_prefixlength 0`，网桥后的容器照常可达），再查这块网卡自己的路由表，表里有它的默认路由。src_valid_mark=1 让 rp_filter 核对回程路由时也带上标记。',
      },
      commands: [
        ...cfg.nics.flatMap((nic, i) => [
          `ip rule add pref ${pref(i)} fwmark ${nic.table} lookup main suppress_prefixlength 0`,
          `ip rule add pref ${pref(i) + 1} fwmark ${nic.table} lookup ${nic.table}`,
          `ip route add default via ${cfg.vpc.gateway} dev ${nic.name} table ${nic.table}`,
        ]),
        'sysctl -qw net.ipv4.conf.all.src_valid_mark=1',
      ],
      // Given, not derived: a sysctl has no mechanical undo.
      undo: [
        ...cfg.nics.flatMap((nic, i) => [
          `ip rule del pref ${pref(i)}`,
          `ip rule del pref ${pref(i) + 1}`,
          `ip route flush table ${nic.table}`,
        ]),
        'sysctl -qw net.ipv4.conf.all.src_valid_mark=0',
      ],
    },
  ];
}

const CONNMARK_REPLY: Fact = {
  is: 'own',
  why: {
    en: "connmark: the connection came in on {nic.name}, so its replies carry {nic.name}'s mark and the fwmark rule sends them out through {nic.name}",
    zh: 'connmark：连接是从 {nic.name} 进来的，回包带着 {nic.name} 的标记，fwmark 规则把它们从 {nic.name} 送出',
  },
};

/** What connmark changes: the replies. The app's own connections came in on no NIC: no mark, as without the fix. */
export function withConnmark(facts: VariantFacts): VariantFacts {
  return { ...facts, others: { ...facts.others, reply: CONNMARK_REPLY } };
}

/** A scheme with connmark beside its own fixes: its steps (each with its undo), and its facts from the scheme's facts without a fix. */
export function withConnmarkFix(scheme: Scheme): Scheme {
  if (scheme.fixes.connmark || scheme.withoutConnmark) return scheme;
  return {
    ...scheme,
    fixes: { ...scheme.fixes, connmark: connmarkSteps },
    facts: (ctx) => {
      if (ctx.fix !== 'connmark') return scheme.facts(ctx);
      const facts = scheme.facts({ ...ctx, fix: null });
      return facts && withConnmark(facts); // a measured-only scheme stays measured only
    },
  };
}

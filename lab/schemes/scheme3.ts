// Seed, 方案三: two bridges carry one address each; each app instance
// listens on a bridge IP; DNAT brings each NIC's traffic to its bridge IP,
// SNAT maps each bridge IP back to its NIC's IP on the way out.
import { startApp } from './blocks/app.js';
import type { Nic } from '../config/config.js';
import { policyRouting } from './blocks/fixes.js';
import { sameForAll, type Fact, type Side } from '../model/facts.js';
import type { Text } from '../model/i18n.js';
import { defineScheme, type SchemeContext } from '../model/scheme.js';

/** The seed's bridges: br-eip1 172.19.0.100 for eth0, br-eip2 172.19.0.101 for eth1. */
const bridge = (i: number) => ({ name: `br-eip${i + 1}`, ip: `172.19.0.${100 + i}` });

/** Why the default NIC's instance is seen with its own EIP even when the app does not bind. */
const DEFAULT_PICK: Text = {
  en: "{nic.name} holds the default route, and its IP is the one an unbound socket picks: the router maps it to {nic.eip}",
  zh: '默认路由在 {nic.name} 上，不绑定的套接字选的也是它的 IP：路由器把它映射成 {nic.eip}',
};

const eachNic = (ctx: SchemeContext, f: (nic: Nic, i: number) => string[]) => ctx.cfg.nics.flatMap(f);

export default defineScheme({
  id: 'scheme3',
  title: { en: 'Bridges + DNAT/SNAT', zh: '网桥 + DNAT/SNAT' },
  seed: '方案三 DNAT/SNAT技术实现',
  apps: ['plain', 'bound'],
  instances: ({ cfg }) => cfg.nics.map((nic, i) => ({ nic, probeUrl: `http://${bridge(i).ip}:${cfg.appPort}/` })),
  steps: (ctx) => [
    {
      node: 'server',
      explain: {
        en: "Create bridges br-eip1 and br-eip2 and give each one address. The seed's `ifconfig br 172.19.0.10x` has no netmask, which gives the classful /16: both bridges get a 172.19.0.0/16 route.",
        zh: '创建网桥 br-eip1 和 br-eip2，各配一个地址。原文的 `ifconfig br 172.19.0.10x` 没写掩码，按有类地址取 /16：两个网桥都会带上一条 172.19.0.0/16 路由。',
      },
      commands: eachNic(ctx, (_, i) => [
        `ip link add ${bridge(i).name} type bridge`,
        `ip link set ${bridge(i).name} up`,
        `ip addr add ${bridge(i).ip}/16 dev ${bridge(i).name}`,
      ]),
    },
    ...ctx.cfg.nics.map((nic, i) => ({
      node: 'server' as const,
      explain:
        ctx.app === 'bound'
          ? {
              en: `Run the instance for ${nic.name} listening on ${bridge(i).name}'s IP, its outgoing connections bound to that IP (the app as changed for scheme 1).`,
              zh: `启动 ${nic.name} 对应的实例，监听 ${bridge(i).name} 的 IP，主动外连也绑定这个 IP（即方案一改过的应用）。`,
            }
          : {
              en: `Run the instance for ${nic.name} listening on ${bridge(i).name}'s IP; the app is the seed's original, which does not bind its outgoing connections.`,
              zh: `启动 ${nic.name} 对应的实例，监听 ${bridge(i).name} 的 IP；应用是原文未改动的版本，主动外连不绑定源地址。`,
            },
      commands: startApp(ctx.cfg, { nic, listen: `${bridge(i).ip}:${ctx.cfg.appPort}`, bind: ctx.app === 'bound' }),
    })),
    {
      node: 'server',
      explain: {
        en: `Traffic in: DNAT each NIC's IP, port ${ctx.cfg.appPort}, to its bridge IP (not for packets that came from that bridge).`,
        zh: `入方向：把发往各网卡 IP ${ctx.cfg.appPort} 端口的流量 DNAT 到对应网桥的 IP（来自该网桥本身的包除外）。`,
      },
      commands: eachNic(ctx, (nic, i) => [
        `iptables -t nat -I PREROUTING -d ${nic.ip}/32 ! -i ${bridge(i).name} -p tcp -m tcp --dport ${ctx.cfg.appPort} -j DNAT --to-destination ${bridge(i).ip}:${ctx.cfg.appPort}`,
      ]),
    },
    {
      node: 'server',
      explain: {
        en: "Traffic out: SNAT whatever leaves with a bridge IP as its source to that bridge's NIC IP.",
        zh: '出方向：凡是以网桥 IP 为源地址出去的包，都 SNAT 成该网桥对应网卡的 IP。',
      },
      commands: eachNic(ctx, (nic, i) => [`iptables -t nat -I POSTROUTING -p all -s ${bridge(i).ip} -j SNAT --to-source ${nic.ip}`]),
    },
  ],
  fixes: {
    pbr: (ctx) =>
      policyRouting(ctx, {
        keyedOn: (_, i) => bridge(i).ip,
        keepLocalRoutes: true,
        why: {
          en: 'Policy routing keyed on the bridge IPs: the route is chosen before SNAT, with the bridge IP as the source. Local subnets first, so the bridges still route.',
          zh: '按网桥 IP 做策略路由：选路发生在 SNAT 之前，用的源地址还是网桥 IP。先查 main 表里的本地子网路由，网桥之间照常可达。',
        },
      }),
  },
  facts: ({ app, fix }) => {
    const routed = (is: Side, why: Text): Fact => ({ is, why });
    const replyPbr = routed('own', {
      en: 'replies are routed with the bridge IP as their source, which the policy rule sends out through {nic.name}',
      zh: '回包以网桥 IP 为源地址选路，策略规则把它从 {nic.name} 送出',
    });
    const replyMain = routed('default', {
      en: 'replies are routed with the bridge IP as source by the main table: out through {default.name}',
      zh: '回包以网桥 IP 为源地址，由 main 表选路：从 {default.name} 出去',
    });
    if (app === 'plain') {
      // The unbound socket takes the default NIC's IP: no rule keyed on a bridge IP ever sees it.
      const unbound: Text = {
        en: "the unbound socket takes {default.name}'s IP from the main table, so neither the SNAT rule nor a policy rule for the bridge IP ever matches",
        zh: '不绑定的套接字从 main 表拿到 {default.name} 的 IP，针对网桥 IP 的 SNAT 规则和策略规则都永远匹配不上',
      };
      return {
        others: { reply: fix === 'pbr' ? replyPbr : replyMain, egress: routed('default', unbound), seen: routed('default', unbound) },
        default: { seen: routed('own', DEFAULT_PICK) },
      };
    }
    if (fix === 'pbr')
      return sameForAll({
        reply: replyPbr,
        egress: routed('own', {
          en: "the socket is bound to the bridge IP: the rule from it picks {nic.name}'s table",
          zh: '套接字绑定了网桥 IP：匹配它的策略规则选中 {nic.name} 的路由表',
        }),
        seen: routed('own', {
          en: "the socket is bound to the bridge IP, which the SNAT rule turns into {nic.name}'s IP, mapped to {nic.eip}",
          zh: '套接字绑定了网桥 IP，SNAT 把它换成 {nic.name} 的 IP，再被映射成 {nic.eip}',
        }),
      });
    return {
      others: {
        reply: replyMain,
        egress: routed('default', {
          en: 'the route is chosen with the bridge IP before SNAT, by the main table: out through {default.name}',
          zh: '选路发生在 SNAT 之前，用网桥 IP 查 main 表：从 {default.name} 出去',
        }),
        seen: routed('own', {
          en: "the bound socket's bridge IP matches the SNAT rule: the router sees {nic.name}'s IP and maps it to {nic.eip}",
          zh: '绑定后的源地址是网桥 IP，命中 SNAT 规则：路由器看到 {nic.name} 的 IP，把它映射成 {nic.eip}',
        }),
      },
    };
  },
});

// Seed, 方案三: two bridges carry one address each; each app instance
// listens on a bridge IP; DNAT brings each NIC's traffic to its bridge IP,
// SNAT maps each bridge IP back to its NIC's IP on the way out.
import { startApp, stopApp } from './blocks/app.js';
import type { Nic } from '../config/config.js';
import { policyRouting, removePolicyRouting } from './blocks/fixes.js';
import { defineScheme, expect, type SchemeContext } from '../model/scheme.js';

/** The seed's bridges: br-eip1 172.19.0.100 for eth0, br-eip2 172.19.0.101 for eth1. */
const bridge = (i: number) => ({ name: `br-eip${i + 1}`, ip: `172.19.0.${100 + i}` });

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
  teardown: (ctx) => [
    {
      node: 'server',
      explain: { en: 'Stop the instances, delete the NAT rules and the bridges.', zh: '停止实例，删除 NAT 规则和网桥。' },
      commands: [
        ...ctx.cfg.nics.map(stopApp),
        ...eachNic(ctx, (nic, i) => [
          `iptables -t nat -D PREROUTING -d ${nic.ip}/32 ! -i ${bridge(i).name} -p tcp -m tcp --dport ${ctx.cfg.appPort} -j DNAT --to-destination ${bridge(i).ip}:${ctx.cfg.appPort}`,
          `iptables -t nat -D POSTROUTING -p all -s ${bridge(i).ip} -j SNAT --to-source ${nic.ip}`,
          `ip link del ${bridge(i).name}`,
        ]),
      ],
    },
    ...removePolicyRouting(ctx),
  ],
  expected: [
    expect({ instance: 'eth0' }, 'pass', {
      en: 'eth0 holds the default route, and its IP is the one an unbound socket picks: everything matches eth0',
      zh: '默认路由在 eth0 上，不绑定的套接字选的也是 eth0 的 IP：一切都与 eth0 吻合',
    }),
    expect({ app: 'bound', fix: 'pbr' }, 'pass', {
      en: "the socket is bound to the bridge IP: the rule from it picks eth1's table, then SNAT gives eth1's IP",
      zh: '套接字绑定了网桥 IP：匹配它的策略规则选中 eth1 的路由表，随后 SNAT 换成 eth1 的 IP',
    }),
    // eth1's instance, the way in and the replies:
    expect({ check: ['ingress-nic', 'reply-nic'], fix: 'pbr' }, 'pass', {
      en: 'replies are routed with the bridge IP as their source, which the rule sends out through eth1',
      zh: '回包以网桥 IP 为源地址选路，策略规则把它从 eth1 送出',
    }),
    expect({ check: 'ingress-nic', profile: 'strict' }, 'fail', {
      en: 'rp_filter=1 checks the route back from the bridge IP, which is via eth0: requests arriving on eth1 are dropped',
      zh: 'rp_filter=1 会核对从网桥 IP 回去的路由，它走 eth0：从 eth1 进来的请求被丢弃',
    }),
    expect({ check: 'ingress-nic', profile: 'cloud' }, 'fail', {
      en: "the SYN-ACK leaves through eth0 with eth1's IP and the VPC's source check drops it: the request never completes",
      zh: 'SYN-ACK 带着 eth1 的 IP 从 eth0 发出，被 VPC 的源地址检查丢弃：连接始终建立不起来',
    }),
    expect({ check: 'ingress-nic' }, 'pass', {
      en: "the DNAT rule hands requests for eth1's IP to the instance on br-eip2",
      zh: 'DNAT 规则把发往 eth1 IP 的请求交给 br-eip2 上的实例',
    }),
    expect({ check: 'reply-nic' }, 'fail', {
      en: 'replies are routed with the bridge IP as source by the main table: out through eth0',
      zh: '回包以网桥 IP 为源地址，由 main 表选路：从 eth0 出去',
    }),
    // eth1's instance, its own outgoing connections:
    expect({ app: 'plain' }, 'fail', {
      en: "the unbound socket takes eth0's IP from the main table, so neither the SNAT rule nor a policy rule for 172.19.0.101 ever matches",
      zh: '不绑定的套接字从 main 表拿到 eth0 的 IP，针对 172.19.0.101 的 SNAT 规则和策略规则都永远匹配不上',
    }),
    expect({ check: 'egress-ip', profile: ['cloud', 'strict'] }, 'fail', {
      en: "SNAT gives eth1's IP, but the packet leaves through eth0 and the VPC's source check drops it",
      zh: 'SNAT 换成了 eth1 的 IP，但包从 eth0 发出，被 VPC 的源地址检查丢弃',
    }),
    expect({ check: 'egress-ip' }, 'pass', {
      en: "the bound socket's bridge IP matches the SNAT rule: the router sees eth1's IP and maps it to EIP 2",
      zh: '绑定后的源地址是网桥 IP，命中 SNAT 规则：路由器看到 eth1 的 IP，把它映射成 EIP 2',
    }),
    expect({ check: 'egress-nic' }, 'fail', {
      en: 'the route is chosen with the bridge IP before SNAT, by the main table: out through eth0',
      zh: '选路发生在 SNAT 之前，用网桥 IP 查 main 表：从 eth0 出去',
    }),
  ],
});

// Seed, 方案三: two bridges carry one address each; each app instance
// listens on a bridge IP; DNAT brings each NIC's traffic to its bridge IP,
// SNAT maps each bridge IP back to its NIC's IP on the way out.
import { startApp, stopApp } from '../app.js';
import type { Nic } from '../config.js';
import { policyRouting, removePolicyRouting } from '../fixes.js';
import { defineScheme, expect, type SchemeContext } from '../scheme.js';

/** The seed's bridges: br-eip1 172.19.0.100 for eth0, br-eip2 172.19.0.101 for eth1. */
const bridge = (i: number) => ({ name: `br-eip${i + 1}`, ip: `172.19.0.${100 + i}` });

const eachNic = (ctx: SchemeContext, f: (nic: Nic, i: number) => string[]) => ctx.cfg.nics.flatMap(f);

export default defineScheme({
  id: 'scheme3',
  title: 'Bridges + DNAT/SNAT',
  seed: '方案三 DNAT/SNAT技术实现',
  apps: ['plain', 'bound'],
  instances: ({ cfg }) => cfg.nics.map((nic, i) => ({ nic, probeUrl: `http://${bridge(i).ip}:${cfg.appPort}/` })),
  steps: (ctx) => [
    {
      node: 'server',
      explain:
        "Create bridges br-eip1 and br-eip2 and give each one address. The seed's `ifconfig br 172.19.0.10x` has no netmask, which gives the classful /16: both bridges get a 172.19.0.0/16 route.",
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
          ? `Run the instance for ${nic.name} listening on ${bridge(i).name}'s IP, its outgoing connections bound to that IP (the app as changed for scheme 1).`
          : `Run the instance for ${nic.name} listening on ${bridge(i).name}'s IP; the app is the seed's original, which does not bind its outgoing connections.`,
      commands: startApp(ctx.cfg, { nic, listen: `${bridge(i).ip}:${ctx.cfg.appPort}`, bind: ctx.app === 'bound' }),
    })),
    {
      node: 'server',
      explain: "Traffic in: DNAT each NIC's IP, port 8090, to its bridge IP (not for packets that came from that bridge).",
      commands: eachNic(ctx, (nic, i) => [
        `iptables -t nat -I PREROUTING -d ${nic.ip}/32 ! -i ${bridge(i).name} -p tcp -m tcp --dport ${ctx.cfg.appPort} -j DNAT --to-destination ${bridge(i).ip}:${ctx.cfg.appPort}`,
      ]),
    },
    {
      node: 'server',
      explain: "Traffic out: SNAT whatever leaves with a bridge IP as its source to that bridge's NIC IP.",
      commands: eachNic(ctx, (nic, i) => [`iptables -t nat -I POSTROUTING -p all -s ${bridge(i).ip} -j SNAT --to-source ${nic.ip}`]),
    },
  ],
  fixes: {
    pbr: (ctx) =>
      policyRouting(ctx, {
        keyedOn: (_, i) => bridge(i).ip,
        keepLocalRoutes: true,
        why: 'Policy routing keyed on the bridge IPs: the route is chosen before SNAT, with the bridge IP as the source. Local subnets first, so the bridges still route.',
      }),
  },
  teardown: (ctx) => [
    {
      node: 'server',
      explain: 'Stop the instances, delete the NAT rules and the bridges.',
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
    expect({ instance: 'eth0' }, 'pass', "eth0 holds the default route, and its IP is the one an unbound socket picks: everything matches eth0"),
    expect({ app: 'bound', fix: 'pbr' }, 'pass', "the socket is bound to the bridge IP: the rule from it picks eth1's table, then SNAT gives eth1's IP"),
    // eth1's instance, the way in and the replies:
    expect({ check: ['ingress-nic', 'reply-nic'], fix: 'pbr' }, 'pass', 'replies are routed with the bridge IP as their source, which the rule sends out through eth1'),
    expect({ check: 'ingress-nic', profile: 'strict' }, 'fail', 'rp_filter=1 checks the route back from the bridge IP, which is via eth0: requests arriving on eth1 are dropped'),
    expect({ check: 'ingress-nic', profile: 'cloud' }, 'fail', "the SYN-ACK leaves through eth0 with eth1's IP and the VPC's source check drops it: the request never completes"),
    expect({ check: 'ingress-nic' }, 'pass', "the DNAT rule hands requests for eth1's IP to the instance on br-eip2"),
    expect({ check: 'reply-nic' }, 'fail', 'replies are routed with the bridge IP as source by the main table: out through eth0'),
    // eth1's instance, its own outgoing connections:
    expect({ app: 'plain' }, 'fail', "the unbound socket takes eth0's IP from the main table, so neither the SNAT rule nor a policy rule for 172.19.0.101 ever matches"),
    expect({ check: 'egress-ip', profile: ['cloud', 'strict'] }, 'fail', "SNAT gives eth1's IP, but the packet leaves through eth0 and the VPC's source check drops it"),
    expect({ check: 'egress-ip' }, 'pass', "the bound socket's bridge IP matches the SNAT rule: the router sees eth1's IP and maps it to EIP 2"),
    expect({ check: 'egress-nic' }, 'fail', 'the route is chosen with the bridge IP before SNAT, by the main table: out through eth0'),
  ],
});

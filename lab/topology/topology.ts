// The lab's network as a small object (in the spirit of mininet's Topo):
// three namespaces, the links between them, and the steps that build them.
//
//  inet: client + echo server ── uplink ── edge: cloud router, bridge "vpc" ── 2 to 4 NICs ── server
import { names, type LabConfig } from '../config/config.js';
import { countWord } from '../model/i18n.js';
import type { Step } from '../model/steps.js';
import { vethLinks, type Links } from './links.js';
import { resolverSteps } from './resolver.js';

/** Builds the namespaces, links, addresses, routes and the router's 1:1 NAT; `links` gives the server its NICs. */
export function topologySteps(cfg: LabConfig, links: Links = vethLinks): Step[] {
  const n = names(cfg);
  const { vpc, uplink, echo, nics } = cfg;
  const quiet = 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1';
  return [
    {
      node: 'host',
      explain: {
        en: "Create the three lab nodes as network namespaces, and the lab's run directory.",
        zh: '把实验的三个节点建成网络命名空间，并创建实验的运行目录。',
      },
      commands: [
        `ip netns add ${n.ns.inet}`,
        `ip netns add ${n.ns.edge}`,
        `ip netns add ${n.ns.server}`,
        `mkdir -p ${n.runDir}`,
      ],
    },
    {
      node: 'edge',
      explain: {
        en: `The cloud router: an uplink to the internet, and the VPC subnet as a bridge the server's ${countWord(nics.length, 'en')} NICs plug into.`,
        zh: `云路由器：一条通往互联网的上行链路；VPC 子网是一个网桥，服务器的${countWord(nics.length, 'zh')}块网卡都接在上面。`,
      },
      commands: [
        quiet,
        `ip -batch - <<'IP'
link set lo up
link add uplink type veth peer name uplink netns ${n.ns.inet}
link add ${vpc.bridge} type bridge
link set ${vpc.bridge} up
link set uplink up
addr add ${uplink.edgeIp}/${uplink.prefixLen} dev uplink
addr add ${vpc.gateway}/${vpc.prefixLen} dev ${vpc.bridge}
route add ${echo.ip}/32 via ${uplink.clientIp}
IP`,
      ],
    },
    ...links.plug(cfg),
    {
      node: 'edge',
      explain: {
        en: 'A VPC knows where each NIC is and does not learn it by ARP: permanent neighbour and bridge entries (without them ARP flux makes ingress random).',
        zh: 'VPC 事先知道每块网卡在哪里，不靠 ARP 学习：写入永久邻居表项和网桥转发表项（没有它们，ARP flux 会让入口网卡变得随机）。',
      },
      commands: [
        ...nics.map((nic) => `ip neigh replace ${nic.ip} lladdr ${nic.mac} dev ${vpc.bridge} nud permanent`),
        ...nics.map((nic) => `bridge fdb replace ${nic.mac} dev ${links.edgePort(cfg, nic)} master static`),
      ],
    },
    {
      node: 'edge',
      explain: {
        en: "The router forwards, maps each elastic IP 1:1 onto its NIC's private IP, and lets only mapped addresses out to the internet.",
        zh: '路由器开启转发，把每个弹性公网 IP 一对一映射到对应网卡的私网 IP，并且只放行已映射的地址访问互联网。',
      },
      commands: [
        'sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0',
        // Bridged frames must not pass the router's IP hooks (br_netfilter is global and may be loaded).
        'if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then sysctl -qw net.bridge.bridge-nf-call-iptables=0; fi',
        `nft -f - <<'NFT'
table ip eiplab_nat {
  counter unmapped_out {}
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
${nics.map((nic) => `    ip daddr ${nic.eip} dnat to ${nic.ip}`).join('\n')}
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    oifname "uplink" ip saddr != { ${nics.map((nic) => nic.ip).join(', ')} } counter name unmapped_out drop
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
${nics.map((nic) => `    oifname "uplink" ip saddr ${nic.ip} snat to ${nic.eip}`).join('\n')}
  }
}
NFT`,
      ],
    },
    {
      node: 'server',
      explain: {
        en: `The server: ${countWord(nics.length, 'en')} NICs on one subnet, and one default route, via ${nics[0].name}.`,
        zh: `服务器：${countWord(nics.length, 'zh')}块网卡在同一子网，只有一条默认路由，经 ${nics[0].name}。`,
      },
      commands: [
        quiet,
        `ip -batch - <<'IP'
link set lo up
${nics.map((nic) => `addr add ${nic.ip}/${vpc.prefixLen} dev ${nic.name}`).join('\n')}
${nics.map((nic) => `link set ${nic.name} up`).join('\n')}
route add default via ${vpc.gateway} dev ${nics[0].name}
IP`,
        'sysctl -qw net.ipv4.ip_forward=0',
      ],
    },
    {
      node: 'inet',
      explain: {
        en: 'The internet: the client, the echo server that reports the source IP it sees, and routes to the elastic IPs only.',
        zh: `互联网：客户端、回报所见源 IP 的 echo 服务器，以及只指向这${countWord(nics.length, 'zh')}个弹性公网 IP 的路由。`,
      },
      commands: [
        quiet,
        `ip -batch - <<'IP'
link set lo up
addr add ${echo.ip}/32 dev lo
addr add ${uplink.clientIp}/${uplink.prefixLen} dev uplink
link set uplink up
${nics.map((nic) => `route add ${nic.eip}/32 via ${uplink.edgeIp}`).join('\n')}
IP`,
        'sysctl -qw net.ipv4.ip_forward=0',
        `lab_daemon echo eiplab-echo --addr ${echo.ip}:${echo.port}`,
        `lab_wait_http echo http://${echo.ip}:${echo.port}/`,
      ],
    },
    ...resolverSteps(cfg),
  ];
}

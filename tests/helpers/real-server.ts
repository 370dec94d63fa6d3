// A "real server" built by hand, with plain ip/iptables/nft commands and none
// of the lab's code: NICs on 10.0.1.0/24 (veths whose other ends sit in a
// wire namespace), default via the first, optionally the per-NIC policy routing a
// cloud's multi-NIC guide sets up, and Docker-like rules with an ipset.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface RealServerOptions {
  nics: number;
  /** A rule from each secondary address to a table whose default route leaves through that NIC. */
  guidePbr?: boolean;
  /** docker0 with Docker's nat chain, an ipset match, and an IPv6 address. */
  docker?: boolean;
  /** The NICs' names (default eth0, eth1, ...): a cloud image may call them ens5, ens6. */
  names?: string[];
}

export interface RealServer {
  ns: string;
  /** Runs a shell script inside the server namespace; returns stdout. */
  sh(script: string): string;
  remove(): void;
}

const sh = (script: string) => execFileSync('sh', ['-ec', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export const nicIp = (i: number) => `10.0.1.${10 + i}`;
export const nicMac = (i: number) => `02:00:0a:00:01:${(10 + i).toString(16).padStart(2, '0')}`;

export function buildRealServer(name: string, o: RealServerOptions): RealServer {
  const ns = `${name}-real`;
  const wire = `${name}-wire`;
  const nics = Array.from({ length: o.nics }, (_, i) => i);
  const nic = (i: number) => o.names?.[i] ?? `eth${i}`;
  const lines = [
    `ip netns add ${ns}`,
    `ip netns add ${wire}`,
    // No DAD: link-local addresses would change state while the test looks.
    `ip netns exec ${ns} sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0`,
    `ip -n ${ns} link set lo up`,
    ...nics.flatMap((i) => [
      `ip -n ${wire} link add w${i} type veth peer name ${nic(i)} netns ${ns} address ${nicMac(i)}`,
      `ip -n ${wire} link set w${i} up`,
      `ip -n ${ns} addr add ${nicIp(i)}/24 dev ${nic(i)}`,
      `ip -n ${ns} link set ${nic(i)} up`,
    ]),
    `ip -n ${ns} route add default via 10.0.1.1 dev ${nic(0)}`,
    ...(o.guidePbr
      ? nics.slice(1).flatMap((i) => [
          `ip -n ${ns} route add default via 10.0.1.1 dev ${nic(i)} table ${100 + i}`,
          `ip -n ${ns} route add 10.0.1.0/24 dev ${nic(i)} src ${nicIp(i)} table ${100 + i}`,
          `ip -n ${ns} rule add from ${nicIp(i)} lookup ${100 + i} priority ${1000 + i}`,
        ])
      : []),
    ...(o.docker
      ? [
          `ip -n ${ns} link add docker0 type bridge`,
          `ip -n ${ns} addr add 172.17.0.1/16 dev docker0`,
          `ip -n ${ns} link set docker0 up`,
          `ip -n ${ns} addr add 2001:db8::10/64 dev ${nic(0)} nodad`,
          `ip netns exec ${ns} sh -ec '
ipset create blocked hash:ip
iptables -t nat -N DOCKER
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
iptables -t nat -A DOCKER -i docker0 -j RETURN
iptables -A INPUT -m set --match-set blocked src -j DROP
iptables -A INPUT -p tcp --dport 22 -m comment --comment "ssh only" -j ACCEPT
nft add table inet own
nft add chain inet own out "{ type filter hook output priority 0; }"
nft add rule inet own out oifname "${nic(1)}" ip daddr 192.0.2.99 counter'`,
        ]
      : []),
  ];
  try {
    sh(lines.join('\n'));
  } catch (e) {
    remove();
    throw e;
  }
  function remove() {
    for (const n of [ns, wire]) if (existsSync(`/run/netns/${n}`)) sh(`ip netns del ${n}`);
  }
  return { ns, sh: (script) => execFileSync('ip', ['netns', 'exec', ns, 'sh', '-ec', script], { encoding: 'utf8' }), remove };
}

/**
 * Everything a capture could change in a namespace, as text: links, addresses, routes and rules of both
 * families, neighbours, every net sysctl, the nft ruleset, the iptables rules and the ipsets.
 */
export function snapshot(server: RealServer): string {
  // A bridge's timers tick on their own, and the count of tracked connections moves with any packet
  // the namespace sees, whoever sent it: neither is configuration.
  return server.sh(`
ip -d -j link show; ip -j addr show; ip -j -4 route show table all; ip -j -6 route show table all
ip -j -4 rule show; ip -j -6 rule show; ip -j neigh show
grep -r . /proc/sys/net 2>/dev/null | grep -v '/nf_conntrack_count:' | sort || true
nft list ruleset 2>/dev/null; iptables-save | grep -v '^#'; ipset list 2>/dev/null || true
`).replace(/"[a-z_]+_timer":[0-9.]+/g, '');
}

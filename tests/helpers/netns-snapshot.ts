// A snapshot of one lab namespace: everything a scheme can add there, so a
// test can prove that taking the scheme back left the namespace as it was.
// A tool that fails throws: a snapshot must never compare two error texts.
import { execFileSync } from 'node:child_process';

function inNs(ns: string, script: string): string {
  return execFileSync('ip', ['netns', 'exec', ns, 'sh', '-ec', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Values that move on their own (counters, hash seeds) are left out. */
const DYNAMIC = /nf_conntrack_count|conntrack_expect|random|boot_id|\.stable_secret|neigh\..*\.(ucast|mcast)_solicit_count/;

export function namespaceSnapshot(ns: string): Record<string, string> {
  return {
    links: inNs(ns, 'ip -o link show').replace(/ +link\/.*$/gm, '').replace(/\s+/g, ' '),
    addresses: inNs(ns, 'ip -o addr show').replace(/valid_lft \S+ preferred_lft \S+/g, ''),
    rules: inNs(ns, 'ip rule show; ip -6 rule show'),
    routes: inNs(ns, 'ip route show table all; ip -6 route show table all'),
    nft: inNs(ns, 'nft list ruleset').replace(/counter packets \d+ bytes \d+/g, 'counter'),
    iptables: inNs(ns, 'iptables-save; ip6tables-save').replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, ''),
    sysctls: inNs(ns, 'sysctl -a 2>/dev/null | grep "^net\\." || true')
      .split('\n')
      .filter((l) => !DYNAMIC.test(l))
      .join('\n'),
    processes: inNs(ns, `for p in $(ip netns identify $$ >/dev/null; ip netns pids ${ns}); do [ $p = $$ ] || cat /proc/$p/comm 2>/dev/null || true; done | sort`),
  };
}

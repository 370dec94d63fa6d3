// A snapshot of the lab host's root network namespace, to prove a run left
// it exactly as it was.
import { execFileSync } from 'node:child_process';

function sh(cmd: string): string {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Values that change on their own (connection counts, hash seeds) are left out. */
const DYNAMIC = /nf_conntrack_count|conntrack_expect|random|boot_id|\.stable_secret|neigh\..*\.(ucast|mcast)_solicit_count/;

export function rootNamespaceSnapshot(): Record<string, string> {
  return {
    // Rules, not their packet counts: traffic that is not the lab's (a VM, the host's own) moves counters.
    iptables: sh('iptables-save 2>/dev/null | grep -v "^#" || true').replace(/\[\d+:\d+\]/g, ''),
    ip6tables: sh('ip6tables-save 2>/dev/null | grep -v "^#" || true').replace(/\[\d+:\d+\]/g, ''),
    nft: sh('nft list ruleset 2>/dev/null').replace(/counter packets \d+ bytes \d+/g, 'counter'),
    rules: sh('ip rule show; ip -6 rule show'),
    routes: sh('ip route show table all; ip -6 route show table all'),
    links: sh('ip -o link show | sed -E "s/ +link\\/.*$//"'),
    addresses: sh('ip -o addr show'),
    sysctls: sh('sysctl -a 2>/dev/null | grep -E "^net\\."')
      .split('\n')
      .filter((l) => !DYNAMIC.test(l))
      .join('\n'),
  };
}

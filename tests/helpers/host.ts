// A snapshot of the lab host's root network namespace, to prove a run left
// it exactly as it was. Every tool must succeed: a tool that fails would give
// the same error before and after, and so hide whatever changed.
import { execFileSync } from 'node:child_process';

/** A program's output; throws, naming the program, when it cannot run or exits non-zero. */
function tool(...argv: string[]): string {
  try {
    return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`root namespace snapshot: \`${argv.join(' ')}\` failed: ${(err.stderr || err.message).trim().split('\n')[0]}`);
  }
}

const lines = (text: string, keep: (line: string) => boolean) => text.split('\n').filter(keep).join('\n');

/** Values that change on their own (connection counts, hash seeds) are left out. */
const DYNAMIC = /nf_conntrack_count|conntrack_expect|random|boot_id|\.stable_secret|neigh\..*\.(ucast|mcast)_solicit_count/;

export function rootNamespaceSnapshot(): Record<string, string> {
  // Rules, not their packet counts: traffic that is not the lab's (a VM, the host's own) moves counters.
  const saved = (program: string) => lines(tool(program), (l) => !l.startsWith('#')).replace(/\[\d+:\d+\]/g, '');
  return {
    iptables: saved('iptables-save'),
    ip6tables: saved('ip6tables-save'),
    nft: tool('nft', 'list', 'ruleset').replace(/counter packets \d+ bytes \d+/g, 'counter'),
    rules: tool('ip', 'rule', 'show') + tool('ip', '-6', 'rule', 'show'),
    routes: tool('ip', 'route', 'show', 'table', 'all') + tool('ip', '-6', 'route', 'show', 'table', 'all'),
    links: tool('ip', '-o', 'link', 'show').replace(/ +link\/.*$/gm, ''),
    addresses: tool('ip', '-o', 'addr', 'show'),
    sysctls: lines(tool('sysctl', '-a'), (l) => l.startsWith('net.') && !DYNAMIC.test(l)),
  };
}

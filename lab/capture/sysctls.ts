// The captured routing sysctls, as /proc/sys writes for the lab's server.
import type { Capture } from './capture.js';
import type { Unreplayable } from './iptables.js';
import { captureSay } from './phrases.js';

/** The keys capture.sh lists; a capture naming any other is not trusted with /proc/sys. */
export const GLOBAL_KEYS = ['ip_forward', 'ip_nonlocal_bind', 'fwmark_reflect', 'tcp_fwmark_accept', 'udp_l3mdev_accept', 'tcp_l3mdev_accept', 'raw_l3mdev_accept', 'ip_local_port_range', 'fib_multipath_hash_policy'];
export const CONF_KEYS = ['rp_filter', 'forwarding', 'src_valid_mark', 'accept_local', 'route_localnet', 'arp_ignore', 'arp_announce', 'arp_filter', 'proxy_arp', 'send_redirects', 'accept_redirects', 'log_martians', 'disable_policy'];
const NUMBERS = /^\d+([ \t]+\d+)*$/;

export interface SysctlWrite {
  /** The path under /proc/sys, e.g. net/ipv4/conf/eth1/rp_filter. */
  path: string;
  value: string;
}

/**
 * Globals first (ip_forward resets every interface's forwarding), then `all` and `default`, then each NIC.
 * Keys capture.sh does not list and values that are not numbers are left out, each listed.
 */
export function planSysctls(capture: Capture, created: Set<string>): { writes: SysctlWrite[]; skipped: Unreplayable[] } {
  const writes: SysctlWrite[] = [];
  const skipped: Unreplayable[] = [];
  const take = (path: string, keys: string[], key: string, value: string | null) => {
    if (value === null) return; // this kernel has no such key
    if (!keys.includes(key)) skipped.push({ what: `sysctl ${path.replace(/\//g, '.')}`, why: captureSay.unknownField('sysctl', key) });
    else if (!NUMBERS.test(value.trim())) skipped.push({ what: `sysctl ${path.replace(/\//g, '.')} = ${value}`, why: captureSay.unknownValue('sysctl value', value) });
    else writes.push({ path, value: value.trim().replace(/\s+/g, ' ') });
  };
  for (const [key, value] of Object.entries(capture.sysctls.ipv4)) take(`net/ipv4/${key}`, GLOBAL_KEYS, key, value);
  const confs = Object.keys(capture.sysctls.conf).sort((a, b) => rank(a) - rank(b));
  for (const conf of confs) {
    // An interface the lab does not create takes its sysctls with it (listed once, as the interface).
    if (conf !== 'all' && conf !== 'default' && !created.has(conf)) continue;
    for (const [key, value] of Object.entries(capture.sysctls.conf[conf])) take(`net/ipv4/conf/${conf}/${key}`, CONF_KEYS, key, value);
  }
  return { writes, skipped };
}

const rank = (conf: string) => (conf === 'all' ? 0 : conf === 'default' ? 1 : 2);

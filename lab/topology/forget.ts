// What a lab kept from one matrix cell to the next (the same variant in
// another profile) must forget of the last cell's traffic, so the next cell
// sees what a lab just built would. A fresh lab has none of it:
// - half-open connections: a SYN the server answered while the source check
//   dropped its SYN-ACK leaves a request socket that resends the SYN-ACK
//   (after 1, 3, 7 ... s) into the next cell's counters. They are destroyed
//   (`ss -K`, CONFIG_INET_DIAG_DESTROY); where the kernel cannot, none may
//   remain, or the step fails and the cell is a full run instead;
// - neighbours learnt or failed (the bound device's on-link ARP); the
//   permanent ones `up` wrote stay;
// - route exceptions (redirects, path MTU).
// Connections the probes made are not carried over: each probe opens new ones.
import { LAB_NODES, names, type LabConfig } from '../config/config.js';
import type { Step } from '../model/steps.js';
import { shQuote } from '../hosts/quote.js';

/** Run inside one network namespace: exit 0 only when nothing of the last cell is left there. */
const FORGET = 'ip neigh flush all && ip route flush cache && ss -K -tn state syn-recv >/dev/null && ! ss -Htn state syn-recv | grep -q .';

/**
 * The step, on the lab host: the lab's namespaces, and (`daemon`: shell lines that define
 * `netns_pids`, printing a PID per namespace) those a kept daemon made: Docker's containers.
 */
export function forgetStep(cfg: LabConfig, daemon?: string[]): Step {
  const ns = LAB_NODES.map((node) => names(cfg).ns[node]);
  return {
    node: 'host',
    explain: {
      en: "Forget what the last cell's traffic left in the lab: half-open connections, neighbours, route exceptions.",
      zh: '清掉上一格流量在实验环境里留下的东西：半开连接、邻居表项、路由例外。',
    },
    commands: [
      `f=${shQuote(FORGET)}`,
      `for ns in ${ns.join(' ')}; do ip netns exec "$ns" sh -c "$f"; done`,
      ...(daemon ? [...daemon, 'for pid in $(netns_pids); do nsenter -t "$pid" -n sh -c "$f"; done'] : []),
    ],
  };
}

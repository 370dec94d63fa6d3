// VRF devices for the vrf scheme, named by the lab's prefix: `ip vrf exec`
// leaves a cgroup per VRF (<its cgroup>/vrf/<name>) that outlives the lab's
// namespaces, and only a name the lab owns lets teardown find it again.
import type { LabConfig } from '../../config/config.js';

/** `<prefix>v<i>`: at most 14 characters (an interface name has 15). */
export const vrfName = (cfg: LabConfig, i: number) => `${cfg.prefix}v${i}`;

/** Removes the cgroups `ip vrf exec` made for the lab's VRFs (empty once their processes are gone), and their `vrf` parent when empty. */
export function vrfCgroupCleanup(cfg: LabConfig): string[] {
  return [
    `for d in $(find /sys/fs/cgroup -maxdepth 8 -type d -path '*/vrf/${cfg.prefix}v[0-9]' 2>/dev/null); do rmdir "$d" 2>/dev/null && rmdir "\${d%/*}" 2>/dev/null; done`,
    'true',
  ];
}

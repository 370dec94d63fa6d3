// VRF devices for the vrf scheme, named by the lab's prefix. `ip vrf exec`
// run in a named namespace makes a cgroup per VRF (<its cgroup>/<netns>-ns/
// vrf/<name>, measured on the VM) that outlives the lab's namespaces: the
// namespace's name, the lab's own, lets teardown find it again.
import { names, type LabConfig } from '../../config/config.js';

/** `<prefix>v<i>`: at most 14 characters (an interface name has 15). */
export const vrfName = (cfg: LabConfig, i: number) => `${cfg.prefix}v${i}`;

/** Removes the cgroups `ip vrf exec` made in the lab's server namespace (empty once their processes are gone), deepest first. */
export function vrfCgroupCleanup(cfg: LabConfig): string[] {
  return [
    `for d in $(find /sys/fs/cgroup -maxdepth 8 -type d -name '${names(cfg).ns.server}-ns' 2>/dev/null); do find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; done`,
    'true',
  ];
}

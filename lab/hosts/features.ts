// Kernel features some schemes need beyond the lab's own (a VRF device and
// `ip vrf exec`), probed once per lab host, inside a namespace of the lab's
// own (never the host's root one). A scheme whose feature is missing is
// skipped with the lab host's own answer as the reason, not an error.
import type { Bilingual } from '../model/i18n.js';
import type { Target } from './host.js';

interface FeatureProbe {
  /** Shell lines run in the lab's server namespace; exit 0 when the feature works. Leaves nothing behind. */
  probe: string;
  /** Why a scheme cannot run, given the lab host's answer to the probe. */
  lacks: (answer: string) => Bilingual;
}

const VRF_PROBE = 'eiplab-vrfprb';

export const FEATURES = {
  vrf: {
    // `ip vrf exec` also needs cgroup v2 and BPF: the probe runs it too.
    // `ip netns exec` gives a fresh /sys: cgroup v2 is mounted there (in this shell's own mount namespace). `ip vrf exec`
    // makes <its cgroup>/<netns>-ns/vrf/<vrf>, removed again, and the kernel's l3mdev rule that came with the namespace's
    // first VRF goes too (the vrf scheme adds its own).
    probe: [
      `ip link add ${VRF_PROBE} type vrf table 250 || exit 1`,
      'mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup',
      `ip link set ${VRF_PROBE} up && ip vrf exec ${VRF_PROBE} true; rc=$?`,
      `cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)/$(ip netns identify)-ns; rmdir "$cg/vrf/${VRF_PROBE}" "$cg/vrf" "$cg" 2>/dev/null`,
      `ip link del ${VRF_PROBE}; ip rule del l3mdev pref 1000 2>/dev/null; exit $rc`,
    ].join('\n'),
    lacks: (answer: string) => ({
      en: `this lab host's kernel cannot run VRFs (CONFIG_NET_VRF, and cgroup v2 with BPF for \`ip vrf exec\`): it answered "${answer}"; the Vagrant VM's Debian kernel can (--target vagrant)`,
      zh: `这台实验主机的内核跑不了 VRF（需要 CONFIG_NET_VRF，以及 \`ip vrf exec\` 所需的 cgroup v2 和 BPF）：它的回答是 "${answer}"；Vagrant 虚拟机里的 Debian 内核可以（--target vagrant）`,
    }),
  },
} satisfies Record<string, FeatureProbe>;

export type Feature = keyof typeof FEATURES;

const probed = new WeakMap<Target, Map<Feature, Promise<Bilingual | null>>>();

/**
 * Why this lab host lacks `feature`, or null when it has it. Asked once per lab
 * host (the answer is kept for its Target), in namespace `ns`, which must exist.
 */
export function lacking(target: Target, ns: string, feature: Feature): Promise<Bilingual | null> {
  let known = probed.get(target);
  if (!known) probed.set(target, (known = new Map()));
  let answer = known.get(feature);
  if (!answer) {
    answer = target.run(FEATURES[feature].probe, { ns, check: false }).then((r) => {
      if (r.code === 0) return null;
      const said = (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`;
      return FEATURES[feature].lacks(said);
    });
    known.set(feature, answer);
  }
  return answer;
}

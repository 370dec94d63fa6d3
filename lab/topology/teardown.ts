// Removing a lab: everything is found from the prefix alone, so this works
// after a crash, with no state file, and when nothing is left at all.
import { names, LAB_NODES, type LabConfig } from '../config/config.js';
import { dockerTeardownSteps } from '../schemes/blocks/docker/cleanup.js';
import { vrfCgroupCleanup } from '../schemes/blocks/vrf.js';
import type { Step } from '../model/steps.js';
import { vethLinks, type Links } from './links.js';
import { resolverTeardownStep } from './resolver.js';

export function teardownSteps(cfg: LabConfig, links: Links = vethLinks): Step[] {
  const n = names(cfg);
  const all = LAB_NODES.map((node) => n.ns[node]).join(' ');
  return [
    // First, so a teardown cut short leaves the namespaces, by which the next `down` finds it.
    resolverTeardownStep(cfg),
    // The lab's Docker first (scheme 2): its containers live outside the lab's
    // namespaces and its mounts under the run directory. A no-op without it.
    ...dockerTeardownSteps(cfg),
    ...links.release(cfg),
    {
      node: 'host',
      explain: {
        en: "Stop every process still inside the lab's namespaces, then delete the namespaces (their links, rules and routes go with them) and the run directory.",
        zh: '停止实验网络命名空间里仍在运行的进程，再删除这些命名空间（其中的链路、规则和路由随之消失）和运行目录。',
      },
      commands: [
        `for ns in ${all}; do`,
        `  [ -e /run/netns/$ns ] || continue`,
        `  pids=$(ip netns pids $ns)`,
        `  [ -z "$pids" ] || kill $pids 2>/dev/null || true`,
        `done`,
        // Poll briefly: the processes are usually gone within a few ms of the signal.
        `for i in $(seq 200); do`,
        `  left=$(for ns in ${all}; do [ -e /run/netns/$ns ] && ip netns pids $ns; done)`,
        `  [ -z "$left" ] && break`,
        `  [ $i -eq 160 ] && kill -9 $left 2>/dev/null || true`,
        `  sleep 0.005`,
        `done`,
        `for ns in ${all}; do [ -e /run/netns/$ns ] && ip netns del $ns; done`,
        `rm -rf ${n.runDir} ${n.appDir}`,
        'true',
      ],
    },
    {
      node: 'host',
      explain: {
        en: 'Remove the cgroups `ip vrf exec` left for the lab\'s VRFs (the vrf scheme), now that no process is in them.',
        zh: '删除 `ip vrf exec` 为实验的 VRF 留下的 cgroup（vrf 方案），此时其中已没有进程。',
      },
      commands: vrfCgroupCleanup(cfg),
    },
    ...links.restore(cfg),
  ];
}

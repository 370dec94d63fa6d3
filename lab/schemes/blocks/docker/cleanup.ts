// Removing what the lab's Docker left, found from the prefix alone: it
// works after a graceful stop (little is left) and after a crash where
// dockerd, containerd and the shims were SIGKILLed (containers still
// running, layers and network namespaces still mounted, shim sockets and
// cgroups still there).
import type { LabConfig } from '../../../config/config.js';
import type { Step } from '../../../model/steps.js';
import { dockerPaths, HOST_DIRS_RECORD, isOursFn, stopDaemonsStep, WAIT_GONE } from './dockerd.js';

export function dockerCleanupStep(cfg: LabConfig): Step {
  const p = dockerPaths(cfg);
  // cgroup v1 puts the parent under its controller, below the cgroup dockerd itself runs in
  // (here /sys/fs/cgroup/memory/process_api/<id>/<parent>: depth 4); v2 at the top.
  const cgroups = `find /sys/fs/cgroup -maxdepth 6 -depth -type d \\( -name ${p.cgroupParent} -o -path '*/${p.cgroupParent}/*' \\)`;
  return {
    node: 'host',
    explain: {
      en: "Remove what the lab's Docker may have left: container processes (by the lab's cgroup), shims, their sockets, mounts under the tmpfs, the tmpfs, cgroups, and directories it created outside the lab's.",
      zh: '清理实验自己的 Docker 可能留下的东西：容器进程（按实验的 cgroup 查找）、shim 进程及其套接字、tmpfs 下的挂载、tmpfs 本身、cgroup，以及它在实验目录之外创建的目录。',
    },
    commands: [
      // Nothing of Docker can be left unless its tmpfs, its record of created directories or its cgroups are.
      `[ -e ${p.root} ] || [ -e ${p.hostDirsRecord} ] || [ -n "$(${cgroups} -print -quit)" ] || exit 0`,
      WAIT_GONE,
      isOursFn(cfg),
      // Containers outlive a killed shim: they are found by the cgroup parent the lab gave dockerd.
      `pids=$(for d in $(${cgroups}); do cat $d/cgroup.procs; done 2>/dev/null | sort -u)`,
      // The lab's own daemons and shims: their arguments name the lab's directory.
      `for pid in $(pgrep containerd; pgrep dockerd); do ours $pid && pids="$pids $pid"; done`,
      '[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true',
      'for pid in $pids; do wait_gone $pid 300 || true; done',
      // A killed shim leaves its socket in /run/containerd/s, named by a hash of containerd's address and the task.
      `for t in ${p.containerd.tasks}/*; do [ -d "$t" ] || continue`,
      `  h=$(printf '%s' "${p.containerd.sock}/moby/\${t##*/}" | sha256sum | cut -d' ' -f1); rm -f /run/containerd/s/$h`,
      'done',
      // Deepest first: layers and network namespace files under the tmpfs, then the tmpfs itself.
      `if grep -q ' ${p.root}[ /]' /proc/mounts; then umount -R ${p.root} 2>/dev/null || umount -R -l ${p.root}; fi`,
      `rm -rf ${p.root} ${p.sock}`,
      // A just-removed child cgroup keeps its parent busy for a moment: retry.
      `for d in $(${cgroups}); do i=0; until rmdir $d 2>/dev/null || [ $i -ge 100 ]; do i=$((i+1)); sleep 0.01; done; done`,
      // Only directories the lab's daemons created, and only when empty. A directory another lab
      // still uses (its shims' sockets) goes into that lab's record: the last one out removes it.
      `if [ -e ${p.hostDirsRecord} ]; then`,
      `  left=$(for d in $(sort -ru ${p.hostDirsRecord}); do rmdir $d 2>/dev/null || echo $d; done)`,
      `  for other in /run/*/${HOST_DIRS_RECORD}; do [ -n "$left" ] && [ "$other" != ${p.hostDirsRecord} ] && [ -e "$other" ] && echo "$left" >>"$other" && break; done`,
      `  rm -f ${p.hostDirsRecord}`,
      'fi',
      'true',
    ],
  };
}

/** Everything the lab's Docker needs at teardown: a graceful stop, then the cleanup that does not rely on it. */
export function dockerTeardownSteps(cfg: LabConfig): Step[] {
  return [stopDaemonsStep(cfg), dockerCleanupStep(cfg)];
}

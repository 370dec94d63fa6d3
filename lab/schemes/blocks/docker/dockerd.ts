// The lab's own Docker daemon, inside the server namespace. It never talks
// to the user's daemon: its socket, configs, data and state all live under
// the lab's run directory (named by the prefix), on a tmpfs the lab mounts,
// so the user's /etc/docker/daemon.json and ~/.docker are never read.
//
// containerd is started by the lab too (as Debian's docker.io does with
// containerd.service) rather than by dockerd: its config then keeps every
// path under the lab's directory, and dockerd stops in a fraction of a
// second instead of polling its child containerd once a second.
import { names, type LabConfig } from '../../../config/config.js';
import type { Step } from '../../../model/steps.js';

/** The tools a scheme with the lab's own Docker daemon runs on the lab host, with the Debian package of each. */
export const DOCKER_TOOLS: Record<string, string> = {
  dockerd: 'docker.io',
  '/usr/bin/docker': 'docker.io',
  'docker-proxy': 'docker.io',
  containerd: 'containerd',
  'containerd-shim-runc-v2': 'containerd',
  runc: 'runc',
  iptables: 'iptables',
  nsenter: 'util-linux',
  mountpoint: 'util-linux',
  mount: 'mount',
  pgrep: 'procps',
  sha256sum: 'coreutils',
};

/** Everything the lab's Docker uses on the lab host, derived from the prefix alone. */
export function dockerPaths(cfg: LabConfig) {
  const run = names(cfg).runDir;
  const root = `${run}/docker`;
  return {
    /** The tmpfs: data root, exec root, containerd's state. */
    root,
    sock: `${run}/docker.sock`,
    data: `${root}/data`,
    exec: `${root}/exec`,
    pidfile: `${root}/dockerd.pid`,
    daemonJson: `${root}/daemon.json`,
    cliConfig: `${root}/cli`,
    /** iptables-save of the server as the freshly started dockerd left it (what a kept daemon is reset to). */
    freshIptables: `${root}/iptables.fresh`,
    containerd: {
      dir: `${root}/containerd`,
      sock: `${root}/containerd/containerd.sock`,
      config: `${root}/containerd.toml`,
      /** Where runtime v2 keeps one directory per running task (container id). */
      tasks: `${root}/containerd/state/io.containerd.runtime.v2.task/moby`,
    },
    /** Containers' cgroups go under this parent in every hierarchy (cgroupfs driver). */
    cgroupParent: `${cfg.prefix}-docker`,
    /** Directories outside the lab's own that the daemons created (so teardown removes only those). */
    hostDirsRecord: `${run}/${HOST_DIRS_RECORD}`,
  };
}

export const HOST_DIRS_RECORD = 'docker-host-dirs';

/** Directories containerd and dockerd create at fixed places whatever their config says. */
export const FIXED_HOST_DIRS = ['/run/containerd', '/run/containerd/s', '/run/docker', '/run/docker/plugins'];

/** The lab's docker client: Debian's CLI, the lab's socket, an empty CLI config (no user proxies or contexts). */
export function dockerCli(cfg: LabConfig): string {
  const p = dockerPaths(cfg);
  return `docker() { DOCKER_CONFIG=${p.cliConfig} /usr/bin/docker -H unix://${p.sock} "$@"; }  # the lab's daemon, never the host's`;
}

/** wait_gone PID [TRIES]: until the process has exited (a zombie counts: its parent may reap late). */
export const WAIT_GONE =
  'wait_gone() { i=0; while [ -e /proc/$1 ] && [ "$(sed \'s/.*) //\' /proc/$1/stat 2>/dev/null | cut -c1)" != Z ]; do i=$((i+1)); [ $i -lt ${2:-1000} ] || return 1; sleep 0.01; done; }';

/** ours PID: true when the process's arguments name the lab's docker directory (a pid file may be stale). */
export function isOursFn(cfg: LabConfig): string {
  return `ours() { tr '\\0' ' ' </proc/$1/cmdline 2>/dev/null | grep -q -- ' ${dockerPaths(cfg).root}/'; }`;
}

function nsenter(cfg: LabConfig): string {
  return `nsenter --net=/run/netns/${names(cfg).ns.server}`;
}

function containerdToml(cfg: LabConfig): string {
  const c = dockerPaths(cfg).containerd;
  return `version = 2
root = "${c.dir}/root"
state = "${c.dir}/state"
temp = "${c.dir}/tmp"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "${c.sock}"
[plugins."io.containerd.internal.v1.opt"]
  path = "${c.dir}/opt"
`;
}

function daemonJson(cfg: LabConfig): string {
  const p = dockerPaths(cfg);
  return JSON.stringify(
    {
      // dockerd 20.10 would otherwise create /etc/docker/key.json.
      'deprecated-key-path': `${p.root}/key.json`,
      // The cgroup parent is a plain directory name only with the cgroupfs driver.
      'exec-opts': ['native.cgroupdriver=cgroupfs'],
      'cgroup-parent': p.cgroupParent,
      'storage-driver': 'overlay2',
      // No docker0: the seed uses eip_bridge only, and the default bridge's rules cost startup time.
      bridge: 'none',
    },
    null,
    2,
  );
}

/** Shell lines that start dockerd (containerd must be up) and wait until its API answers. */
export function startDockerd(cfg: LabConfig): string[] {
  const p = dockerPaths(cfg);
  return [
    `lab_daemon dockerd ${nsenter(cfg)} dockerd --config-file ${p.daemonJson} --containerd ${p.containerd.sock} \\
    --host unix://${p.sock} --data-root ${p.data} --exec-root ${p.exec} --pidfile ${p.pidfile}`,
    `i=0; until [ "$(curl -s --max-time 1 --unix-socket ${p.sock} http://docker/_ping)" = OK ]; do
  i=$((i+1)); if [ $i -ge 500 ] || ! kill -0 "$(cat $LAB_RUN/dockerd.pid)" 2>/dev/null; then tail -n 5 $LAB_RUN/dockerd.log >&2; exit 1; fi; sleep 0.02
done`,
  ];
}

/** The lab's Docker, in two steps: where it keeps its state, then the daemons. */
export function startDaemonsSteps(cfg: LabConfig): Step[] {
  const p = dockerPaths(cfg);
  return [
    {
      node: 'host',
      explain: {
        en: `The lab's Docker keeps its socket, data and state on a tmpfs under ${p.root}, with configs of its own (the user's daemon, /etc/docker and ~/.docker are never used) and no default bridge docker0: the seed's containers use eip_bridge only.`,
        zh: `实验自己的 Docker 把套接字、数据和状态放在 ${p.root} 下的 tmpfs 上，用自己的配置（从不碰用户的 Docker 守护进程、/etc/docker 和 ~/.docker），也不建默认网桥 docker0：原文的容器只用 eip_bridge。`,
      },
      commands: [
        `mkdir -p ${p.root} && { mountpoint -q ${p.root} || mount -t tmpfs -o size=512m,mode=0711 ${cfg.prefix}-docker ${p.root}; }`,
        `mkdir -p ${p.data} ${p.exec} ${p.cliConfig} ${p.containerd.dir}/tmp`,
        `[ -e ${p.hostDirsRecord} ] || for d in ${FIXED_HOST_DIRS.join(' ')}; do [ -e $d ] || echo $d; done >${p.hostDirsRecord}`,
        `cat >${p.containerd.config} <<'TOML'\n${containerdToml(cfg)}TOML`,
        `cat >${p.daemonJson} <<'JSON'\n${daemonJson(cfg)}\nJSON`,
      ],
    },
    {
      node: 'host',
      explain: {
        en: "Start containerd, then dockerd, inside the server's network namespace (nsenter --net keeps the host's cgroup mounts in view): Docker's bridges and iptables rules land in the server only.",
        zh: '在服务器的网络命名空间里先后启动 containerd 和 dockerd（nsenter --net 让宿主机的 cgroup 挂载保持可见）：Docker 的网桥和 iptables 规则只出现在服务器里。',
      },
      commands: [
        `lab_daemon containerd ${nsenter(cfg)} containerd --config ${p.containerd.config}`,
        `i=0; until [ -S ${p.containerd.sock} ]; do
  i=$((i+1)); if [ $i -ge 500 ] || ! kill -0 "$(cat $LAB_RUN/containerd.pid)" 2>/dev/null; then tail -n 5 $LAB_RUN/containerd.log >&2; exit 1; fi; sleep 0.01
done`,
        ...startDockerd(cfg),
        // Its chains as a fresh daemon writes them, for the reset between cells of a matrix that keeps it.
        `${nsenter(cfg)} iptables-save >${p.freshIptables}`,
      ],
    },
  ];
}

/** Shell lines that stop dockerd by its pid and wait until it is gone (it stops its containers and unmounts their layers first). */
export function stopDockerd(cfg: LabConfig): string[] {
  const p = dockerPaths(cfg);
  return [
    WAIT_GONE,
    isOursFn(cfg),
    `pid=$(cat ${p.pidfile} 2>/dev/null) && ours $pid && kill -TERM $pid && { wait_gone $pid 2000 || kill -KILL $pid; }`,
    'true',
  ];
}

/** Stops dockerd (then containerd) gracefully, each by its pid; a no-op when they are not running. */
export function stopDaemonsStep(cfg: LabConfig): Step {
  const run = names(cfg).runDir;
  return {
    node: 'host',
    explain: {
      en: "Stop the lab's dockerd by its pid and wait (it stops the containers and unmounts their layers), then its containerd.",
      zh: '按 pid 停止实验的 dockerd 并等它退出（它会先停止容器、卸载镜像层），再停止它的 containerd。',
    },
    commands: [
      `[ -e ${dockerPaths(cfg).root} ] || exit 0`,
      ...stopDockerd(cfg).slice(0, -1),
      `pid=$(cat ${run}/containerd.pid 2>/dev/null) && ours $pid && kill -TERM $pid && { wait_gone $pid 500 || kill -KILL $pid; }`,
      'true',
    ],
  };
}

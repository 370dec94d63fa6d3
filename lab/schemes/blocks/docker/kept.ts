// The matrix keeps the lab's Docker running between a Docker scheme's cells
// instead of starting and stopping it in each (lab/run/lab.ts, park). A
// kept daemon is put back, between cells, to the state a freshly started
// one has: no containers, no networks of the scheme's, and the server's
// iptables rules as that daemon wrote them when it had just started. Its
// images stay: they are what the next cell would load again.
import type { LabConfig } from '../../../config/config.js';
import type { KeptDaemon } from '../../../model/scheme.js';
import type { Step } from '../../../model/steps.js';
import { dockerCli, dockerPaths } from './dockerd.js';

/** The key the Docker steps carry (Step.daemon): the daemons' steps (blocks/docker/steps.ts) and the image's. */
export const DOCKER_DAEMON = 'docker';

// Docker's API filter for user-defined networks, URL-encoded: {"type":{"custom":true}}.
const CUSTOM_NETWORKS = '/networks?filters=%7B%22type%22%3A%7B%22custom%22%3Atrue%7D%7D';

/** Back to a fresh daemon's state, the daemon still running (it fails when the daemon does not answer). */
export function freshDaemonStep(cfg: LabConfig): Step {
  const p = dockerPaths(cfg);
  return {
    node: 'server',
    explain: {
      en: "Put the kept Docker back as it was just after it started: no containers, no networks, the server's iptables rules as the fresh daemon wrote them.",
      zh: '把保留运行的 Docker 恢复到刚启动时的状态：没有容器，没有网络，服务器的 iptables 规则与刚启动的守护进程写下的一致。',
    },
    commands: [
      dockerCli(cfg),
      // The API over curl: a few ms, where each docker CLI call costs tens.
      `api() { curl -s --max-time 5 --unix-socket ${p.sock} "http://docker$1"; }`,
      `[ "$(api /_ping)" = OK ] || { echo "the lab's dockerd does not answer at ${p.sock}" >&2; exit 1; }`,
      `[ "$(api '/containers/json?all=1')" = '[]' ] || docker rm -f $(docker ps -aq) >/dev/null`,
      `[ "$(api '${CUSTOM_NETWORKS}')" = '[]' ] || docker network prune -f >/dev/null`,
      // A table the fresh daemon did not have (another step's) goes; its own are restored as it wrote them.
      `for t in $(iptables-save | sed -n 's/^\\*//p'); do grep -qx "\\*$t" ${p.freshIptables} || { iptables -t $t -F; iptables -t $t -X; nft delete table ip $t 2>/dev/null || true; }; done`,
      `iptables-restore <${p.freshIptables}`,
    ],
  };
}

export const keptDocker: KeptDaemon = {
  key: DOCKER_DAEMON,
  reset: ({ cfg }) => [freshDaemonStep(cfg)],
  // Each container is a network namespace of its own, its program's half-open connections in it.
  netnsPids: ({ cfg }) => [dockerCli(cfg), `netns_pids() { ids=$(docker ps -q); [ -z "$ids" ] || docker inspect -f '{{.State.Pid}}' $ids; }`],
};

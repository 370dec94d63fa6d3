// The steps both Docker schemes share (scheme 2 and docker-host-ipv4): the
// lab's Docker daemons with their undo, waiting for a container's app, the
// reset of what Docker itself adds, and a dockerd restart as after a reboot.
// One place, so a change to how the lab runs Docker reaches both schemes.
import type { LabConfig, Nic } from '../../../config/config.js';
import type { Text } from '../../../model/i18n.js';
import type { Step } from '../../../model/steps.js';
import { dockerCleanupStep } from './cleanup.js';
import { dockerCli, startDaemonsSteps, startDockerd, stopDaemonsStep, stopDockerd } from './dockerd.js';
import { containerPort, waitOwnContainer } from './image.js';
import { DOCKER_DAEMON } from './kept.js';

/**
 * The lab's Docker as a scheme's steps: its tmpfs and configs, undone by the cleanup; its daemons, undone
 * by stopping them. Marked as the daemon's: a matrix cell that finds it kept (blocks/docker/kept.ts) skips them.
 */
export function dockerDaemonSteps(cfg: LabConfig): Step[] {
  const [place, start] = startDaemonsSteps(cfg);
  return [
    { ...place, undo: dockerCleanupStep(cfg).commands, daemon: DOCKER_DAEMON },
    { ...start, undo: stopDaemonsStep(cfg).commands, daemon: DOCKER_DAEMON },
  ];
}

/** Until the program in the container answers (the lab's app) or listens (the user's): docker run returns before it does. */
export function waitContainer(cfg: LabConfig, nic: Nic, address: string, container: string): string {
  if (cfg.ownApp) return waitOwnContainer(cfg, nic, container);
  return `i=0; until curl -s -o /dev/null --max-time 0.5 http://${address}:${containerPort(cfg)}/whoami; do
  i=$((i+1)); if [ $i -ge 250 ]; then docker logs --tail 5 ${container} >&2; exit 1; fi; sleep 0.02
done`;
}

/**
 * Puts the server back as `up` left it, so another scheme can be applied to the same lab: Docker's own
 * rules and bridges are no step's, so no undo takes them back (a scheme's hand-written teardown).
 */
export function dockerResetStep(bridges: string[], explain: Text): Step {
  return {
    node: 'server',
    explain,
    commands: [
      'iptables -t nat -F; iptables -t nat -X; iptables -t filter -F; iptables -t filter -X; iptables -P FORWARD ACCEPT',
      // With the nft backend the emptied tables remain: drop them, as before Docker.
      'for t in nat filter; do nft delete table ip $t 2>/dev/null; done',
      ...bridges.map((b) => `ip link del ${b} 2>/dev/null`),
      'sysctl -qw net.ipv4.ip_forward=0',
      'true',
    ],
  };
}

export interface Restart {
  /** What happens to the server's nat table while dockerd is down (as after a reboot). */
  whileDown: Step;
  /** One line on what dockerd rebuilds when it starts. */
  onStart: Text;
  /** One line on starting the containers again. */
  containersAgain: Text;
  /** The containers, each with the address its app answers on. */
  containers: { nic: Nic; name: string; address: string }[];
}

/** dockerd stopped, the nat table as after a reboot, dockerd started again, the containers started by hand. */
export function dockerdRestartSteps(cfg: LabConfig, r: Restart): Step[] {
  return [
    {
      node: 'host',
      explain: { en: "Stop the lab's dockerd (its containers stop with it).", zh: '停止实验自己的 dockerd（容器随之停止）。' },
      commands: stopDockerd(cfg),
      undo: [], // starting it again is the next step
    },
    r.whileDown,
    {
      node: 'host',
      explain: r.onStart,
      commands: startDockerd(cfg),
      undo: [], // the daemons' step stops whichever dockerd runs
    },
    {
      node: 'server',
      explain: r.containersAgain,
      commands: [
        dockerCli(cfg),
        `docker start ${r.containers.map((c) => c.name).join(' ')} >/dev/null`,
        ...r.containers.map((c) => waitContainer(cfg, c.nic, c.address, c.name)),
      ],
      undo: [], // each container's own step removes it
    },
  ];
}

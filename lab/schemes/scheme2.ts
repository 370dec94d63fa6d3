// Seed, 方案二: the unmodified app runs in Docker containers on a bridge
// network; each container publishes its port on one NIC's IP, and one SNAT
// rule per container rewrites its outgoing source to that NIC's IP.
import { echoUrl } from '../app.js';
import type { LabConfig, Nic } from '../config.js';
import { dockerTeardownSteps } from '../docker/cleanup.js';
import { dockerCli, startDaemonsSteps, startDockerd, stopDockerd } from '../docker/dockerd.js';
import { APP_IMAGE, appImageStep, CONTAINER_PORT } from '../docker/image.js';
import { policyRouting, removePolicyRouting } from '../fixes.js';
import { defineScheme, expect, type SchemeContext } from '../scheme.js';
import type { Step } from '../steps.js';

/** The seed's bridge network and container addresses. */
const NETWORK = { name: 'eip_bridge', subnet: '172.19.0.0/16' };
const containerIp = (i: number) => `172.19.0.${100 + i}`;
const containerName = (cfg: LabConfig, nic: Nic) => `${cfg.prefix}-${nic.name}`;

const snatRules = (cfg: LabConfig) =>
  cfg.nics.map((nic, i) => `iptables -t nat -I POSTROUTING -s ${containerIp(i)} -j SNAT --to-source ${nic.ip}`);

/** Until the app in the container answers (docker run returns before it listens). */
function waitContainer(cfg: LabConfig, nic: Nic, i: number): string {
  return `i=0; until curl -s -o /dev/null --max-time 0.5 http://${containerIp(i)}:${CONTAINER_PORT}/whoami; do
  i=$((i+1)); if [ $i -ge 250 ]; then docker logs --tail 5 ${containerName(cfg, nic)} >&2; exit 1; fi; sleep 0.02
done`;
}

function runContainer(cfg: LabConfig, nic: Nic, i: number): Step {
  const typo = i === 1 ? ` (the post writes --ip=172.18.0.101, outside ${NETWORK.subnet}: Docker refuses it, so the lab uses 172.19.0.101)` : '';
  return {
    node: 'server',
    explain: `Run the unmodified app in a container for ${nic.name}: ${nic.ip}:${cfg.appPort} is published to its port ${CONTAINER_PORT}, and it gets the fixed address ${containerIp(i)}${typo}.`,
    commands: [
      dockerCli(cfg),
      `docker run -d --pull never --name ${containerName(cfg, nic)} --network=${NETWORK.name} -p ${nic.ip}:${cfg.appPort}:${CONTAINER_PORT} --ip ${containerIp(i)} \\
    ${APP_IMAGE} --addr :${CONTAINER_PORT} --name ${nic.name} --echo ${echoUrl(cfg)} >/dev/null`,
      waitContainer(cfg, nic, i),
    ],
  };
}

/** Puts the server back as `up` left it, so another scheme can be applied to the same lab. */
function resetServer(): Step {
  return {
    node: 'server',
    explain: "Remove what Docker left in the server: its iptables rules, its bridge, forwarding.",
    commands: [
      'iptables -t nat -F; iptables -t nat -X; iptables -t filter -F; iptables -t filter -X; iptables -P FORWARD ACCEPT',
      // With the nft backend the emptied tables remain: drop them, as before Docker.
      'for t in nat filter; do nft delete table ip $t 2>/dev/null; done',
      `ip link del ${NETWORK.name} 2>/dev/null`,
      'sysctl -qw net.ipv4.ip_forward=0',
      'true',
    ],
  };
}

/** The seed's warning about rule order, after a reboot: a boot script restores the SNAT rules, then Docker starts. */
function dockerdRestart(ctx: SchemeContext): Step[] {
  const { cfg } = ctx;
  return [
    { node: 'host', explain: "Stop the lab's dockerd (its containers stop with it).", commands: stopDockerd(cfg) },
    {
      node: 'server',
      explain: 'As after a reboot: an empty nat table, then the two SNAT rules from a boot script (which runs before Docker).',
      commands: ['iptables -t nat -F', 'iptables -t nat -X', ...snatRules(cfg)],
    },
    { node: 'host', explain: 'Start dockerd again: it recreates its nat rules for eip_bridge.', commands: startDockerd(cfg) },
    {
      node: 'server',
      explain: "The seed's containers have no restart policy: start them again, as the operator would.",
      commands: [
        dockerCli(cfg),
        `docker start ${cfg.nics.map((nic) => containerName(cfg, nic)).join(' ')} >/dev/null`,
        ...cfg.nics.map((nic, i) => waitContainer(cfg, nic, i)),
      ],
    },
  ];
}

export default defineScheme({
  id: 'scheme2',
  title: 'Docker containers + SNAT',
  seed: '方案二 基于Docker容器技术',
  apps: ['plain'],
  instances: ({ cfg }) => cfg.nics.map((nic, i) => ({ nic, probeUrl: `http://${containerIp(i)}:${CONTAINER_PORT}/` })),
  steps: ({ cfg }) => [
    ...startDaemonsSteps(cfg),
    appImageStep(cfg),
    {
      node: 'server',
      explain: `A bridge network for the app, ${NETWORK.subnet}, whose Linux bridge is also called ${NETWORK.name}.`,
      commands: [
        dockerCli(cfg),
        `docker network create --subnet=${NETWORK.subnet} --opt com.docker.network.bridge.name=${NETWORK.name} ${NETWORK.name} >/dev/null`,
      ],
    },
    ...cfg.nics.map((nic, i) => runContainer(cfg, nic, i)),
    {
      node: 'server',
      explain: "SNAT each container's outgoing traffic to its NIC's IP, inserted at the top of POSTROUTING, above Docker's MASQUERADE for the bridge.",
      commands: snatRules(cfg),
    },
  ],
  fixes: {
    pbr: (ctx) =>
      policyRouting(ctx, {
        keyedOn: (_nic, i) => containerIp(i),
        keepLocalRoutes: true,
        why: "Policy routing keyed on the container IPs (the route is chosen before SNAT), after a `lookup main suppress_prefixlength 0` rule so the bridge's subnet still routes.",
      }),
  },
  scenarios: {
    'dockerd-restart': {
      explain: 'restart dockerd with the nat table rebuilt as after a reboot (SNAT rules restored first), to see where Docker puts its MASQUERADE.',
      steps: dockerdRestart,
    },
  },
  teardown: (ctx) => [...dockerTeardownSteps(ctx.cfg), resetServer(), ...removePolicyRouting(ctx)],
  requires: {
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
  },
  expected: [
    expect({ fix: 'pbr' }, 'pass', "rules keyed on each container's IP route its traffic, and its replies, out through its own NIC"),
    expect({ instance: 'eth0', scenario: 'dockerd-restart' }, 'pass', "eth0 holds the default route; Docker's MASQUERADE, now first, happens to pick eth0's IP"),
    expect({ instance: 'eth0' }, 'pass', "eth0 holds the default route, and the SNAT rule gives the container eth0's IP"),
    // eth1's container without the fix:
    expect({ check: 'ingress-nic', profile: 'strict' }, 'fail', 'rp_filter=1: the route back to the client is via eth0, so requests arriving on eth1 are dropped'),
    expect({ check: 'ingress-nic', profile: 'cloud' }, 'fail', "the container's SYN-ACK leaves through eth0 with eth1's IP and the VPC's source check drops it"),
    expect({ check: 'ingress-nic' }, 'pass', "the router delivers EIP 2's traffic to eth1, and Docker's DNAT hands it to eth1's container"),
    expect({ check: 'reply-nic', profile: 'strict' }, 'fail', 'rp_filter=1 drops the requests arriving on eth1, so no reply leaves at all'),
    expect({ check: 'reply-nic' }, 'fail', "replies are routed by the main table, whose only default route is via eth0"),
    expect({ check: 'egress-ip', scenario: 'dockerd-restart' }, 'fail', "Docker re-inserted its MASQUERADE above the SNAT rules: the container leaves with eth0's IP and is seen as EIP 1"),
    expect({ check: 'egress-ip', profile: ['cloud', 'strict'] }, 'fail', "SNAT gives eth1's IP but the packet leaves through eth0, and the VPC's source check drops it"),
    expect({ check: 'egress-ip' }, 'pass', "SNAT gives eth1's IP and the router maps that IP to EIP 2, whichever NIC it left through"),
    expect({ check: 'egress-nic' }, 'fail', "the route is chosen before SNAT, from the main table: the container's traffic leaves through eth0"),
  ],
});

// Beyond the post: scheme 2 done with Docker's own option instead of
// hand-written SNAT rules. One bridge network per NIC, each created with
// `-o com.docker.network.host_ipv4=<NIC IP>`: Docker then writes
// `SNAT --to-source <NIC IP>` for the network's subnet where it would
// otherwise MASQUERADE. One container per network.
import { resolverIp, type LabConfig, type Nic } from '../config/config.js';
import { DOCKER_TOOLS, dockerCli } from './blocks/docker/dockerd.js';
import { appImageStep, containerArgs, containerImage, containerListen, containerPort } from './blocks/docker/image.js';
import { DOCKER_DAEMON, keptDocker } from './blocks/docker/kept.js';
import { dockerDaemonSteps, dockerdRestartSteps, dockerResetStep, waitContainer } from './blocks/docker/steps.js';
import { policyRouting } from './blocks/fixes.js';
import { sameForAll, type Fact } from '../model/facts.js';
import type { Text } from '../model/i18n.js';
import { defineScheme, type SchemeContext } from '../model/scheme.js';
import type { Step } from '../model/steps.js';

/** One network per NIC: 172.19.<i>.0/24, its bridge named after the NIC, one container at .100. */
const network = (nic: Nic, i: number) => ({ name: `eip-${nic.name}`, subnet: `172.19.${i}.0/24`, container: `172.19.${i}.100` });
const containerName = (cfg: LabConfig, nic: Nic) => `${cfg.prefix}-${nic.name}`;

function networkAndContainer(cfg: LabConfig, nic: Nic, i: number): Step {
  const net = network(nic, i);
  const name = containerName(cfg, nic);
  return {
    node: 'server',
    explain: {
      en: `A network for ${nic.name}, ${net.subnet}, created with host_ipv4=${nic.ip} so Docker SNATs it to ${nic.ip} instead of masquerading; its container (address ${net.container}, the VPC resolver as its nameserver) publishes ${nic.ip}:${cfg.appPort}.`,
      zh: `为 ${nic.name} 建一个网络 ${net.subnet}，创建时带 host_ipv4=${nic.ip}，Docker 就用 SNAT 换成 ${nic.ip}，而不是 MASQUERADE；它的容器（地址 ${net.container}，域名服务器用 VPC 解析器）发布在 ${nic.ip}:${cfg.appPort}。`,
    },
    commands: [
      dockerCli(cfg),
      `docker network create --subnet=${net.subnet} -o com.docker.network.bridge.name=${net.name} -o com.docker.network.host_ipv4=${nic.ip} ${net.name} >/dev/null`,
      `docker run -d --pull never --name ${name} --network=${net.name} -p ${nic.ip}:${cfg.appPort}:${containerPort(cfg)} --ip ${net.container} --dns ${resolverIp(cfg)} \\
    ${containerImage(cfg)} ${containerArgs(cfg, nic)} >/dev/null`,
      waitContainer(cfg, nic, net.container, name),
    ],
    undo: [dockerCli(cfg), `docker rm -f ${name} >/dev/null 2>&1 || true`, `docker network rm ${net.name} >/dev/null 2>&1 || true`],
  };
}

/** As after a reboot: dockerd stops, the nat table is empty, dockerd starts and rebuilds its own rules. */
function dockerdRestart({ cfg }: SchemeContext): Step[] {
  return dockerdRestartSteps(cfg, {
    whileDown: {
      node: 'server',
      explain: {
        en: 'As after a reboot: an empty nat table (no boot script is needed: the SNAT rules are Docker’s own).',
        zh: '模拟重启之后：nat 表是空的（不需要开机脚本：SNAT 规则是 Docker 自己写的）。',
      },
      commands: ['iptables -t nat -F', 'iptables -t nat -X'],
      undo: [], // the teardown resets Docker's rules
    },
    onStart: { en: 'Start dockerd again: it recreates its nat rules from each network’s options.', zh: '重新启动 dockerd：它按每个网络的选项重建自己的 nat 规则。' },
    containersAgain: { en: 'Start the containers again, as the operator would.', zh: '像运维人员那样手动把容器再启动起来。' },
    containers: cfg.nics.map((nic, i) => ({ nic, name: containerName(cfg, nic), address: network(nic, i).container })),
  });
}

/** Docker writes the SNAT rule from the network's own option, also after a restart: the scenario changes no fact. */
function seenOwn(restarted: boolean): Fact {
  return {
    is: 'own',
    why: restarted
      ? {
          en: "after the restart Docker wrote its SNAT rule again from the network's host_ipv4 option, so the container still leaves with {nic.name}'s IP, mapped to {nic.eip}",
          zh: '重启后 Docker 按网络的 host_ipv4 选项重新写了 SNAT 规则，容器仍以 {nic.name} 的 IP 出去，被映射成 {nic.eip}',
        }
      : {
          en: "Docker's own rule SNATs the network's subnet to {nic.name}'s IP, which the router maps to {nic.eip}",
          zh: 'Docker 自己的规则把这个网络的子网 SNAT 成 {nic.name} 的 IP，路由器把它映射成 {nic.eip}',
        },
  };
}

export default defineScheme({
  id: 'docker-host-ipv4',
  title: { en: "Docker's own SNAT option, one network per NIC", zh: 'Docker 自带的 SNAT 选项，每块网卡一个网络' },
  seed: '方案二 基于Docker容器技术 (com.docker.network.host_ipv4)',
  apps: ['plain'],
  instances: ({ cfg }) =>
    cfg.nics.map((nic, i) => ({ nic, probeUrl: `http://${network(nic, i).container}:${containerPort(cfg)}/`, listen: containerListen(cfg) })),
  steps: ({ cfg }) => [
    ...dockerDaemonSteps(cfg),
    { ...appImageStep(cfg), undo: [], daemon: DOCKER_DAEMON }, // the image lives in the daemon's tmpfs
    ...cfg.nics.map((nic, i) => networkAndContainer(cfg, nic, i)),
  ],
  fixes: {
    pbr: (ctx) =>
      policyRouting(ctx, {
        keyedOn: (nic, i) => network(nic, i).subnet,
        keepLocalRoutes: true,
        why: {
          en: "Policy routing keyed on each network's subnet (the route is chosen before SNAT), after a `lookup main suppress_prefixlength 0` rule so the bridges' subnets still route.",
          zh: '按每个网络的子网做策略路由（选路发生在 SNAT 之前），前面先放一条 `lookup main suppress_prefixlength 0` 规则，让网桥所在子网照常路由。',
        },
      }),
  },
  scenarios: {
    'dockerd-restart': {
      explain: {
        en: 'restart dockerd with the nat table emptied as after a reboot, to see whether Docker’s own SNAT rules come back.',
        zh: '像重启后那样清空 nat 表再启动 dockerd，看 Docker 自己的 SNAT 规则会不会回来。',
      },
      steps: dockerdRestart,
    },
  },
  keptDaemon: keptDocker,
  teardown: ({ cfg }) => [
    dockerResetStep(
      cfg.nics.map((nic, i) => network(nic, i).name),
      { en: 'Remove what Docker left in the server: its iptables rules, its bridges, forwarding.', zh: '清除 Docker 在服务器里留下的东西：它的 iptables 规则、网桥和转发设置。' },
    ),
  ],
  containers: true,
  requires: DOCKER_TOOLS,
  // Docker's SNAT rule is for the network's subnet: the container's DNS queries get its NIC's IP too, wherever they leave.
  resolverQueries: () => ({
    is: 'own',
    why: {
      en: "the container's DNS queries take the main table's route to the VPC subnet, out through {default.name}, and Docker's SNAT gives them {nic.name}'s IP",
      zh: '容器的 DNS 查询走 main 表里到 VPC 子网的路由，从 {default.name} 出去，Docker 的 SNAT 又把源地址换成 {nic.name} 的 IP',
    },
  }),
  facts: ({ fix, scenario }) => {
    const seen = seenOwn(scenario === 'dockerd-restart');
    if (fix === 'pbr') {
      const policy: Text = {
        en: "rules keyed on each network's subnet route its container's traffic, and its replies, out through {nic.name}",
        zh: '按网络子网匹配的策略规则让容器的外连流量和回包都从 {nic.name} 出去',
      };
      return sameForAll({ reply: { is: 'own', why: policy }, egress: { is: 'own', why: policy }, seen });
    }
    return {
      others: {
        reply: {
          is: 'default',
          why: {
            en: 'replies are routed by the main table, whose only default route is via {default.name}',
            zh: '回包按 main 表选路，而 main 表唯一的默认路由走 {default.name}',
          },
        },
        egress: {
          is: 'default',
          why: {
            en: "host_ipv4 only changes the SNAT rule; the route is chosen before it, by the main table: the container's traffic leaves through {default.name}",
            zh: 'host_ipv4 只改了 SNAT 规则；选路发生在它之前，查的是 main 表：容器的流量从 {default.name} 出去',
          },
        },
        seen,
      },
      default: { seen },
    };
  },
});

// Seed, 方案二: the unmodified app runs in Docker containers on a bridge
// network; each container publishes its port on one NIC's IP, and one SNAT
// rule per container rewrites its outgoing source to that NIC's IP.
import { resolverIp, type LabConfig, type Nic } from '../config/config.js';
import { DOCKER_TOOLS, dockerCli } from './blocks/docker/dockerd.js';
import { appImageStep, containerArgs, containerImage, containerListen, containerPort } from './blocks/docker/image.js';
import { DOCKER_DAEMON, keptDocker } from './blocks/docker/kept.js';
import { dockerDaemonSteps, dockerdRestartSteps, dockerResetStep, waitContainer } from './blocks/docker/steps.js';
import { policyRouting } from './blocks/fixes.js';
import { sameForAll } from '../model/facts.js';
import type { Text } from '../model/i18n.js';
import { defineScheme, type SchemeContext } from '../model/scheme.js';
import type { Step } from '../model/steps.js';

/** The seed's bridge network and container addresses. */
const NETWORK = { name: 'eip_bridge', subnet: '172.19.0.0/16' };
const containerIp = (i: number) => `172.19.0.${100 + i}`;
const containerName = (cfg: LabConfig, nic: Nic) => `${cfg.prefix}-${nic.name}`;

const snatRules = (cfg: LabConfig) =>
  cfg.nics.map((nic, i) => `iptables -t nat -I POSTROUTING -s ${containerIp(i)} -j SNAT --to-source ${nic.ip}`);

function runContainer(cfg: LabConfig, nic: Nic, i: number): Step {
  const typo = i === 1;
  return {
    node: 'server',
    explain: {
      en: `Run the unmodified app in a container for ${nic.name}: ${nic.ip}:${cfg.appPort} is published to its port ${containerPort(cfg)}, its nameserver is the VPC resolver, and it gets the fixed address ${containerIp(i)}${typo ? ` (the post writes --ip=172.18.0.101, outside ${NETWORK.subnet}: Docker refuses it, so the lab uses 172.19.0.101)` : ''}.`,
      zh: `为 ${nic.name} 在容器里运行未改动的应用：把 ${nic.ip}:${cfg.appPort} 发布到容器的 ${containerPort(cfg)} 端口，域名服务器用 VPC 解析器，并给容器固定地址 ${containerIp(i)}${typo ? `（原文写的是 --ip=172.18.0.101，不在 ${NETWORK.subnet} 内，Docker 会拒绝，所以实验改用 172.19.0.101）` : ''}。`,
    },
    commands: [
      dockerCli(cfg),
      `docker run -d --pull never --name ${containerName(cfg, nic)} --network=${NETWORK.name} -p ${nic.ip}:${cfg.appPort}:${containerPort(cfg)} --ip ${containerIp(i)} --dns ${resolverIp(cfg)} \\
    ${containerImage(cfg)} ${containerArgs(cfg, nic)} >/dev/null`,
      waitContainer(cfg, nic, containerIp(i), containerName(cfg, nic)),
    ],
    undo: [dockerCli(cfg), `docker rm -f ${containerName(cfg, nic)} >/dev/null 2>&1 || true`],
  };
}

/** The seed's warning about rule order, after a reboot: a boot script restores the SNAT rules, then Docker starts. */
function dockerdRestart({ cfg }: SchemeContext): Step[] {
  return dockerdRestartSteps(cfg, {
    whileDown: {
      node: 'server',
      explain: {
        en: 'As after a reboot: an empty nat table, then the SNAT rules from a boot script (which runs before Docker).',
        zh: '模拟重启之后：nat 表是空的，开机脚本（在 Docker 之前运行）先恢复那几条 SNAT 规则。',
      },
      commands: ['iptables -t nat -F', 'iptables -t nat -X', ...snatRules(cfg)],
      undo: [], // the scheme's own SNAT step deletes these rules, and the teardown resets Docker's
    },
    onStart: { en: 'Start dockerd again: it recreates its nat rules for eip_bridge.', zh: '重新启动 dockerd：它会为 eip_bridge 重建自己的 nat 规则。' },
    containersAgain: {
      en: "The seed's containers have no restart policy: start them again, as the operator would.",
      zh: '原文的容器没有设置重启策略：像运维人员那样手动把它们再启动起来。',
    },
    containers: cfg.nics.map((nic, i) => ({ nic, name: containerName(cfg, nic), address: containerIp(i) })),
  });
}

export default defineScheme({
  id: 'scheme2',
  title: { en: 'Docker containers + SNAT', zh: 'Docker 容器 + SNAT' },
  seed: '方案二 基于Docker容器技术',
  apps: ['plain'],
  instances: ({ cfg }) => cfg.nics.map((nic, i) => ({ nic, probeUrl: `http://${containerIp(i)}:${containerPort(cfg)}/`, listen: containerListen(cfg) })),
  steps: ({ cfg }) => [
    ...dockerDaemonSteps(cfg),
    { ...appImageStep(cfg), undo: [], daemon: DOCKER_DAEMON }, // the image lives in the daemon's tmpfs
    {
      node: 'server',
      explain: {
        en: `A bridge network for the app, ${NETWORK.subnet}, whose Linux bridge is also called ${NETWORK.name}.`,
        zh: `为应用创建 Docker bridge 网络 ${NETWORK.subnet}，对应的 Linux 网桥也叫 ${NETWORK.name}。`,
      },
      commands: [
        dockerCli(cfg),
        `docker network create --subnet=${NETWORK.subnet} --opt com.docker.network.bridge.name=${NETWORK.name} ${NETWORK.name} >/dev/null`,
      ],
      undo: [dockerCli(cfg), `docker network rm ${NETWORK.name} >/dev/null 2>&1 || true`],
    },
    ...cfg.nics.map((nic, i) => runContainer(cfg, nic, i)),
    {
      node: 'server',
      explain: {
        en: "SNAT each container's outgoing traffic to its NIC's IP, inserted at the top of POSTROUTING, above Docker's MASQUERADE for the bridge.",
        zh: '把每个容器的出向流量 SNAT 成对应网卡的 IP；规则插在 POSTROUTING 最前面，排在 Docker 为该网桥加的 MASQUERADE 之前。',
      },
      commands: snatRules(cfg),
    },
  ],
  fixes: {
    pbr: (ctx) =>
      policyRouting(ctx, {
        keyedOn: (_nic, i) => containerIp(i),
        keepLocalRoutes: true,
        why: {
          en: "Policy routing keyed on the container IPs (the route is chosen before SNAT), after a `lookup main suppress_prefixlength 0` rule so the bridge's subnet still routes.",
          zh: '按容器 IP 做策略路由（选路发生在 SNAT 之前），前面先放一条 `lookup main suppress_prefixlength 0` 规则，让网桥所在子网照常路由。',
        },
      }),
  },
  scenarios: {
    'dockerd-restart': {
      explain: {
        en: 'restart dockerd with the nat table rebuilt as after a reboot (SNAT rules restored first), to see where Docker puts its MASQUERADE.',
        zh: '像重启后那样重建 nat 表（先恢复 SNAT 规则）再启动 dockerd，看 Docker 把它的 MASQUERADE 放在哪里。',
      },
      steps: dockerdRestart,
    },
  },
  keptDaemon: keptDocker,
  teardown: () => [
    dockerResetStep([NETWORK.name], {
      en: 'Remove what Docker left in the server: its iptables rules, its bridge, forwarding.',
      zh: '清除 Docker 在服务器里留下的东西：它的 iptables 规则、网桥和转发设置。',
    }),
  ],
  containers: true,
  requires: DOCKER_TOOLS,
  resolverQueries: ({ scenario }) =>
    scenario === 'dockerd-restart'
      ? {
          is: 'default',
          why: {
            en: "the container's DNS queries leave through {default.name}, where Docker's MASQUERADE, now first, gives them {default.name}'s IP",
            zh: '容器的 DNS 查询从 {default.name} 出去，排到最前面的 Docker MASQUERADE 把源地址换成 {default.name} 的 IP',
          },
        }
      : {
          is: 'own',
          why: {
            en: "the container's DNS queries take the main table's route to the VPC subnet, out through {default.name}, and SNAT gives them {nic.name}'s IP",
            zh: '容器的 DNS 查询走 main 表里到 VPC 子网的路由，从 {default.name} 出去，SNAT 又把源地址换成 {nic.name} 的 IP',
          },
        },
  facts: ({ fix, scenario }) => {
    const restarted = scenario === 'dockerd-restart';
    if (fix === 'pbr') {
      const policy: Text = {
        en: "rules keyed on each container's IP route its traffic, and its replies, out through its own NIC",
        zh: '按容器 IP 匹配的策略规则让容器的外连流量和回包都从它自己的网卡出去',
      };
      return sameForAll({
        reply: { is: 'own', why: policy },
        egress: { is: 'own', why: policy },
        seen: {
          is: 'own',
          why: restarted
            ? {
                en: "Docker's MASQUERADE is now above the SNAT rules, but the policy rules send the container out through {nic.name}, where MASQUERADE picks {nic.name}'s IP",
                zh: 'Docker 的 MASQUERADE 已排到 SNAT 规则之前，但策略规则让容器从 {nic.name} 出去，MASQUERADE 在那里选中的正是 {nic.name} 的 IP',
              }
            : {
                en: "the policy rules send the container out through {nic.name}, and the SNAT rule gives it {nic.name}'s IP",
                zh: '策略规则让容器从 {nic.name} 出去，SNAT 规则把它的源地址换成 {nic.name} 的 IP',
              },
        },
      });
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
            en: "the route is chosen before SNAT, from the main table: the container's traffic leaves through {default.name}",
            zh: '选路发生在 SNAT 之前，查的是 main 表：容器的流量从 {default.name} 出去',
          },
        },
        seen: restarted
          ? {
              is: 'default',
              why: {
                en: "Docker re-inserted its MASQUERADE above the SNAT rules: the container leaves with {default.name}'s IP and is seen as {default.eip}",
                zh: 'Docker 把它的 MASQUERADE 重新插到了 SNAT 规则之前：容器以 {default.name} 的 IP 出去，外部看到的是 {default.eip}',
              },
            }
          : {
              is: 'own',
              why: {
                en: "SNAT gives {nic.name}'s IP and the router maps that IP to {nic.eip}, whichever NIC it left through",
                zh: 'SNAT 换成了 {nic.name} 的 IP；路由器不管包从哪块网卡出来，都把这个 IP 映射成 {nic.eip}',
              },
            },
      },
      default: {
        seen: {
          is: 'own',
          why: restarted
            ? {
                en: "Docker's MASQUERADE, now first, happens to pick {nic.name}'s IP, which the router maps to {nic.eip}",
                zh: '排到最前面的 Docker MASQUERADE 恰好选中 {nic.name} 的 IP，路由器把它映射成 {nic.eip}',
              }
            : {
                en: "the SNAT rule gives the container {nic.name}'s IP, which the router maps to {nic.eip}",
                zh: 'SNAT 规则把容器的源地址换成 {nic.name} 的 IP，路由器把它映射成 {nic.eip}',
              },
        },
      },
    };
  },
});

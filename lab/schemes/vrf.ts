// Beyond the post: each NIC in a VRF of its own (a routing table the NIC is
// enslaved to, with its own default route), each instance started inside its
// NIC's VRF with `ip vrf exec`: the post's unmodified app (`plain`) needs no
// code change, its sockets belong to the VRF. Needs a kernel with VRF and
// cgroup v2 + BPF for `ip vrf exec`: elsewhere its cells are skipped.
import { startApp, type AppVariant } from './blocks/app.js';
import { vrfCgroupCleanup, vrfName } from './blocks/vrf.js';
import type { LabConfig, Nic } from '../config/config.js';
import { sameForAll } from '../model/facts.js';
import { defineScheme } from '../model/scheme.js';
import type { Step } from '../model/steps.js';

/** `ip netns exec` gave the step's shell a fresh /sys: `ip vrf exec` finds cgroup v2 there (else it makes /run/cgroup2 on the lab host). */
const CGROUP2 = 'mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup';

/** The kernel adds this rule with a namespace's first VRF only, never again once deleted: the scheme adds it itself. */
const L3MDEV_RULE = 'l3mdev pref 1000';

function vrfStep(cfg: LabConfig): Step {
  const each = cfg.nics.map((nic, i) => ({ nic, vrf: vrfName(cfg, i) }));
  return {
    node: 'server',
    explain: {
      en: `A VRF per NIC (${each.map(({ nic, vrf }) => `${vrf} with table ${nic.table} for ${nic.name}`).join(', ')}): enslave the NIC (its connected and local routes move into the table; the main table is left without them, and without the default route), give each table a default route via the VPC gateway through its NIC, and make sure the l3mdev rule sends a VRF's lookups to its table.`,
      zh: `每块网卡一个 VRF（${each.map(({ nic, vrf }) => `${nic.name} 用 ${vrf}，路由表 ${nic.table}`).join('，')}）：把网卡加进去（它的直连路由和本地路由随之移进这张表，main 表里不再有它们，也没了默认路由），给每张表加一条经本网卡到 VPC 网关的默认路由，并确保 l3mdev 规则把 VRF 里的选路交给它的表。`,
    },
    commands: [
      `ip rule show pref 1000 | grep -q l3mdev || ip rule add ${L3MDEV_RULE}`,
      ...each.flatMap(({ nic, vrf }) => [
        `ip link add ${vrf} type vrf table ${nic.table}`,
        `ip link set ${vrf} up`,
        `ip link set ${nic.name} master ${vrf}`,
        `ip route add default via ${cfg.vpc.gateway} dev ${nic.name} table ${nic.table}`,
      ]),
    ],
    // Released in NIC order, the NICs' routes come back to the main table in the order up made them; the default route does not come back by itself.
    undo: [
      ...each.flatMap(({ nic, vrf }) => [`ip link set ${nic.name} nomaster`, `ip link del ${vrf}`, `ip route flush table ${nic.table} 2>/dev/null || true`]),
      `ip route replace default via ${cfg.vpc.gateway} dev ${cfg.nics[0].name}`,
      `ip rule del ${L3MDEV_RULE} 2>/dev/null || true`,
    ],
  };
}

function instanceStep(cfg: LabConfig, app: AppVariant, nic: Nic, i: number): Step {
  const within = { exec: `ip vrf exec ${vrfName(cfg, i)}`, curl: `--interface ${vrfName(cfg, i)}` };
  return {
    node: 'server',
    explain:
      app === 'bound'
        ? {
            en: `Run the instance for ${nic.name} inside its VRF, listening on ${nic.ip}, its outgoing connections bound to that IP.`,
            zh: `在 ${nic.name} 的 VRF 里启动它的实例，监听 ${nic.ip}，主动外连也绑定这个 IP。`,
          }
        : {
            en: `Run the instance for ${nic.name} inside its VRF, listening on ${nic.ip}; the app is the post's original, which does not bind its outgoing connections.`,
            zh: `在 ${nic.name} 的 VRF 里启动它的实例，监听 ${nic.ip}；应用是原文未改动的版本，主动外连不绑定源地址。`,
          },
    // The wait reaches the instance through the VRF's device: its address is local only inside the VRF's table.
    commands: [CGROUP2, ...startApp(cfg, { nic, listen: `${nic.ip}:${cfg.appPort}`, bind: app === 'bound', within })],
    undo: [`lab_stop app-${nic.name}`],
  };
}

const OWN = {
  en: "{nic.name}'s VRF: the instance's sockets belong to it, so every route lookup for them, its replies' and its own connections', uses the VRF's table, whose default route leaves through {nic.name}",
  zh: '{nic.name} 的 VRF：实例的套接字都属于它，回包和主动外连的选路都查 VRF 的路由表，表里的默认路由从 {nic.name} 出去',
};

export default defineScheme({
  id: 'vrf',
  title: { en: 'Each NIC in a VRF of its own, each instance in its VRF', zh: '每块网卡一个 VRF，每个实例运行在自己的 VRF 里' },
  seed: '方案一 应用流量出口绑定网卡 (VRF, ip vrf exec)',
  apps: ['plain', 'bound'],
  needs: ['vrf'],
  requires: { mount: 'mount', mountpoint: 'util-linux' },
  withoutConnmark: {
    en: "a VRF already routes each connection's replies by its NIC, and connmark's fwmark rules would come before the VRF's own l3mdev rule",
    zh: 'VRF 本来就按网卡给每条连接的回包选路，而 connmark 的 fwmark 规则会排在 VRF 自己的 l3mdev 规则之前',
  },
  instances: ({ cfg }) => cfg.nics.map((nic, i) => ({ nic, probeUrl: `http://${nic.ip}:${cfg.appPort}/`, probeCurl: `--interface ${vrfName(cfg, i)}` })),
  steps: ({ cfg, app }) => [vrfStep(cfg), ...cfg.nics.map((nic, i) => instanceStep(cfg, app, nic, i))],
  fixes: {},
  // `ip vrf exec` leaves a cgroup per VRF, outside the namespace: no step's undo can take it back.
  teardown: ({ cfg }) => [
    {
      node: 'host',
      explain: { en: 'Remove the cgroups `ip vrf exec` left for the VRFs.', zh: '删除 `ip vrf exec` 为各 VRF 留下的 cgroup。' },
      commands: vrfCgroupCleanup(cfg),
    },
  ],
  facts: ({ app }) =>
    sameForAll({
      reply: { is: 'own', why: OWN },
      egress: { is: 'own', why: OWN },
      seen: {
        is: 'own',
        why:
          app === 'bound'
            ? { en: "the app binds {nic.name}'s IP, which leaves through {nic.name} and is mapped to {nic.eip}", zh: '应用绑定了 {nic.name} 的 IP，包从 {nic.name} 出去，被映射成 {nic.eip}' }
            : {
                en: "the unbound socket takes its source from the VRF's table: {nic.name}'s IP, mapped to {nic.eip}",
                zh: '不绑定的套接字从 VRF 的路由表里选源地址：{nic.name} 的 IP，被映射成 {nic.eip}',
              },
      },
    }),
});

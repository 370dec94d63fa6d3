// How the server's NICs come to exist and reach the router's VPC
// bridge. The topology is written once; the target decides which variant:
//  - veth pairs, created inside the lab's namespaces (the local target);
//  - the lab host's real NICs, moved into the namespaces and given back by
//    `down` (the Vagrant VM, whose NICs sit on the hypervisor's network).
import { names, type LabConfig, type Nic } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { countWord } from '../model/i18n.js';
import type { Step } from '../model/steps.js';
import type { HostNics, Target } from '../hosts/host.js';

export interface Links {
  /** Reads into the config what only the lab host knows (the real NICs' MACs), before anything is built. */
  adopt(target: Target, cfg: LabConfig): Promise<void>;
  /** Gives the server its NICs and plugs them into the edge's VPC bridge (the namespaces and the bridge exist). */
  plug(cfg: LabConfig): Step[];
  /** The edge's bridge port behind which a server NIC is found. */
  edgePort(cfg: LabConfig, nic: Nic): string;
  /** Run before the namespaces are deleted (carrying on past failures): gives back what is not the lab's. */
  release(cfg: LabConfig): Step[];
  /** Run after the namespaces are deleted (carrying on past failures): puts back what came home on its own. */
  restore(cfg: LabConfig): Step[];
}

export function linksFor(target: Target): Links {
  return target.nics ? hostNicLinks(target.nics) : vethLinks;
}

export const vethLinks: Links = {
  async adopt() {},
  plug(cfg) {
    const n = names(cfg);
    return [
      {
        node: 'edge',
        explain: {
          en: `The server's ${countWord(cfg.nics.length, 'en')} NICs: veth pairs whose edge ends are ports of the VPC bridge.`,
          zh: `服务器的${countWord(cfg.nics.length, 'zh')}块网卡：${countWord(cfg.nics.length, 'zh')}对 veth，靠路由器一端接在 VPC 网桥上。`,
        },
        commands: [
          `ip -batch - <<'IP'
${cfg.nics.map((nic) => `link add ${n.edgePort(nic)} type veth peer name ${nic.name} address ${nic.mac} netns ${n.ns.server}`).join('\n')}
${cfg.nics.map((nic) => `link set ${n.edgePort(nic)} master ${cfg.vpc.bridge} up`).join('\n')}
IP`,
        ],
      },
    ];
  },
  edgePort: (cfg, nic) => names(cfg).edgePort(nic),
  release: () => [],
  restore: () => [],
};

/** The edge's one port on the hypervisor's network: every server NIC is behind it. */
export const HOST_NIC_EDGE_PORT = 'vpcnic';
/** A moved NIC remembers its name in the root namespace in its alias, which travels with it. */
const HOME = 'eiplab-home:';

/**
 * The shell function the host-NIC steps share: `nic_by_mac MAC [NS]` names the NIC with that MAC in
 * the root namespace or in NS. The VPC bridge takes its port's MAC, so it is skipped by name.
 */
const find = (cfg: LabConfig) =>
  `nic_by_mac() { ip \${2:+-n "$2"} -br link | awk -v m="$1" 'tolower($3) == m && $1 != "${cfg.vpc.bridge}" { sub(/@.*/, "", $1); print $1; exit }'; }`;

export function hostNicLinks(host: HostNics): Links {
  const macs = [...host.server, host.edge].map((m) => m.toLowerCase());
  // Which namespace and name each NIC is to take, in that order.
  const plan = (cfg: LabConfig) => {
    const n = names(cfg);
    return [
      ...cfg.nics.map((nic, i) => ({ mac: host.server[i].toLowerCase(), ns: n.ns.server, name: nic.name })),
      { mac: host.edge.toLowerCase(), ns: n.ns.edge, name: HOST_NIC_EDGE_PORT },
    ];
  };
  return {
    async adopt(target, cfg) {
      if (cfg.nics.length > host.server.length) {
        throw new LabError(
          `the ${target.name} lab host has ${host.server.length} NICs for the server, and the config asks for ${cfg.nics.length}: use --nics ${host.server.length} there`,
        );
      }
      const where = await target.run(
        [
          find(cfg),
          `for mac in ${macs.join(' ')}; do`,
          '  at=none; for ns in "" $(ip netns list | cut -d" " -f1); do',
          '    dev=$(nic_by_mac $mac $ns); if [ -n "$dev" ]; then at="${ns:-root} $dev"; break; fi',
          '  done; echo "$mac $at"',
          'done',
        ].join('\n'),
      );
      const found = new Map(where.stdout.trim().split('\n').map((l) => [l.split(' ')[0], l.split(' ').slice(1)] as const));
      const ours = new Set(Object.values(names(cfg).ns));
      for (const [i, mac] of macs.entries()) {
        const role = i < host.server.length ? `the server's ${cfg.nics[i].name}` : "the router's port";
        const [ns] = found.get(mac) ?? ['none'];
        if (ns === 'none') {
          throw new LabError(`the ${target.name} lab host has no NIC with MAC ${mac} (${role}): was the VM started from this repository's Vagrantfile?`);
        }
        if (ns !== 'root' && !ours.has(ns)) {
          throw new LabError(`the NIC with MAC ${mac} (${role}) is held by namespace ${ns}: remove that lab first (\`npm run lab -- down --prefix ${ns.replace(/-[a-z]+$/, '')}\`)`);
        }
      }
      // The NICs keep their own MACs: the router's neighbour entries and the source check key on these.
      cfg.nics.forEach((nic, i) => (nic.mac = macs[i]));
    },
    plug(cfg) {
      const take = plan(cfg).map((p) => `take ${p.mac} ${p.ns} ${p.name}`);
      return [
        {
          node: 'host',
          explain: {
            en: `Move the lab host's own NICs into the lab: ${countWord(cfg.nics.length, 'en')} become the server's NICs, one the router's port (each keeps its name here in its alias).`,
            zh: `把实验主机自己的网卡移进实验：${countWord(cfg.nics.length, 'zh')}块成为服务器的网卡，一块成为路由器的端口（原来的名字记在网卡别名里）。`,
          },
          commands: [
            find(cfg),
            'take() {',
            '  dev=$(nic_by_mac $1); [ -n "$dev" ] || { echo "no NIC with MAC $1 in the root namespace" >&2; return 1; }',
            '  ip link set dev "$dev" down',
            `  case "$(cat /sys/class/net/$dev/ifalias)" in ${HOME}*) ;; *) ip link set dev "$dev" alias "${HOME}$dev" ;; esac`,
            '  ip link set dev "$dev" netns "$2" name "$3"',
            '}',
            ...take,
          ],
        },
        {
          node: 'edge',
          explain: {
            en: "The router's port joins the VPC bridge: every server NIC is behind it, on the hypervisor's network.",
            zh: '路由器的端口加入 VPC 网桥：服务器的每块网卡都在它后面，位于虚拟化平台的网络上。',
          },
          commands: [`ip link set ${HOST_NIC_EDGE_PORT} master ${cfg.vpc.bridge} up`],
        },
      ];
    },
    edgePort: () => HOST_NIC_EDGE_PORT,
    release(cfg) {
      return [
        {
          node: 'host',
          explain: {
            en: "Give the NICs back to the lab host's root namespace under their own names.",
            zh: '把网卡还给实验主机的根命名空间，恢复原来的名字。',
          },
          commands: [
            find(cfg),
            'give_back() {',
            '  [ -e /run/netns/$2 ] || return 0',
            '  dev=$(nic_by_mac $1 $2); [ -n "$dev" ] || return 0',
            `  home=$(ip netns exec $2 cat /sys/class/net/$dev/ifalias); home=\${home#${HOME}}`,
            '  ip -n $2 link set dev "$dev" nomaster 2>/dev/null; ip -n $2 link set dev "$dev" down',
            '  ip -n $2 link set dev "$dev" netns 1 name "${home:-$dev}" || ip -n $2 link set dev "$dev" netns 1',
            '}',
            ...plan(cfg).map((p) => `give_back ${p.mac} ${p.ns}`),
          ],
        },
      ];
    },
    restore(cfg) {
      return [
        {
          node: 'host',
          explain: {
            en: 'A NIC whose namespace went away without it returns on its own, maybe renamed: wait for it and restore its name.',
            zh: '命名空间被删掉时还在里面的网卡会自己回到根命名空间，名字可能变了：等它回来，恢复原名。',
          },
          commands: [
            find(cfg),
            // Two passes: a NIC may have come back under the name another one must take back.
            `for mac in ${macs.join(' ')}; do`,
            '  held=; for ns in $(ip netns list | cut -d" " -f1); do [ -n "$(nic_by_mac $mac $ns)" ] && held=1; done',
            '  [ -n "$held" ] && continue',
            '  for i in $(seq 50); do dev=$(nic_by_mac $mac); [ -n "$dev" ] && break; sleep 0.1; done',
            '  [ -n "$dev" ] || continue',
            `  home=$(cat /sys/class/net/$dev/ifalias); case "$home" in ${HOME}*) ;; *) continue ;; esac`,
            `  [ "$dev" = "\${home#${HOME}}" ] || { ip link set dev "$dev" down; ip link set dev "$dev" name "nic$(echo $mac | tr -d :)"; }`,
            'done',
            `for mac in ${macs.join(' ')}; do`,
            '  dev=$(nic_by_mac $mac); [ -n "$dev" ] || continue',
            `  home=$(cat /sys/class/net/$dev/ifalias); case "$home" in ${HOME}*) ;; *) continue ;; esac; home=\${home#${HOME}}`,
            '  [ "$dev" = "$home" ] || ip link set dev "$dev" name "$home" || continue',
            '  ip link set dev "$home" alias ""',
            'done',
          ],
        },
      ];
    },
  };
}

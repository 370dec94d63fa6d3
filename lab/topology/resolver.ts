// The VPC resolver, as clouds give one at the subnet's base address + 2: a
// real DNS server (dnsmasq) in the edge namespace that answers A queries for
// every name (or only the --resolve names) with the echo server's address.
// It has no upstream and reads no hosts file, so nothing leaves the lab.
// The server sees it as its only nameserver through `ip netns exec`'s
// per-namespace /etc (/etc/netns/<ns>/), the one place outside the lab's
// namespaces and run directory the lab writes to; teardown removes it.
import { LAB_NODES, names, resolverIp, type LabConfig } from '../config/config.js';
import type { Step } from '../model/steps.js';

/** dnsmasq's arguments: no config file, no upstream, no hosts file, only the lab's answers, logging to its daemon log. */
export function resolverArgs(cfg: LabConfig): string[] {
  const ip = resolverIp(cfg);
  const answers = cfg.resolve?.length ? cfg.resolve.map((name) => `--address=/${name}/${cfg.echo.ip}`) : [`--address=/#/${cfg.echo.ip}`];
  return [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--bind-interfaces',
    `--listen-address=${ip}`,
    '--pid-file=',
    '--log-queries',
    '--log-facility=-',
    // Every other name and type is answered locally (NXDOMAIN, or no AAAA), never forwarded.
    '--local=/#/',
    ...answers,
  ];
}

export function resolverSteps(cfg: LabConfig): Step[] {
  const n = names(cfg);
  const ip = resolverIp(cfg);
  const etc = n.etcNetns(n.ns.server);
  // A captured server may hold the base + 2 itself (clouds other than AWS do not reserve it): no resolver then.
  const taken = cfg.nics.find((nic) => nic.ip === ip);
  if (taken) {
    return [
      {
        node: 'host',
        explain: {
          en: `No VPC resolver: its address ${ip} (the subnet's base + 2) is ${taken.name}'s.`,
          zh: `不启动 VPC 解析器：它的地址 ${ip}（子网基址 + 2）已被 ${taken.name} 占用。`,
        },
        commands: ['true'],
      },
    ];
  }
  return [
    {
      node: 'host',
      explain: {
        en: `The server's only nameserver is the VPC resolver ${ip}, and it sees no hosts entries of this machine: files in ${etc}/, which \`ip netns exec\` puts over /etc in the server.`,
        zh: `服务器唯一的域名服务器是 VPC 解析器 ${ip}，也看不到本机 hosts 里的条目：写在 ${etc}/ 下，\`ip netns exec\` 会把它们覆盖到服务器的 /etc 上。`,
      },
      commands: [
        `mkdir -p ${etc}`,
        `printf 'nameserver ${ip}\\n' >${etc}/resolv.conf`,
        `printf '127.0.0.1 localhost\\n' >${etc}/hosts`,
      ],
    },
    {
      node: 'edge',
      explain: {
        en: cfg.resolve?.length
          ? `The VPC resolver at ${ip} (dnsmasq): ${cfg.resolve.join(', ')} resolve to the echo server ${cfg.echo.ip}, every other name to nothing; no upstream.`
          : `The VPC resolver at ${ip} (dnsmasq): every name resolves to the echo server ${cfg.echo.ip}; no upstream, no hosts file.`,
        zh: cfg.resolve?.length
          ? `VPC 解析器 ${ip}（dnsmasq）：${cfg.resolve.join('、')} 解析为 echo 服务器 ${cfg.echo.ip}，其他域名一律无结果；没有上游。`
          : `VPC 解析器 ${ip}（dnsmasq）：所有域名都解析为 echo 服务器 ${cfg.echo.ip}；没有上游，也不读 hosts 文件。`,
      },
      commands: [
        `ip addr add ${ip}/32 dev ${cfg.vpc.bridge}`,
        `lab_daemon dns dnsmasq ${resolverArgs(cfg).join(' ')}`,
        `i=0; until ss -Hlun 'sport = :53' | grep -q .; do
  i=$((i+1)); if [ $i -ge 400 ] || ! kill -0 "$(cat $LAB_RUN/dns.pid)" 2>/dev/null; then tail -n 5 $LAB_RUN/dns.log >&2; exit 1; fi; sleep 0.005
done`,
      ],
    },
  ];
}

/** Removes the per-namespace /etc files of every lab namespace of this prefix, and /etc/netns itself when nothing else is in it. */
export function resolverTeardownStep(cfg: LabConfig): Step {
  const n = names(cfg);
  return {
    node: 'host',
    explain: {
      en: "Remove the lab's per-namespace resolv.conf and hosts under /etc/netns.",
      zh: '删除实验在 /etc/netns 下为各命名空间写的 resolv.conf 和 hosts。',
    },
    commands: [`rm -rf ${LAB_NODES.map((node) => n.etcNetns(n.ns[node])).join(' ')}`, 'rmdir /etc/netns 2>/dev/null || true'],
  };
}

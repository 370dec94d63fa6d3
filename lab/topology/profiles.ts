// The network the server lives in (docs/design.md, "The profiles"). Every sysctl is
// set explicitly: a new namespace may inherit the host's values.
import type { LabConfig } from '../config/config.js';
import type { Step } from '../model/steps.js';

export const PROFILES = ['lenient', 'cloud', 'strict'] as const;
export type Profile = (typeof PROFILES)[number];

const RP_FILTER: Record<Profile, number> = { lenient: 0, cloud: 2, strict: 1 };

export function profileSteps(cfg: LabConfig, profile: Profile): Step[] {
  const rp = RP_FILTER[profile];
  const ifaces = ['all', 'default', ...cfg.nics.map((nic) => nic.name)];
  const steps: Step[] = [
    {
      node: 'server',
      explain: {
        lenient: {
          en: 'rp_filter=0: the server accepts packets on any NIC, whatever the route back.',
          zh: 'rp_filter=0：不管回程路由怎么走，服务器在任何网卡上都接收数据包。',
        },
        cloud: {
          en: 'rp_filter=2 (loose): a packet is accepted if its source is reachable through any NIC.',
          zh: 'rp_filter=2（宽松模式）：只要源地址经任意一块网卡可达，数据包就会被接收。',
        },
        strict: {
          en: 'rp_filter=1 (strict, RHEL-like): a packet is dropped unless the route back leaves through the NIC it came in on.',
          zh: 'rp_filter=1（严格模式，RHEL 系默认）：回程路由不是从入口网卡出去的数据包一律丢弃。',
        },
      }[profile],
      commands: [`sysctl -qw ${ifaces.map((i) => `net.ipv4.conf.${i}.rp_filter=${rp}`).join(' ')}`],
    },
  ];
  if (profile !== 'lenient') steps.push(sourceCheckStep(cfg));
  return steps;
}

/**
 * A lab that is up takes another profile in place (a matrix cell that keeps its daemon): the source
 * check goes (`remove`), then the profile's steps run as `up` runs them (`set`: every sysctl is explicit).
 */
export function profileChangeSteps(cfg: LabConfig, profile: Profile): { remove: Step[]; set: Step[] } {
  const remove: Step = {
    node: 'edge',
    explain: { en: "Remove the VPC's source check, if the last profile had one.", zh: '如果上一个网络配置有源地址检查，先把它删掉。' },
    commands: [`nft delete table bridge ${SOURCE_CHECK_TABLE} 2>/dev/null || true`],
  };
  return { remove: [remove], set: profileSteps(cfg, profile) };
}

const SOURCE_CHECK_TABLE = 'eiplab_source_check';

/**
 * The cloud's source/destination check (as AWS does): a frame from a NIC
 * whose source IP is not that NIC's own is dropped. A bridge-family filter
 * at prerouting, because frames addressed to the router itself never pass
 * the forward hook. It keys on the NIC's MAC, which also holds where all
 * NICs share one port.
 */
function sourceCheckStep(cfg: LabConfig): Step {
  const C = sourceCheckCounters;
  const counters: string[] = [];
  const rules: string[] = [];
  for (const via of cfg.nics) {
    const spoofed = `ether saddr ${via.mac} ip saddr != ${via.ip}`;
    // Count-only rules first, so evidence can tell dropped replies to the client
    // (by whose IP they carried) from dropped outgoing connections to the echo server.
    for (const owner of cfg.nics.filter((o) => o !== via)) {
      counters.push(C.reply(via.name, owner.name));
      rules.push(
        `    ether saddr ${via.mac} ip saddr ${owner.ip} ip daddr ${cfg.uplink.clientIp} tcp sport ${cfg.appPort} counter name ${C.reply(via.name, owner.name)}`,
      );
    }
    counters.push(C.outgoing(via.name), C.dropped(via.name));
    rules.push(`    ${spoofed} ip daddr ${cfg.echo.ip} tcp dport ${cfg.echo.port} counter name ${C.outgoing(via.name)}`);
    rules.push(`    ${spoofed} counter name ${C.dropped(via.name)} drop`);
  }
  return {
    node: 'edge',
    explain: {
      en: 'The VPC drops any frame whose source IP is not the IP of the NIC that sent it (source/destination check).',
      zh: 'VPC 丢弃源 IP 不属于发送网卡的帧（源/目的地址检查）。',
    },
    commands: [
      `nft -f - <<'NFT'
table bridge ${SOURCE_CHECK_TABLE} {
${counters.map((c) => `  counter ${c} {}`).join('\n')}
  chain prerouting {
    type filter hook prerouting priority -200; policy accept;
${rules.join('\n')}
  }
}
NFT`,
    ],
  };
}

/** The source check's counters, per sending NIC `via`: all frames dropped, and the dropped replies and outgoing connections among them. */
export const sourceCheckCounters = {
  dropped: (via: string) => `spoofed_${via}`,
  /** Replies to the client carrying `owner`'s IP. */
  reply: (via: string, owner: string) => `spoofed_reply_${via}_${owner}`,
  /** Connections to the echo server, whatever their source. */
  outgoing: (via: string) => `spoofed_out_${via}`,
};

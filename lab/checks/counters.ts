// The packet counters the verdicts come from: named nft counters in the
// server namespace, by input interface before any NAT (ingress) and by
// output interface after all NAT (replies, outgoing connections).
import type { LabConfig } from '../config/config.js';
import type { Step } from '../model/steps.js';

export const PROBE_TABLE = 'eiplab_probe';

export const counterNames = {
  ingress: (instance: string, via: string) => `in_${instance}_${via}`,
  reply: (instance: string, via: string) => `reply_${instance}_${via}`,
  /** Connection attempts (SYNs) to the echo server, by output interface. */
  egress: (via: string) => `out_${via}`,
  egressOther: 'out_other',
};

export function probeCounterStep(cfg: LabConfig): Step {
  const nics = cfg.nics;
  const nicSet = `{ ${nics.map((n) => `"${n.name}"`).join(', ')} }`;
  const c = counterNames;
  const declared: string[] = [];
  const ingress: string[] = [];
  const egress: string[] = [];
  for (const inst of nics) {
    for (const via of nics) {
      declared.push(c.ingress(inst.name, via.name), c.reply(inst.name, via.name));
      ingress.push(
        `    ip daddr ${inst.ip} tcp dport ${cfg.appPort} iifname "${via.name}" counter name ${c.ingress(inst.name, via.name)}`,
      );
      egress.push(
        `    ip saddr ${inst.ip} ip daddr ${cfg.uplink.clientIp} tcp sport ${cfg.appPort} oifname "${via.name}" counter name ${c.reply(inst.name, via.name)}`,
      );
    }
  }
  const syn = `ip daddr ${cfg.echo.ip} tcp dport ${cfg.echo.port} tcp flags & (syn | ack) == syn`;
  for (const via of nics) {
    declared.push(c.egress(via.name));
    egress.push(`    ${syn} oifname "${via.name}" counter name ${c.egress(via.name)}`);
  }
  declared.push(c.egressOther);
  egress.push(`    ${syn} oifname != ${nicSet} counter name ${c.egressOther}`);
  return {
    node: 'server',
    explain: {
      en: 'Counters that measure, per NIC, the requests coming in (before NAT), and the replies and outgoing connections leaving (after NAT).',
      zh: '按网卡计数的计数器：进入的请求（NAT 之前），以及发出的回包和主动外连（NAT 之后）。',
    },
    commands: [
      `nft -f - <<'NFT'
table inet ${PROBE_TABLE} {
${declared.map((d) => `  counter ${d} {}`).join('\n')}
  chain ingress {
    type filter hook prerouting priority -310; policy accept;
${ingress.join('\n')}
  }
  chain egress {
    type filter hook postrouting priority 310; policy accept;
${egress.join('\n')}
  }
}
NFT`,
    ],
  };
}

/** Packets per counter name, from `nft -j list counters` output. */
export function parseCounters(json: string): Record<string, number> {
  const out: Record<string, number> = {};
  const trimmed = json.trim();
  if (!trimmed) return out;
  const doc = JSON.parse(trimmed) as { nftables?: Array<{ counter?: { name: string; packets: number } }> };
  for (const item of doc.nftables ?? []) if (item.counter) out[item.counter.name] = item.counter.packets;
  return out;
}

export function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(after)) out[name] = value - (before[name] ?? 0);
  return out;
}

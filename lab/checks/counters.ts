// The packet counters the verdicts come from: named nft counters in the
// server namespace, by input interface before any NAT (ingress) and by
// output interface after all NAT (replies, outgoing connections, DNS
// queries to the VPC resolver). Two sets with a counter per element record,
// before any NAT, who the server's sockets (and its containers) really are:
// the source address of each connection to the echo server, and the
// address:port of each socket that answered a client's SYN.
import { resolverIp, type LabConfig } from '../config/config.js';
import type { Step } from '../model/steps.js';

export const PROBE_TABLE = 'eiplab_probe';

export const counterNames = {
  ingress: (instance: string, via: string) => `in_${instance}_${via}`,
  reply: (instance: string, via: string) => `reply_${instance}_${via}`,
  /** Connection attempts (SYNs) to the echo server, by output interface. */
  egress: (via: string) => `out_${via}`,
  egressOther: 'out_other',
  /** DNS queries to the VPC resolver, by output interface, and its answers, by input interface. */
  dnsOut: (via: string) => `dns_out_${via}`,
  dnsIn: (via: string) => `dns_in_${via}`,
};

/** Set elements come out of parseCounters as `<set> <element>`. */
export const probeSets = {
  /** Source addresses, before SNAT, of connection attempts to the echo server. */
  dialed: 'dialed',
  /** address:port of the sockets that answered a client's SYN (before the reply is un-DNATed). */
  accepted: 'accepted',
};

/** The entries of one set in a counter snapshot (or delta) that counted packets, element -> packets. */
export function setEntries(counters: Record<string, number>, set: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) if (k.startsWith(`${set} `) && v > 0) out[k.slice(set.length + 1)] = v;
  return out;
}

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
  // A VRF's own device is no way out: netfilter sees a VRF's packets once with it as oif, then with the NIC.
  egress.push(`    ${syn} oifname != ${nicSet} meta oifkind != "vrf" counter name ${c.egressOther}`);
  const resolver = resolverIp(cfg);
  for (const via of nics) {
    declared.push(c.dnsOut(via.name), c.dnsIn(via.name));
    egress.push(`    ip daddr ${resolver} udp dport 53 oifname "${via.name}" counter name ${c.dnsOut(via.name)}`);
    ingress.push(`    ip saddr ${resolver} udp sport 53 iifname "${via.name}" counter name ${c.dnsIn(via.name)}`);
  }
  // Local sockets (output) and containers (forward), before any NAT touches the packet.
  const preNat = [
    `    ${syn} update @${probeSets.dialed} { ip saddr }`,
    `    ip daddr ${cfg.uplink.clientIp} tcp flags & (syn | ack) == syn | ack update @${probeSets.accepted} { ip saddr . tcp sport }`,
  ];
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
  set ${probeSets.dialed} { type ipv4_addr; flags dynamic; counter; }
  set ${probeSets.accepted} { type ipv4_addr . inet_service; flags dynamic; counter; }
  chain local_out {
    type filter hook output priority -310; policy accept;
${preNat.join('\n')}
  }
  chain forwarded {
    type filter hook forward priority -310; policy accept;
${preNat.join('\n')}
  }
}
NFT`,
    ],
  };
}

interface SetElement {
  elem?: { val: string | number | { concat: (string | number)[] }; counter?: { packets: number } };
}

/** An element's value as `a.b.c.d` or `a.b.c.d:port`. */
function elementKey(val: string | number | { concat: (string | number)[] }): string {
  return typeof val === 'object' ? val.concat.join(':') : String(val);
}

/**
 * Packets per counter name, from `nft -j list counters` or `nft -j list table` output; with a table,
 * each element of a set with counters too, as `<set> <element>`.
 */
export function parseCounters(json: string): Record<string, number> {
  const out: Record<string, number> = {};
  const trimmed = json.trim();
  if (!trimmed) return out;
  const doc = JSON.parse(trimmed) as {
    nftables?: Array<{ counter?: { name: string; packets: number }; set?: { name: string; elem?: SetElement[] } }>;
  };
  for (const item of doc.nftables ?? []) {
    if (item.counter) out[item.counter.name] = item.counter.packets;
    for (const e of item.set?.elem ?? []) if (e.elem?.counter) out[`${item.set!.name} ${elementKey(e.elem.val)}`] = e.elem.counter.packets;
  }
  return out;
}

export function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(after)) out[name] = value - (before[name] ?? 0);
  return out;
}

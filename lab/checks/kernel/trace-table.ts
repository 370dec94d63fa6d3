// The lab's own nft table that marks the probe's packets for tracing
// (`meta nftrace set 1`), and only those: the client's request SYN, every
// SYN-ACK to the client, the instances' SYNs to the echo server and the
// echo server's SYN-ACKs, a user's program's DNS queries to the VPC
// resolver, plus the probe's phase markers on loopback. Its
// base chains hook at the lowest priority there is, so every other chain
// (the probe counters, iptables-nft's, Docker's, a user's) is traced.
import { resolverIp, type LabConfig } from '../../config/config.js';

/** Lower than any chain can be: nothing runs before it. */
const FIRST = -2147483647;

/** Loopback UDP ports of the phase markers: marker p is sent when phase p's counters are read. */
export const MARKER_BASE_PORT = 33430;
export const MAX_MARKERS = 16;

export function traceTableName(cfg: LabConfig): string {
  return `${cfg.prefix}_trace`;
}

export function markerPort(phase: number): number {
  return MARKER_BASE_PORT + phase;
}

/** The nft script that creates the table (input to `nft -f -`). */
export function traceTableNft(cfg: LabConfig): string {
  const nicIps = cfg.nics.map((n) => n.ip).join(', ');
  const nicNames = cfg.nics.map((n) => `"${n.name}"`).join(', ');
  const client = cfg.uplink.clientIp;
  const { ip: echo, port: echoPort } = cfg.echo;
  const trace = 'meta nftrace set 1';
  const synAck = 'tcp flags & (syn | ack) == syn | ack';
  const syn = 'tcp flags & (syn | ack) == syn';
  // The same packets arrive from a NIC or a container's bridge (prerouting) or leave a local socket (output);
  // a user's program asks the VPC resolver for the name it calls first.
  const both = [`ip daddr ${client} ${synAck} ${trace}`, `ip daddr ${echo} tcp dport ${echoPort} ${syn} ${trace}`, `ip daddr ${resolverIp(cfg)} udp dport 53 ${trace}`];
  return `table inet ${traceTableName(cfg)} {
  chain prerouting {
    type filter hook prerouting priority ${FIRST}; policy accept;
    iifname { ${nicNames} } ip saddr ${client} ip daddr { ${nicIps} } tcp dport ${cfg.appPort} ${syn} ${trace}
    iifname { ${nicNames} } ip saddr ${echo} tcp sport ${echoPort} ${synAck} ${trace}
${both.map((r) => `    ${r}`).join('\n')}
  }
  chain output {
    type filter hook output priority ${FIRST}; policy accept;
${both.map((r) => `    ${r}`).join('\n')}
    ip daddr 127.0.0.1 udp dport ${MARKER_BASE_PORT}-${MARKER_BASE_PORT + MAX_MARKERS - 1} ${trace}
  }
}`;
}

// From packets to verdicts: pure functions over what the probes measured.
// Each verdict carries its evidence and a one-line summary of it.
import type { LabConfig } from '../config/config.js';
import { sourceCheckCounters } from '../topology/profiles.js';
import type { CheckName, Verdict } from '../model/scheme.js';
import { counterNames as C } from './counters.js';
import type { InstanceMeasurement, ProbeOutput } from './probe.js';

export interface Measured {
  instance: string;
  check: CheckName;
  measured: Verdict;
  evidence: Record<string, unknown> & { summary: string };
}

function perNic(cfg: LabConfig, counters: Record<string, number>, name: (via: string) => string) {
  return Object.fromEntries(cfg.nics.map((nic) => [nic.name, counters[name(nic.name)] ?? 0]));
}

/** "eth1:3 eth0:0", the intended NIC first. */
function show(counts: Record<string, number>, intended: string): string {
  const keys = [intended, ...Object.keys(counts).filter((k) => k !== intended)];
  return keys.map((k) => `${k}:${counts[k]}`).join(' ');
}

/** Passes when packets were seen on the intended NIC and on no other. */
function onlyOn(counts: Record<string, number>, intended: string): boolean {
  return (counts[intended] ?? 0) > 0 && Object.entries(counts).every(([k, v]) => k === intended || v === 0);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function failure(p: ProbeOutput): string {
  return p.err || (p.rc !== 0 ? `exit ${p.rc}` : p.out.trim().slice(0, 200));
}

/** Frames the VPC's source check dropped, by sending NIC, as counted by `name`. */
function spoofDrops(cfg: LabConfig, edge: Record<string, number>, name: (via: string) => string): Record<string, number> {
  return Object.fromEntries(cfg.nics.map((via) => [via.name, edge[name(via.name)] ?? 0]));
}

function dropNote(drops: Record<string, number>): string {
  const total = Object.values(drops).reduce((a, b) => a + b, 0);
  return total ? `; VPC source check dropped ${total}` : '';
}

export function measureInstance(cfg: LabConfig, m: InstanceMeasurement): Measured[] {
  const nic = m.instance.nic.name;
  const results: Measured[] = [];

  // ingress-nic: the request to this instance's EIP came in on its NIC and this instance answered.
  const inCounts = perNic(cfg, m.ingressCounters.server, (via) => C.ingress(nic, via));
  const answer = m.ingress.rc === 0 ? parseJson(m.ingress.out) : undefined;
  const answeredBy = typeof answer?.name === 'string' ? answer.name : null;
  const inOk = onlyOn(inCounts, nic) && answeredBy === nic;
  results.push({
    instance: nic,
    check: 'ingress-nic',
    measured: inOk ? 'pass' : 'fail',
    evidence: {
      packetsIn: inCounts,
      answeredBy,
      ...(answer ? {} : { error: failure(m.ingress) }),
      summary: `in ${show(inCounts, nic)}; ${answer ? `answered by ${answeredBy ?? '?'}` : `no answer: ${failure(m.ingress)}`}`,
    },
  });

  // reply-nic: the response packets to the client left through this instance's NIC.
  const replyCounts = perNic(cfg, m.ingressCounters.server, (via) => C.reply(nic, via));
  const replyDrops = spoofDrops(cfg, m.ingressCounters.edge, (via) => sourceCheckCounters.reply(via, nic));
  const anyReply = Object.values(replyCounts).some((v) => v > 0);
  results.push({
    instance: nic,
    check: 'reply-nic',
    measured: onlyOn(replyCounts, nic) ? 'pass' : 'fail',
    evidence: {
      packetsOut: replyCounts,
      sourceCheckDrops: replyDrops,
      summary: anyReply ? `out ${show(replyCounts, nic)}${dropNote(replyDrops)}` : 'no reply packets left the server',
    },
  });

  // egress-ip: the echo server's own record of this probe's request id.
  const record = m.record.rc === 0 ? parseJson(m.record.out) : undefined;
  const seen = typeof record?.ip === 'string' && record.id === m.requestId ? record.ip : null;
  const appAnswer = parseJson(m.egress.out);
  // The app's side of its outgoing connection, before any NAT (the app reports it).
  const appSource = typeof appAnswer?.local === 'string' && appAnswer.local ? appAnswer.local : null;
  const appError = typeof appAnswer?.error === 'string' ? appAnswer.error : m.egress.rc !== 0 ? failure(m.egress) : undefined;
  results.push({
    instance: nic,
    check: 'egress-ip',
    measured: seen === m.instance.nic.eip ? 'pass' : 'fail',
    evidence: {
      requestId: m.requestId,
      echoSaw: seen,
      wanted: m.instance.nic.eip,
      appSource,
      ...(appError ? { appError } : {}),
      summary: seen
        ? `echo saw ${seen}${appSource ? `; the app dialed from ${appSource}` : ''}`
        : `echo saw nothing${appError ? `: ${appError}` : ''}`,
    },
  });

  // egress-nic: this instance's outgoing connection attempts (SYNs) left through its NIC.
  const outCounts = perNic(cfg, m.egressCounters.server, (via) => C.egress(via));
  const other = m.egressCounters.server[C.egressOther] ?? 0;
  if (other) outCounts.other = other;
  const outDrops = spoofDrops(cfg, m.egressCounters.edge, sourceCheckCounters.outgoing);
  const anyOut = Object.values(outCounts).some((v) => v > 0);
  results.push({
    instance: nic,
    check: 'egress-nic',
    measured: onlyOn(outCounts, nic) ? 'pass' : 'fail',
    evidence: {
      synsOut: outCounts,
      sourceCheckDrops: outDrops,
      summary: anyOut ? `SYN out ${show(outCounts, nic)}${dropNote(outDrops)}` : 'no outgoing connection attempt seen',
    },
  });
  return results;
}

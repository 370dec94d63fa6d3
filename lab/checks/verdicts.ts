// From packets to verdicts: pure functions over what the probes measured.
// Each verdict carries its evidence and a one-line summary of it.
import type { LabConfig } from '../config/config.js';
import { sourceCheckCounters } from '../topology/profiles.js';
import type { CheckName, Verdict } from '../model/scheme.js';
import { counterNames as C, probeSets, setEntries } from './counters.js';
import type { InstanceMeasurement, ProbeOutput } from './probe.js';
import type { Instance } from '../model/scheme.js';

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

/** host:port of the instance's socket as the server sees it (where the egress probe calls it). */
export function socketOf(instance: Instance): { ip: string; port: string } {
  const u = new URL(instance.probeUrl);
  return { ip: u.hostname, port: u.port || '80' };
}

/** The IP the instance was told to listen on: its socket's, unless it listens on every address (a container). */
export function listenIpOf(instance: Instance): string {
  if (!instance.listen) return socketOf(instance).ip;
  return instance.listen.slice(0, instance.listen.lastIndexOf(':')) || '0.0.0.0';
}

/** Source addresses, before any NAT, of the connection attempts to the echo server during the instance's egress phase. */
export function dialedFrom(m: InstanceMeasurement): string[] {
  return Object.keys(setEntries(m.egressCounters.server, probeSets.dialed));
}

/** DNS queries to the VPC resolver during the instance's egress phase, by the NIC they left through. */
export function dnsQueries(cfg: LabConfig, m: InstanceMeasurement): Record<string, number> {
  return perNic(cfg, m.egressCounters.server, C.dnsOut);
}

/** The instance's DNS queries to the VPC resolver during its egress phase: the NICs they left by, and whether answers came back. */
function dnsEvidence(cfg: LabConfig, m: InstanceMeasurement) {
  const queriesOut = dnsQueries(cfg, m);
  const answers = Object.values(perNic(cfg, m.egressCounters.server, C.dnsIn)).reduce((a, b) => a + b, 0);
  const queries = Object.values(queriesOut).reduce((a, b) => a + b, 0);
  const via = Object.entries(queriesOut).filter(([, v]) => v > 0).map(([k]) => k);
  return {
    dns: { queriesOut, answers, answered: answers > 0 },
    note: queries ? `; DNS via ${via.join('+')}, ${answers ? 'answered' : 'unanswered'}` : '',
  };
}

function ingressLab(m: InstanceMeasurement, nic: string, inCounts: Record<string, number>): Measured {
  const answer = m.ingress.rc === 0 ? parseJson(m.ingress.out) : undefined;
  const answeredBy = typeof answer?.name === 'string' ? answer.name : null;
  const inOk = onlyOn(inCounts, nic) && answeredBy === nic;
  return {
    instance: nic,
    check: 'ingress-nic',
    measured: inOk ? 'pass' : 'fail',
    evidence: {
      packetsIn: inCounts,
      answeredBy,
      ...(answer ? {} : { error: failure(m.ingress) }),
      summary: `in ${show(inCounts, nic)}; ${answer ? `answered by ${answeredBy ?? '?'}` : `no answer: ${failure(m.ingress)}`}`,
    },
  };
}

/**
 * A user's program: reached when the client's connection completed (any HTTP answer, or none yet: the
 * answer may wait on the program's own outgoing call) and the instance's own socket answered its SYN.
 */
function ingressOwn(m: InstanceMeasurement, nic: string, inCounts: Record<string, number>): Measured {
  const [status = '000', connect = '0'] = m.ingress.out.trim().split(' ');
  const connected = Number(connect) > 0 || status !== '000';
  const socket = socketOf(m.instance);
  const acceptedBy = Object.keys(setEntries(m.ingressCounters.server, probeSets.accepted));
  const ownSocket = acceptedBy.includes(`${socket.ip}:${socket.port}`);
  const answeredBy = connected && ownSocket ? nic : null;
  const http = status !== '000' ? `HTTP ${status}` : connected ? 'connected, no HTTP answer yet' : `no connection: ${failure(m.ingress)}`;
  return {
    instance: nic,
    check: 'ingress-nic',
    measured: onlyOn(inCounts, nic) && answeredBy ? 'pass' : 'fail',
    evidence: {
      packetsIn: inCounts,
      answeredBy,
      httpStatus: status === '000' ? null : Number(status),
      connected,
      socketsAnswering: acceptedBy,
      ...(connected ? {} : { error: failure(m.ingress) }),
      summary: `in ${show(inCounts, nic)}; ${http}; ${ownSocket ? `SYN answered by ${socket.ip}:${socket.port}` : `${socket.ip}:${socket.port} answered no SYN`}`,
    },
  };
}

export function measureInstance(cfg: LabConfig, m: InstanceMeasurement): Measured[] {
  const nic = m.instance.nic.name;
  const results: Measured[] = [];
  const own = m.echoRequests !== undefined;

  // ingress-nic: the request to this instance's EIP came in on its NIC and this instance answered.
  const inCounts = perNic(cfg, m.ingressCounters.server, (via) => C.ingress(nic, via));
  results.push(own ? ingressOwn(m, nic, inCounts) : ingressLab(m, nic, inCounts));

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

  const dialed = dialedFrom(m);
  const dns = dnsEvidence(cfg, m);
  const before = dialed.length ? `; dialed from ${dialed.join(', ')} before NAT` : '';
  if (own) {
    // egress-ip: every request the echo server saw during this instance's own phase is this instance's.
    const seenIps = [...new Set(m.echoRequests!.map((r) => r.ip))];
    const allOwn = seenIps.length > 0 && seenIps.every((ip) => ip === m.instance.nic.eip);
    const answer = m.egress.out.trim().slice(0, 200);
    results.push({
      instance: nic,
      check: 'egress-ip',
      measured: allOwn ? 'pass' : 'fail',
      evidence: {
        echoSaw: seenIps.length ? seenIps.join(', ') : null,
        echoRequests: m.echoRequests!.length,
        wanted: m.instance.nic.eip,
        dialedFrom: dialed,
        dns: dns.dns,
        appAnswer: m.egress.rc === 0 ? answer : null,
        ...(m.egress.rc !== 0 ? { appError: failure(m.egress) } : {}),
        summary: seenIps.length
          ? `echo saw ${seenIps.join(', ')} (${m.echoRequests!.length} request${m.echoRequests!.length === 1 ? '' : 's'})${before}${dns.note}`
          : `echo saw nothing${m.egress.rc !== 0 ? `: ${failure(m.egress)}` : ''}${before}${dns.note}`,
      },
    });
  }

  // egress-ip: the echo server's own record of this probe's request id.
  const record = m.record.rc === 0 ? parseJson(m.record.out) : undefined;
  const seen = typeof record?.ip === 'string' && record.id === m.requestId ? record.ip : null;
  const appAnswer = parseJson(m.egress.out);
  // The app's side of its outgoing connection, before any NAT (the app reports it).
  const appSource = typeof appAnswer?.local === 'string' && appAnswer.local ? appAnswer.local : null;
  const appError = typeof appAnswer?.error === 'string' ? appAnswer.error : m.egress.rc !== 0 ? failure(m.egress) : undefined;
  if (!own) results.push({
    instance: nic,
    check: 'egress-ip',
    measured: seen === m.instance.nic.eip ? 'pass' : 'fail',
    evidence: {
      requestId: m.requestId,
      echoSaw: seen,
      wanted: m.instance.nic.eip,
      appSource,
      dialedFrom: dialed,
      dns: dns.dns,
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
      dialedFrom: dialed,
      dns: dns.dns,
      summary: `${anyOut ? `SYN out ${show(outCounts, nic)}${dropNote(outDrops)}` : 'no outgoing connection attempt seen'}${dns.note}`,
    },
  });
  return results;
}

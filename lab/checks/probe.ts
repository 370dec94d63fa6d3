// The probes: one script, run on the lab host in one go, that sends the
// requests and snapshots the counters around them.
//
// Ingress and reply counters are keyed by the instance's address, so all
// ingress probes share one phase. Outgoing connections all go to the one
// echo server, so each instance's egress gets a phase of its own and its
// counters are that phase's deltas. The first phase also carries the last
// instance's egress: the instance off the default route is the one whose
// probes tend to time out, and timeouts in one phase overlap.
//
// A program of the user's (--app-cmd) passes no request id on, and may call
// out on any request, the client's too. So each instance's egress probe is
// alone in a phase of its own, and the echo server's requests are told
// apart by when they arrived; the ingress probes come last, where what they
// make the instances do is no longer measured.
import { randomBytes } from 'node:crypto';
import { names, type LabConfig } from '../config/config.js';
import type { Instance } from '../model/scheme.js';
import { PROBE_TABLE, delta, parseCounters } from './counters.js';

export interface ProbeOutput {
  rc: number;
  out: string;
  err: string;
}

/** One request as the echo server recorded it. */
export interface EchoRequest {
  ip: string;
  port: string;
  path?: string;
  host?: string;
  nanos: number;
}

export interface Counters {
  server: Record<string, number>;
  edge: Record<string, number>;
}

export interface InstanceMeasurement {
  instance: Instance;
  requestId: string;
  ingress: ProbeOutput;
  /** Counter deltas over the phase with the ingress probes. */
  ingressCounters: Counters;
  egress: ProbeOutput;
  /** Counter deltas over the phase with this instance's egress probe. */
  egressCounters: Counters;
  /** The echo server's record for the request id. */
  record: ProbeOutput;
  /** A user's program: every request the echo server saw during this instance's egress phase. */
  echoRequests?: EchoRequest[];
  /** The probe phases (from snapshot p to p + 1) of the ingress probes and of this instance's egress probe: the kernel's account sorts its trace by them. */
  phases: { ingress: number; egress: number };
}

/** How the probes ask the instances: the lab's app (request ids) or a user's program (a path of theirs). */
export type ProbeMode = { kind: 'lab' } | { kind: 'own'; path: string };

export function newRequestId(instance: string): string {
  return `${instance}-${randomBytes(6).toString('hex')}`;
}

/** Shell lines another measurement adds to the probe script (the kernel's account, lab/checks/kernel/). */
export interface ProbeHooks {
  /** A scratch directory of the hooks', made beside the script's own ($D/<dir>). */
  dir: string;
  /** Run first, before the first snapshot. */
  before: string[];
  /** A command run beside every snapshot, given the snapshot's number. */
  snapshot: string;
  /** Run after the first snapshot, before any probe. */
  ready: string[];
  /** Run after the last snapshot, beside the reading of the echo server's records. */
  settle: string[];
  /** Run last, after the echo server's records are in and printed. */
  after: string[];
}

export function probeScript(cfg: LabConfig, instances: Instance[], ids: string[], hooks?: ProbeHooks, mode: ProbeMode = { kind: 'lab' }): string {
  if (mode.kind === 'own') return ownProbeScript(cfg, instances, mode.path, hooks);
  const n = names(cfg);
  const t = cfg.probeTimeoutMs / 1000;
  const egressTimeout = 2 * t; // the app's own outgoing deadline (the same), plus time to answer
  const lines = [...scriptHead(cfg, false, hooks), 'snapshot 0', ...(hooks?.ready ?? [])];
  const ingress = (inst: Instance) =>
    `probe ingress-${inst.nic.name} ${n.ns.inet} curl -sS --max-time ${t} http://${inst.nic.eip}:${cfg.appPort}/whoami &`;
  const egress = (inst: Instance, i: number) =>
    `probe egress-${inst.nic.name} ${n.ns.server} curl -sS${inst.probeCurl ? ` ${inst.probeCurl}` : ''} --max-time ${egressTimeout} '${inst.probeUrl}?id=${ids[i]}'`;
  egressOrder(instances.length).forEach((i, phase) => {
    if (phase === 0) lines.push(...instances.map(ingress), `${egress(instances[i], i)} &`, 'wait');
    else lines.push(egress(instances[i], i));
    lines.push(`snapshot ${phase + 1}`);
  });
  // The echo server's records only need reading: all at once, beside what the hooks do after the last snapshot.
  instances.forEach((inst, i) =>
    lines.push(`probe record-${inst.nic.name} ${n.ns.inet} curl -sS --max-time 1 'http://${cfg.echo.ip}:${cfg.echo.port}/record?id=${ids[i]}' &`),
  );
  // The last wait: for what the hooks left running in the background (the trace table's removal).
  lines.push(...(hooks?.settle ?? []), 'wait', PRINT_PROBES, ...(hooks?.after ?? []), 'wait');
  return lines.join('\n');
}

/** The helpers: counter snapshots (with the time, for a user's program) and probes whose output is kept. */
function scriptHead(cfg: LabConfig, stamped: boolean, hooks?: ProbeHooks): string[] {
  const n = names(cfg);
  return [
    `D=${n.runDir}/probe; rm -rf "$D"; mkdir -p "$D"${hooks ? ` "$D/${hooks.dir}"` : ''}`,
    ...(hooks?.before ?? []),
    // The server's and the edge's counters are read at the same time (nothing else runs during a
    // snapshot), and passed on as they are: \`nft -j\` prints one line, so no encoding is needed.
    // The server's whole probe table: its named counters and the elements of its sets.
    `snapshot() { ${hooks ? `${hooks.snapshot} $1 & h=$!; ` : ''}ip netns exec ${n.ns.server} nft -j list table inet ${PROBE_TABLE} >"$D/server.$1" & s=$!; ip netns exec ${n.ns.edge} nft -j list counters >"$D/edge.$1"; wait $s; ${hooks ? 'wait $h; ' : ''}read -r j <"$D/server.$1" || true; echo "@@server $1 $j"; read -r j <"$D/edge.$1" || true; echo "@@edge $1 $j";${stamped ? ' echo "@@time $1 $(date +%s%N)";' : ''} }`,
    `probe() { tag=$1; ns=$2; shift 2; ip netns exec "$ns" "$@" >"$D/$tag.out" 2>"$D/$tag.err"; echo $? >"$D/$tag.rc"; }`,
  ];
}

// Shell built-ins where they do (basename, cat), and no base64 for an empty file: each spawn costs a few ms.
const PRINT_PROBES =
  'for f in "$D"/*.rc; do tag=${f##*/}; tag=${tag%.rc}; read -r rc <"$f"; out=; err=; [ -s "$D/$tag.out" ] && out=$(base64 -w0 <"$D/$tag.out"); [ -s "$D/$tag.err" ] && err=$(base64 -w0 <"$D/$tag.err"); echo "@@probe $tag $rc $out- $err-"; done';

/** The probe URL with the user's path instead of the lab's. */
export function withPath(url: string, path: string): string {
  return `${url.replace(/\/+$/, '')}${path}`;
}

/**
 * A user's program: each instance's egress alone in its phase (1..n), in order, then the client's
 * requests to every elastic IP at once (phase n+1), then every request the echo server saw.
 * The client's probe reports the HTTP status (000: none) and when the TCP handshake completed (0: never).
 */
function ownProbeScript(cfg: LabConfig, instances: Instance[], path: string, hooks?: ProbeHooks): string {
  const n = names(cfg);
  const t = cfg.probeTimeoutMs / 1000;
  const lines = [...scriptHead(cfg, true, hooks), 'snapshot 0', ...(hooks?.ready ?? []), `since=$(date +%s%N)`];
  instances.forEach((inst, i) => {
    lines.push(`probe egress-${inst.nic.name} ${n.ns.server} curl -sS --max-time ${t + 1} '${withPath(inst.probeUrl, path)}'`, `snapshot ${i + 1}`);
  });
  lines.push(
    ...instances.map(
      (inst) =>
        `probe ingress-${inst.nic.name} ${n.ns.inet} curl -sS --max-time ${t} -o /dev/null -w '%{http_code} %{time_connect}' 'http://${inst.nic.eip}:${cfg.appPort}${path}' &`,
    ),
    'wait',
    `snapshot ${instances.length + 1}`,
    `probe requests ${n.ns.inet} curl -sS --max-time 1 "http://${cfg.echo.ip}:${cfg.echo.port}/requests?since=$since" &`,
    ...(hooks?.settle ?? []),
    'wait',
    PRINT_PROBES,
    ...(hooks?.after ?? []),
    'wait',
  );
  return lines.join('\n');
}

/** Which instance's egress each phase probes: the last instance first, then the others in order. */
export function egressOrder(count: number): number[] {
  return count ? [count - 1, ...Array.from({ length: count - 1 }, (_, i) => i)] : [];
}

/** How many phases the probe script has for `count` instances: the lab's app's egress phases, or a user's program's n egress phases and its ingress phase. */
export function probePhases(count: number, mode: ProbeMode = { kind: 'lab' }): number {
  return mode.kind === 'own' ? count + 1 : egressOrder(count).length;
}

function unb64(s: string): string {
  return Buffer.from(s.replace(/-$/, ''), 'base64').toString('utf8');
}

export function parseProbeOutput(stdout: string) {
  const snapshots: Counters[] = [];
  const times: number[] = [];
  const probes = new Map<string, ProbeOutput>();
  for (const line of stdout.split('\n')) {
    const [marker, a, b, c, d] = line.trim().split(' ');
    if (marker === '@@server' || marker === '@@edge') {
      const i = Number(a);
      snapshots[i] ??= { server: {}, edge: {} };
      // The rest of the line: nft's one-line JSON (empty when nft printed nothing).
      const rest = line.trim().split(' ').slice(2).join(' ');
      snapshots[i][marker === '@@server' ? 'server' : 'edge'] = parseCounters(rest);
    } else if (marker === '@@probe') {
      probes.set(a, { rc: Number(b), out: unb64(c ?? ''), err: unb64(d ?? '').trim() });
    } else if (marker === '@@time') {
      times[Number(a)] = Number(b);
    }
  }
  return { snapshots, probes, times };
}

const missing: ProbeOutput = { rc: -1, out: '', err: 'probe did not run' };

export function assemble(instances: Instance[], ids: string[], stdout: string, mode: ProbeMode = { kind: 'lab' }): InstanceMeasurement[] {
  const { snapshots, probes, times } = parseProbeOutput(stdout);
  const diff = (phase: number): Counters => ({
    server: delta(snapshots[phase + 1]?.server ?? {}, snapshots[phase]?.server ?? {}),
    edge: delta(snapshots[phase + 1]?.edge ?? {}, snapshots[phase]?.edge ?? {}),
  });
  if (mode.kind === 'own') {
    const requests = parseRequests(probes.get('requests'));
    return instances.map((instance, i) => ({
      instance,
      requestId: '',
      ingress: probes.get(`ingress-${instance.nic.name}`) ?? missing,
      ingressCounters: diff(instances.length),
      egress: probes.get(`egress-${instance.nic.name}`) ?? missing,
      egressCounters: diff(i),
      record: missing,
      echoRequests: requests.filter((r) => r.nanos >= (times[i] ?? Infinity) && r.nanos < (times[i + 1] ?? -Infinity)),
      phases: { ingress: instances.length, egress: i },
    }));
  }
  const phaseOf = egressOrder(instances.length);
  return instances.map((instance, i) => ({
    instance,
    requestId: ids[i],
    ingress: probes.get(`ingress-${instance.nic.name}`) ?? missing,
    ingressCounters: diff(0),
    egress: probes.get(`egress-${instance.nic.name}`) ?? missing,
    egressCounters: diff(phaseOf.indexOf(i)),
    record: probes.get(`record-${instance.nic.name}`) ?? missing,
    phases: { ingress: 0, egress: phaseOf.indexOf(i) },
  }));
}

function parseRequests(p: ProbeOutput | undefined): EchoRequest[] {
  if (!p || p.rc !== 0) return [];
  try {
    const v = JSON.parse(p.out);
    return Array.isArray(v) ? (v as EchoRequest[]) : [];
  } catch {
    return [];
  }
}

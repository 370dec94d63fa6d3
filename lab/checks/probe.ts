// The probes: one script, run on the lab host in one go, that sends the
// requests and snapshots the counters around them.
//
// Ingress and reply counters are keyed by the instance's address, so all
// ingress probes share one phase. Outgoing connections all go to the one
// echo server, so each instance's egress gets a phase of its own and its
// counters are that phase's deltas. The first phase also carries the last
// instance's egress: the instance off the default route is the one whose
// probes tend to time out, and timeouts in one phase overlap.
import { randomBytes } from 'node:crypto';
import { names, type LabConfig } from '../config/config.js';
import type { Instance } from '../model/scheme.js';
import { PROBE_TABLE, delta, parseCounters } from './counters.js';

export interface ProbeOutput {
  rc: number;
  out: string;
  err: string;
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
}

export function newRequestId(instance: string): string {
  return `${instance}-${randomBytes(6).toString('hex')}`;
}

/** Shell lines another measurement adds to the probe script (the kernel's account, lab/checks/kernel/). */
export interface ProbeHooks {
  /** Run first, before the first snapshot. */
  before: string[];
  /** A command run beside every snapshot, given the snapshot's number. */
  snapshot: string;
  /** Run after the first snapshot, before any probe. */
  ready: string[];
  /** Run last, after the echo server's records are in. */
  after: string[];
}

export function probeScript(cfg: LabConfig, instances: Instance[], ids: string[], hooks?: ProbeHooks): string {
  const n = names(cfg);
  const t = cfg.probeTimeoutMs / 1000;
  const egressTimeout = t + 1; // the app's own outgoing timeout (1 s by default), plus time to answer
  const lines = [
    `D=${n.runDir}/probe; rm -rf "$D"; mkdir -p "$D"`,
    ...(hooks?.before ?? []),
    // The server's and the edge's counters are read at the same time (nothing else runs during a
    // snapshot), and passed on as they are: \`nft -j\` prints one line, so no encoding is needed.
    `snapshot() { ${hooks ? `${hooks.snapshot} $1 & h=$!; ` : ''}ip netns exec ${n.ns.server} nft -j list counters table inet ${PROBE_TABLE} >"$D/server.$1" & s=$!; ip netns exec ${n.ns.edge} nft -j list counters >"$D/edge.$1"; wait $s; ${hooks ? 'wait $h; ' : ''}read -r j <"$D/server.$1" || true; echo "@@server $1 $j"; read -r j <"$D/edge.$1" || true; echo "@@edge $1 $j"; }`,
    `probe() { tag=$1; ns=$2; shift 2; ip netns exec "$ns" "$@" >"$D/$tag.out" 2>"$D/$tag.err"; echo $? >"$D/$tag.rc"; }`,
    'snapshot 0',
    ...(hooks?.ready ?? []),
  ];
  const ingress = (inst: Instance) =>
    `probe ingress-${inst.nic.name} ${n.ns.inet} curl -sS --max-time ${t} http://${inst.nic.eip}:${cfg.appPort}/whoami &`;
  const egress = (inst: Instance, i: number) =>
    `probe egress-${inst.nic.name} ${n.ns.server} curl -sS --max-time ${egressTimeout} '${inst.probeUrl}?id=${ids[i]}'`;
  egressOrder(instances.length).forEach((i, phase) => {
    if (phase === 0) lines.push(...instances.map(ingress), `${egress(instances[i], i)} &`, 'wait');
    else lines.push(egress(instances[i], i));
    lines.push(`snapshot ${phase + 1}`);
  });
  // The echo server's records only need reading: all at once.
  instances.forEach((inst, i) =>
    lines.push(`probe record-${inst.nic.name} ${n.ns.inet} curl -sS --max-time 1 'http://${cfg.echo.ip}:${cfg.echo.port}/record?id=${ids[i]}' &`),
  );
  lines.push('wait', ...(hooks?.after ?? []));
  // Shell built-ins where they do (basename, cat), and no base64 for an empty file: each spawn costs a few ms.
  lines.push(
    'for f in "$D"/*.rc; do tag=${f##*/}; tag=${tag%.rc}; read -r rc <"$f"; out=; err=; [ -s "$D/$tag.out" ] && out=$(base64 -w0 <"$D/$tag.out"); [ -s "$D/$tag.err" ] && err=$(base64 -w0 <"$D/$tag.err"); echo "@@probe $tag $rc $out- $err-"; done',
  );
  return lines.join('\n');
}

/** Which instance's egress each phase probes: the last instance first, then the others in order. */
export function egressOrder(count: number): number[] {
  return count ? [count - 1, ...Array.from({ length: count - 1 }, (_, i) => i)] : [];
}

function unb64(s: string): string {
  return Buffer.from(s.replace(/-$/, ''), 'base64').toString('utf8');
}

export function parseProbeOutput(stdout: string) {
  const snapshots: Counters[] = [];
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
    }
  }
  return { snapshots, probes };
}

const missing: ProbeOutput = { rc: -1, out: '', err: 'probe did not run' };

export function assemble(instances: Instance[], ids: string[], stdout: string): InstanceMeasurement[] {
  const { snapshots, probes } = parseProbeOutput(stdout);
  const diff = (phase: number): Counters => ({
    server: delta(snapshots[phase + 1]?.server ?? {}, snapshots[phase]?.server ?? {}),
    edge: delta(snapshots[phase + 1]?.edge ?? {}, snapshots[phase]?.edge ?? {}),
  });
  const phaseOf = egressOrder(instances.length);
  return instances.map((instance, i) => ({
    instance,
    requestId: ids[i],
    ingress: probes.get(`ingress-${instance.nic.name}`) ?? missing,
    ingressCounters: diff(0),
    egress: probes.get(`egress-${instance.nic.name}`) ?? missing,
    egressCounters: diff(phaseOf.indexOf(i)),
    record: probes.get(`record-${instance.nic.name}`) ?? missing,
  }));
}

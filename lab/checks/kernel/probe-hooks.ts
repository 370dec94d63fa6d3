// The kernel's account, recorded during the probes: the shell lines added
// to the probe script (lab/checks/probe.ts ProbeHooks) and the parser of
// what they print. `nft monitor trace` runs inside the server namespace
// for the length of the probes; phase markers (a UDP packet to loopback,
// traced) tell when it listens, which phase each traced packet belongs to,
// and when every event has been read. The server's rp_filter drop counter
// is read with every counter snapshot.
import { names, type LabConfig } from '../../config/config.js';
import type { ProbeHooks } from '../probe.js';
import { MAX_MARKERS, markerPort, traceTableName, traceTableNft } from './trace-table.js';

/** What the hooks printed, decoded. */
export interface KernelRecord {
  /** Why there is no trace (the lab host's nft cannot trace, the monitor did not start); absent when traced. */
  unavailable?: string;
  /** `nft -a monitor trace` output over the probes. */
  trace: string;
  /** Why the trace may be incomplete. */
  note?: string;
  /** IPReversePathFilter (rp_filter drops) at each snapshot. */
  rpFilter: number[];
}

/** The shell hooks for a probe script with `phases` phases (snapshots 0..phases). */
export function kernelHooks(cfg: LabConfig, phases: number): ProbeHooks {
  if (phases + 1 > MAX_MARKERS) throw new Error(`at most ${MAX_MARKERS - 1} probe phases can be traced`);
  const n = names(cfg);
  // nsenter --net: the hooks need the server's network only, not ip netns exec's /etc and /sys (a few ms each).
  const server = `nsenter --net=/run/netns/${n.ns.server}`;
  const pidFile = `${n.runDir}/trace-monitor.pid`;
  const last = markerPort(phases);
  return {
    before: [
      `K=$D/kernel; mkdir -p "$K"; KOK=1`,
      // A monitor left by a verify that was killed would trace into a file nobody reads.
      `[ -s ${pidFile} ] && p=$(cat ${pidFile}) && grep -qa monitor /proc/$p/cmdline 2>/dev/null && kill $p`,
      // In a subshell, so the probe script's own \`wait\` does not wait for the monitor; in a session of its own, as
      // the lab's daemons are, so it outlives a killed CLI only until \`down\` (or the next verify) stops it.
      `( setsid sh -c 'echo $$ >${pidFile}; exec ${server} nft -a monitor trace' >"$K/trace" 2>"$K/trace.err" </dev/null & )`,
      // One transaction: create (or empty) the table, then fill it. A commit waits out the kernel's grace
      // period (about 15 ms here): in the background, beside the first snapshot; \`ready\` waits for it.
      `{ ${server} nft -f - 2>"$K/table.err" <<'NFT'
table inet ${traceTableName(cfg)}
delete table inet ${traceTableName(cfg)}
${traceTableNft(cfg)}
NFT
} & KT=$!`,
      `cat >"$K/snap.sh" <<'SH'
while read -ra h && read -ra v; do
  [ "\${h[0]}" = TcpExt: ] || continue
  for i in "\${!h[@]}"; do [ "\${h[$i]}" = IPReversePathFilter ] && echo "\${v[$i]}"; done
done </proc/net/netstat >"$2/rpf.$1"
echo >/dev/udp/127.0.0.1/$(($3 + $1))
SH`,
      `ksnap() { ${server} bash "$K/snap.sh" $1 "$K" ${markerPort(0)}; }`,
      // Until marker $1 is in the trace (the monitor listens, or has printed everything up to it); resent a few times.
      `kready() { for i in $(seq 150); do grep -q "udp dport $1 " "$K/trace" && return 0; kill -0 $(cat ${pidFile}) 2>/dev/null || return 1; case $i in 2|5|10|20|40|80) ${server} bash -c "echo >/dev/udp/127.0.0.1/$1";; esac; sleep 0.002; done; return 1; }`,
    ],
    snapshot: 'ksnap',
    ready: [
      `wait $KT || { KOK=0; echo "@@kernel-off $(head -c 300 "$K/table.err" | base64 -w0)"; }`,
      `[ $KOK = 1 ] && ! kready ${markerPort(0)} && { KOK=0; echo "@@kernel-off $( (cat "$K/trace.err"; echo 'nft monitor trace printed nothing') | head -c 300 | base64 -w0)"; }`,
    ],
    after: [
      `[ $KOK = 1 ] && ! kready ${last} && echo "@@kernel-late"`,
      `p=$(cat ${pidFile}); grep -qa monitor /proc/$p/cmdline 2>/dev/null && kill $p; rm -f ${pidFile}`,
      // In the background, beside the printing; the probe script waits for it before it ends.
      `${server} nft delete table inet ${traceTableName(cfg)} 2>/dev/null &`,
      `[ $KOK = 1 ] && echo "@@kernel-trace $(base64 -w0 <"$K/trace")"`,
      `for f in "$K"/rpf.*; do read -r v <"$f"; echo "@@kernel-rpf \${f##*.} $v"; done`,
    ],
  };
}

const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

export function parseKernelRecord(stdout: string): KernelRecord {
  const rec: KernelRecord = { trace: '', rpFilter: [] };
  for (const line of stdout.split('\n')) {
    const [marker, a, b] = line.trim().split(' ');
    if (marker === '@@kernel-off') rec.unavailable = unb64(a).trim().split('\n').filter(Boolean).join('; ') || 'nft cannot trace';
    else if (marker === '@@kernel-late') rec.note = 'the trace monitor fell behind: some events may be missing';
    else if (marker === '@@kernel-trace') rec.trace = unb64(a);
    else if (marker === '@@kernel-rpf' && b !== undefined) rec.rpFilter[Number(a)] = Number(b);
  }
  return rec;
}

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
  /** `nft -a list ruleset` in the server's network after the probes (absent when not read). */
  ruleset?: string;
}

/**
 * The helper shell that runs in the server's network for the whole probe script (bash: its built-ins do
 * what a program per snapshot did, a few ms each), reading one command a line:
 * - `snap N`: the rp_filter drop counter into rpf.N, then marker N; answers N.
 * - `ready PORT`: until the marker to PORT is in the trace (the monitor listens, or has printed everything
 *   up to it), resending it now and then; answers ok, or late when the monitor died or never showed it.
 * - `stop`: stops the monitor, reads the ruleset (for the account: which rules of a chain the packet
 *   passed without matching), then removes the trace table (the probe script waits for it before it ends).
 * Arguments: the kernel directory, the first marker port, the monitor's pid file, the table.
 */
const HELPER = `exec 9<>"$1/nap"
while read -r op n; do case $op in
snap)
  while read -ra h && read -ra v; do
    [ "\${h[0]}" = TcpExt: ] || continue
    for i in "\${!h[@]}"; do [ "\${h[$i]}" = IPReversePathFilter ] && echo "\${v[$i]}"; done
  done </proc/net/netstat >"$1/rpf.$n"
  echo >/dev/udp/127.0.0.1/$(($2 + n)); echo $n;;
ready)
  r=late; m=
  for ((i = 0; i < 400; i++)); do
    read -r -d "" t <"$1/trace"; [[ $t == *"udp dport $n "* ]] && { r=ok; break; }
    [ -n "$m" ] || read -r m <"$3" 2>/dev/null
    [ -z "$m" ] || [ -e /proc/$m ] || break
    ((i % 5)) || echo >/dev/udp/127.0.0.1/$n
    read -r -t 0.002 -u 9
  done; echo $r;;
stop)
  read -r m <"$3" && mapfile -d "" c </proc/$m/cmdline && [[ "\${c[*]}" == *monitor* ]] && kill $m; rm -f "$3"
  nft -a list ruleset >"$1/ruleset" 2>&1
  exec nft delete table inet $4 2>/dev/null;;
esac; done`;

/** The shell hooks for a probe script with `phases` phases (snapshots 0..phases). */
export function kernelHooks(cfg: LabConfig, phases: number): ProbeHooks {
  if (phases + 1 > MAX_MARKERS) throw new Error(`at most ${MAX_MARKERS - 1} probe phases can be traced`);
  const n = names(cfg);
  // nsenter --net: the hooks need the server's network only, not ip netns exec's /etc and /sys (a few ms each).
  const server = `nsenter --net=/run/netns/${n.ns.server}`;
  const pidFile = `${n.runDir}/trace-monitor.pid`;
  const table = traceTableName(cfg);
  return {
    dir: 'kernel',
    before: [
      `K=$D/kernel; KOK=1`,
      // The table first. The fast way creates it, and fails when a killed verify left one: only then is it
      // replaced, in one transaction (a commit that deletes waits out the kernel's grace period, about 15 ms).
      // In the background, beside the first snapshot; \`ready\` waits for it.
      `{ ${server} nft -f - 2>/dev/null <<'NFT' || ${server} nft -f - 2>"$K/table.err" <<'NFT'
create table inet ${table}
${traceTableNft(cfg)}
NFT
table inet ${table}
delete table inet ${table}
${traceTableNft(cfg)}
NFT
} & KT=$!`,
      // A monitor left by a verify that was killed would trace into a file nobody reads.
      `[ -s ${pidFile} ] && p=$(cat ${pidFile}) && grep -qa monitor /proc/$p/cmdline 2>/dev/null && kill $p`,
      // In a subshell, so the probe script's own \`wait\` does not wait for the monitor; in a session of its own, as
      // the lab's daemons are, so it outlives a killed CLI only until \`down\` (or the next verify) stops it.
      `( setsid sh -c 'echo $$ >${pidFile}; exec ${server} nft -a monitor trace' >"$K/trace" 2>"$K/trace.err" </dev/null & )`,
      // The helper, in a subshell as the monitor (the script's own \`wait\` is for the probes), talks through two
      // FIFOs. The script holds the command FIFO open for writing until \`stop\` (so the helper's input ends
      // with it, killed or not) and the answers for reading: when the helper ends (its table removal done, or
      // it died), the script reads the end of them instead of waiting forever.
      `mkfifo "$K/cmd" "$K/ack" "$K/nap"`,
      `( ${server} bash -c '${HELPER}' helper "$K" ${markerPort(0)} ${pidFile} ${table} <"$K/cmd" >"$K/ack" & )`,
      `exec 7<>"$K/cmd" 8<"$K/ack"`,
      `ksnap() { echo "snap $1" >&7; read -r _ <&8; }`,
      `kready() { echo "ready $1" >&7; read -r r <&8; [ "$r" = ok ]; }`,
    ],
    snapshot: 'ksnap',
    ready: [
      `wait $KT || { KOK=0; echo "@@kernel-off $(head -c 300 "$K/table.err" | base64 -w0)"; }`,
      `[ $KOK = 1 ] && ! kready ${markerPort(0)} && { KOK=0; echo "@@kernel-off $( (cat "$K/trace.err"; echo 'nft monitor trace printed nothing') | head -c 300 | base64 -w0)"; }`,
    ],
    settle: [
      `[ $KOK = 1 ] && ! kready ${markerPort(phases)} && echo "@@kernel-late"`,
      // The monitor's end and the table's removal, beside the echo server's records and the printing.
      `echo stop >&7; exec 7>&-`,
    ],
    after: [
      `[ $KOK = 1 ] && echo "@@kernel-trace $(base64 -w0 <"$K/trace")"`,
      `for f in "$K"/rpf.*; do read -r v <"$f"; echo "@@kernel-rpf \${f##*.} $v"; done`,
      // Until the helper has ended: the ruleset is read and the table is gone.
      `while read -r _ <&8; do :; done; exec 8<&-`,
      `[ -s "$K/ruleset" ] && echo "@@kernel-ruleset $(base64 -w0 <"$K/ruleset")"`,
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
    else if (marker === '@@kernel-ruleset') rec.ruleset = unb64(a);
    else if (marker === '@@kernel-rpf' && b !== undefined) rec.rpFilter[Number(a)] = Number(b);
  }
  return rec;
}

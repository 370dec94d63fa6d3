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
 * what a program per snapshot did, a few ms each). It starts the monitor (in a session of its own, as the
 * lab's daemons are, so a killed verify leaves it only until `down` or the next verify stops it) and, in
 * the background, creates the trace table: the fast way fails when a killed verify left one, and only then
 * is it replaced, in one transaction (a commit that deletes waits out the kernel's grace period, about
 * 15 ms). Then it reads one command a line:
 * - `snap N`: the rp_filter drop counter into rpf.N, then marker N; answers N.
 * - `ready PORT`: until the marker to PORT is in the trace (the monitor listens, or has printed everything
 *   up to it), resending it now and then; answers ok, late when the monitor died or never showed it, or
 *   table when the table could not be made.
 * - `stop`: stops the monitor, then removes the trace table and reads the ruleset (for the account: which
 *   rules of a chain the packet passed without matching) in one nft command; the probe script waits for it
 *   before it ends.
 * Arguments: the kernel directory, the first marker port, the monitor's pid file, the table, its nft text.
 */
const HELPER = `setsid nft -a monitor trace >"$1/trace" 2>"$1/trace.err" </dev/null & echo $! >"$3"
{ nft -f - 2>/dev/null <<<"create table inet $4
$5" || nft -f - 2>"$1/table.err" <<<"table inet $4
delete table inet $4
$5"; } >/dev/null & T=$!
exec 9<>"$1/nap"
while read -r op n; do case $op in
snap)
  while read -ra h && read -ra v; do
    [ "\${h[0]}" = TcpExt: ] || continue
    for i in "\${!h[@]}"; do [ "\${h[$i]}" = IPReversePathFilter ] && echo "\${v[$i]}"; done
  done </proc/net/netstat >"$1/rpf.$n"
  echo >/dev/udp/127.0.0.1/$(($2 + n)); echo $n;;
ready)
  [ -n "$T" ] && { wait $T; made=$?; T=; }
  [ "$made" = 0 ] || { echo table; continue; }
  r=late; read -r m <"$3"
  for ((i = 0; i < 400; i++)); do
    read -r -d "" t <"$1/trace"; [[ $t == *"udp dport $n "* ]] && { r=ok; break; }
    { read -r _ _ st _ </proc/$m/stat && [ "$st" != Z ]; } 2>/dev/null || break
    ((i < 10 || i % 5 == 0)) && echo >/dev/udp/127.0.0.1/$n
    read -r -t 0.002 -u 9
  done; echo $r;;
stop)
  read -r m <"$3" && mapfile -d "" c </proc/$m/cmdline && [[ "\${c[*]}" == *monitor* ]] && kill $m; rm -f "$3"
  exec nft -a -f - >"$1/ruleset" 2>/dev/null <<<"delete table inet $4
list ruleset";;
esac; done`;

/** The shell hooks for a probe script with `phases` phases (snapshots 0..phases). */
export function kernelHooks(cfg: LabConfig, phases: number): ProbeHooks {
  if (phases + 1 > MAX_MARKERS) throw new Error(`at most ${MAX_MARKERS - 1} probe phases can be traced`);
  const n = names(cfg);
  // nsenter --net: the helper needs the server's network only, not ip netns exec's /etc and /sys (a few ms).
  const server = `nsenter --net=/run/netns/${n.ns.server}`;
  const pidFile = `${n.runDir}/trace-monitor.pid`;
  const table = traceTableName(cfg);
  // The table's text is one argument of the helper, in single quotes.
  const nft = traceTableNft(cfg);
  if (nft.includes("'")) throw new Error('the trace table cannot be quoted for the shell');
  return {
    dir: 'kernel',
    before: [
      `K=$D/kernel; KOK=1`,
      // A monitor left by a verify that was killed would trace into a file nobody reads.
      `[ -s ${pidFile} ] && p=$(cat ${pidFile}) && grep -qa monitor /proc/$p/cmdline 2>/dev/null && kill $p`,
      // The helper, in a subshell (the script's own \`wait\` is for the probes), talks through two FIFOs. The
      // script holds the command FIFO open for writing until \`stop\` (so the helper's input ends with it,
      // killed or not) and the answers for reading: when the helper ends (its table removal done, or it
      // died), the script reads the end of them instead of waiting forever.
      `mkfifo "$K/cmd" "$K/ack" "$K/nap"`,
      `( ${server} bash -c '${HELPER}' helper "$K" ${markerPort(0)} ${pidFile} ${table} '${nft}' <"$K/cmd" >"$K/ack" & )`,
      `exec 7<>"$K/cmd" 8<"$K/ack"`,
      `ksnap() { echo "snap $1" >&7; read -r _ <&8; }`,
      `kready() { echo "ready $1" >&7; read -r r <&8; [ "$r" = ok ]; }`,
    ],
    snapshot: 'ksnap',
    ready: [
      `kready ${markerPort(0)} || { KOK=0; if [ "$r" = table ]; then echo "@@kernel-off $(head -c 300 "$K/table.err" | base64 -w0)"; else echo "@@kernel-off $( (cat "$K/trace.err"; echo 'nft monitor trace printed nothing') | head -c 300 | base64 -w0)"; fi; }`,
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

// A step is what the seed's post shows as one block: commands, the node
// they run on, and one line saying why. Topology, profiles and schemes are
// all written as steps, so the CLI shows every one of them the same way.
import { names, nsOf, type LabConfig, type NodeName } from '../config/config.js';
import type { Text } from './i18n.js';
import type { Target } from '../hosts/host.js';

export interface Step {
  node: NodeName;
  /** One line: what the step does and why, in English and Chinese. */
  explain: Text;
  /** Shell lines, run in order with `set -e`, exactly as shown to the user. */
  commands: string[];
  /**
   * Shell lines that take the step back, run when the scheme is removed (the last
   * applied step's first). Left out, they are derived from the commands (lab/model/undo.ts);
   * `[]` when the step leaves nothing behind, or when another step's undo covers it.
   */
  undo?: string[];
  /**
   * The daemon this step starts or fills (a key such as "docker"): the matrix keeps that daemon
   * running between cells (lab/run/lab.ts, park), and a cell that finds it kept skips the step.
   */
  daemon?: string;
}

/** The lab's shell helpers, written to the lab host by `up` and sourced by every step. */
export function shellLibrary(cfg: LabConfig, binDir: string): string {
  const run = names(cfg).runDir;
  return `# eiplab shell helpers for prefix ${cfg.prefix}
export PATH="${binDir}:$PATH"
LAB_RUN=${run}
# lab_daemon NAME CMD...: start CMD in the background, its own session, pid and log under $LAB_RUN.
lab_daemon() {
  name=$1; shift
  setsid "$@" >"$LAB_RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$LAB_RUN/$name.pid"
}
# lab_stop NAME: stop a lab daemon by its pid file and wait (up to 1 s) until it has exited.
# An exited daemon can stay a zombie for a while (its parent, init, reaps late): that counts as gone.
lab_stop() {
  pid=$(cat "$LAB_RUN/$1.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null; i=0
  while [ -e /proc/$pid ] && [ "$(sed 's/.*) //' /proc/$pid/stat 2>/dev/null | cut -c1)" != Z ] && [ $i -lt 200 ]; do i=$((i+1)); sleep 0.005; done
  rm -f "$LAB_RUN/$1.pid"
}
# lab_wait_http NAME URL [CURL_OPTIONS]: wait until URL answers, or fail with the daemon's log.
# Polls every 5 ms: the daemons answer within a few ms, and each run waits three times.
lab_wait_http() {
  name=$1; url=$2; opts=$3; i=0
  while ! curl -s -o /dev/null --max-time 0.5 $opts "$url"; do
    if ! kill -0 "$(cat "$LAB_RUN/$name.pid")" 2>/dev/null || [ $i -ge 600 ]; then
      echo "$name did not start answering on $url:" >&2; tail -n 5 "$LAB_RUN/$name.log" >&2; return 1
    fi
    i=$((i+1)); sleep 0.005
  done
}
# lab_user_error TEXT LOG: the one line a step prints for the user when a program of theirs fails, with its last output lines.
lab_user_error() {
  last=$(tail -n 3 "$2" 2>/dev/null | cut -c1-200 | sed 's/$/ |/' | tr '\\n' ' ' | sed 's/ | $//')
  echo "${USER_ERROR_MARK}$1; its last output: \${last:-(none)}" >&2
}
# lab_running PID: the process runs (an exited child that is not reaped yet, a zombie, does not).
lab_running() { s=$(sed 's/.*) //' /proc/$1/stat 2>/dev/null | cut -c1); [ -n "$s" ] && [ "$s" != Z ]; }
# lab_listening IP PORT: some socket listens on IP:PORT, or on every address at PORT.
lab_listening() { ss -Hltn "sport = :$2" | awk -v a="$1:$2" -v p=":$2" '$4 == a || $4 == "0.0.0.0" p || $4 == "*" p || $4 == "[::]" p { f = 1 } END { exit !f }'; }
# lab_wait_listen NAME IP PORT NIC: wait (at most ${LISTEN_WAIT_S} s) until daemon NAME listens on IP:PORT, without sending it anything.
lab_wait_listen() {
  name=$1; pid=$(cat "$LAB_RUN/$1.pid"); end=$(( $(date +%s) + ${LISTEN_WAIT_S} ))
  until lab_listening $2 $3; do
    if ! lab_running $pid; then
      code=0; wait $pid 2>/dev/null || code=$?
      lab_user_error "$4's instance exited (code $code) before it listened on $2:$3" "$LAB_RUN/$name.log"; return 1
    fi
    if [ $(date +%s) -ge $end ]; then lab_user_error "$4's instance did not listen on $2:$3 within ${LISTEN_WAIT_S} s" "$LAB_RUN/$name.log"; return 1; fi
    sleep 0.005
  done
}
`;
}

/** A step's stderr line that is a message for the user (their program failed), not a fault of the lab. */
export const USER_ERROR_MARK = 'eiplab-error: ';

/** How long the lab waits for a user's program to listen before it gives up. */
export const LISTEN_WAIT_S = 3;

/** The user-facing line a failed step carries, if any. */
export function userErrorOf(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith(USER_ERROR_MARK));
  return line?.slice(USER_ERROR_MARK.length).trim();
}

export function libPath(cfg: LabConfig): string {
  return `${names(cfg).runDir}/lib.sh`;
}

/** Writes the helpers to the lab host (the run directory must exist). */
export async function installShellLibrary(target: Target, cfg: LabConfig): Promise<void> {
  await target.run(`cat > ${libPath(cfg)}`, { input: shellLibrary(cfg, target.binDir) });
}

/** The script a step runs: the helpers, then its commands, stopping at the first failure. */
export function stepScript(cfg: LabConfig, step: Step): string {
  return [`if [ -e ${libPath(cfg)} ]; then . ${libPath(cfg)}; fi`, 'set -e', ...step.commands].join('\n');
}

export async function runStep(target: Target, cfg: LabConfig, step: Step): Promise<void> {
  await target.run(stepScript(cfg, step), { ns: nsOf(cfg, step.node) });
}

/** Runs teardown-like steps, carrying on past failures (the thing may already be gone). */
export async function runStepLenient(target: Target, cfg: LabConfig, step: Step): Promise<void> {
  // Not `. lib || true`: a failing `.` makes sh exit, and no step would run once the run directory is gone.
  await target.run([`if [ -e ${libPath(cfg)} ]; then . ${libPath(cfg)}; fi`, ...step.commands].join('\n'), {
    ns: nsOf(cfg, step.node),
    check: false,
  });
}

// Where the time goes: a Target wrapper that times every command the lab
// runs on the lab host, and a reporter that tells which phase (up, apply,
// verify, down) each command belongs to. Together they profile one run.
import { t } from '../model/i18n.js';
import { loadavg } from 'node:os';
import type { Lab } from '../run/lab.js';
import { silentReporter, type Reporter } from '../report/console.js';
import type { Target } from '../hosts/host.js';
import { firstLine } from '../hosts/host.js';
import type { Trace, TraceCall } from './result.js';

/** Wraps a target so each run() call is timed and handed to `record` with its namespace and first line. */
export function timingTarget(target: Target, record: (call: Omit<TraceCall, 'phase'>) => void): Target {
  return {
    name: target.name,
    binDir: target.binDir,
    close: () => target.close(),
    async run(script, opts = {}) {
      const t0 = performance.now();
      try {
        return await target.run(script, opts);
      } finally {
        record({ ns: opts.ns ?? 'host', what: firstLine(script), ms: performance.now() - t0 });
      }
    },
  };
}

/** A silent reporter that remembers which phase the lab is in. */
export function phaseReporter() {
  let current = 'start';
  const reporter: Reporter = {
    ...silentReporter,
    phase(title) {
      // "up: 3 namespaces, profile lenient" -> "up"; "apply scheme1: ..." and "applied scheme1" -> "apply"
      const word = t(title, 'en').split(/[:\s]/)[0];
      current = word === 'applied' ? 'apply' : word;
    },
  };
  return { reporter, current: () => current };
}

/** Runs `scheme` once (up, apply, verify, down) with every command timed. */
export async function traceRun(makeLab: (t: (target: Target) => Target, r: Reporter) => Lab, scheme: string): Promise<Trace> {
  const calls: TraceCall[] = [];
  const p = phaseReporter();
  const lab = makeLab((target) => timingTarget(target, (c) => calls.push({ ...c, phase: p.current() })), p.reporter);
  const load = Math.round(loadavg()[0] * 100) / 100;
  const t0 = performance.now();
  await lab.run(scheme, 'lenient', {});
  const totalMs = performance.now() - t0;
  // Commands run before the first phase is announced (the leftover check) count as "up";
  // a phase's bookkeeping (reading the state file) counts in the phase before it.
  for (const c of calls) if (c.phase === 'start') c.phase = 'up';
  const names = [...new Set(calls.map((c) => c.phase))];
  const phases = names.map((phase) => {
    const own = calls.filter((c) => c.phase === phase);
    return { phase, calls: own.length, inCallsMs: own.reduce((a, c) => a + c.ms, 0) };
  });
  return { scheme, totalMs, phases, calls, load };
}

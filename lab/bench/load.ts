// Runs the Go load generator (lab/go/load) inside one of the lab's
// namespaces and reads its JSON. It is bounded in requests, concurrency and
// time, and refuses to run outside the namespace it is given.
import { names, type LabConfig } from '../config/config.js';
import type { Target } from '../hosts/host.js';
import { BINARIES } from '../go/build.js';
import type { LoadRun } from './result.js';

export interface LoadSpec {
  url: string;
  requests: number;
  concurrency: number;
  maxTimeS: number;
}

export function loadCommand(binDir: string, ns: string, s: LoadSpec): string {
  return `${binDir}/${BINARIES.load} -netns ${ns} -url '${s.url}' -n ${s.requests} -c ${s.concurrency} -max-time ${s.maxTimeS}s`;
}

/** Sends the load from the lab's "internet" (the client's namespace). */
export async function runLoad(target: Target, cfg: LabConfig, s: LoadSpec): Promise<LoadRun> {
  const ns = names(cfg).ns.inet;
  const r = await target.run(loadCommand(target.binDir, ns, s), { ns });
  return JSON.parse(r.stdout.trim()) as LoadRun;
}

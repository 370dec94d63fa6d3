// Soak: many up/apply/verify/down cycles in one process, then a search for
// anything they leaked: namespaces, links, processes, mounts, conntrack
// entries in the root namespace, and the process's own memory.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { BIN_DIR } from '../go/build.js';
import type { Lab } from '../run/lab.js';
import type { Profile } from '../topology/profiles.js';
import { PROFILES } from '../topology/profiles.js';
import type { Scheme } from '../model/scheme.js';

export interface HostCounts {
  namespaces: string[];
  rootLinks: number;
  labProcesses: number[];
  mounts: string[];
  rootConntrack: number | null;
}

function sh(cmd: string): string {
  return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' });
}

/** Processes running one of the lab's binaries, or naming the lab's paths in their arguments (its dockerd). */
function labProcesses(prefix: string): number[] {
  const mine = (pid: string) => {
    try {
      if (readlinkSync(`/proc/${pid}/exe`).startsWith(BIN_DIR)) return true;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return args.includes(`/run/${prefix}/`) || args.includes(`/run/netns/${prefix}-`);
    } catch {
      return false; // gone meanwhile
    }
  };
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter(mine).map(Number);
}

export function hostCounts(prefix: string): HostCounts {
  let conntrack: number | null = null;
  try {
    conntrack = Number(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'));
  } catch {
    conntrack = null; // conntrack not loaded in the root namespace
  }
  return {
    namespaces: sh('ip netns list').split('\n').filter((l) => l.startsWith(`${prefix}-`)),
    rootLinks: sh('ip -o link show').trim().split('\n').length,
    labProcesses: labProcesses(prefix),
    mounts: readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(`/${prefix}/`) || l.includes(`/${prefix}-`)),
    rootConntrack: conntrack,
  };
}

export interface SoakReport {
  cycles: number;
  seconds: number;
  failures: string[];
  heapMB: { afterFirst: number; afterLast: number };
  before: HostCounts;
  after: HostCounts;
  leaks: string[];
}

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export async function soak(lab: Lab, schemes: Scheme[], cycles: number, onCycle: (i: number, ok: boolean, ms: number) => void): Promise<SoakReport> {
  const prefix = lab.cfg.prefix;
  const before = hostCounts(prefix);
  const failures: string[] = [];
  let afterFirst = 0;
  const t0 = performance.now();
  for (let i = 0; i < cycles; i++) {
    const scheme = schemes[i % schemes.length];
    const profile: Profile = PROFILES[Math.floor(i / schemes.length) % PROFILES.length];
    const c0 = performance.now();
    let ok = false;
    try {
      const r = await lab.run(scheme.id, profile, { fix: 'pbr' in scheme.fixes ? 'pbr' : null });
      ok = r.ok;
      if (!r.ok) failures.push(`cycle ${i + 1}: ${scheme.id} ${profile}: verdicts differ from expected`);
    } catch (e) {
      failures.push(`cycle ${i + 1}: ${scheme.id} ${profile}: ${(e as Error).message}`);
    }
    onCycle(i, ok, performance.now() - c0);
    if (i === 0) afterFirst = heapMB();
  }
  const afterLast = heapMB();
  const after = hostCounts(prefix);
  const leaks: string[] = [];
  if (after.namespaces.length) leaks.push(`namespaces left: ${after.namespaces.join(', ')}`);
  if (after.rootLinks !== before.rootLinks) leaks.push(`root namespace links: ${before.rootLinks} before, ${after.rootLinks} after`);
  const newProcs = after.labProcesses.filter((p) => !before.labProcesses.includes(p));
  if (newProcs.length) leaks.push(`lab processes still running: ${newProcs.join(', ')}`);
  if (after.mounts.length) leaks.push(`mounts left: ${after.mounts.join('; ')}`);
  if (before.rootConntrack !== null && after.rootConntrack !== null && after.rootConntrack > before.rootConntrack + 50) {
    leaks.push(`root namespace conntrack entries grew from ${before.rootConntrack} to ${after.rootConntrack}`);
  }
  // A few MB of noise is normal for V8; a leak per cycle shows as steady growth over many cycles.
  if (cycles > 1 && afterLast - afterFirst > Math.max(8, cycles * 0.5)) {
    leaks.push(`heap grew from ${afterFirst.toFixed(1)} MB to ${afterLast.toFixed(1)} MB over ${cycles - 1} cycles`);
  }
  return { cycles, seconds: (performance.now() - t0) / 1000, failures, heapMB: { afterFirst, afterLast }, before, after, leaks };
}

// One lab per prefix at a time: a lock file on the lab host, created
// atomically (noclobber), holding who took it. A lock whose holder is gone
// (killed, crashed) is taken over, so a crash never blocks the next run.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { LabError } from '../model/errors.js';
import type { LabConfig } from '../config/config.js';
import type { Target } from '../hosts/host.js';

export const lockPath = (cfg: LabConfig) => `/run/${cfg.prefix}.lock`;

export interface Lock {
  release(): Promise<void>;
}

export async function acquireLock(target: Target, cfg: LabConfig): Promise<Lock> {
  const path = lockPath(cfg);
  const me = `${hostname()} ${process.pid}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await target.run(`set -C; echo "${me}" > ${path}`, { check: false });
    if (r.code === 0) return { release: () => target.run(`[ "$(cat ${path} 2>/dev/null)" = "${me}" ] && rm -f ${path}; true`).then(() => {}) };
    const holder = (await target.run(`cat ${path} 2>/dev/null`, { check: false })).stdout.trim();
    if (holder && isAlive(holder)) {
      throw new LabError(`lab "${cfg.prefix}" is in use by another eiplab (${describe(holder)}): wait for it, or use another --prefix`);
    }
    await target.run(`rm -f ${path}`, { check: false }); // stale: its holder is gone
  }
  throw new LabError(`could not take the lock ${path}: remove it if no eiplab is running`);
}

function describe(holder: string): string {
  const [host, pid] = holder.split(' ');
  return host === hostname() ? `pid ${pid}` : `pid ${pid} on ${host}`;
}

/** A holder on this machine is alive while its process runs (a zombie is dead); one on another machine is assumed alive. */
function isAlive(holder: string): boolean {
  const [host, pid] = holder.split(' ');
  if (host !== hostname()) return true;
  return processRuns(Number(pid));
}

export function processRuns(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name in parentheses, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

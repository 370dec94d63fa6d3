// What the lab's own Docker leaves on the host, looked up from the prefix
// alone (as teardown does), and the state of a Docker daemon the user may
// run, to prove the lab never touched it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { processRuns } from '../../lab/run/lock.js';

function sh(cmd: string): string {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return (e as { stdout?: string }).stdout ?? '';
  }
}

/** A process that still runs (a zombie waiting for its parent to reap it does not). */
export const runs = processRuns;

/** Processes whose arguments name the lab's docker directory: dockerd, containerd, the shims. */
export function daemonPids(prefix: string): number[] {
  let out = '';
  try {
    // No shell in between: its own arguments would match.
    out = execFileSync('pgrep', ['-f', '--', ` /run/${prefix}/docker/`], { encoding: 'utf8' });
  } catch {
    // pgrep exits 1 when nothing matches
  }
  return out.split('\n').filter(Boolean).map(Number);
}

/** Every process in the lab's server namespace (the daemons, shims and docker-proxy; not the containers). */
export function serverPids(prefix: string): number[] {
  if (!existsSync(`/run/netns/${prefix}-server`)) return [];
  return execFileSync('ip', ['netns', 'pids', `${prefix}-server`], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
}

/** The containers' processes, found by the cgroup parent the lab gives dockerd. */
export function containerPids(prefix: string): number[] {
  const out = sh(`for d in $(find /sys/fs/cgroup -maxdepth 6 -type d -path '*/${prefix}-docker/*'); do cat $d/cgroup.procs; done 2>/dev/null`);
  return [...new Set(out.split('\n').filter(Boolean).map(Number))];
}

/** The shim sockets containerd names by a hash of its address and each task. */
export function shimSockets(prefix: string): string[] {
  const tasks = `/run/${prefix}/docker/containerd/state/io.containerd.runtime.v2.task/moby`;
  if (!existsSync(tasks)) return [];
  const address = `/run/${prefix}/docker/containerd/containerd.sock`;
  return readdirSync(tasks).map((id) => `/run/containerd/s/${createHash('sha256').update(`${address}/moby/${id}`).digest('hex')}`);
}

/** Everything of the lab's that may remain on the host: namespaces, files, mounts, processes, cgroups. */
export function labLeftovers(prefix: string, sockets: string[] = []): string[] {
  const found: string[] = [];
  for (const node of ['inet', 'edge', 'server']) if (existsSync(`/run/netns/${prefix}-${node}`)) found.push(`netns ${prefix}-${node}`);
  for (const path of [`/run/${prefix}`, `/run/${prefix}.lock`, ...sockets]) if (existsSync(path)) found.push(`file ${path}`);
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    if (line.includes(`/run/${prefix}/`) || line.includes(`/run/netns/${prefix}-`)) found.push(`mount ${line.split(' ')[1]}`);
  }
  for (const pid of [...daemonPids(prefix), ...containerPids(prefix)]) if (runs(pid)) found.push(`process ${pid} ${sh(`tr '\\0' ' ' </proc/${pid}/cmdline`).slice(0, 80)}`);
  found.push(...sh(`find /sys/fs/cgroup -maxdepth 6 -type d -name '${prefix}-docker'`).split('\n').filter(Boolean).map((d) => `cgroup ${d}`));
  return found;
}

/** Directories containerd and dockerd create at fixed places: which of them exist. */
export function fixedDirs(): Record<string, boolean> {
  const dirs = ['/run/containerd', '/run/containerd/s', '/run/docker', '/run/docker/plugins', '/opt/containerd', '/etc/docker/key.json', '/var/lib/docker'];
  return Object.fromEntries(dirs.map((d) => [d, existsSync(d)]));
}

/** Containers and networks of the user's Docker daemon, or null when none answers on the default socket. */
export function hostDocker(): { containers: string; networks: string } | null {
  const docker = 'DOCKER_CONFIG=/nonexistent /usr/bin/docker -H unix:///var/run/docker.sock';
  if (!existsSync('/var/run/docker.sock') || sh(`${docker} version --format ok 2>/dev/null`).trim() !== 'ok') return null;
  return {
    containers: sh(`${docker} ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Status}}' | sed -E 's/ (Up|Exited).*//'`),
    networks: sh(`${docker} network ls --no-trunc`),
  };
}

/** The lab server's nat POSTROUTING rules, in order, with their packet counts. */
export function natPostrouting(prefix: string): Array<{ pkts: number; target: string; source: string }> {
  const out = sh(`ip netns exec ${prefix}-server iptables -t nat -L POSTROUTING -n -v -x`);
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return { pkts: Number(f[0]), target: f[2], source: f[7] };
    });
}

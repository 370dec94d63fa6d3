// Processes left running in a network namespace nobody can name any more: the
// leak a check by namespace name cannot see (a program started in a lab
// namespace that outlived `ip netns del`). A namespace is named when it is
// this process's own, one under /run/netns, or any other nsfs mount (a lab
// dockerd pins its containers' namespaces so). Processes under another root
// directory (containers, sandboxes) and zombies are not looked at.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { processRuns } from '../../lab/run/lock.js';

const inode = (path: string): number | null => {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
};

function namedNamespaces(): Set<number> {
  const named = new Set<number | null>([inode('/proc/self/ns/net')]);
  for (const name of readdirSync('/run/netns', { withFileTypes: true }).filter((d) => d.isFile())) named.add(inode(`/run/netns/${name.name}`));
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [, rest] = line.split(' - ');
    // mountinfo: "... <mount point> <options> ... - <fs type> <source> ..."
    if (rest?.startsWith('nsfs ')) named.add(inode(line.split(' ')[4].replace(/\\040/g, ' ')));
  }
  named.delete(null);
  return named as Set<number>;
}

function underOurRoot(pid: number): boolean {
  try {
    const ours = statSync('/');
    const theirs = statSync(`/proc/${pid}/root`);
    return ours.dev === theirs.dev && ours.ino === theirs.ino;
  } catch {
    return false;
  }
}

function command(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 160);
  } catch {
    return '?';
  }
}

function strayPids(): number[] {
  const named = namedNamespaces();
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      const ns = inode(`/proc/${pid}/ns/net`);
      return ns !== null && !named.has(ns) && processRuns(pid) && underOurRoot(pid);
    });
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Strays that were there before this test file began (another run's old leak): not this file's doing. */
const before = new Set(strayPids());

/**
 * Processes in unnamed network namespaces that appeared since this test file
 * began, as "stray process <pid> <command>". One taken while another lab on the
 * machine is halfway through its teardown is looked at again a moment later.
 */
export function strayProcesses(settleMs = 500): string[] {
  let pids = strayPids().filter((p) => !before.has(p));
  if (pids.length) {
    sleep(settleMs);
    const still = new Set(strayPids());
    pids = pids.filter((p) => still.has(p));
  }
  return pids.map((p) => `stray process ${p} ${command(p)}`);
}

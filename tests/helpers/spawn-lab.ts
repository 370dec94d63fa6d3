// Runs the CLI as a user would, in its own process group, so a test can
// kill the whole of it (the launcher and, in a stale checkout, tsx) at a chosen moment.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { strayProcesses } from './strays.js';

export interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the output contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export function spawnLab(args: string[]): Running {
  const child = spawn('node', ['bin/eiplab.js', ...args], {
    detached: true,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return {
    child,
    output: () => out,
    exited,
    waitFor(text, timeoutMs = 30_000) {
      if (out.includes(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" in output:\n${out}`)), timeoutMs);
        waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/** Every pid inside the lab's namespaces right now. */
export function labPids(prefix: string): number[] {
  return ['inet', 'edge', 'server'].flatMap((node) => {
    const ns = `${prefix}-${node}`;
    if (!existsSync(`/run/netns/${ns}`)) return [];
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  });
}

/** A process that still runs (not a zombie waiting to be reaped). */
export { processRuns as alive } from '../../lab/run/lock.js';

/**
 * What a lab with this prefix has left on the host: namespaces, run directory, lock, mounts, and any
 * process left running in a namespace that no longer has a name (strays.ts).
 */
export function leftovers(prefix: string): string[] {
  const found: string[] = [];
  for (const node of ['inet', 'edge', 'server']) if (existsSync(`/run/netns/${prefix}-${node}`)) found.push(`netns ${prefix}-${node}`);
  if (existsSync(`/run/${prefix}`)) found.push(`dir /run/${prefix}`);
  if (existsSync(`/run/${prefix}.lock`)) found.push(`lock /run/${prefix}.lock`);
  const mounts = execFileSync('cat', ['/proc/mounts'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`/${prefix}/`) || l.includes(`/${prefix}-`));
  found.push(...mounts.map((m) => `mount ${m.split(' ')[1]}`));
  found.push(...strayProcesses());
  return found;
}

// Starts a program and waits for it, timing it from spawn to exit: the
// wall-clock time a user waits for a command.
import { spawn } from 'node:child_process';

export interface Timed {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

export function spawnTimed(cmd: string, args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code: code ?? 1, stdout, stderr }));
  });
}

/** The last lines of a failed program's output, for an error message. */
export function tail(t: Timed): string {
  return (t.stderr || t.stdout).trim().split('\n').slice(-3).join(' | ');
}

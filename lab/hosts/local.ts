// The local target: the lab host is this Linux machine, reached through
// child processes started with zx (scripts) or spawned on the terminal
// (interactive programs).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { $ } from 'zx';
import { CommandError, type RunOptions, type RunResult, type Target } from './host.js';

export function localTarget(binDir: string): Target {
  const sh = $({ quiet: true, nothrow: true });
  return {
    name: 'local',
    binDir,
    async run(script: string, opts: RunOptions = {}): Promise<RunResult> {
      const argv = opts.ns ? ['ip', 'netns', 'exec', opts.ns, 'sh', '-c', script] : ['sh', '-c', script];
      const out = await sh({ input: opts.input ?? '' })`${argv}`;
      const result = { code: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
      if (result.code !== 0 && opts.check !== false) throw new CommandError(script, opts.ns, result);
      return result;
    },
    interactive(argv: string[], ns?: string): Promise<number> {
      const full = ns ? ['ip', 'netns', 'exec', ns, ...argv] : argv;
      return new Promise((resolve, reject) => {
        const child = spawn(full[0], full.slice(1), { stdio: 'inherit' });
        // The terminal's Ctrl-C reaches the program too; it is the program's to handle,
        // so this process waits for it to end instead of dying first.
        const ignore = () => {};
        process.on('SIGINT', ignore);
        child.on('error', (e) => (process.off('SIGINT', ignore), reject(e)));
        child.on('exit', (code, signal) => {
          process.off('SIGINT', ignore);
          resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
        });
      });
    },
    async close() {},
  };
}

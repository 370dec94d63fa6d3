// The local target: the lab host is this Linux machine, reached through
// child processes started with zx (scripts) or spawned on the terminal
// (interactive programs).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { $ } from 'zx/core';
import type { Target } from './host.js';
import { shellTarget } from './shell-host.js';

export function localTarget(binDir: string): Target {
  const sh = $({ quiet: true, nothrow: true });
  return shellTarget({
    name: 'local',
    binDir,
    async exec(argv: string[], input: string) {
      const out = await sh({ input })`${argv}`;
      return { code: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
    },
    attach(argv: string[]): Promise<number> {
      return new Promise((resolve, reject) => {
        const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
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
  });
}

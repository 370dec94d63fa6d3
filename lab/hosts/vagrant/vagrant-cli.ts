// Runs the vagrant command in the repository (where the Vagrantfile is),
// passing its output through without the upload progress bar, which in a
// log file is thousands of lines.
import { spawn } from 'node:child_process';
import { $ } from 'zx/core';
import { LabError } from '../../model/errors.js';
import { REPO_DIR } from './vm.js';

export async function requireVagrant(): Promise<void> {
  if ((await $({ quiet: true, nothrow: true })`sh -c 'command -v vagrant'`).exitCode !== 0) {
    throw new LabError('missing tool vagrant: install it (`apt-get install vagrant vagrant-libvirt`, or from vagrantup.com)');
  }
}

/** Streams vagrant's output to `write`, one line at a time; resolves with its exit code. */
export function vagrant(args: string[], write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('vagrant', args, { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split(/\r|\n|\x1b\[K/);
        rest = parts.pop() ?? '';
        for (const line of parts) if (line.trim() && !/^Progress: /.test(line)) write(line);
      });
      stream.on('end', () => rest.trim() && !/^Progress: /.test(rest) && write(rest));
    }
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

// The machine the figures came from: they mean little without it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

function quiet(f: () => string): string {
  try {
    return f().trim();
  } catch {
    return 'unknown';
  }
}

export function machine(): Record<string, string | number> {
  const osRelease = quiet(() => readFileSync('/etc/os-release', 'utf8'));
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? 'unknown';
  return {
    os: pretty,
    kernel: release(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    go: quiet(() => execFileSync('go', ['version'], { encoding: 'utf8' }).split(' ')[2] ?? 'unknown'),
  };
}

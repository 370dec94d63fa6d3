// The test's own program (tests/fixtures/own-app), built as its user would:
// static, with the Go on this machine, into a directory of the test's.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export function buildOwnApp(program: string): void {
  execFileSync('go', ['build', '-trimpath', '-o', program, '.'], {
    cwd: resolve('tests/fixtures/own-app'),
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOCACHE: process.env.GOCACHE ?? join(process.env.HOME ?? tmpdir(), '.cache', 'go-build') },
  });
}

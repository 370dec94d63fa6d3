// The kept root shells the vagrant target runs every program through
// (lab/hosts/kept-shell.ts), here with a local `sh` as the remote end: each
// program gets its own input, output, error and exit code, nothing it sets
// reaches the next, programs at once take shells of their own, and a shell's
// directory goes when the shell ends.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KeptShells } from '../../lab/hosts/kept-shell.js';

const ours = () => readdirSync('/run').filter((f) => f.startsWith('eiplab-shell.'));

function localShells() {
  const children: ReturnType<typeof spawn>[] = [];
  const shells = new KeptShells(async () => {
    const child = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    // As an SSH channel behaves: what the shell prints is read, and 'close' comes when it has ended.
    const channel = new Duplex({
      read() {},
      write(chunk, _encoding, done) {
        child.stdin!.write(chunk, done);
      },
      final(done) {
        child.stdin!.end();
        done();
      },
    });
    child.stdin!.on('error', () => {});
    child.stdout!.on('data', (d: Buffer) => channel.push(d));
    child.on('close', () => channel.emit('close'));
    return Object.assign(channel, { stderr: child.stderr! });
  });
  const exited = () => Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))));
  return { shells, children, exited };
}

describe('kept shells', () => {
  it('run each program with its own streams and exit code, nothing carried to the next', async () => {
    const before = ours();
    const { shells, children, exited } = localShells();
    expect(await shells.exec(['sh', '-c', 'cat; echo to-err >&2; exit 3'], 'line one\nzwei ✓\n')).toEqual({ code: 3, stdout: 'line one\nzwei ✓\n', stderr: 'to-err\n' });
    expect(await shells.exec(['sh', '-c', 'X=1; cd /; export Y=2'], '')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await shells.exec(['sh', '-c', 'echo "[$X][$Y]"; pwd; cat'], '')).toEqual({ code: 0, stdout: `[][]\n${process.cwd()}\n`, stderr: '' });
    // Quoting survives: the words arrive as given.
    expect((await shells.exec(['printf', '%s|', "it's", 'a b', '$HOME', '"q"'], '')).stdout).toBe(`it's|a b|$HOME|"q"|`);
    expect(children).toHaveLength(1);
    expect(ours().length).toBe(before.length + 1);
    shells.close();
    await exited();
    expect(ours()).toEqual(before);
  });

  it('gives programs at once shells of their own, and reuses them after', async () => {
    const { shells, children, exited } = localShells();
    const results = await Promise.all([1, 2, 3].map((i) => shells.exec(['sh', '-c', `sleep 0.2; echo ${i}`], '')));
    expect(results.map((r) => r.stdout)).toEqual(['1\n', '2\n', '3\n']);
    expect(children).toHaveLength(3);
    await shells.exec(['true'], '');
    expect(children).toHaveLength(3);
    shells.close();
    await exited();
  });

  it('fails the program under way when its shell ends, and starts a new one for the next', async () => {
    const before = ours();
    const { shells, children, exited } = localShells();
    await expect(shells.exec(['sh', '-c', 'kill -9 $PPID; sleep 1'], '')).rejects.toThrow(/shell ended/);
    expect((await shells.exec(['echo', 'again'], '')).stdout).toBe('again\n');
    expect(children).toHaveLength(2);
    shells.close();
    await exited();
    // A shell killed outright cannot remove its directory (an ended connection closes its input, and it can).
    const killed = ours().filter((f) => !before.includes(f));
    expect(killed).toHaveLength(1);
    for (const f of killed) rmSync(`/run/${f}`, { recursive: true });
  });
});

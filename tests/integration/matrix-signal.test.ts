// Ctrl-C in the middle of a matrix cell: one teardown of the cell's lab (not
// one from the signal and another from the cell racing it), and nothing left.
import { describe, expect, it } from 'vitest';
import { leftovers, spawnLab } from '../helpers/spawn-lab.js';

const P = 'eiplabms';
// With -v every command the lab runs is printed before it runs; the teardown's last host command deletes the namespaces.
const TEARDOWN = `for ns in ${P}-inet ${P}-edge ${P}-server; do [ -e /run/netns/$ns ] && ip netns del $ns; done`;

const count = (text: string, part: string) => text.split(part).length - 1;

async function until(test: () => boolean, what: string, output: () => string, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`no ${what} in output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Ctrl-C during a matrix cell', () => {
  it('tears the cell\'s lab down once and leaves nothing', async () => {
    const run = spawnLab(['matrix', 'scheme1', '--profile', 'cloud', '--prefix', P, '-v']);
    // The second cell, in the middle of applying the scheme: its second instance is being started.
    await until(() => /\[1\/\d+\]/.test(run.output()) && count(run.output(), 'lab_daemon app-eth1') >= 2, 'second cell applying', run.output);
    process.kill(-run.child.pid!, 'SIGINT');
    const code = await run.exited;
    const out = run.output();
    expect(out).toContain('SIGINT: tearing the lab down');
    expect(code).toBe(130);
    const afterSignal = out.slice(out.indexOf('SIGINT: tearing the lab down'));
    expect(count(afterSignal, TEARDOWN), afterSignal).toBe(1);
    expect(leftovers(P)).toEqual([]);
  }, 90_000);
});

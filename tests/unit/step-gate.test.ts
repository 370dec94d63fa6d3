// --step: waits for Enter on a terminal, runs straight through otherwise.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { enterGate } from '../../lab/run/step-gate.js';

function input(isTTY: boolean) {
  return Object.assign(new PassThrough(), { isTTY });
}

describe('the step gate', () => {
  it('without a terminal: no prompt, one note, no waiting', async () => {
    const said: string[] = [];
    const gate = enterGate({ input: input(false), prompt: (i, n) => said.push(`prompt ${i}/${n}`), noTerminal: () => said.push('note') });
    for (let i = 1; i <= 3; i++) await gate(i, 3);
    expect(said).toEqual(['note']);
  });

  it('on a terminal: prompts and waits for a line before each step', async () => {
    const tty = input(true);
    const said: string[] = [];
    const gate = enterGate({ input: tty, prompt: (i, n) => said.push(`prompt ${i}/${n}`), noTerminal: () => said.push('note') });
    let passed = false;
    const first = gate(1, 2).then(() => (passed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(passed).toBe(false);
    expect(said).toEqual(['prompt 1/2']);
    tty.write('\n');
    await first;
    const second = gate(2, 2);
    await new Promise((r) => setImmediate(r));
    tty.write('\n');
    await second;
    expect(said).toEqual(['prompt 1/2', 'prompt 2/2']);
  });

  it('on a terminal, Ctrl-D (end of input) runs the rest without asking', async () => {
    const tty = input(true);
    const said: string[] = [];
    const gate = enterGate({ input: tty, prompt: (i) => said.push(`prompt ${i}`), noTerminal: () => {} });
    const first = gate(1, 3);
    tty.end();
    await first;
    await gate(2, 3);
    await gate(3, 3);
    expect(said).toEqual(['prompt 1']);
  });
});

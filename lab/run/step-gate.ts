// `--step`: before each step of a scheme, wait until the person at the
// terminal presses Enter. With no terminal on stdin (CI, a pipe, a test),
// the steps run straight through.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Called after a step is shown and before it runs; `index` counts from 1. */
export type StepGate = (index: number, total: number) => Promise<void>;

export const runThrough: StepGate = async () => {};

export interface GateOptions {
  input: Readable & { isTTY?: boolean };
  /** Shows the "press Enter" line for step `index` of `total`. */
  prompt(index: number, total: number): void;
  /** Said once, when the input is not a terminal. */
  noTerminal(): void;
}

export function enterGate(o: GateOptions): StepGate {
  if (!o.input.isTTY) {
    let told = false;
    return async () => {
      if (!told) o.noTerminal();
      told = true;
    };
  }
  let ended = false;
  return async (index, total) => {
    if (ended) return;
    o.prompt(index, total);
    // Not in raw mode (terminal: false): Ctrl-C stays a signal, which tears the lab down.
    const rl = createInterface({ input: o.input, terminal: false });
    await new Promise<void>((resolve) => {
      rl.once('line', () => resolve());
      // Ctrl-D: no more pauses, run the rest.
      rl.once('close', () => ((ended = true), resolve()));
    });
    rl.removeAllListeners('close');
    rl.close();
  };
}

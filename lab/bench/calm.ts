// The machine is shared: other labs, and at times an emulated VM, load the
// CPU. Every measurement notes the 1-minute load average, and waits a while
// for it to fall below a limit first; a sample taken above it is flagged.
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CalmOptions {
  maxLoad: number;
  /** Seconds to wait at most; 0 measures at once. */
  calmWait: number;
}

export interface Sampled {
  /** Milliseconds per sample. */
  samples: number[];
  /** The 1-minute load average when each sample began. */
  load: number[];
  /** Some sample began above the limit (the wait ran out). */
  busy: boolean;
}

export const load1 = () => Math.round(loadavg()[0] * 100) / 100;

export class Sampler {
  constructor(
    readonly o: CalmOptions,
    private readonly log: (line: string) => void,
  ) {}

  /** Waits (up to calmWait) until the load is at most maxLoad; returns the load then. */
  async calm(): Promise<number> {
    const until = Date.now() + this.o.calmWait * 1000;
    let l = load1();
    if (l > this.o.maxLoad && this.o.calmWait > 0) {
      this.log(`    load average ${l} > ${this.o.maxLoad}: waiting up to ${this.o.calmWait} s for it to fall`);
      while (l > this.o.maxLoad && Date.now() < until) {
        await sleep(1000);
        l = load1();
      }
    }
    return l;
  }

  /**
   * Runs `fn` `runs` times; each run returns named durations (ms), e.g.
   * { up, down }. Returns the samples of each name.
   */
  async repeat(runs: number, fn: () => Promise<Record<string, number>>): Promise<Record<string, Sampled>> {
    const out: Record<string, Sampled> = {};
    for (let i = 0; i < runs; i++) {
      const l = await this.calm();
      const times = await fn();
      for (const [name, ms] of Object.entries(times)) {
        out[name] ??= { samples: [], load: [], busy: false };
        out[name].samples.push(ms);
        out[name].load.push(l);
        out[name].busy ||= l > this.o.maxLoad;
      }
    }
    return out;
  }
}

/** Milliseconds `fn` takes, and what it returned. */
export async function elapsed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

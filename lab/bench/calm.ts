// The machine is shared: other labs, and at times an emulated VM, load the
// CPU. Every sample notes the 1-minute load average, and before it the
// sampler looks at how busy the CPU is right now (the load average lags by
// a minute, and our own previous sample is in it): while others keep more
// than `maxBusy` cores busy, it waits, up to `calmWait` seconds per sample
// and `10 x calmWait` in all; a sample that starts busy anyway is flagged.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CalmOptions {
  /** Cores kept busy by other processes above which a sample waits. */
  maxBusy: number;
  /** Seconds a sample waits at most; 0 measures at once (and does not look). */
  calmWait: number;
}

export interface Sampled {
  /** Milliseconds per sample. */
  samples: number[];
  /** The 1-minute load average when each sample began. */
  load: number[];
  /** Cores busy (all processes) just before each sample; empty when not looked at. */
  busyCores: number[];
  /** Some sample began with the CPU busier than maxBusy. */
  busy: boolean;
}

export const load1 = () => Math.round(loadavg()[0] * 100) / 100;

/** Jiffies busy and in all, summed over every core, from /proc/stat. */
function cpuTimes(): { busy: number; total: number; cores: number } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const all = lines[0].split(/\s+/).slice(1).map(Number);
  const idle = all[3] + (all[4] ?? 0); // idle + iowait
  const total = all.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
  return { busy: total - idle, total, cores: lines.filter((l) => /^cpu\d/.test(l)).length };
}

/** How many cores are busy over the next `ms` milliseconds. */
export async function busyCores(ms = 300): Promise<number> {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  const total = b.total - a.total;
  return total > 0 ? Math.round(((b.busy - a.busy) / total) * b.cores * 100) / 100 : 0;
}

export interface Calm {
  load: number;
  /** null when the sampler did not look (quick mode). */
  busyCores: number | null;
  busy: boolean;
}

export class Sampler {
  private budgetMs: number;
  private spent = false;

  constructor(
    readonly o: CalmOptions,
    private readonly log: (line: string) => void,
  ) {
    this.budgetMs = o.calmWait * 10_000;
  }

  /** Waits while other processes keep the CPU busy (within the wait limits); returns what it saw last. */
  async calm(): Promise<Calm> {
    if (this.o.calmWait <= 0) return { load: load1(), busyCores: null, busy: false };
    const t0 = Date.now();
    const until = t0 + Math.min(this.o.calmWait * 1000, this.budgetMs);
    let cores = await busyCores();
    if (cores > this.o.maxBusy && this.budgetMs <= 0) {
      if (!this.spent) this.log(`    ${cores} cores busy, and the time allowed for waiting is used up: measuring without waiting (flagged BUSY)`);
      this.spent = true;
    } else if (cores > this.o.maxBusy) {
      this.log(`    ${cores} cores busy (load average ${load1()}): waiting up to ${Math.round((until - t0) / 1000)} s for them to fall below ${this.o.maxBusy}`);
      while (cores > this.o.maxBusy && Date.now() < until) {
        await sleep(700);
        cores = await busyCores();
      }
      this.budgetMs -= Date.now() - t0;
    }
    return { load: load1(), busyCores: cores, busy: cores > this.o.maxBusy };
  }

  /**
   * Runs `fn` `runs` times; each run returns named durations (ms), e.g.
   * { up, down }. Returns the samples of each name.
   */
  async repeat(runs: number, fn: () => Promise<Record<string, number>>): Promise<Record<string, Sampled>> {
    const out: Record<string, Sampled> = {};
    for (let i = 0; i < runs; i++) {
      const c = await this.calm();
      const times = await fn();
      for (const [name, ms] of Object.entries(times)) {
        out[name] ??= { samples: [], load: [], busyCores: [], busy: false };
        out[name].samples.push(ms);
        out[name].load.push(c.load);
        if (c.busyCores !== null) out[name].busyCores.push(c.busyCores);
        out[name].busy ||= c.busy;
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

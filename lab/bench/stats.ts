// Summaries of repeated measurements: the median and the spread around it.
// Few runs and skewed noise (a busy neighbour only ever makes things slower),
// so the median and min-max say more than a mean and standard deviation.

export interface Stat {
  runs: number;
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, in percent: how far apart the runs were. */
  spreadPct: number;
  samples: number[];
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(samples: number[]): Stat {
  const med = median(samples);
  const min = samples.length ? Math.min(...samples) : NaN;
  const max = samples.length ? Math.max(...samples) : NaN;
  return {
    runs: samples.length,
    median: med,
    min,
    max,
    spreadPct: med > 0 ? ((max - min) / med) * 100 : 0,
    samples,
  };
}

/** a / b, or null when either side is missing, so a failed row cannot fake a ratio. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

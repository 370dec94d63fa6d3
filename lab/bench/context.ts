// What every bench section gets: the options, a silent lab on the bench's
// own prefix, the schemes (all of lab/schemes/, so new ones are measured
// without touching the bench), and the sampler that watches the load.
import type { LabConfig } from '../config/config.js';
import type { Lab } from '../run/lab.js';
import type { Scheme } from '../model/scheme.js';
import type { Target } from '../hosts/host.js';
import type { Sampled, Sampler } from './calm.js';
import type { BenchOptions } from './options.js';
import type { SpeedRow } from './result.js';
import { summarize } from './stats.js';

export interface BenchContext {
  opts: BenchOptions;
  /** The repository root: the CLI and the floor script are run from there. */
  root: string;
  target: Target;
  cfg: LabConfig;
  lab: Lab;
  schemes: Scheme[];
  sampler: Sampler;
  log: (line: string) => void;
}

export function speedRow(id: string, label: string, via: SpeedRow['via'], s: Sampled | undefined, note?: string): SpeedRow {
  return {
    id,
    label,
    via,
    stat: s?.samples.length ? summarize(s.samples) : null,
    load: s?.load ?? [],
    busyCores: s?.busyCores ?? [],
    busy: s?.busy ?? false,
    ...(note ? { note } : {}),
  };
}

export function errorRow(id: string, label: string, via: SpeedRow['via'], e: unknown): SpeedRow {
  return { id, label, via, stat: null, load: [], busyCores: [], busy: false, error: e instanceof Error ? e.message : String(e) };
}

// `matrix --shard i/n`: the i-th of n deterministic slices of the matrix's
// cells, so a CI's job matrix can spread one matrix over n machines. Cells
// are dealt round-robin (cell k goes to slice k mod n): every slice gets a
// share of each scheme, so no machine draws all of the slow Docker cells.
import { LabError } from '../model/errors.js';

export interface Shard {
  /** 1-based, as test runners count shards. */
  index: number;
  count: number;
}

/** At most one slice per cell; more machines than this only queue. */
export const MAX_SHARDS = 64;

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 1 && index <= count)) {
    throw new LabError(`bad --shard "${value}": give i/n, the i-th of n slices, with 1 <= i <= n <= ${MAX_SHARDS} (e.g. --shard 2/3)`);
  }
  return { index, count };
}

/** The cells of one slice, in the matrix's order. */
export function shardOf<T>(cells: readonly T[], shard: Shard): T[] {
  return cells.filter((_, k) => k % shard.count === shard.index - 1);
}

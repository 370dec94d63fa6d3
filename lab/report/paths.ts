// From results to the paths the report draws: for each instance, which NIC
// its ingress, reply and egress packets really used (the counters in each
// check's evidence). Pure and generic: a check is drawn as a path when its
// evidence holds packet counts per interface; any other check becomes a
// badge beside the drawing.
import type { CheckResult, RunResult } from '../model/results.js';
import { formatVariant, type Cell } from '../model/variant.js';

export type Direction = 'in' | 'out';
/** Where a path starts or ends in the inet node. */
export type Peer = 'client' | 'echo';

export interface Lane {
  /** ingress, reply, egress. */
  name: string;
  direction: Direction;
  peer: Peer;
}

/** The checks docs/design.md describes; other "*-nic" checks get a lane named after them. */
const KNOWN_LANES: Record<string, Lane> = {
  'ingress-nic': { name: 'ingress', direction: 'in', peer: 'client' },
  'reply-nic': { name: 'reply', direction: 'out', peer: 'client' },
  'egress-nic': { name: 'egress', direction: 'out', peer: 'echo' },
};

export interface Leg {
  cell: string;
  instance: string;
  check: string;
  lane: Lane;
  /** The interface the packets used, or null when none were seen. */
  via: string | null;
  packets: number;
  /** The interface is the instance's own NIC. */
  intended: boolean;
  /** Frames the VPC's source check dropped after they left through `via`. */
  dropped: number;
  result: CheckResult;
}

/** A stable id for a run: used for anchors and to tie drawings to results. */
export function cellId(r: Cell): string {
  return formatVariant(r, 'words')
    .join('-')
    .replace(/[^A-Za-z0-9_-]/g, '_');
}

function isCounts(v: unknown): v is Record<string, number> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).length > 0 && Object.values(v).every((n) => typeof n === 'number');
}

/** The packet counts per interface in a check's evidence (the drops the VPC counted are not paths). */
export function countsOf(c: CheckResult): Record<string, number> | null {
  for (const [key, value] of Object.entries(c.evidence)) {
    if (key !== 'sourceCheckDrops' && isCounts(value)) return value;
  }
  return null;
}

export function laneOf(c: CheckResult): Lane | null {
  if (KNOWN_LANES[c.check]) return KNOWN_LANES[c.check];
  if (!c.check.endsWith('-nic') || !countsOf(c)) return null;
  const inbound = c.check.startsWith('ingress');
  return { name: c.check.replace(/-nic$/, ''), direction: inbound ? 'in' : 'out', peer: inbound ? 'client' : 'echo' };
}

/** One leg per interface that carried packets; one leg with via null when none did. */
export function legsOf(r: RunResult, c: CheckResult): Leg[] {
  const lane = laneOf(c);
  const counts = countsOf(c);
  if (!lane || !counts) return [];
  const drops = isCounts(c.evidence.sourceCheckDrops) ? c.evidence.sourceCheckDrops : {};
  const base = { cell: cellId(r), instance: c.instance, check: c.check, lane, result: c };
  const used = Object.entries(counts).filter(([, n]) => n > 0);
  if (!used.length) return [{ ...base, via: null, packets: 0, intended: false, dropped: 0 }];
  return used.map(([via, packets]) => ({ ...base, via, packets, intended: via === c.instance, dropped: drops[via] ?? 0 }));
}

export interface InstanceView {
  instance: string;
  legs: Leg[];
  /** Checks that are not paths (egress-ip: what the echo server saw). */
  badges: CheckResult[];
  checks: CheckResult[];
}

/** The instances of a run in the order the checks list them, with their legs and badges. */
export function instanceViews(r: RunResult): InstanceView[] {
  const order = [...new Set(r.checks.map((c) => c.instance))];
  return order.map((instance) => {
    const checks = r.checks.filter((c) => c.instance === instance);
    return {
      instance,
      checks,
      legs: checks.flatMap((c) => legsOf(r, c)),
      badges: checks.filter((c) => !laneOf(c) || !countsOf(c)),
    };
  });
}

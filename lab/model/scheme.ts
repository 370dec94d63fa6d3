// What a scheme is: data that reads like the seed's post. A trainer adds a
// scheme by adding one file to lab/schemes/ that default-exports a Scheme.
// Its expectations are facts per NIC role (facts.ts), never per-cell rules.
import type { AppVariant } from '../schemes/blocks/app.js';
import { withConnmarkFix } from '../schemes/blocks/connmark.js';
import type { Fact, VariantFacts } from './facts.js';
import type { Feature } from '../hosts/features.js';
import type { Text } from './i18n.js';
import type { LabConfig, Nic } from '../config/config.js';
import type { Profile } from '../topology/profiles.js';
import type { Step } from './steps.js';

export const CHECKS = ['ingress-nic', 'reply-nic', 'egress-ip', 'egress-nic'] as const;
export type CheckName = (typeof CHECKS)[number];
export type Verdict = 'pass' | 'fail';

/**
 * The built-in fixes: pbr, source-based policy routing (each scheme keys it); connmark, replies routed by the NIC
 * their connection came in on (every scheme, lab/schemes/blocks/connmark.ts). A scheme file may define fixes of its own.
 */
export const FIXES = ['pbr', 'connmark'] as const;
/** A fix's name: a built-in one, or one a scheme defines (checked against the scheme, not here). */
export type Fix = string;

/** Everything a scheme's steps may depend on. */
export interface SchemeContext {
  cfg: LabConfig;
  app: AppVariant;
  fix: Fix | null;
  profile: Profile;
  scenario: string | null;
}

/** One app instance, meant to use one NIC. */
export interface Instance {
  nic: Nic;
  /** Where the egress probe calls the instance, from inside the server namespace. */
  probeUrl: string;
  /** The address the instance is told to listen on, when not probeUrl's (a container listens on every address). */
  listen?: string;
  /** Extra curl options for the egress probe, where the instance is only reachable through them (`--interface <vrf>`). */
  probeCurl?: string;
  /** The NIC the instance binds its outgoing sockets to (SO_BINDTODEVICE): the kernel's account routes them with it. */
  boundDevice?: string;
}

export interface Scenario {
  /** One line: what the scenario does to the lab between apply and verify. */
  explain: Text;
  steps(ctx: SchemeContext): Step[];
}

export interface KeptDaemon {
  /** The key its steps carry (Step.daemon); schemes with the same key can share it. */
  key: string;
  reset(ctx: SchemeContext): Step[];
  /** Shell lines that define `netns_pids`: one PID in each network namespace the daemon made (its containers), which a kept lab's forget step visits too. */
  netnsPids?(ctx: SchemeContext): string[];
}

export interface Scheme {
  id: string;
  title: Text;
  /** The section of the seed's post this follows. */
  seed: string;
  /** App variants this scheme runs; the first is the default. */
  apps: AppVariant[];
  instances(ctx: SchemeContext): Instance[];
  steps(ctx: SchemeContext): Step[];
  fixes: Partial<Record<Fix, (ctx: SchemeContext) => Step[]>>;
  scenarios?: Record<string, Scenario>;
  /**
   * Hand-written teardown for what no step's undo can take back, run after the
   * applied steps' undos (lab/model/undo.ts). Most schemes need none.
   */
  /** Its instances run in containers from an image the lab packs FROM scratch (a user's program must then be static). */
  containers?: boolean;
  teardown?(ctx: SchemeContext): Step[];
  /**
   * A daemon of its own that the matrix may keep between this scheme's cells (steps marked with its
   * key are then skipped): `reset` takes it back, running, to the state a fresh one has.
   */
  keptDaemon?: KeptDaemon;
  /** Tools this scheme needs on the lab host beyond the lab's own, each with its Debian package. */
  requires?: Record<string, string>;
  /** Kernel features this scheme needs (lab/hosts/features.ts); where the lab host lacks one, its cells are skipped. */
  needs?: Feature[];
  /** Why this scheme does not offer --fix connmark beside its own fixes (left out: it does). */
  withoutConnmark?: Text;
  /**
   * What the variant's traffic does per NIC role; the expected verdicts follow from it (expect-from-facts.ts).
   * null: the scheme states nothing for this variant (a data scheme without `expect`), which is then measured only.
   */
  facts(ctx: SchemeContext): VariantFacts | null;
  /** The file a data scheme was read from (absolute), so a later command can read it again. */
  source?: string;
  /**
   * For a program that resolves names (measured: it sent DNS queries), the NICs without the default
   * route: whose IP their instances' queries to the VPC resolver carry. The resolver is on the VPC
   * subnet, so the queries leave by the connected route of the main table, through the default NIC;
   * `own` there means the source check drops them, and no name resolves. `default` when left out.
   */
  resolverQueries?(ctx: SchemeContext): Fact;
}

/** A scheme as the lab runs it: its own fixes, and connmark beside them (it works alike for every scheme). */
export function defineScheme(s: Scheme): Scheme {
  return withConnmarkFix(s);
}

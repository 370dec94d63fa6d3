// What one CLI command holds open: its labs (one, or one per matrix worker),
// their locks, and lab hosts being made. A signal tears all of them down; the
// normal end lets go of them, or removes the lab hosts too (`dispose`).
import { chalk } from 'zx/core';
import { loadConfig } from '../config/config-file.js';
import type { LabConfig } from '../config/config.js';
import { Lab } from '../run/lab.js';
import { acquireLock, type Lock } from '../run/lock.js';
import { preflight } from '../run/preflight.js';
import type { Reporter } from '../report/console.js';
import { runThrough, type StepGate } from '../run/step-gate.js';
import { createTarget, removeLabHost } from '../hosts/index.js';
import { verbose, type Target } from '../hosts/host.js';
import type { Options } from './options.js';

export interface OpenOptions {
  /** Make the lab host when there is none (up, run, matrix). */
  start: boolean;
  /** It outlives this command (up, run --keep). */
  persistent: boolean;
  /** Take the prefix's lock (everything but status). */
  lock: boolean;
  /** Tools the schemes about to run need, beyond the lab's own. */
  requires: Record<string, string>;
  /** The lab's config when it is not the --config file's (a captured server's). */
  cfg?: LabConfig;
  /** Where the lab reports (the matrix's labs are silent); the command's reporter by default. */
  out?: Reporter;
}

interface Held {
  lab: Lab;
  lock?: Lock;
}

export class Session {
  private held: Held[] = [];
  /** Prefixes whose lab host is being made right now. */
  private starting = new Set<string>();
  private stopping = false;

  constructor(
    private readonly opts: Options,
    private readonly out: Reporter,
    /** --step: waits before each shown step. */
    private readonly gate: StepGate = runThrough,
  ) {}

  get aborting(): boolean {
    return this.stopping;
  }

  /** The lab of this prefix, checked (preflight) and locked; null when its target has no lab host and was not asked to make one. */
  async open(prefix: string, o: OpenOptions): Promise<Lab | null> {
    let target: Target | null;
    try {
      target = await createTarget(this.opts.target, {
        prefix,
        start: o.start,
        persistent: o.persistent,
        log: (l) => this.out.info(l),
        onStart: () => this.starting.add(prefix),
      });
    } finally {
      this.starting.delete(prefix);
    }
    if (!target) return null;
    if (this.opts.verbose) target = verbose(target, (l) => this.out.info(chalk.dim(l.trimStart())));
    // The one Lab of this prefix: a signal's teardown and the command's own share it, so they are one teardown.
    const lab = new Lab(target, labConfig(this.opts, prefix, o.cfg), o.out ?? this.out, this.opts.verbose, this.gate);
    lab.trace = this.opts.trace;
    try {
      await preflight(target, o.requires);
    } catch (e) {
      // A lab host that lacks what the lab needs is of no use to anyone: remove the one just made.
      if (o.start) await target.dispose?.().catch(() => {});
      throw e;
    }
    const held: Held = { lab };
    if (o.lock) held.lock = await acquireLock(target, lab.cfg);
    this.held.push(held);
    return lab;
  }

  /** The command's normal end: locks released, lab hosts left running, or removed when `dispose`. */
  async finish(dispose: boolean): Promise<void> {
    if (this.stopping) return;
    for (const h of this.held) {
      await h.lock?.release();
      // Only the lock's holder may remove a lab host another command could be using.
      if (dispose && h.lock) await h.lab.target.dispose?.();
      await h.lab.target.close();
    }
    this.held = [];
  }

  /** On a signal: every lab this command holds the lock of down, its lab host removed, and any lab host being made removed too. */
  async abort(): Promise<void> {
    this.stopping = true;
    await Promise.all([
      ...this.held.filter((h) => h.lock).map(async (h) => {
        await h.lab.abort().catch(() => {});
        await h.lock?.release().catch(() => {});
        await h.lab.target.dispose?.().catch(() => {});
      }),
      ...[...this.starting].map((prefix) => removeLabHost(this.opts.target, prefix).catch(() => {})),
    ]);
  }
}

/** The lab's configuration for one prefix (or the one given, a captured server's), with the names to resolve and the user's program from the options. */
export function labConfig(opts: Options, prefix: string, base?: LabConfig): LabConfig {
  return {
    ...(base ?? loadConfig(prefix, opts.config, opts.nics)),
    ...(opts.resolve && { resolve: opts.resolve }),
    ...(opts.ownApp && { ownApp: opts.ownApp }),
  };
}

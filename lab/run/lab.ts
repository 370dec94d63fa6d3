// The lab's commands, written once for every target: up, apply, verify,
// down, status, and run (all four in a row).
import type { AppVariant } from '../schemes/blocks/app.js';
import { assemble, newRequestId, probePhases, probeScript } from '../checks/probe.js';
import { kernelAccount, kernelHooks } from '../checks/kernel/index.js';
import { probeCounterStep } from '../checks/counters.js';
import { dialedFrom, dnsQueries, listenIpOf, measureInstance } from '../checks/verdicts.js';
import type { InstanceMeasurement, ProbeMode } from '../checks/probe.js';
import { names, type LabConfig } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { describeContext, expectedVerdict } from '../model/expected.js';
import { both, t, type Text } from '../model/i18n.js';
import { profileChangeSteps, profileSteps, type Profile } from '../topology/profiles.js';
import type { Reporter } from '../report/console.js';
import { say } from '../report/phrases.js';
import { appliedSteps, isOk, skippedResult, type OwnAppResult, type RunResult } from '../model/results.js';
import { lacking } from '../hosts/features.js';
import { lackingTools } from './preflight.js';
import { ownAppOnLabHost } from './own-app-host.js';
import type { Fix, Scheme, SchemeContext } from '../model/scheme.js';
import { getScheme } from '../model/scheme-registry.js';
import { notReplayedLines, replayedServer, SERVER_SCHEME_ID, type ReplayedServer } from '../capture/replay.js';
import { probeLeftovers, readState, writeState, type LabState } from './state.js';
import { runThrough, type StepGate } from './step-gate.js';
import { installShellLibrary, runStep, runStepLenient, userErrorOf, type Step } from '../model/steps.js';
import { undoPlan } from '../model/undo.js';
import { CommandError, type Target } from '../hosts/host.js';
import { linksFor, type Links } from '../topology/links.js';
import { forgetStep } from '../topology/forget.js';
import { teardownSteps } from '../topology/teardown.js';
import { topologySteps } from '../topology/topology.js';

export interface ApplyOptions {
  app?: AppVariant;
  fix?: Fix | null;
  scenario?: string | null;
}

export class Lab {
  /** verify traces the probe's packets for the kernel's account of each verdict (off: --no-trace). */
  trace = true;
  /** veth pairs, or the lab host's own NICs: the target decides. */
  private readonly links: Links;
  /** The lab host as given: the teardown reaches it directly, so a halt never stops a teardown. */
  private readonly host: Target;
  /** The lab host as every other part of the lab reaches it: once halted, it starts no new command. */
  readonly target: Target;
  /** Set by abort(): no command but the teardown's starts any more. */
  private halted = false;
  /** Commands under way, so an abort waits for them before it tears the lab down. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** After an abort's teardown: the lab is gone, and no halted operation can have built anything since. */
  private gone = false;
  /**
   * The key of the daemon a matrix cell left running (Scheme.keptDaemon), reset as fresh: the lab is
   * still up, with no scheme applied, for the next cell of a scheme with that daemon. `down` ends it.
   */
  private parked?: string;
  /**
   * What a matrix cell left applied for the next cell of this lab that differs only in profile
   * (heldKey: the variant and its steps' commands): the lab, the scheme and its instances stay,
   * and only the profile changes.
   */
  private held?: string;

  /** The lab's config, its probes' deadline stretched for a slow lab host (Target.slowdown). */
  readonly cfg: LabConfig;

  constructor(
    target: Target,
    cfg: LabConfig,
    readonly out: Reporter,
    /** The target prints every command (-v): steps then show only their explanation. */
    readonly verbose = false,
    /** Waits before each shown step (--step); by default the steps run straight through. */
    readonly gate: StepGate = runThrough,
  ) {
    this.host = target;
    this.cfg = target.slowdown ? { ...cfg, probeTimeoutMs: Math.round(cfg.probeTimeoutMs * target.slowdown) } : cfg;
    this.target = {
      ...target,
      run: (script, opts) => {
        if (this.halted) return Promise.reject(new LabError(say.halted()));
        const running = target.run(script, opts);
        this.inFlight.add(running);
        const settled = () => void this.inFlight.delete(running);
        running.then(settled, settled);
        return running;
      },
    };
    this.links = linksFor(target);
  }

  /**
   * On a signal: nothing new starts, the command under way ends, then the lab is torn down, once.
   * An operation the halt interrupted may still call down() on its way out: it shares this
   * teardown, or finds the lab gone.
   */
  async abort(): Promise<void> {
    this.halted = true;
    await Promise.allSettled([...this.inFlight]);
    await this.down();
    this.gone = true;
  }

  /** `--server`: the captured server this lab builds and replays (its config is this lab's). */
  server?: ReplayedServer;

  /** The captured server of this lab: the one given, or the one `up --server` recorded. */
  private serverOf(state?: LabState | null): ReplayedServer | undefined {
    if (!this.server && state?.server) this.server = replayedServer(state.server, this.cfg.prefix);
    return this.server;
  }

  private async schemeOf(id: string, state?: LabState | null): Promise<Scheme> {
    const server = id === SERVER_SCHEME_ID ? this.serverOf(state) : undefined;
    return server ? server.scheme : getScheme(id);
  }

  private async timed<T>(title: Text, fn: () => Promise<T>): Promise<T> {
    this.out.phase(title);
    const t0 = performance.now();
    const v = await fn();
    this.out.done(performance.now() - t0);
    return v;
  }

  async up(profile: Profile): Promise<void> {
    const left = await probeLeftovers(this.target, this.cfg);
    if (left.namespaces.length || left.runDir) await this.down(say.leftover());
    await this.links.adopt(this.target, this.cfg);
    const profiled = profileSteps(this.cfg, profile);
    const [nodes, ...rest] = [...topologySteps(this.cfg, this.links), ...profiled, probeCounterStep(this.cfg)];
    try {
      await this.timed(say.up(profile), async () => {
        await this.runSteps([nodes], false);
        await installShellLibrary(this.target, this.cfg);
        await this.runSteps(rest, false);
      });
      await writeState(this.target, this.cfg, {
        prefix: this.cfg.prefix,
        target: this.target.name,
        profile,
        upAt: new Date().toISOString(),
        nics: this.cfg.nics.map((n) => n.name),
        profileSteps: appliedSteps(profiled, 'profile'),
        ...(this.server && { server: this.server.record }),
      });
    } catch (e) {
      await this.down(say.failedUp());
      throw e;
    }
  }

  /**
   * Runs steps in order; shown ones print their explanation, and their commands unless -v prints them anyway
   * (with --step they are always shown: the person deciding to run a step sees what it will run).
   */
  private async runSteps(steps: Step[], show: boolean): Promise<void> {
    const stepping = this.gate !== runThrough;
    for (const [i, step] of steps.entries()) {
      if (show || this.verbose) this.out.step(step, show && (!this.verbose || stepping));
      if (show) await this.gate(i + 1, steps.length);
      await runStep(this.target, this.cfg, step);
    }
  }

  /** `replayed`: the command measures a captured server with the capture's NICs (verify), whatever config it was given. */
  private async requireUp(replayed = false): Promise<LabState> {
    const state = await readState(this.target, this.cfg);
    if (!state) throw new LabError(say.notUp(this.cfg.prefix));
    const cfg = (replayed && this.serverOf(state)?.cfg) || this.cfg;
    const mine = cfg.nics.map((n) => n.name).join(', ');
    if (state.nics && state.nics.join(', ') !== mine) throw new LabError(say.otherNics(this.cfg.prefix, state.nics.join(', '), mine));
    return state;
  }

  /** Checks a scheme and its options before anything is built. */
  async resolve(schemeId: string, o: ApplyOptions, profile: Profile): Promise<SchemeContext> {
    return schemeContext(this.cfg, profile, await this.schemeOf(schemeId), o);
  }

  async apply(schemeId: string, o: ApplyOptions = {}): Promise<void> {
    const state = await this.requireUp();
    const scheme = await this.schemeOf(schemeId, state);
    const lacks = await this.lackingFeature(scheme);
    if (lacks) throw new LabError(lacks);
    if (state.applied) await this.unapply(state);
    // A daemon kept from the last cell (reset as fresh) is not started again: its steps are skipped.
    const kept = scheme.keptDaemon && this.parked === scheme.keptDaemon.key ? this.parked : undefined;
    this.parked = undefined;
    // The user's program runs on the lab host: copied there first where that is another machine.
    const ownApp = await ownAppOnLabHost(this.target, this.cfg);
    const ctx = schemeContext(ownApp ? { ...this.cfg, ownApp } : this.cfg, state.profile, scheme, o);
    this.out.phase(both((l) => t(say.apply(scheme.id, t(scheme.title, l), scheme.seed, describeContext(ctx)), l)));
    if (ownApp && ownApp !== this.cfg.ownApp) this.out.info(say.ownAppCopied(this.target.name, ownApp.image ?? ownApp.argv[0]));
    const t0 = performance.now();
    const { scheme: schemeSteps, fix: fixSteps, scenario: scenarioSteps } = variantSteps(scheme, ctx);
    const scenario = ctx.scenario ? scheme.scenarios![ctx.scenario] : undefined;
    const ran = kept ? schemeSteps.filter((s) => s.daemon !== kept) : schemeSteps;
    // Recorded as run, so reports show exactly the commands that were applied.
    const applied = [...appliedSteps(ran, 'scheme'), ...appliedSteps(fixSteps, 'fix'), ...appliedSteps(scenarioSteps, 'scenario')];
    // The undo is recorded before anything runs (as `defer` registers it): a step that fails
    // half-way is still taken back by the next apply. Undoing what never ran fails harmlessly.
    const undo = [...undoPlan([...schemeSteps, ...fixSteps, ...scenarioSteps]), ...(scheme.teardown?.(ctx) ?? [])];
    // What a matrix cell runs instead to keep the daemon: every other step's undo, then the daemon's reset.
    const daemon = scheme.keptDaemon;
    const park = daemon && {
      key: daemon.key,
      undo: undoPlan([...schemeSteps, ...fixSteps, ...scenarioSteps].filter((s) => s.daemon !== daemon.key)),
      reset: daemon.reset(ctx),
    };
    state.applied = { scheme: scheme.id, app: ctx.app, fix: ctx.fix, scenario: ctx.scenario, at: new Date().toISOString(), undo, ...(park && { park }), ...(ownApp && { ownApp }), ...(scheme.source && { source: scheme.source }) };
    await writeState(this.target, this.cfg, state);
    try {
      await this.runSteps([...ran, ...fixSteps], true);
      if (scenario) {
        this.out.info(both((l) => `\n  ${t(say.scenario(ctx.scenario!, t(scenario.explain, l)), l)}`));
        await this.runSteps(scenarioSteps, true);
      }
    } catch (e) {
      // A user's program that would not start is theirs to fix: its undo runs now (nothing
      // half-applied stays), and the error is one line, exit 2.
      const line = e instanceof CommandError ? userErrorOf(e.result.stderr) : undefined;
      if (!line) throw e;
      await this.unapply(state);
      await writeState(this.target, this.cfg, state);
      throw new LabError(`${this.cfg.ownApp?.command ?? 'the app'}: ${line}`);
    }
    this.out.info('');
    this.out.phase(say.applied(scheme.id));
    this.out.done(performance.now() - t0);
    state.applied.steps = applied;
    await writeState(this.target, this.cfg, state);
  }

  /** Takes the applied scheme back (its steps' undos, last step first), leaving the topology up as `up` made it. */
  async unapply(state?: LabState): Promise<void> {
    state ??= await this.requireUp();
    const applied = state.applied;
    if (!applied) return;
    await this.timed(say.removingFirst(applied.scheme), async () => {
      for (const step of applied.undo ?? []) await runStepLenient(this.target, this.cfg, step);
    });
    delete state.applied;
    await writeState(this.target, this.cfg, state);
  }

  /**
   * Takes the applied scheme back but leaves its daemon running, reset to a fresh daemon's state,
   * and the lab up for the next cell (the matrix). The reset must succeed: a daemon it cannot
   * vouch for is not kept, and a failed reset is the lab's fault: the lab goes, and the error stops
   * the matrix.
   */
  private async park(): Promise<void> {
    try {
      const state = await this.requireUp();
      const park = state.applied?.park;
      if (!park) throw new Error('park: the applied scheme keeps no daemon');
      for (const step of park.undo) await runStepLenient(this.target, this.cfg, step);
      for (const step of park.reset) await runStep(this.target, this.cfg, step);
      delete state.applied;
      await writeState(this.target, this.cfg, state);
      this.parked = park.key;
    } catch (e) {
      await this.down();
      throw e;
    }
  }

  /** A parked or held lab takes the next cell's profile in place: its sysctls and the edge's source check, as `up` sets them. */
  private async reprofile(profile: Profile): Promise<void> {
    const state = await this.requireUp();
    const { remove, set } = profileChangeSteps(this.cfg, profile);
    await this.runSteps([...remove, ...set], false);
    state.profile = profile;
    state.profileSteps = appliedSteps(set, 'profile');
    await writeState(this.target, this.cfg, state);
  }

  /** Ends what a matrix cell kept (the lab, its scheme or its daemon), if anything: the matrix calls it after its last cell. */
  async release(): Promise<void> {
    if (this.parked !== undefined || this.held !== undefined) await this.down();
  }

  /** Whether the held lab forgot what the last cell's traffic left in it. */
  private async forget(scheme: Scheme, ctx: SchemeContext): Promise<boolean> {
    return this.runSteps([forgetStep(this.cfg, scheme.keptDaemon?.netnsPids?.(ctx))], false).then(
      () => true,
      (e) => {
        if (!(e instanceof CommandError)) throw e;
        this.out.info(say.forgetFailed(e.message));
        return false;
      },
    );
  }

  /** A held scheme that the next cell cannot use goes: parked if it keeps a daemon (the daemon stays), otherwise with the lab. */
  private async letGo(): Promise<void> {
    this.held = undefined;
    const state = await readState(this.target, this.cfg);
    if (state?.applied?.park) await this.park();
    else await this.down();
  }

  async verify(): Promise<RunResult> {
    const state = await this.requireUp(true);
    if (!state.applied) throw new LabError(say.noScheme());
    const scheme = await this.schemeOf(state.applied.source ?? state.applied.scheme, state);
    // A captured server has the capture's NICs and addresses, whatever config this command was given.
    const server = this.serverOf(state);
    const cfg = server?.cfg ?? this.cfg;
    const ctx = schemeContext(cfg, state.profile, scheme, state.applied);
    const ownApp = state.applied.ownApp;
    // The instances as the scheme starts them for this lab (a user's image may listen on another port).
    const instances = scheme.instances(ownApp ? { ...ctx, cfg: { ...ctx.cfg, ownApp } } : ctx);
    const ids = instances.map((i) => newRequestId(i.nic.name));
    if (server) this.out.info(both((l) => `\n  ${notReplayedLines(server.plan, l).join('\n  ')}\n`));
    const mode: ProbeMode = ownApp ? { kind: 'own', path: ownApp.path } : { kind: 'lab' };
    const hooks = this.trace ? kernelHooks(cfg, probePhases(instances.length, mode)) : undefined;
    const assembled = await this.timed(say.verify(instances.length), async () => {
      const r = await this.target.run(probeScript(cfg, instances, ids, hooks, mode));
      const ms = assemble(instances, ids, r.stdout, mode);
      const own = ownApp ? ownAppResult(cfg, scheme, ownApp.command, ms) : undefined;
      // A user's program is expected to do what the lab's app does with the binding it measured.
      const expectCtx = own ? { ...ctx, app: own.expectedFor } : ctx;
      const reasonOf = (instance: string, check: Parameters<typeof expectedVerdict>[3]) => t(expectedVerdict(scheme, expectCtx, instance, check, own?.resolvesNames).reason, 'en');
      // Evidence beside the measured verdicts, never instead of them.
      const kernel = hooks ? await kernelAccount(this.target, cfg, ms, r.stdout, reasonOf) : undefined;
      return { ms, kernel, own, expectCtx };
    });
    const { own, expectCtx } = assembled;
    const measured = assembled.ms.flatMap((m) => measureInstance(cfg, m));
    const checks = measured.map(({ instance, check, measured: verdict, evidence }) => {
      const { expect, reason } = expectedVerdict(scheme, expectCtx, instance, check, own?.resolvesNames);
      const kernel = assembled.kernel?.get(instance)?.[check];
      return {
        instance,
        check,
        measured: verdict,
        expected: expect,
        reason: t(reason, 'en'),
        reason_zh: t(reason, 'zh'),
        evidence: kernel ? { ...evidence, kernel } : evidence,
      };
    });
    const result: RunResult = {
      scheme: scheme.id,
      app: expectCtx.app,
      fix: ctx.fix,
      profile: ctx.profile,
      target: this.target.name,
      scenario: ctx.scenario,
      ok: isOk(checks),
      checks,
      steps: [...(state.profileSteps ?? []), ...(state.applied.steps ?? [])],
      ...(own && { ownApp: own }),
    };
    this.out.result(result);
    return result;
  }


  private downing?: Promise<void>;

  /** Removes the lab. Concurrent calls (a signal during a run's own teardown) share one teardown. */
  down(why: Text = say.down()): Promise<void> {
    if (this.gone) return Promise.resolve();
    this.downing ??= this.teardown(why).finally(() => (this.downing = undefined));
    return this.downing;
  }

  private async teardown(why: Text): Promise<void> {
    this.parked = undefined;
    this.held = undefined;
    await this.timed(why, async () => {
      for (const step of teardownSteps(this.cfg, this.links)) await runStepLenient(this.host, this.cfg, step);
    });
    const left = await probeLeftovers(this.host, this.cfg);
    if (left.namespaces.length || left.runDir) {
      throw new Error(`teardown left ${[...left.namespaces, left.runDir ? names(this.cfg).runDir : ''].filter(Boolean).join(', ')} behind`);
    }
  }

  async status(): Promise<{ state: LabState | null; namespaces: string[]; pids: string[] }> {
    const left = await probeLeftovers(this.target, this.cfg);
    const state = left.runDir ? await readState(this.target, this.cfg) : null;
    return { state, namespaces: left.namespaces, pids: left.pids };
  }

  /** up + apply + verify + down (unless keep). A variant this lab host cannot run comes back skipped, with why. */
  async run(schemeId: string, profile: Profile, o: RunOptions): Promise<RunResult> {
    const ctx = await this.resolve(schemeId, o, profile);
    const scheme = await this.schemeOf(schemeId);
    const t0 = performance.now();
    const skip = (why: Text) => {
      const r = skippedResult({ scheme: scheme.id, app: ctx.app, fix: ctx.fix, scenario: ctx.scenario, profile, target: this.target.name, durationMs: Math.round(performance.now() - t0) }, why);
      this.out.result(r);
      return r;
    };
    // A scheme's missing tool is an error for one run (its preflight names the package); the matrix skips its cells.
    const noTools = o.skipMissingTools && scheme.requires ? await lackingTools(this.target, scheme.requires) : null;
    if (noTools) return skip(noTools);
    // The scheme a matrix cell held serves this cell if only the profile differs; otherwise it goes first.
    const key = o.hold || this.held !== undefined ? heldKey(scheme, ctx, this.cfg) : undefined;
    // What the last cell's traffic left (lab/topology/forget.ts) goes first; where it cannot, this cell is a full run.
    const again = this.held !== undefined && this.held === key && (await this.forget(scheme, ctx));
    if (this.held !== undefined && !again) await this.letGo();
    // The lab a matrix cell parked serves this one if this scheme keeps the same daemon; otherwise it goes first.
    const reuse = !again && o.keepDaemon && this.parked !== undefined && this.parked === scheme.keptDaemon?.key;
    if (!again && this.parked !== undefined && !reuse) await this.down();
    this.held = undefined;
    let result: RunResult;
    let park = false;
    let hold = false;
    try {
      if (again || reuse) await this.reprofile(profile);
      else await this.up(profile);
      if (!again) {
        const lacks = await this.lackingFeature(scheme);
        if (lacks) return skip(lacks);
        await this.apply(schemeId, o);
      } else this.out.info(say.applyKept(scheme.id));
      result = await this.verify();
      hold = !!o.hold && !!key && !o.keep;
      park = !hold && !!o.keepDaemon && !!scheme.keptDaemon && !o.keep;
    } finally {
      if (o.keep) this.out.info(say.keep());
      else if (!park && !hold) await this.down();
    }
    if (hold) this.held = key;
    if (park) await this.park();
    result.durationMs = Math.round(performance.now() - t0);
    return result;
  }

  /** Why this lab host cannot run the scheme: the first kernel feature it needs that the host lacks (the lab must be up to probe). */
  async lackingFeature(scheme: Scheme): Promise<Text | null> {
    for (const feature of scheme.needs ?? []) {
      const why = await lacking(this.target, names(this.cfg).ns.server, feature);
      if (why) return why;
    }
    // The lab starts only its own app inside the VRFs (never measured with a program of the user's).
    if (this.cfg.ownApp && scheme.needs?.includes('vrf')) return say.ownAppNoVrf(scheme.id);
    return null;
  }
}

export interface RunOptions extends ApplyOptions {
  keep?: boolean;
  /** Skip the run, instead of failing, when the scheme's own tools are missing on the lab host (the matrix). */
  skipMissingTools?: boolean;
  /**
   * The matrix: a scheme's own daemon (Scheme.keptDaemon) stays running after the cell, reset to a fresh
   * daemon's state, with the lab up, for the next cell on this lab; release() or down() ends it.
   */
  keepDaemon?: boolean;
  /**
   * The matrix: the next cell of this lab is this variant in another profile. The lab stays up with
   * the scheme applied and its instances running, for that cell to change only the profile;
   * release() or down() ends it. Not for a user's program (heldKey).
   */
  hold?: boolean;
}

/**
 * What a held lab must match for the next cell to use it: the variant and every command its steps
 * run for that cell's profile. A user's program is never held: it may keep connections or caches
 * from one cell's probes to the next, where the lab's app opens each connection anew.
 */
export function heldKey(scheme: Scheme, ctx: SchemeContext, cfg: LabConfig): string | undefined {
  if (cfg.ownApp) return undefined;
  const { scheme: steps, fix, scenario } = variantSteps(scheme, ctx);
  return JSON.stringify([scheme.id, scheme.source ?? null, ctx.app, ctx.fix, ctx.scenario, [...steps, ...fix, ...scenario].map((st) => [st.node, st.commands])]);
}

/** The steps a variant applies, by part: the scheme's, its fix's and its scenario's. */
function variantSteps(scheme: Scheme, ctx: SchemeContext): Record<'scheme' | 'fix' | 'scenario', Step[]> {
  return {
    scheme: scheme.steps(ctx),
    fix: ctx.fix ? scheme.fixes[ctx.fix]!(ctx) : [],
    scenario: ctx.scenario ? scheme.scenarios![ctx.scenario].steps(ctx) : [],
  };
}

/**
 * How a user's program binds, measured: `bound` when each instance that called out did so from the
 * address it listens on (before NAT), `plain` when one did not. Its verdicts are expected to be the
 * lab's app's with that binding; a scheme that offers no such variant is compared with its own.
 */
export function ownAppResult(cfg: LabConfig, scheme: Scheme, command: string, ms: InstanceMeasurement[]): OwnAppResult {
  const sources = Object.fromEntries(ms.map((m) => [m.instance.nic.name, { listen: listenIpOf(m.instance), dialedFrom: dialedFrom(m) }]));
  const called = Object.values(sources).filter((s) => s.dialedFrom.length);
  const binding = called.length ? (called.every((s) => s.dialedFrom.every((ip) => ip === s.listen)) ? 'bound' : 'plain') : null;
  const expectedFor = binding && scheme.apps.includes(binding) ? binding : scheme.apps[0];
  const resolvesNames = ms.some((m) => Object.values(dnsQueries(cfg, m)).some((n) => n > 0));
  return { command, binding, sources, expectedFor, resolvesNames };
}

/** A scheme's context for these options, or a LabError naming what the scheme does not offer. Needs no lab host. */
export function schemeContext(cfg: LabConfig, profile: Profile, scheme: Scheme, o: ApplyOptions): SchemeContext {
  const app = o.app ?? scheme.apps[0];
  if (!scheme.apps.includes(app)) {
    throw new LabError(`${scheme.id} runs the app as ${scheme.apps.join(' or ')}, not "${app}"`);
  }
  const fix = o.fix ?? null;
  if (fix && !scheme.fixes[fix]) {
    const known = Object.keys(scheme.fixes);
    throw new LabError(`unknown fix "${fix}": ${scheme.id} ${known.length ? `has ${known.join(', ')}` : 'has no fix'}`);
  }
  const scenario = o.scenario ?? null;
  if (scenario && !scheme.scenarios?.[scenario]) {
    const known = Object.keys(scheme.scenarios ?? {});
    throw new LabError(`${scheme.id} has no scenario "${scenario}"${known.length ? `: choose ${known.join(', ')}` : ''}`);
  }
  return { cfg, app, fix, profile, scenario };
}

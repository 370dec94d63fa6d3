// The lab's commands, written once for every target: up, apply, verify,
// down, status, and run (all four in a row).
import type { AppVariant } from './app.js';
import { assemble, newRequestId, probeScript } from './checks/probe.js';
import { probeCounterStep } from './checks/counters.js';
import { measureInstance } from './checks/verdicts.js';
import { names, type LabConfig } from './config.js';
import { LabError } from './errors.js';
import { describeContext, expectedVerdict } from './expected.js';
import { profileSteps, type Profile } from './profiles.js';
import type { Reporter } from './report/console.js';
import { isOk, type RunResult } from './results.js';
import type { Fix, Scheme, SchemeContext } from './scheme.js';
import { getScheme } from './scheme-registry.js';
import { probeLeftovers, readState, writeState, type LabState } from './state.js';
import { installShellLibrary, runStep, runStepLenient, type Step } from './steps.js';
import type { Target } from './target/target.js';
import { linksFor, type Links } from './topology/links.js';
import { teardownSteps } from './topology/teardown.js';
import { topologySteps } from './topology/topology.js';

export interface ApplyOptions {
  app?: AppVariant;
  fix?: Fix | null;
  scenario?: string | null;
}

export class Lab {
  /** veth pairs, or the lab host's own NICs: the target decides. */
  private readonly links: Links;

  constructor(
    readonly target: Target,
    readonly cfg: LabConfig,
    readonly out: Reporter,
    /** The target prints every command (-v): steps then show only their explanation. */
    readonly verbose = false,
  ) {
    this.links = linksFor(target);
  }

  private async timed<T>(title: string, fn: () => Promise<T>, note?: (v: T) => string | undefined): Promise<T> {
    this.out.phase(title);
    const t0 = performance.now();
    const v = await fn();
    this.out.done(performance.now() - t0, note?.(v));
    return v;
  }

  async up(profile: Profile): Promise<void> {
    const left = await probeLeftovers(this.target, this.cfg);
    if (left.namespaces.length || left.runDir) await this.down('removing a leftover lab first');
    await this.links.adopt(this.target, this.cfg);
    const [nodes, ...rest] = [...topologySteps(this.cfg, this.links), ...profileSteps(this.cfg, profile), probeCounterStep(this.cfg)];
    try {
      await this.timed(`up: 3 namespaces, profile ${profile}`, async () => {
        await this.runSteps([nodes], false);
        await installShellLibrary(this.target, this.cfg);
        await this.runSteps(rest, false);
      });
      await writeState(this.target, this.cfg, {
        prefix: this.cfg.prefix,
        target: this.target.name,
        profile,
        upAt: new Date().toISOString(),
      });
    } catch (e) {
      await this.down('cleaning up after the failed up');
      throw e;
    }
  }

  /** Runs steps in order; shown ones print their explanation, and their commands unless -v prints them anyway. */
  private async runSteps(steps: Step[], show: boolean): Promise<void> {
    for (const step of steps) {
      if (show || this.verbose) this.out.step(step, show && !this.verbose);
      await runStep(this.target, this.cfg, step);
    }
  }

  private async requireUp(): Promise<LabState> {
    const state = await readState(this.target, this.cfg);
    if (!state) throw new LabError(`no lab "${this.cfg.prefix}" is up: run \`npm run lab -- up\` first`);
    return state;
  }

  context(state: LabState, scheme: Scheme, o: ApplyOptions): SchemeContext {
    const app = o.app ?? scheme.apps[0];
    if (!scheme.apps.includes(app)) {
      throw new LabError(`${scheme.id} runs the app as ${scheme.apps.join(' or ')}, not "${app}"`);
    }
    const fix = o.fix ?? null;
    if (fix && !scheme.fixes[fix]) throw new LabError(`${scheme.id} has no fix "${fix}"`);
    const scenario = o.scenario ?? null;
    if (scenario && !scheme.scenarios?.[scenario]) {
      const known = Object.keys(scheme.scenarios ?? {});
      throw new LabError(`${scheme.id} has no scenario "${scenario}"${known.length ? `: choose ${known.join(', ')}` : ''}`);
    }
    return { cfg: this.cfg, app, fix, profile: state.profile, scenario };
  }

  /** Checks a scheme and its options before anything is built. */
  async resolve(schemeId: string, o: ApplyOptions, profile: Profile): Promise<SchemeContext> {
    const scheme = await getScheme(schemeId);
    return this.context({ profile } as LabState, scheme, o);
  }

  async apply(schemeId: string, o: ApplyOptions = {}): Promise<void> {
    const state = await this.requireUp();
    const scheme = await getScheme(schemeId);
    const ctx = this.context(state, scheme, o);
    if (state.applied) await this.unapply(state);
    this.out.phase(`apply ${scheme.id}: ${scheme.title} (seed: ${scheme.seed}) ${describeContext(ctx)}`);
    const t0 = performance.now();
    const steps = [...scheme.steps(ctx), ...(ctx.fix ? scheme.fixes[ctx.fix]!(ctx) : [])];
    await this.runSteps(steps, true);
    if (ctx.scenario) {
      const scenario = scheme.scenarios![ctx.scenario];
      this.out.info(`\n  scenario ${ctx.scenario}: ${scenario.explain}`);
      await this.runSteps(scenario.steps(ctx), true);
    }
    this.out.info('');
    this.out.phase(`applied ${scheme.id}`);
    this.out.done(performance.now() - t0);
    state.applied = { scheme: scheme.id, app: ctx.app, fix: ctx.fix, scenario: ctx.scenario, at: new Date().toISOString() };
    await writeState(this.target, this.cfg, state);
  }

  /** Undoes an applied scheme with its own teardown steps, leaving the topology up. */
  private async unapply(state: LabState): Promise<void> {
    const applied = state.applied!;
    const scheme = await getScheme(applied.scheme);
    const ctx = this.context(state, scheme, applied);
    await this.timed(`removing ${scheme.id} first`, async () => {
      for (const step of scheme.teardown(ctx)) await runStepLenient(this.target, this.cfg, step);
    });
    delete state.applied;
  }

  async verify(): Promise<RunResult> {
    const state = await this.requireUp();
    if (!state.applied) throw new LabError('no scheme is applied: run `npm run lab -- apply <scheme>` first');
    const scheme = await getScheme(state.applied.scheme);
    const ctx = this.context(state, scheme, state.applied);
    const instances = scheme.instances(ctx);
    const ids = instances.map((i) => newRequestId(i.nic.name));
    const r = await this.timed(`verify: probing ${instances.length} instances from the client and from inside the server`, () =>
      this.target.run(probeScript(this.cfg, instances, ids)),
    );
    const measured = assemble(instances, ids, r.stdout).flatMap((m) => measureInstance(this.cfg, m));
    const checks = measured.map((m) => ({ ...m, ...expectedVerdict(scheme, ctx, m.instance, m.check), evidence: m.evidence }))
      .map(({ instance, check, measured: v, expect, reason, evidence }) => ({ instance, check, measured: v, expected: expect, reason, evidence }));
    const result: RunResult = {
      scheme: scheme.id,
      app: ctx.app,
      fix: ctx.fix,
      profile: ctx.profile,
      target: this.target.name,
      scenario: ctx.scenario,
      ok: isOk(checks),
      checks,
    };
    this.out.result(result);
    return result;
  }

  async down(why = 'down'): Promise<void> {
    await this.timed(why, async () => {
      for (const step of teardownSteps(this.cfg, this.links)) await runStepLenient(this.target, this.cfg, step);
    });
    const left = await probeLeftovers(this.target, this.cfg);
    if (left.namespaces.length || left.runDir) {
      throw new Error(`teardown left ${[...left.namespaces, left.runDir ? names(this.cfg).runDir : ''].filter(Boolean).join(', ')} behind`);
    }
  }

  async status(): Promise<{ state: LabState | null; namespaces: string[]; pids: string[] }> {
    const left = await probeLeftovers(this.target, this.cfg);
    const state = left.runDir ? await readState(this.target, this.cfg) : null;
    return { state, namespaces: left.namespaces, pids: left.pids };
  }

  /** up + apply + verify + down (unless keep). */
  async run(schemeId: string, profile: Profile, o: ApplyOptions & { keep?: boolean }): Promise<RunResult> {
    await this.resolve(schemeId, o, profile);
    await this.up(profile);
    try {
      await this.apply(schemeId, o);
      return await this.verify();
    } finally {
      if (!o.keep) await this.down();
      else this.out.info(`the lab stays up (--keep): \`npm run lab -- verify\` measures again, \`npm run lab:down\` removes it`);
    }
  }
}

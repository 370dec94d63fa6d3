// The nightly workflow, checked offline: against GitHub's workflow schema
// (vendored from SchemaStore, src/schemas/json/github-workflow.json at commit
// 5262385e31cc1151b7476d38045b9976d636dba5, in tests/fixtures/), against the
// CI scripts (every `run:` step calls one that .ci/run also calls), and
// against what the lab itself accepts, so the file cannot drift from the CLI.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseOptions, type Options } from '../../lab/cli/options.js';
import { TARGETS } from '../../lab/hosts/index.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const schema = JSON.parse(read('tests/fixtures/github-workflow.schema.json'));
// strict off: the schema uses keywords and formats Ajv's strict mode does not know.
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  needs?: string[];
  if?: string;
  strategy?: { matrix: Record<string, unknown[]> };
  steps: Step[];
}

const text = read('.github/workflows/nightly.yml');
const workflow = parse(text);
const jobs: Record<string, Job> = workflow.jobs;
const ciRun = read('.ci/run');
/** The .ci/ scripts a run line calls. */
const scriptsOf = (run: string) => [...run.matchAll(/\bbash \.ci\/([\w-]+)/g)].map((m) => m[1]);
/** The matrix jobs: those that run .ci/matrix, directly or through the container and VM scripts. */
const MATRIX_JOBS = { local: 'local', container: 'container', vagrant: 'vagrant' } as const;

/** The arguments .ci/matrix NAME TARGET [options] hands to `eiplab matrix`, with the workflow's expressions filled in. */
function matrixCall(run: string, values: Record<string, string>): { name: string; opts: Options } {
  const filled = run.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, k: string) => values[k]);
  const [name, target, ...rest] = filled.slice(filled.indexOf('.ci/matrix') + '.ci/matrix'.length).trim().split(/\s+/);
  return { name, opts: parseOptions(['matrix', '--target', target, ...rest]) as Options };
}
/** What .ci/matrix itself adds: every output, into results/NAME. */
const ciMatrix = read('.ci/matrix');

describe('the nightly workflow', () => {
  it('is valid against the GitHub workflow schema', () => {
    const ok = validate(workflow);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema does reject a broken workflow', () => {
    const broken = parse(text);
    delete broken.jobs.local['runs-on'];
    broken.jobs.local.steps[0].step = 'typo';
    expect(validate(broken)).toBe(false);
    expect(validate({ on: 'nightly', jobs: {} })).toBe(false);
  });

  it('runs on a schedule on ubuntu-latest, and can be started by hand', () => {
    expect(workflow.on.schedule[0].cron.split(' ')).toHaveLength(5);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    for (const job of Object.values(jobs)) expect(job['runs-on']).toBe('ubuntu-latest');
    expect(workflow.defaults.run.shell).toBe('bash'); // -eo pipefail
  });

  it('every run: step calls a script under .ci/ that exists and that .ci/run also calls', () => {
    const runs = Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.run).map((s) => s.run!));
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const scripts = scriptsOf(run);
      expect(scripts, run).toHaveLength(1);
      expect(run.split('\n').filter((l) => l.trim()), run).toHaveLength(1); // one command, the script
      expect(existsSync(new URL(`../../.ci/${scripts[0]}`, import.meta.url)), scripts[0]).toBe(true);
      expect(scriptsOf(ciRun), `.ci/run calls .ci/${scripts[0]}`).toContain(scripts[0]);
    }
    expect(text).not.toContain('once the container target exists');
  });

  it('each matrix job sets up first, then runs its target, then uploads results/<name>/ even when the matrix fails', () => {
    for (const [id, target] of Object.entries(MATRIX_JOBS)) {
      const steps = jobs[id].steps;
      const scripts = steps.map((s) => (s.run ? scriptsOf(s.run)[0] : undefined));
      expect(scripts.indexOf('setup'), id).toBeGreaterThan(-1);
      const runs = scripts.findIndex((s) => s && s !== 'setup');
      expect(runs, id).toBeGreaterThan(scripts.indexOf('setup'));
      expect(TARGETS as readonly string[]).toContain(target);
      const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
      expect(upload.if, id).toBe('always()');
      expect(String(upload.with?.name)).toMatch(/^eiplab-nightly-/);
      expect(steps.indexOf(upload)).toBeGreaterThan(runs);
    }
    // The container and VM scripts run their matrix through .ci/matrix, named after their target, with the job's cells.
    for (const script of ['container-test', 'vm-test']) {
      const target = script === 'vm-test' ? 'vagrant' : 'container';
      expect(read(`.ci/${script}`)).toContain(`bash .ci/matrix ${target} ${target} "$@"`);
      expect(jobs[target].steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!.with?.path).toBe(`results/${target}/`);
    }
    expect(ciMatrix).toContain('--json "$out/results.json" --junit "$out/junit.xml" --report "$out/report"');
    expect(ciMatrix).toContain('GITHUB_STEP_SUMMARY');
  });

  it('the local job spreads one whole matrix over its shards, each a valid `matrix` call', () => {
    const shards = jobs.local.strategy!.matrix.shard as number[];
    expect(shards.length).toBeGreaterThan(1);
    const step = jobs.local.steps.find((s) => s.run?.includes('.ci/matrix'))!;
    const seen = shards.map((shard) => {
      const { name, opts } = matrixCall(step.run!, { shard: String(shard) });
      expect(opts).toMatchObject({ command: 'matrix', target: 'local', shard: { index: shard, count: shards.length } });
      expect(opts.scheme).toBeUndefined(); // every scheme
      expect(opts.profileGiven).toBe(false); // every profile
      const upload = jobs.local.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
      expect(String(upload.with?.path).replace('${{ matrix.shard }}', String(shard))).toBe(`results/${name}/`);
      return opts.shard!.index;
    });
    expect(seen.sort()).toEqual(shards.map((_, i) => i + 1));
  });

  it('the container and VM jobs run every cell (their scripts get no cell options)', () => {
    for (const id of ['container', 'vagrant']) {
      const run = jobs[id].steps.map((s) => s.run ?? '').find((r) => /container-test|vm-test/.test(r))!;
      expect(run.trim()).toMatch(/bash \.ci\/(container-test|vm-test)$/);
    }
  });

  it('a merge job waits for every matrix job, runs even when one failed, and uploads one report', () => {
    const merge = jobs.merge;
    expect([...merge.needs!].sort()).toEqual(Object.keys(MATRIX_JOBS).sort());
    expect(merge.if).toBe('always()');
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({ pattern: 'eiplab-nightly-*', path: 'results' });
    const runs = merge.steps.filter((s) => s.run).map((s) => scriptsOf(s.run!)[0]);
    expect(runs).toEqual(['merge']);
    expect(read('.ci/merge')).toContain('merge-results');
    const upload = merge.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with?.path).toBe('results/all/');
    expect(merge.steps.indexOf(download)).toBeLessThan(merge.steps.indexOf(upload));
  });
});

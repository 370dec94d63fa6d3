// The nightly workflow, checked offline: against GitHub's workflow schema
// (vendored from SchemaStore, src/schemas/json/github-workflow.json at commit
// 5262385e31cc1151b7476d38045b9976d636dba5, in tests/fixtures/), and against
// what the lab itself accepts, so the file cannot drift from the CLI.
import { readFileSync } from 'node:fs';
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

const text = read('.github/workflows/nightly.yml');
const workflow = parse(text);
const job = workflow.jobs.matrix;
const steps: Step[] = job.steps;
const labStep = steps.find((s) => s.run?.includes('npm run lab -- matrix'))!;

/** The `npm run lab -- ...` arguments of a run line, with the workflow's expressions filled in. */
function labArgs(run: string, target: string): string[] {
  const line = run.split('\n').find((l) => l.includes('npm run lab --'))!;
  const args = line.slice(line.indexOf('npm run lab --') + 'npm run lab --'.length).split('|')[0];
  return args
    .replace(/\$\{\{\s*matrix\.target\s*\}\}/g, target)
    .replace(/"\$OUT\//g, `"results/${target}/`)
    .trim()
    .split(/\s+/)
    .map((a) => a.replace(/^"|"$/g, ''));
}

describe('the nightly workflow', () => {
  it('is valid against the GitHub workflow schema', () => {
    const ok = validate(workflow);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema does reject a broken workflow', () => {
    const broken = parse(text);
    delete broken.jobs.matrix['runs-on'];
    broken.jobs.matrix.steps[0].step = 'typo';
    expect(validate(broken)).toBe(false);
    expect(validate({ on: 'nightly', jobs: {} })).toBe(false);
  });

  it('runs on a schedule on ubuntu-latest, and can be started by hand', () => {
    expect(workflow.on.schedule[0].cron.split(' ')).toHaveLength(5);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(workflow.defaults.run.shell).toBe('bash'); // -eo pipefail through tee
  });

  it('installs the dependencies: npm ci, then apt packages and the Go build', () => {
    const runs = steps.map((s) => s.run ?? '');
    const ci = runs.findIndex((r) => r.includes('npm ci'));
    const setup = runs.findIndex((r) => r.includes('npm run setup'));
    expect(ci).toBeGreaterThan(-1);
    expect(setup).toBeGreaterThan(ci);
    expect(runs.indexOf(labStep.run!)).toBeGreaterThan(setup);
  });

  it('runs the matrix on every target it lists, each a target the lab knows, with --junit and --report', () => {
    const targets: string[] = job.strategy.matrix.target;
    expect(targets).toContain('local');
    for (const target of targets) {
      expect(TARGETS as readonly string[]).toContain(target);
      const opts = parseOptions(labArgs(labStep.run!, target)) as Options;
      expect(opts).toMatchObject({ command: 'matrix', target, junit: `results/${target}/junit.xml`, report: `results/${target}/report` });
      expect(opts.scheme).toBeUndefined(); // every scheme
      expect(opts.profileGiven).toBe(false); // every profile
    }
  });

  it('uploads the JUnit file and the report even when the matrix fails', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with?.path).toBe('${{ env.OUT }}/');
    expect(job.env.OUT).toBe('results/${{ matrix.target }}');
    expect(labStep.run).toContain('--junit "$OUT/junit.xml"');
    expect(labStep.run).toContain('--report "$OUT/report"');
    expect(labStep.if).toBeUndefined(); // a failing matrix fails the job
  });
});

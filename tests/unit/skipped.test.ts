// SKIP as a verdict: a cell the lab host cannot run is reported as skipped,
// with its reason, everywhere results go, and it does not fail the run.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import { lacking } from '../../lab/hosts/features.js';
import type { RunOptions, RunResult as ShellResult, Target } from '../../lab/hosts/host.js';
import { exitCodeFor, skippedResult, type RunResult } from '../../lab/model/results.js';
import { resultTable } from '../../lab/report/console.js';
import { renderReport } from '../../lab/report/html.js';
import { junitXml } from '../../lab/report/junit.js';
import { matrixTable } from '../../lab/report/matrix-table.js';
import { matrixSummary, runSummary } from '../../lab/report/summary.js';
import { lackingTools } from '../../lab/run/preflight.js';
import { recordedMatrix } from '../helpers/results.js';

const WHY = { en: 'this kernel has no VRF', zh: '这个内核没有 VRF' };
const skipped = (profile: RunResult['profile']): RunResult =>
  skippedResult({ scheme: 'vrf', app: 'plain', fix: null, scenario: null, profile, target: 'local', durationMs: 12 }, WHY);
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** A lab host that answers every script with `answer` and counts what it was asked. */
function fakeTarget(answer: (script: string) => Partial<ShellResult>): Target & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'fake',
    binDir: '/nowhere',
    asked,
    async run(script: string, _o?: RunOptions) {
      asked.push(script);
      return { code: 0, stdout: '', stderr: '', ...answer(script) };
    },
    async close() {},
  };
}

describe('a skipped cell', () => {
  const results = [...recordedMatrix(), skipped('lenient'), skipped('cloud')];

  it('has no checks, carries its reason in both languages and does not fail the run', () => {
    const r = skipped('lenient');
    expect(r).toMatchObject({ ok: true, checks: [], skipped: WHY.en, skipped_zh: WHY.zh });
    expect(exitCodeFor(results)).toBe(0);
  });

  it('says why on the console and in the summaries', () => {
    expect(plain(resultTable(skipped('lenient')))).toContain(`skipped: ${WHY.en}`);
    expect(plain(resultTable(skipped('lenient'), 'zh'))).toContain(`已跳过：${WHY.zh}`);
    expect(runSummary(skipped('lenient'), 'vrf plain lenient', 1234)).toBe(`vrf plain lenient: skipped (${WHY.en}), in 1.23 s`);
    expect(matrixSummary(results, 2000)).toBe(`${results.length} cells: ${results.length - 2} as expected, 0 differ, 2 skipped, in 2.00 s`);
  });

  it('shows as "skipped" in the matrix table, with the reason once under it', () => {
    const variants = [{ scheme: 'vrf', app: 'plain' as const, fix: null, scenario: null }];
    const table = plain(matrixTable(results, variants, ['lenient', 'cloud', 'strict'], ['eth0', 'eth1']));
    const row = table.split('\n').find((l) => l.trim().startsWith('vrf plain'))!;
    expect(row.match(/skipped/g)).toHaveLength(2);
    expect(row).toContain('·'.repeat(9)); // strict was not run at all
    expect(table.split('\n').filter((l) => l.includes(WHY.en))).toEqual([`  vrf: skipped: ${WHY.en}`]);
  });

  it('is a JUnit testcase with <skipped/> and its reason, not a failure', () => {
    const xml = junitXml([skipped('lenient')]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml).testsuites;
    expect(doc).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    expect(doc.testsuite[0]).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    expect(doc.testsuite[0].testcase[0].skipped.message).toBe(WHY.en);
    expect(doc.testsuite[0].testcase[0].failure).toBeUndefined();
  });

  it('is a "skipped" cell and a section with the reason in the HTML report', () => {
    const page = renderReport({ results, cfg: defaultConfig('eiplabr') });
    expect(page).toMatch(/<td class="cell skipped first" colspan="2"[^>]*title="this kernel has no VRF"/);
    expect(page).toContain(`<p class="skip-why">skipped: ${WHY.en}</p>`);
    expect(page).toContain(`all ${results.length - 2} runs as expected, 2 skipped`);
  });
});

describe('probing the lab host', () => {
  it('asks for a kernel feature once per lab host, in the namespace it is given, and gives its answer as the reason', async () => {
    const host = fakeTarget(() => ({ code: 1, stderr: 'Error: Unknown device type.\n' }));
    const [a, b] = await Promise.all([lacking(host, 'p-server', 'vrf'), lacking(host, 'p-server', 'vrf')]);
    expect(host.asked).toHaveLength(1);
    expect(a).toBe(b);
    expect(a!.en).toContain('"Error: Unknown device type."');
    expect(a!.zh).toContain('"Error: Unknown device type."');
    const ok = fakeTarget(() => ({ code: 0 }));
    expect(await lacking(ok, 'p-server', 'vrf')).toBeNull();
  });

  it("names a scheme's missing tools with their packages, looking each tool up once per lab host", async () => {
    const host = fakeTarget(() => ({ stdout: 'runc\n' }));
    const tools = { dockerd: 'docker.io', runc: 'runc' };
    const why = await lackingTools(host, tools);
    expect(why!.en).toBe('missing tool dockerd: run `npm run setup` or `apt-get install docker.io`');
    expect(await lackingTools(host, tools)).toEqual(why);
    expect(host.asked).toHaveLength(1);
    expect(await lackingTools(fakeTarget(() => ({ stdout: 'dockerd\nrunc\n' })), tools)).toBeNull();
  });
});

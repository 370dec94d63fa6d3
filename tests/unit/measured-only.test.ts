// A measured-only run (a scheme file without expect): every report shows
// `-` or nothing as expected, and nothing differs.
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import { exitCodeFor, isOk, type CheckResult } from '../../lab/model/results.js';
import { resultTable } from '../../lab/report/console.js';
import { renderReport } from '../../lab/report/html.js';
import { junitXml } from '../../lab/report/junit.js';
import { symbol } from '../../lab/report/matrix-table.js';
import { nicCheck, run } from '../helpers/results.js';

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const measuredOnly = (c: CheckResult): CheckResult => ({ ...c, expected: null, reason: 'the scheme states no facts for this variant: measured only, nothing to compare' });

describe('a measured-only run', () => {
  const checks = [nicCheck('eth0', 'egress-nic', { eth0: 1, eth1: 0 }, 'pass'), nicCheck('eth1', 'egress-nic', { eth1: 0, eth0: 1 }, 'fail')].map(measuredOnly);
  checks[1] = { ...checks[1], measured: 'fail' };
  const r = run({ checks, ok: isOk(checks) });

  it('is ok and exits 0: nothing can differ', () => {
    expect(r.ok).toBe(true);
    expect(exitCodeFor([r])).toBe(0);
  });

  it('console: - as expected, no why, a line that says nothing was compared', () => {
    const table = strip(resultTable(r));
    expect(table).toMatch(/eth1\s+egress-nic\s+FAIL\s+-\s+✓/);
    expect(table).not.toContain('why:');
    expect(table).toContain('2 checks measured (the scheme states no facts: nothing to compare)');
  });

  it('matrix: p and f, not the as-expected + and -', () => {
    expect(checks.map((c) => strip(symbol(c)))).toEqual(['p', 'f']);
  });

  it('JUnit: no failure', () => {
    const xml = junitXml([r]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('failures="0"');
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('expected - (measured only)');
  });

  it('HTML: no run differs; each check says measured only', () => {
    const page = renderReport({ results: [r], cfg: defaultConfig() });
    expect(page).toContain('all 1 runs as expected');
    expect(page).toContain('(measured only)');
    expect(page).not.toContain('DIFFERS');
  });
});

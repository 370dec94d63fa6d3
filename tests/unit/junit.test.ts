import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { className, junitXml, suiteName } from '../../lab/report/junit.js';
import { escapeXml } from '../../lab/report/markup.js';
import { nicCheck, recordedMatrix, run } from '../helpers/results.js';

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml);

describe('JUnit XML', () => {
  it('has one testsuite per run and one testcase per instance x check, all passing when all are as expected', () => {
    const results = recordedMatrix();
    const xml = junitXml(results, { timestamp: new Date('2025-01-02T03:04:05.678Z'), elapsedMs: 4321 });
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parse(xml).testsuites;
    expect(doc.tests).toBe('48');
    expect(doc.failures).toBe('0');
    expect(doc.time).toBe('4.321');
    expect(doc.testsuite).toHaveLength(results.length);
    results.forEach((r, i) => {
      const suite = doc.testsuite[i];
      expect(suite.name).toBe(suiteName(r));
      expect(suite.timestamp).toBe('2025-01-02T03:04:05');
      expect(suite.testcase.map((t: { name: string }) => t.name)).toEqual(r.checks.map((c) => `${c.instance} ${c.check}`));
      expect(new Set(suite.testcase.map((t: { classname: string }) => t.classname))).toEqual(new Set([className(r)]));
      expect(suite.testcase.every((t: object) => !('failure' in t))).toBe(true);
      expect(suite.properties.property.find((p: { name: string }) => p.name === 'profile').value).toBe(r.profile);
    });
  });

  it('names suites and classes so variants and profiles stay apart', () => {
    const r = run({ fix: 'pbr', profile: 'cloud', checks: [] });
    expect(suiteName(r)).toBe('scheme1 bound +pbr [cloud]');
    expect(className(r)).toBe('eiplab.local.scheme1.bound.pbr.cloud');
    expect(className({ ...r, fix: null, scenario: 'restart' })).toBe('eiplab.local.scheme1.bound.nofix.restart.cloud');
  });

  it('fails a testcase whose measured verdict differs, with expected, measured, the reason and the evidence', () => {
    const differs = nicCheck('eth1', 'egress-nic', { eth1: 0, eth0: 1 }, 'pass');
    const r = run({ checks: [nicCheck('eth0', 'egress-nic', { eth0: 1, eth1: 0 }, 'pass'), differs] });
    const doc = parse(junitXml([r])).testsuites;
    expect(doc.failures).toBe('1');
    expect(doc.testsuite[0].failures).toBe('1');
    const [ok, failed] = doc.testsuite[0].testcase;
    expect(ok.failure).toBeUndefined();
    expect(failed.failure.message).toBe('expected pass, measured fail: packetsOut eth1:0 eth0:1');
    expect(failed.failure.type).toBe('verdict-differs');
    const text: string = failed.failure['#text'];
    expect(text).toContain('expected: pass (because egress-nic)');
    expect(text).toContain('measured: fail');
    expect(text).toContain('"eth0": 1');
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    const hostile = 'curl: <b>"x" & \'y\'</b> ]]> \u001b[31mred\u0000';
    const c = nicCheck('eth1', 'ingress-nic', { eth1: 0, eth0: 0 }, 'pass', { error: hostile });
    c.evidence.summary = hostile;
    c.reason = '<reason & "why">';
    const xml = junitXml([run({ scheme: 'sch<eme>&"', checks: [c] })]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000\u001b]/);
    const doc = parse(xml).testsuites;
    const t = doc.testsuite[0].testcase[0];
    expect(doc.testsuite[0].name).toBe('sch<eme>&" bound [lenient]');
    expect(t.failure.message).toContain('<b>"x" & \'y\'</b> ]]>');
    expect(t.failure['#text']).toContain('<reason & "why">');
  });

  it('escapes text and attributes the same way', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect(escapeXml('ok \t\n\r')).toBe('ok \t\n\r');
    expect(escapeXml('\u0007bell \ud800lone')).toBe('\ufffdbell \ufffdlone');
    expect(escapeXml('😀')).toBe('😀');
  });

  it('writes an empty but valid document for no results', () => {
    const xml = junitXml([]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parse(xml).testsuites.tests).toBe('0');
  });
});

import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import { renderReport } from '../../lab/report/html.js';
import { legsOf } from '../../lab/report/paths.js';
import type { RunResult } from '../../lab/model/results.js';
import { nicCheck, recordedMatrix, run } from '../helpers/results.js';

const cfg = defaultConfig('eiplabr');

/** Attribute maps of every element carrying `marker` (a data attribute), in document order. */
function elementsWith(page: string, marker: string): Record<string, string>[] {
  const tags = page.match(new RegExp(`<[a-z]+[^>]*\\s${marker}(?:=""|\\s|>)[^>]*>`, 'g')) ?? [];
  return tags.map((tag) => Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]])));
}

function embedded(page: string): RunResult[] {
  const m = page.match(/<script type="application\/json" id="eiplab-results">([\s\S]*?)<\/script>/);
  return JSON.parse(m![1]);
}

describe('the HTML report', () => {
  const results = recordedMatrix();
  const page = renderReport({ results, cfg, generatedAt: new Date('2025-01-02T03:04:05Z'), elapsedMs: 4400, command: 'npm run lab -- matrix scheme1' });

  it('is one self-contained page: no external scripts, styles, images or fonts', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\((?!#)/i);
  });

  it('draws the topology from the config: nodes, NICs, private IPs and EIPs', () => {
    for (const text of ['inet', 'edge', 'server', 'eth0', 'eth1', '172.31.0.8', '172.31.0.14', 'EIP 203.0.113.65', 'EIP 198.51.100.75', '100.64.0.2', '192.0.2.10']) {
      expect(page).toContain(text);
    }
    const other = defaultConfig('x');
    other.nics[1].eip = '198.51.100.99';
    expect(renderReport({ results, cfg: other })).toContain('EIP 198.51.100.99');
  });

  it('draws one leg per interface that carried packets, green exactly where the instance used its own NIC', () => {
    const legs = elementsWith(page, 'data-leg');
    const expected = results.flatMap((r) => r.checks.flatMap((c) => legsOf(r, c))).filter((l) => l.via !== null);
    expect(legs).toHaveLength(expected.length);
    for (const leg of expected) {
      const drawn = legs.filter((l) => l['data-cell'] === leg.cell && l['data-instance'] === leg.instance && l['data-check'] === leg.check && l['data-via'] === leg.via);
      expect(drawn, `${leg.cell} ${leg.instance} ${leg.check} via ${leg.via}`).toHaveLength(1);
      expect(drawn[0].class).toContain(leg.via === leg.instance ? 'green' : 'red');
      expect(drawn[0]['data-measured']).toBe(leg.result.measured);
      expect(Number(drawn[0]['data-packets'])).toBe(leg.packets);
    }
  });

  it('has the matrix with one linked cell per run and instance, and a section per run', () => {
    const cells = elementsWith(page, 'class="cell');
    expect(cells).toHaveLength(results.length * 2);
    for (const r of results) expect(page).toContain(`<section class="card run" id="${r.scheme}-${r.app}-${r.fix ?? 'nofix'}-${r.profile}"`);
    expect(page).toContain('all 6 runs as expected');
  });

  it('lists the commands applied per step, escaped', () => {
    const withSteps = run({
      checks: [nicCheck('eth0', 'ingress-nic', { eth0: 1 }, 'pass')],
      steps: [{ part: 'scheme', node: 'server', explain: 'Bridge <br-eip1> & friends', commands: ["nft -f - <<'NFT'\ntable ip x { }\nNFT"] }],
    });
    const p = renderReport({ results: [withSteps], cfg });
    expect(p).toContain('commands applied: 1 step');
    expect(p).toContain('Bridge &lt;br-eip1&gt; &amp; friends');
    expect(p).toContain('nft -f - &lt;&lt;&#39;NFT&#39;\ntable ip x { }\nNFT');
    // The recorded runs carry their steps too: the profile's and the scheme's.
    expect(page).toContain('lab_daemon app-eth1 eiplab-app --addr 172.31.0.14:8090');
  });

  it('embeds the results as JSON that no string can break out of', () => {
    expect(embedded(page)).toEqual(results);
    const c = nicCheck('eth0', 'ingress-nic', { eth0: 1 }, 'fail');
    c.evidence.summary = '</script><script>alert(1)</script>';
    c.reason = '<img src=x onerror=alert(1)>';
    const p = renderReport({ results: [run({ checks: [c] })], cfg });
    expect(p).not.toContain('<script>alert(1)');
    expect(p).not.toContain('<img src=x');
    expect(embedded(p)[0].checks[0].evidence.summary).toBe('</script><script>alert(1)</script>');
  });

  it('stays generic: three NICs, a new check and a new scheme', () => {
    const three = defaultConfig('x');
    (three.nics as unknown as object[]).push({ name: 'eth2', ip: '172.31.0.20', eip: '192.0.2.77', mac: '02:00:ac:1f:00:14', table: 102 });
    const r = run({
      scheme: 'scheme9',
      profile: 'lenient',
      checks: [nicCheck('eth2', 'ingress-nic', { eth2: 2 }, 'pass'), nicCheck('eth2', 'dns-nic', { eth0: 1 }, 'fail')],
    });
    const p = renderReport({ results: [r], cfg: three, schemes: { scheme9: { title: 'Ninth <scheme>', seed: '方案九' } } });
    expect(p).toContain('EIP 192.0.2.77');
    expect(p).toContain('Ninth &lt;scheme&gt; · seed: 方案九');
    const legs = elementsWith(p, 'data-leg');
    expect(legs.map((l) => `${l['data-lane']}:${l['data-via']}:${l.class}`)).toEqual(['ingress:eth2:leg green lane-ingress', 'dns:eth0:leg red lane-dns']);
  });

  it('marks a run whose verdicts differ, in the header, the matrix and its section', () => {
    const bad = run({ checks: [nicCheck('eth1', 'egress-nic', { eth0: 1, eth1: 0 }, 'pass')] });
    const p = renderReport({ results: [bad], cfg });
    expect(p).toContain('1 of 1 runs differ from expected');
    expect(p).toContain('1 of 1 checks differ from expected');
    expect(p).toContain('class="v fail differs"');
    expect(p).toContain('<section class="card run differs"');
  });

  it('shows lanes where no packets were seen', () => {
    const none = run({ checks: [nicCheck('eth1', 'reply-nic', { eth1: 0, eth0: 0 }, 'fail')] });
    const p = renderReport({ results: [none], cfg });
    expect(elementsWith(p, 'data-leg-none')).toMatchObject([{ 'data-instance': 'eth1', 'data-check': 'reply-nic', 'data-lane': 'reply' }]);
    expect(elementsWith(p, 'data-leg')).toHaveLength(0);
  });
});

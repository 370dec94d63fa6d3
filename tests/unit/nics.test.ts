// Two to four NICs in the parts that need no lab: the texts count them, the
// matrix and the drawing give each its place, and a VM with two NICs refuses three.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import type { Target } from '../../lab/hosts/host.js';
import { LabError } from '../../lab/model/errors.js';
import { countWord, listOf } from '../../lab/model/i18n.js';
import type { RunResult } from '../../lab/model/results.js';
import { CHECKS } from '../../lab/model/scheme.js';
import { cellText } from '../../lab/report/matrix-table.js';
import { nicRows, topologySvg } from '../../lab/report/topology-svg.js';
import { hostNicLinks } from '../../lab/topology/links.js';
import { topologySteps } from '../../lab/topology/topology.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('two to four NICs', () => {
  it('the topology says how many NICs there are, in both languages', () => {
    const text = topologySteps(defaultConfig('unit', 3)).map((s) => s.explain as { en: string; zh: string });
    expect(text.some((t) => t.en.includes('three NICs'))).toBe(true);
    expect(text.some((t) => t.zh.includes('三块网卡'))).toBe(true);
    expect(countWord(4, 'en')).toBe('four');
    expect(listOf(['br-eip1', 'br-eip2', 'br-eip3'], 'en')).toBe('br-eip1, br-eip2 and br-eip3');
    expect(listOf(['br-eip1', 'br-eip2'], 'zh')).toBe('br-eip1 和 br-eip2');
  });

  it('a matrix cell has one group of checks per NIC', () => {
    const cfg = defaultConfig('unit', 4);
    const r = {
      checks: cfg.nics.flatMap((n, i) => CHECKS.map((check) => ({ instance: n.name, check, measured: i ? 'fail' : 'pass', expected: i ? 'fail' : 'pass' }))),
    } as unknown as RunResult;
    expect(plain(cellText(r, cfg.nics.map((n) => n.name)))).toBe('++++ ---- ---- ----');
  });

  it('the drawing gives every NIC its own row inside the picture, and draws every port and NAT mapping', () => {
    for (const n of [2, 3, 4]) {
      const rows = nicRows(n);
      expect(new Set(rows).size).toBe(n);
      for (let i = 1; i < n; i++) expect(rows[i] - rows[i - 1]).toBeGreaterThanOrEqual(90);
      const svg = String(topologySvg(defaultConfig('unit', n)));
      const height = Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)![1]);
      expect(Math.max(...rows)).toBeLessThan(height - 40);
      expect(svg.match(/class="port"/g)).toHaveLength(n);
      expect(svg.match(/class="nat-row"/g)).toHaveLength(n);
    }
  });

  it('the Vagrant VM (two NICs for the server) refuses a config with three, before anything is built', async () => {
    const links = hostNicLinks({ server: ['02:00:00:00:00:01', '02:00:00:00:00:02'], edge: '02:00:00:00:00:03' });
    let ran = 0;
    const target = { name: 'vagrant', run: async () => (ran++, { code: 0, stdout: '', stderr: '' }) } as unknown as Target;
    await expect(links.adopt(target, defaultConfig('unit', 3))).rejects.toThrow(LabError);
    await expect(links.adopt(target, defaultConfig('unit', 3))).rejects.toThrow(/has 2 NICs for the server, and the config asks for 3: use --nics 2/);
    expect(ran).toBe(0);
  });
});

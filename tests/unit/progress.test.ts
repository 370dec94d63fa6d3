import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { consoleReporter } from '../../lab/report/console.js';
import { liveLine } from '../../lab/report/progress.js';
import { matrixSummary, runSummary } from '../../lab/report/summary.js';
import { nicCheck, run } from '../helpers/results.js';

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

describe('progress on a terminal', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('stays silent for short steps, then redraws the line with the elapsed time, and clears it when stopped', () => {
    const out: string[] = [];
    const line = liveLine((s) => out.push(s), 'building ', { afterMs: 500, everyMs: 100 });
    vi.advanceTimersByTime(400);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1300);
    expect(out.length).toBeGreaterThan(5);
    expect(plain(out.at(-1)!)).toMatch(/^\rbuilding [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1\.[67] s$/);
    line.stop();
    expect(plain(out.at(-1)!)).toBe('\rbuilding ');
    const n = out.length;
    vi.advanceTimersByTime(1000);
    line.stop();
    expect(out.length).toBe(n);
  });

  it('lets a phase end on the line it began, with its time', () => {
    const out: string[] = [];
    const r = consoleReporter((s) => out.push(s), true);
    r.phase('starting dockerd');
    vi.advanceTimersByTime(2000);
    r.done(2000);
    expect(plain(out.join('')).split('\r').at(-1)).toBe('▸ starting dockerd ... 2.00 s\n');
  });

  it('shows a long step\'s time under its commands, and erases it when the next line comes', () => {
    const out: string[] = [];
    const r = consoleReporter((s) => out.push(s), true);
    r.step({ node: 'server', explain: 'Start the lab\'s dockerd.', commands: ['dockerd &'] }, true);
    vi.advanceTimersByTime(2500);
    expect(plain(out.at(-1)!)).toMatch(/^\r {6}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 2\.[45] s$/);
    r.info('next');
    const segments = plain(out.join('')).split('\r');
    expect(segments.at(-1)).toBe('  next\n');
    expect(plain(out.join(''))).toContain('      $ dockerd &\n');
  });

  it('prints nothing extra when not on a terminal', () => {
    const out: string[] = [];
    const r = consoleReporter((s) => out.push(s), false);
    r.phase('building images');
    vi.advanceTimersByTime(5000);
    r.done(5000);
    expect(plain(out.join(''))).toBe('▸ building images ... 5.00 s\n');
  });
});

describe('summary lines', () => {
  it('counts cells for the matrix', () => {
    const ok = run({ checks: [nicCheck('eth0', 'egress-nic', { eth0: 1 }, 'pass')] });
    const bad = run({ checks: [nicCheck('eth0', 'egress-nic', { eth0: 1 }, 'fail')] });
    expect(matrixSummary([ok, bad, ok], 12345)).toBe('3 cells: 2 as expected, 1 differ, in 12.35 s');
  });

  it('counts checks for a run', () => {
    const r = run({ checks: [nicCheck('eth0', 'egress-nic', { eth0: 1 }, 'pass'), nicCheck('eth1', 'egress-nic', { eth0: 1 }, 'fail')] });
    expect(runSummary(r, 'scheme1 bound lenient', 3100)).toBe('scheme1 bound lenient: 2 checks: 2 as expected, 0 differ (1 pass, 1 fail), in 3.10 s');
  });
});

// The bench's pure parts: statistics, options, goals and the load command.
import { describe, expect, it } from 'vitest';
import { checkGoals, runRatios } from '../../lab/bench/goals.js';
import { loadCommand } from '../../lab/bench/load.js';
import { parseBenchOptions, SECTIONS } from '../../lab/bench/options.js';
import type { SpeedRow } from '../../lab/bench/result.js';
import { median, ratio, summarize } from '../../lab/bench/stats.js';
import { LabError } from '../../lab/model/errors.js';

const row = (id: string, ms: number): SpeedRow => ({ id, label: id, via: 'library', stat: summarize([ms]), load: [0.1], busyCores: [], busy: false });

describe('bench statistics', () => {
  it('takes the median of odd and even counts without reordering the samples', () => {
    const samples = [5, 1, 3];
    expect(median(samples)).toBe(3);
    expect(samples).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('summarizes with min, max and the spread around the median', () => {
    expect(summarize([100, 80, 120])).toMatchObject({ runs: 3, median: 100, min: 80, max: 120, spreadPct: 40 });
  });

  it('gives no ratio when a side is missing', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
  });
});

describe('bench options', () => {
  it('defaults to several runs, and --quick to one of each and few requests', () => {
    const full = parseBenchOptions([]);
    const quick = parseBenchOptions(['--quick']);
    if (full === 'help' || quick === 'help') throw new Error('help');
    expect(full).toMatchObject({ runs: 5, matrixRuns: 3, loadRuns: 3, requests: 2000, prefix: 'eiplabb', sections: [...SECTIONS], maxBusy: 0.5 });
    expect(quick).toMatchObject({ runs: 1, matrixRuns: 1, loadRuns: 1, requests: 200, calmWait: 0 });
    expect(parseBenchOptions(['--quick', '--runs', '3'])).toMatchObject({ runs: 3 });
  });

  it.each([
    [['--runs', '0'], '--runs must be'],
    [['--requests', 'lots'], '--requests must be'],
    [['--only', 'up,nope'], 'unknown section "nope"'],
    [['--prefix', 'Bad!'], 'bad --prefix'],
    [['--frobnicate'], 'unknown option --frobnicate'],
  ])('%j is a one-line error', (argv, message) => {
    expect(() => parseBenchOptions(argv)).toThrow(LabError);
    expect(() => parseBenchOptions(argv)).toThrow(message);
  });
});

describe('bench goals', () => {
  it('compares run scheme1 with the floor and checks each goal', () => {
    const rows = [
      row('up', 400), row('cli:help', 120), row('floor:lab:scheme1', 600), row('cli:run:scheme1', 450), row('npm:run:scheme1', 1500), row('floor:scheme1', 250),
      row('matrix:scheme1', 4000), row('matrix:scheme2', 12_000), row('matrix:scheme3', 10_000), row('matrix:seed-cells', 26_000), row('matrix', 95_000), row('matrix:parallel2', 60_000),
      row('ownapp:lab:scheme1', 500), row('ownapp:scheme1', 650),
    ];
    expect(runRatios(rows)).toEqual({ runScheme1LibraryVsFloor: 2.4, runScheme1CliVsFloor: 1.8, runScheme1NpmVsFloor: 6 });
    // up, help, library, eiplab, npm, schemes 1-3's 30 cells (26 s; their share of the matrix with connmark is not the goal's), the whole matrix (95 s), --app-cmd (1.3x), --parallel 2
    expect(checkGoals(rows).map((g) => g.met)).toEqual([true, true, true, true, false, false, false, false, true]);
  });

  it('takes the ratio of rows measured side by side sample by sample', () => {
    const paired = (id: string, samples: number[]) => ({ ...row(id, 0), stat: summarize(samples) });
    // Per sample 2x, 4x, 4x: the median of the ratios is 4, while the ratio of the medians is 200/100 = 2.
    const rows = [paired('floor:scheme1', [100, 50, 100]), paired('floor:lab:scheme1', [200, 200, 400])];
    expect(runRatios(rows).runScheme1LibraryVsFloor).toBe(4);
  });

  it('compares the matrix on two labs with the sequential row it names (with --quick, one scheme share)', () => {
    const rows = [row('matrix', 44_000), row('matrix:scheme1', 4000), { ...row('matrix:parallel2', 3000), baseline: 'matrix:scheme1' }];
    expect(checkGoals(rows).at(-1)).toMatchObject({ value: 0.75, met: true });
  });

  it('leaves a goal open when its row was not measured', () => {
    expect(checkGoals([row('up', 400)]).map((g) => g.met)).toEqual([true, null, null, null, null, null, null, null, null]);
  });
});

describe('the load command', () => {
  it('names the namespace it must run in and bounds requests, concurrency and time', () => {
    const cmd = loadCommand('/bin/dir', 'eiplabb-inet', { url: 'http://203.0.113.65:8090/', requests: 200, concurrency: 8, maxTimeS: 20 });
    expect(cmd).toBe("/bin/dir/eiplab-load -netns eiplabb-inet -url 'http://203.0.113.65:8090/' -n 200 -c 8 -max-time 20s");
  });
});

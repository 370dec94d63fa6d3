// A small matrix through the CLI with --junit and --report, then the page in
// headless Chromium: it must load offline without console errors, and what
// it draws must be what the JSON says the packets did. The files and two
// screenshots stay in test-artifacts/reports/ for a person to look at.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellId, countsOf, laneOf } from '../../lab/report/paths.js';
import { matrixCells } from '../../lab/run/matrix.js';
import { getScheme } from '../../lab/model/scheme-registry.js';
import type { RunResult } from '../../lab/model/results.js';
import { launchChromium } from '../helpers/browser.js';

const ART = fileURLToPath(new URL('../../test-artifacts/reports/', import.meta.url));
const files = { json: `${ART}results.json`, junit: `${ART}junit.xml`, report: `${ART}report`, page: `${ART}report/index.html` };
const timings: Record<string, number> = {};

let cli: ReturnType<typeof spawnSync>;
let results: RunResult[];
let browser: Browser;
let page: Page;
const consoleProblems: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  rmSync(ART, { recursive: true, force: true });
  mkdirSync(ART, { recursive: true });
  let t0 = performance.now();
  cli = spawnSync(
    'node',
    ['bin/eiplab.js', 'matrix', 'scheme1', '--prefix', 'eiplabr', '--json', files.json, '--junit', files.junit, '--report', files.report],
    { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  timings.matrixMs = Math.round(performance.now() - t0);
  results = JSON.parse(readFileSync(files.json, 'utf8'));

  t0 = performance.now();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(files.page).href, { waitUntil: 'load' });
  timings.chromiumLoadMs = Math.round(performance.now() - t0);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  writeFileSync(`${ART}timings.json`, `${JSON.stringify(timings, null, 2)}\n`);
});

// Every variant of scheme 1 (its fixes included) in every profile: the count follows the scheme, not this file.
const CELLS = matrixCells([await getScheme('scheme1')]).length;

describe('reports from a matrix run', () => {
  it('the matrix writes JSON, JUnit and the report, and ends with its summary line', () => {
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const lines = String(cli.stdout).trim().split('\n');
    expect(lines.at(-1)).toMatch(new RegExp(`^\\s*${CELLS} cells: ${CELLS} as expected, 0 differ, in \\d+\\.\\d\\d s$`));
    expect(cli.stdout).toContain(`JUnit written to ${files.junit} (${CELLS * 8} testcases)`);
    expect(cli.stdout).toContain(`report written to ${files.page}`);
    expect(results).toHaveLength(CELLS);
    for (const r of results) {
      expect(r.steps?.map((s) => s.part)).toContain('scheme');
      expect(r.durationMs).toBeGreaterThan(0);
    }
  });

  it('the page loads offline, with no console errors and no request but itself', () => {
    expect(consoleProblems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(files.page).href]);
  });

  it('every measured path is drawn on the NIC the packets used: green on the own NIC, red elsewhere', async () => {
    const drawn = await page.$$eval('[data-leg]', (els) =>
      els.map((el) => {
        const line = el.querySelector('polyline.line') as SVGPolylineElement;
        const box = line.getBBox();
        return {
          cell: el.getAttribute('data-cell'),
          instance: el.getAttribute('data-instance'),
          check: el.getAttribute('data-check'),
          via: el.getAttribute('data-via'),
          measured: el.getAttribute('data-measured'),
          stroke: getComputedStyle(line).stroke,
          visible: box.width + box.height > 50,
        };
      }),
    );
    const noPackets = await page.$$eval('[data-leg-none]', (els) => els.map((el) => `${el.getAttribute('data-cell')} ${el.getAttribute('data-instance')} ${el.getAttribute('data-check')}`));
    const green = 'rgb(19, 138, 75)';
    const red = 'rgb(204, 41, 54)';
    let paths = 0;
    for (const r of results) {
      for (const c of r.checks) {
        const counts = laneOf(c) && countsOf(c);
        if (!counts) continue;
        const used = Object.keys(counts).filter((k) => counts[k] > 0).sort();
        const legs = drawn.filter((d) => d.cell === cellId(r) && d.instance === c.instance && d.check === c.check);
        const where = `${cellId(r)} ${c.instance} ${c.check}`;
        expect(legs.map((l) => l.via).sort(), where).toEqual(used);
        if (!used.length) expect(noPackets, where).toContain(where);
        for (const leg of legs) {
          expect(leg.stroke, `${where} via ${leg.via}`).toBe(leg.via === c.instance ? green : red);
          expect(leg.measured).toBe(c.measured);
          expect(leg.visible).toBe(true);
        }
        paths += legs.length;
      }
    }
    expect(drawn).toHaveLength(paths);
    expect(paths).toBeGreaterThan(30);
  });

  it('the matrix has a cell per run and instance that says whether the run was as expected', async () => {
    const cells = await page.$$eval('td.cell[data-cell]', (els) => els.map((el) => [el.getAttribute('data-cell'), el.getAttribute('data-ok')]));
    expect(cells).toHaveLength(results.length * 2);
    for (const r of results) expect(cells).toContainEqual([cellId(r), String(r.ok)]);
  });

  it('clicking a path shows its evidence', async () => {
    const r = results.find((x) => x.profile === 'cloud' && !x.fix)!;
    const reply = r.checks.find((c) => c.instance === 'eth1' && c.check === 'reply-nic')!;
    const leg = page.locator(`[data-leg][data-cell="${cellId(r)}"][data-instance="eth1"][data-check="reply-nic"]`).first();
    await leg.scrollIntoViewIfNeeded();
    // Click where a person would: on the drawn line itself, halfway along it.
    const at = await leg.evaluate((g) => {
      const line = g.querySelector('polyline.hit') as SVGPolylineElement;
      const p = line.getPointAtLength(line.getTotalLength() / 2);
      const m = line.getScreenCTM()!;
      return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
    });
    await page.mouse.click(at.x, at.y);
    const panel = page.locator('aside#evidence');
    await expect.poll(() => panel.isVisible()).toBe(true);
    const text = await panel.innerText();
    expect(text).toContain('eth1 reply-nic');
    expect(text).toContain(reply.reason);
    expect(text).toContain('"sourceCheckDrops"');
    await page.screenshot({ path: `${ART}report-cell.png` });
    await page.keyboard.press('Escape');
    expect(await panel.isVisible()).toBe(false);
  });

  it('the JUnit file parses as XML in the browser, with a testcase per instance x check', async () => {
    const xml = readFileSync(files.junit, 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        testcases: doc.querySelectorAll('testsuite > testcase').length,
        failures: doc.querySelectorAll('testcase > failure').length,
        suites: doc.querySelectorAll('testsuites > testsuite').length,
      };
    }, xml);
    expect(parsed).toEqual({ error: null, testcases: CELLS * 8, failures: 0, suites: CELLS });
  });

  it('keeps a screenshot of the whole page', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const t0 = performance.now();
    await page.screenshot({ path: `${ART}report.png`, fullPage: true });
    timings.screenshotMs = Math.round(performance.now() - t0);
    expect(readFileSync(`${ART}report.png`).subarray(1, 4).toString()).toBe('PNG');
  });
});

// Writes what --json, --junit and --report ask for. Their directories are
// made (and proven writable) before the lab is built, so a typo in a path
// fails in a second with exit 2 instead of after a ten-minute matrix.
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabConfig } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { t, type Lang } from '../model/i18n.js';
import type { RunResult } from '../model/results.js';
import { renderReport } from './html.js';
import { junitXml } from './junit.js';
import { say } from './phrases.js';

export interface OutputPaths {
  json?: string;
  junit?: string;
  report?: string;
}

export interface OutputContext {
  cfg: LabConfig;
  schemes?: Record<string, { title: string; seed: string }>;
  /** `run` and `verify` write one JSON object, `matrix` an array. */
  single: boolean;
  startedAt: Date;
  elapsedMs: number;
  command?: string;
  /** Language of the lines returned (the files themselves are in English). */
  lang?: Lang;
}

function ensureDir(dir: string, flag: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new LabError(`${flag}: cannot write into ${dir}: ${(e as Error).message}`);
  }
}

/** Makes the directories the outputs go to; throws a LabError when one cannot be written. */
export function prepareOutputs(p: OutputPaths): void {
  if (p.json) ensureDir(dirname(p.json), '--json');
  if (p.junit) ensureDir(dirname(p.junit), '--junit');
  if (p.report) ensureDir(p.report, '--report');
}

export const reportFile = (dir: string) => join(dir, 'index.html');

/** Writes every requested output; returns one line per file written. */
export function writeOutputs(p: OutputPaths, results: RunResult[], ctx: OutputContext): string[] {
  const written: string[] = [];
  if (!results.length) return written;
  if (p.json) {
    writeFileSync(p.json, `${JSON.stringify(ctx.single ? results[0] : results, null, 2)}\n`);
    written.push(t(say.jsonWritten(p.json), ctx.lang ?? 'en'));
  }
  if (p.junit) {
    writeFileSync(p.junit, junitXml(results, { timestamp: ctx.startedAt, elapsedMs: ctx.elapsedMs }));
    written.push(t(say.junitWritten(p.junit, results.reduce((n, r) => n + (r.skipped ? 1 : r.checks.length), 0)), ctx.lang ?? 'en'));
  }
  if (p.report) {
    const page = renderReport({
      results,
      cfg: ctx.cfg,
      schemes: ctx.schemes,
      generatedAt: ctx.startedAt,
      elapsedMs: ctx.elapsedMs,
      command: ctx.command,
    });
    writeFileSync(reportFile(p.report), page);
    // The same results next to the page, for tools (the page embeds them too).
    writeFileSync(join(p.report, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    written.push(t(say.reportWritten(reportFile(p.report)), ctx.lang ?? 'en'));
  }
  return written;
}

// Scheme files already checked, kept by their content: the shipped files are
// read on every run, and parsing YAML (the `yaml` package alone takes tens of
// milliseconds to load) would cost more than the rest of their loading. A
// file is checked again whenever its bytes, its shown name or the checker's
// own code change; nothing but a file that passed is kept.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_DIR } from '../../config/package-dir.js';
import type { SchemeFile } from './read.js';

/** Beside the Go binaries of a checkout (ignored by git); a package that cannot be written keeps none. */
export const CACHE_DIR = join(PACKAGE_DIR, 'lab', 'go', 'scheme-cache');
const HERE = dirname(fileURLToPath(import.meta.url));

/** The checker's version: its modules' sizes and times, so a changed checker checks every file again. */
function checkerVersion(): string {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return ['read', 'template', 'merge', '../undo']
    .map((m) => {
      const st = statSync(join(HERE, `${m}.${ext}`), { throwIfNoEntry: false });
      return st ? `${st.size}:${st.mtimeMs}` : '-';
    })
    .join(',');
}

let version: string | undefined;
const keyOf = (shown: string, source: string) =>
  createHash('sha256').update(`${(version ??= checkerVersion())}\0${shown}\0${source}`).digest('hex').slice(0, 32);

/** The checked file, reading YAML only when this content has not passed before. */
export async function checkedSchemeFile(shown: string, source: string): Promise<SchemeFile> {
  const file = join(CACHE_DIR, `${keyOf(shown, source)}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SchemeFile;
  } catch {
    // Not kept yet (or unreadable): check it.
  }
  const { readSchemeFile } = await import('./read.js');
  const checked = readSchemeFile(shown, source);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(checked));
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // A cache that cannot be written only costs the next run the check.
  }
  return checked;
}

// Finds the schemes: every file in lab/schemes/ that default-exports a
// Scheme. Adding a scheme is adding a file there.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LabError } from './errors.js';
import { defineScheme, type Scheme } from './scheme.js';

const SCHEME_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemes');

let cache: Promise<Map<string, Scheme>> | undefined;

export function loadSchemes(): Promise<Map<string, Scheme>> {
  cache ??= (async () => {
    const files = readdirSync(SCHEME_DIR).filter((f) => /^[\w-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
    const schemes = new Map<string, Scheme>();
    for (const file of files) {
      const mod = await import(pathToFileURL(join(SCHEME_DIR, file)).href);
      const scheme = mod.default as Scheme | undefined;
      if (!scheme?.id) throw new Error(`lab/schemes/${file} does not default-export a scheme`);
      schemes.set(scheme.id, defineScheme(scheme));
    }
    return schemes;
  })();
  return cache;
}

export async function getScheme(id: string): Promise<Scheme> {
  const schemes = await loadSchemes();
  const scheme = schemes.get(id);
  if (!scheme) throw new LabError(`unknown scheme "${id}": choose one of ${[...schemes.keys()].join(', ')}`);
  return scheme;
}

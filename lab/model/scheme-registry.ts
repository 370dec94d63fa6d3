// Finds the schemes: every file in lab/schemes/ that default-exports a
// Scheme (TypeScript) or is a scheme file (YAML). Adding a scheme is adding
// a file there. A scheme argument that is a path is read from that file.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LabError } from './errors.js';
import { defineScheme, type Scheme } from './scheme.js';
import { schemeFromFile } from './scheme-file/build.js';
import { checkedSchemeFile } from './scheme-file/cache.js';

const SCHEME_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemes');
const DATA_FILE = /\.ya?ml$/;

/** The post's own schemes (scheme1, scheme2, ...) in its order, then the ones beyond it by name: the matrix reads like the post. */
function postFirst(a: string, b: string): number {
  const post = (f: string) => /^scheme\d+\./.test(f);
  return Number(post(b)) - Number(post(a)) || a.localeCompare(b, 'en', { numeric: true });
}

let cache: Promise<Map<string, Scheme>> | undefined;
/** Schemes read from a path given on the command line, by id, so later lookups by id find them. */
const fromPaths = new Map<string, Scheme>();

/** A scheme argument is a path when it contains `/` or ends in .yaml/.yml. */
export const isSchemePath = (arg: string) => arg.includes('/') || DATA_FILE.test(arg);

/** Reads and checks one scheme file; any problem is a LabError of one line naming file:line and the field. */
export async function loadSchemeFile(path: string, shown = path): Promise<Scheme> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LabError(`${shown}: ${code === 'ENOENT' ? 'no such scheme file' : code === 'EISDIR' ? 'is a directory, not a scheme file' : (e as Error).message}`);
  }
  try {
    return schemeFromFile(await checkedSchemeFile(shown, source), resolve(path));
  } catch (e) {
    if (e instanceof Error && e.name === 'SchemeFileError') throw new LabError(e.message);
    throw e;
  }
}

export function loadSchemes(): Promise<Map<string, Scheme>> {
  cache ??= (async () => {
    const files = readdirSync(SCHEME_DIR).filter((f) => (/^[\w-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')) || DATA_FILE.test(f)).sort(postFirst);
    const schemes = new Map<string, Scheme>();
    for (const file of files) {
      const scheme = DATA_FILE.test(file)
        ? await loadSchemeFile(join(SCHEME_DIR, file), `lab/schemes/${file}`)
        : ((await import(pathToFileURL(join(SCHEME_DIR, file)).href)).default as Scheme | undefined);
      if (!scheme?.id) throw new Error(`lab/schemes/${file} does not default-export a scheme`);
      if (schemes.has(scheme.id)) throw new Error(`lab/schemes/${file}: scheme id "${scheme.id}" is used twice`);
      schemes.set(scheme.id, defineScheme(scheme));
    }
    return schemes;
  })();
  return cache;
}

/** A shipped scheme by id, one read from a path earlier, or the scheme file the argument names. */
export async function getScheme(arg: string): Promise<Scheme> {
  const schemes = await loadSchemes();
  if (isSchemePath(arg)) {
    const scheme = await loadSchemeFile(arg);
    const shipped = schemes.get(scheme.id);
    if (shipped && shipped.source !== scheme.source) {
      throw new LabError(`${arg}: id "${scheme.id}" is a shipped scheme's: give yours an id of its own`);
    }
    fromPaths.set(scheme.id, scheme);
    return scheme;
  }
  const scheme = schemes.get(arg) ?? fromPaths.get(arg);
  if (!scheme) throw new LabError(`unknown scheme "${arg}": choose one of ${[...schemes.keys()].join(', ')}, or give a scheme file's path (./my-scheme.yaml)`);
  return scheme;
}

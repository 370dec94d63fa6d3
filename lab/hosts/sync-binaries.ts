// Copies the Go binaries built on this machine to a remote lab host, only
// those whose hash differs from the manifest kept next to them there; and
// one file at a time (the user's program) through the same root shell.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARIES } from '../go/build.js';
import { shQuote } from './quote.js';
import type { RunResult } from './host.js';

/** Runs a command line as root on the lab host, with `input` on its stdin. */
export type RootExec = (command: string, input?: Buffer | string) => Promise<RunResult>;

const MANIFEST = '.sha256';

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Returns the names of the binaries it copied (none when all were current). */
export async function syncBinaries(exec: RootExec, localDir: string, remoteDir: string): Promise<string[]> {
  const have = new Map<string, string>();
  const manifestPath = shQuote(`${remoteDir}/${MANIFEST}`);
  const manifest = await exec(`cat ${manifestPath} 2>/dev/null || true`);
  for (const line of manifest.stdout.split('\n')) {
    const [hash, name] = line.trim().split(/\s+/);
    if (hash && name) have.set(name, hash);
  }
  const copied: string[] = [];
  const lines: string[] = [];
  for (const name of Object.values(BINARIES)) {
    const data = readFileSync(join(localDir, name));
    const hash = sha256(data);
    lines.push(`${hash}  ${name}`);
    if (have.get(name) === hash) continue;
    await putFileVia(exec, data, `${remoteDir}/${name}`);
    copied.push(name);
  }
  if (copied.length) await exec(`cat > ${manifestPath}`, `${lines.join('\n')}\n`);
  return copied;
}

/** Writes one executable file on the lab host through `exec`: beside the old one, then renamed, so a running copy keeps its file. */
export async function putFileVia(exec: RootExec, data: Buffer, path: string): Promise<void> {
  const cut = path.lastIndexOf('/');
  const tmp = shQuote(`${path.slice(0, cut)}/.${path.slice(cut + 1)}.new`);
  const r = await exec(`mkdir -p ${shQuote(path.slice(0, cut) || '/')} && cat > ${tmp} && chmod 755 ${tmp} && mv ${tmp} ${shQuote(path)}`, data);
  if (r.code !== 0) throw new Error(`copying ${path.slice(cut + 1)} to the lab host failed: ${r.stderr.trim()}`);
}

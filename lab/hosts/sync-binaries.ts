// Copies the Go binaries built on this machine to a remote lab host, only
// those whose hash differs from the manifest kept next to them there.
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
  const dir = shQuote(remoteDir);
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
    // Written beside the old one, then renamed: a running copy keeps its file.
    const tmp = shQuote(`${remoteDir}/.${name}.new`);
    const r = await exec(`mkdir -p ${dir} && cat > ${tmp} && chmod 755 ${tmp} && mv ${tmp} ${shQuote(`${remoteDir}/${name}`)}`, data);
    if (r.code !== 0) throw new Error(`copying ${name} to the lab host failed: ${r.stderr.trim()}`);
    copied.push(name);
  }
  if (copied.length) await exec(`cat > ${manifestPath}`, `${lines.join('\n')}\n`);
  return copied;
}

// --app-cmd, --app-image, --app-port, --app-path and --resolve: the user's
// program (or image) checked before anything is built, each problem one
// line saying what is wrong and how to fix it.
import { accessSync, constants, closeSync, openSync, readSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { OwnApp } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { PLACEHOLDERS } from '../schemes/blocks/app.js';

/** Splits a command line into words as a POSIX shell would for quotes and backslashes (no expansions). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new LabError(`--app-cmd has an unclosed ${quote}: close the quote`);
  if (word !== null) words.push(word);
  return words;
}

/** Placeholders a word uses that the lab does not know. */
function unknownPlaceholders(words: string[]): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return words.flatMap((w) => [...w.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1])).filter((name) => !known.has(name));
}

/** The program as an absolute path: relative to where the command was started, or found on PATH when it has no slash. */
function locate(program: string, cwd: string, path: string): string {
  if (program.includes('/')) return isAbsolute(program) ? program : resolve(cwd, program);
  const inCwd = resolve(cwd, program);
  if (statSync(inCwd, { throwIfNoEntry: false })?.isFile()) return inCwd;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, program);
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return inCwd;
}

export interface OwnAppFlags {
  cmd?: string;
  image?: string;
  port?: string;
  path?: string;
}

/** The user's program from the options, checked; undefined when none was given. */
export function parseOwnApp(flags: OwnAppFlags, cwd: string, envPath = process.env.PATH ?? ''): OwnApp | undefined {
  const { cmd, image, port, path } = flags;
  if (cmd === undefined && image === undefined) {
    if (port !== undefined) throw new LabError('--app-port goes with --app-image');
    if (path !== undefined) throw new LabError('--app-path goes with --app-cmd or --app-image');
    return undefined;
  }
  if (cmd !== undefined && image !== undefined) throw new LabError('give --app-cmd or --app-image, not both: the image runs its own command');
  const appPath = path ?? '/';
  if (!/^\/[\x21-\x7e]*$/.test(appPath) || appPath.includes("'")) throw new LabError(`bad --app-path "${appPath}": give a URL path starting with /, such as /`);
  if (image !== undefined) {
    if (!image) throw new LabError('--app-image needs a file: a `docker save` archive');
    const file = resolve(cwd, image);
    checkImageArchive(file, image);
    const p = port === undefined ? 8080 : Number(port);
    if (!/^\d+$/.test(String(port ?? 8080)) || p < 1 || p > 65535) throw new LabError(`bad --app-port "${port}": give the port (1-65535) the image's program listens on inside its container`);
    return { command: `--app-image ${image}`, argv: [], path: appPath, image: file, imagePort: p };
  }
  if (port !== undefined) throw new LabError('--app-port goes with --app-image; with --app-cmd, pass {port} or {listen} to your program');
  const words = splitWords(cmd!);
  if (!words.length) throw new LabError('--app-cmd needs a program, e.g. --app-cmd "./my-app --listen {listen}"');
  const unknown = unknownPlaceholders(words);
  if (unknown.length) throw new LabError(`--app-cmd: unknown placeholder {${unknown[0]}}: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
  if (/[{}]/.test(words[0])) throw new LabError('--app-cmd: the program itself cannot be a placeholder');
  const program = locate(words[0], cwd, envPath);
  const st = statSync(program, { throwIfNoEntry: false });
  if (!st) throw new LabError(`--app-cmd: ${words[0]} does not exist (looked for ${program}): give the path to your program`);
  if (!st.isFile()) throw new LabError(`--app-cmd: ${program} is not a file: give the path to your program`);
  try {
    accessSync(program, constants.X_OK);
  } catch {
    throw new LabError(`--app-cmd: ${program} is not executable: \`chmod +x ${words[0]}\``);
  }
  return { command: cmd!, argv: [program, ...words.slice(1)], path: appPath };
}

function readHead(file: string, bytes: number, at = 0): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, at);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Scheme 2 packs the program alone FROM scratch: it must be a Linux ELF executable with no
 * program interpreter (no dynamic loader, so no shared libraries), which is what a static binary is.
 */
export function checkStatic(program: string): void {
  const head = readHead(program, 64);
  if (head.length < 52 || head.readUInt32BE(0) !== 0x7f454c46) {
    throw new LabError(`--app-cmd: ${program} is not a Linux binary (scheme 2 packs it alone FROM scratch): build a static binary, e.g. CGO_ENABLED=0 go build`);
  }
  const is64 = head[4] === 2;
  const le = head[5] === 1;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const phoff = is64 ? Number(le ? head.readBigUInt64LE(32) : head.readBigUInt64BE(32)) : u32(head, 28);
  const phentsize = u16(head, is64 ? 54 : 42);
  const phnum = u16(head, is64 ? 56 : 44);
  const table = readHead(program, phentsize * phnum, phoff);
  const PT_INTERP = 3;
  for (let i = 0; i < phnum; i++) {
    if (u32(table, i * phentsize) === PT_INTERP) {
      throw new LabError(`--app-cmd: ${program} is dynamically linked (scheme 2 packs it alone FROM scratch, with no libraries): build it static, e.g. CGO_ENABLED=0 go build`);
    }
  }
}

/** A `docker save` archive: readable, a tar file, with a manifest.json among its entries. */
function checkImageArchive(file: string, given: string): void {
  let head: Buffer;
  try {
    accessSync(file, constants.R_OK);
    if (!statSync(file).isFile()) throw new Error('not a file');
    head = readHead(file, 512);
  } catch (e) {
    throw new LabError(`--app-image: cannot read ${given}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: give a \`docker save\` archive`);
  }
  if (head.length < 512 || head.subarray(257, 262).toString('latin1') !== 'ustar') {
    throw new LabError(`--app-image: ${given} is not a tar archive: make one with \`docker save -o ${given} <image>\``);
  }
  if (!tarHasEntry(file, 'manifest.json')) {
    throw new LabError(`--app-image: ${given} has no manifest.json, so it is not a \`docker save\` archive: make one with \`docker save -o ${given} <image>\``);
  }
}

/** Walks the tar headers (512-byte blocks) looking for one entry name. */
function tarHasEntry(file: string, name: string): boolean {
  const size = statSync(file).size;
  for (let at = 0; at + 512 <= size; ) {
    const h = readHead(file, 512, at);
    const entry = h.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    if (!entry) return false;
    if (entry === name || entry === `./${name}`) return true;
    const len = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    at += 512 + Math.ceil(len / 512) * 512;
  }
  return false;
}

/** --resolve NAME[,NAME...]: the names the VPC resolver answers. */
export function parseResolve(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  if (!names.length) throw new LabError('--resolve needs names, e.g. --resolve haoip.cn,api.example.com');
  const bad = names.find((n) => !/^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(n));
  if (bad) throw new LabError(`--resolve: "${bad}" is not a host name: give names such as haoip.cn, comma-separated`);
  return names;
}

// docs/workshop.md as a list of commands, in the order a trainee types
// them: the lines of its ```sh blocks (run at the repository's root
// prompt) and of its ```console blocks (typed at a node's shell prompt,
// "[eiplab server] # ip rule").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DOC = join(import.meta.dirname, '../../docs/workshop.md');
const PACKAGE = join(import.meta.dirname, '../../package.json');

export interface HostCommand {
  kind: 'host';
  line: string;
  words: string[];
  /** From a trailing `# exits N` comment; 0 otherwise. */
  exits: number;
}

export interface NodeCommand {
  kind: 'node';
  node: string;
  line: string;
}

export type DocCommand = HostCommand | NodeCommand;

/** Splits a command line into words as sh would (quotes, no expansions), dropping a trailing comment. */
export function words(line: string): { words: string[]; comment: string } {
  const out: string[] = [];
  let cur: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur ??= '';
    } else if (/\s/.test(c)) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else if (c === '#' && cur === null) {
      return { words: out, comment: line.slice(i + 1).trim() };
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (quote) throw new Error(`unbalanced quote in: ${line}`);
  if (cur !== null) out.push(cur);
  return { words: out, comment: '' };
}

export function docCommands(text = readFileSync(DOC, 'utf8')): DocCommand[] {
  const commands: DocCommand[] = [];
  for (const [, lang, body] of text.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
    for (const line of body.split('\n').filter((l) => l.trim())) {
      if (lang === 'sh') {
        const w = words(line);
        if (!w.words.length) continue;
        const exits = /^exits (\d+)\b/.exec(w.comment);
        commands.push({ kind: 'host', line, words: w.words, exits: exits ? Number(exits[1]) : 0 });
      } else if (lang === 'console') {
        const m = /^\[eiplab (\w+)\] # (.+)$/.exec(line);
        if (!m) throw new Error(`a console line without a node prompt: ${line}`);
        commands.push({ kind: 'node', node: m[1], line: m[2] });
      }
    }
  }
  return commands;
}

const scripts = (JSON.parse(readFileSync(PACKAGE, 'utf8')) as { scripts: Record<string, string> }).scripts;
// The lab's npm scripts all start with this (package.json); other scripts (setup, build) are not the lab's CLI.
const LAB_SCRIPT = 'node bin/eiplab.js';

/**
 * What an `npm run <script> [-- args]` line hands the lab's CLI, or null when
 * the script is not the lab (setup, test). Throws when it is not an npm
 * command this repository has.
 */
export function labArgv(w: string[]): string[] | null {
  if (w[0] !== 'npm') throw new Error(`not an npm command: ${w.join(' ')}`);
  if (w[1] === 'ci' || w[1] === 'test') return null;
  if (w[1] !== 'run' || !w[2]) throw new Error(`not \`npm run <script>\`: ${w.join(' ')}`);
  const script = scripts[w[2]];
  if (!script) throw new Error(`package.json has no script "${w[2]}"`);
  if (!script.startsWith(LAB_SCRIPT)) return null;
  const rest = w.slice(3);
  if (rest.length && rest[0] !== '--') throw new Error(`arguments to an npm script must follow --: ${w.join(' ')}`);
  return [...script.slice(LAB_SCRIPT.length).trim().split(/\s+/).filter(Boolean), ...rest.slice(1)];
}

/** The same npm line with `--prefix <prefix>` for the lab (before any `--` that starts exec's command). */
export function withPrefix(w: string[], prefix: string): string[] {
  const dashes = w.indexOf('--');
  return dashes < 0 ? [...w, '--', '--prefix', prefix] : [...w.slice(0, dashes + 1), '--prefix', prefix, ...w.slice(dashes + 1)];
}

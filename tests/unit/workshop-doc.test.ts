// Every command in docs/workshop.md is one this repository has, and every
// lab command in it parses as a valid invocation, as written (the default
// prefix) and with a test prefix (the same invocation but for the prefix).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../lab/cli/options.js';
import { docCommands, labArgv, withPrefix, words, type HostCommand } from '../helpers/workshop-doc.js';

const commands = docCommands();

// A program the guide has trainees build first (`npm run example:build`) is not there in a fresh clone:
// the commands are parsed from a directory where a stand-in executable has its path.
const cwd = mkdtempSync(join(tmpdir(), 'eiplab-workshop-doc-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
function standInPrograms(argv: string[]): Record<string, string> {
  const at = argv.indexOf('--app-cmd');
  const program = at < 0 ? undefined : words(argv[at + 1] ?? '').words[0];
  if (program && !program.startsWith('/')) {
    const path = join(cwd, program);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
  }
  return { INIT_CWD: cwd };
}
const host = commands.filter((c): c is HostCommand => c.kind === 'host');

describe('docs/workshop.md', () => {
  it('has the session: the setup check, every command the guide teaches, and the matrix', () => {
    const lines = host.map((c) => c.line);
    expect(lines).toContain('npm run lab -- run scheme1 --fix pbr');
    for (const needle of ['apply scheme1', 'apply scheme2', 'apply scheme3', '--fix pbr', 'shell server', 'exec server --', 'watch', 'watch --once', '--step', 'lab:matrix', 'lab:down']) {
      expect(lines.some((l) => l.includes(needle)), needle).toBe(true);
    }
    expect(commands.some((c) => c.kind === 'node')).toBe(true);
  });

  it.each(host.map((c) => [c.line, c] as const))('%s: parses as written and with a test prefix', (_, c) => {
    const argv = labArgv(c.words);
    if (!argv) return; // npm ci, npm run setup: checked to exist by labArgv
    const env = standInPrograms(argv);
    const opts = parseOptions(argv, env);
    expect(opts).not.toBe('help');
    const prefixed = labArgv(withPrefix(c.words, 'eiplabw2'))!;
    expect(parseOptions(prefixed, env)).toEqual({ ...(opts as object), prefix: 'eiplabw2' });
    expect(opts).toMatchObject({ prefix: 'eiplab' });
  });

  it('shell lines are followed by what to type at the node prompt, which names that node', () => {
    host.forEach((c) => {
      const argv = labArgv(c.words);
      if (argv?.[0] !== 'shell') return;
      const next = commands[commands.indexOf(c) + 1];
      expect(next).toMatchObject({ kind: 'node', node: argv[1] });
    });
  });

  it('splits words as sh does', () => {
    expect(words(`npm run lab -- exec inet -- curl -s 'http://x/?a=1&b' "two words"  # exits 28: why`)).toEqual({
      words: ['npm', 'run', 'lab', '--', 'exec', 'inet', '--', 'curl', '-s', 'http://x/?a=1&b', 'two words'],
      comment: 'exits 28: why',
    });
    expect(withPrefix(['npm', 'run', 'lab', '--', 'exec', 'server', '--', 'ip', 'rule'], 'p')).toEqual(
      ['npm', 'run', 'lab', '--', '--prefix', 'p', 'exec', 'server', '--', 'ip', 'rule'],
    );
    expect(withPrefix(['npm', 'run', 'lab:down'], 'p')).toEqual(['npm', 'run', 'lab:down', '--', '--prefix', 'p']);
  });
});

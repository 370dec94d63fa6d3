// Every link in README.md and docs/*.md resolves inside the repository: the
// file exists, and a #anchor names a heading of that file. A clone holds
// everything its docs point at; nothing links outside.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function linksOf(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(file: string): Set<string> {
  const headings = [...prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1].replace(/`/g, '')));
  return new Set(headings);
}

/** What is wrong with one link of `doc`, or null when it resolves inside the repository. */
function brokenLink(doc: string, link: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return `${link}: points outside the repository`;
  const [path, anchor] = link.split('#', 2);
  const file = path ? resolve(dirname(join(ROOT, doc)), decodeURI(path)) : join(ROOT, doc);
  if (relative(ROOT, file).startsWith('..')) return `${link}: leaves the repository`;
  if (!existsSync(file)) return `${link}: no such file`;
  if (anchor !== undefined) {
    if (!statSync(file).isFile() || !file.endsWith('.md')) return `${link}: an anchor into a file that is not markdown`;
    if (!anchorsIn(file).has(anchor)) return `${link}: no heading "${anchor}" in ${relative(ROOT, file)}`;
  }
  return null;
}

describe('links in the docs', () => {
  it.each(DOCS)('%s: every link resolves inside the repository', (doc) => {
    const links = linksOf(readFileSync(join(ROOT, doc), 'utf8'));
    expect(links.map((l) => brokenLink(doc, l)).filter(Boolean)).toEqual([]);
  });

  it('finds what a broken link looks like', () => {
    expect(linksOf('see [a](x.md#b) and `[c](d)`\n```\n[e](f)\n```')).toEqual(['x.md#b']);
    expect(anchorOf('The `--config` file: a, b & c')).toBe('the---config-file-a-b--c');
    expect(brokenLink('README.md', '../outside/notes.md')).toMatch(/leaves the repository/);
    expect(brokenLink('README.md', 'docs/nope.md')).toMatch(/no such file/);
    expect(brokenLink('README.md', 'docs/design.md#nope')).toMatch(/no heading/);
    expect(brokenLink('README.md', 'https://example.com/')).toMatch(/outside/);
    expect(brokenLink('docs/design.md', '../README.md#layout')).toBeNull();
  });
});

// The root-namespace snapshot fails when one of its tools fails, instead of
// comparing the same error message before and after.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rootNamespaceSnapshot } from '../helpers/host.js';

const TOOLS = ['iptables-save', 'ip6tables-save', 'nft', 'ip', 'sysctl'];
const saved = process.env.PATH;
let dir = '';

/** A PATH holding stand-ins for the snapshot's tools: each prints its name, `failing` exits 1. */
function fakeTools(failing?: string): void {
  dir = mkdtempSync(join(tmpdir(), 'eiplab-snapshot-'));
  for (const name of TOOLS) {
    const body = name === failing ? `echo "${name}: no such table" >&2; exit 1` : `echo "${name} $*"; echo "net.${name}=1"`;
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  process.env.PATH = dir;
}

afterEach(() => {
  process.env.PATH = saved;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('rootNamespaceSnapshot', () => {
  it('reads every tool', () => {
    fakeTools();
    const snap = rootNamespaceSnapshot();
    expect(snap.nft).toContain('nft list ruleset');
    expect(snap.routes).toContain('ip -6 route show table all');
    expect(snap.sysctls).toBe('net.sysctl=1');
  });

  it.each(TOOLS)('throws when %s fails', (tool) => {
    fakeTools(tool);
    expect(() => rootNamespaceSnapshot()).toThrow(new RegExp(`\`${tool}[^\`]*\` failed: ${tool}: no such table`));
  });
});

// The capture script on a hand-built "real server" namespace: printed by the
// CLI, shellcheck-clean, the same JSON under dash and busybox sh, and
// read-only (the namespace is byte-identical afterwards, no file written).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCapture } from '../../lab/capture/capture.js';
import { replayPlan } from '../../lab/capture/plan.js';
import { CAPTURE_SCRIPT } from '../../lab/capture/script.js';
import { buildRealServer, snapshot, type RealServer } from '../helpers/real-server.js';
import { isRoot } from '../helpers/lab.js';

/** busybox's own sh, tr, sed, awk, ... and nothing else but the tools the script lists. */
function busyboxPath(dir: string): string {
  const bin = join(dir, 'bin');
  execFileSync('sh', ['-ec', `mkdir -p ${bin}
for a in sh tr sed awk head date uname id printf cat; do ln -s "$(command -v busybox)" ${bin}/$a; done
for t in ip nft iptables-save; do ln -s "$(command -v $t)" ${bin}/$t; done`]);
  return bin;
}

describe.runIf(isRoot)('the capture script', () => {
  let server: RealServer;
  let dir: string;
  beforeAll(() => {
    server = buildRealServer('eiplabcap', { nics: 2, guidePbr: true, docker: true });
    dir = mkdtempSync(join(tmpdir(), 'eiplab-capture-'));
  });
  afterAll(() => {
    server?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('`capture-script` prints the file, which shellcheck finds clean', () => {
    const printed = execFileSync('node', ['bin/eiplab.js', 'capture-script'], { encoding: 'utf8' });
    expect(printed).toBe(readFileSync(CAPTURE_SCRIPT, 'utf8'));
    expect(printed.startsWith('#!/bin/sh\n')).toBe(true);
    execFileSync('shellcheck', ['--shell=sh', CAPTURE_SCRIPT], { encoding: 'utf8' });
  });

  it('under dash and busybox sh: one JSON document, the same from both; the namespace is byte-identical and no file is written', () => {
    const cwd = join(dir, 'cwd');
    execFileSync('mkdir', ['-p', cwd]);
    const before = snapshot(server);
    const run = (argv: string[], env?: NodeJS.ProcessEnv) => execFileSync('ip', ['netns', 'exec', server.ns, ...argv, CAPTURE_SCRIPT], { encoding: 'utf8', cwd, env });
    // All but the time of day and a bridge's ticking timers.
    const timeless = (json: string) => json.replace(/"capturedAt":"[^"]*"/, '').replace(/ on [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}/g, '').replace(/"[a-z_]+_timer":[0-9.]+/g, '');
    const dash = run(['dash']);
    const bin = busyboxPath(dir);
    const busybox = run([join(bin, 'sh')], { PATH: bin });
    expect(snapshot(server)).toBe(before);
    expect(readdirSync(cwd)).toEqual([]);
    expect(timeless(busybox)).toBe(timeless(dash));
    const capture = parseCapture(dash, 'dash');
    expect(capture.links.map((l) => l.ifname).sort()).toEqual(['docker0', 'eth0', 'eth1', 'lo']);
    // The capture is what the replay reads: the hand-built server is a two-NIC one, Docker listed.
    const plan = replayPlan(capture, 'dash');
    expect(plan.server.nics.map((n) => n.name)).toEqual(['eth0', 'eth1']);
    expect(plan.rules).toEqual(['add pref 1001 from 10.0.1.11 table 101']);
    expect(plan.notReplayed.map((n) => n.what)).toEqual(
      expect.arrayContaining(['interface docker0', 'iptables -t filter -A INPUT -m set --match-set blocked src -j DROP', 'iptables -t nat -A DOCKER -i docker0 -j RETURN']),
    );
  });
});

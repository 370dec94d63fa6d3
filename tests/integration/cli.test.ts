// The CLI as a user runs it: exit codes, one-line errors, nothing left behind.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function lab(...args: string[]) {
  const r = spawnSync('node', ['bin/eiplab.js', ...args], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const labNamespaces = (prefix: string) =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`${prefix}-`));

describe('the lab CLI', () => {
  it.each([
    [['run', 'scheme1', '--profile', 'nope', '--prefix', 'eiplabt4'], 'unknown profile "nope"'],
    [['run', 'scheme9', '--prefix', 'eiplabt4'], 'unknown scheme "scheme9"'],
    [['run', 'scheme1', '--fix', 'magic', '--prefix', 'eiplabt4'], 'unknown fix "magic"'],
    [['run', 'scheme1', '--prefix', 'EIP!'], 'bad --prefix'],
  ])('%j exits 2 with one line and creates nothing', (args, message) => {
    const r = lab(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(labNamespaces('eiplabt4')).toEqual([]);
    expect(existsSync('/run/eiplabt4')).toBe(false);
  });

  it('not root: one line saying so, exit 2, nothing created', () => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node_modules/.bin/tsx', 'scripts/lab.ts', 'run', 'scheme1', '--prefix', 'eiplabt4'], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', HOME: '/tmp' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('eiplab: eiplab needs root on the local lab host (it creates network namespaces): run it with sudo');
    expect(labNamespaces('eiplabt4')).toEqual([]);
  });

  it('a missing tool: names it and the package that brings it, exit 2, nothing created', () => {
    // A PATH with everything the lab calls but nft (bash: zx runs commands through it).
    const bin = mkdtempSync(join(tmpdir(), 'eiplab-path-'));
    for (const tool of ['bash', 'sh', 'id', 'ip', 'bridge', 'curl', 'sysctl', 'setsid', 'base64', 'dnsmasq', 'ss', 'cat', 'rm', 'node']) {
      const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      symlinkSync(path, join(bin, tool));
    }
    const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/lab.ts', 'run', 'scheme1', '--prefix', 'eiplabt4'], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', PATH: bin },
    });
    rmSync(bin, { recursive: true });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('eiplab: missing tool nft: run `npm run setup` or `apt-get install nftables`');
    expect(labNamespaces('eiplabt4')).toEqual([]);
  });

  it('down succeeds when there is nothing to remove', () => {
    const r = lab('down', '--prefix', 'eiplabt4');
    expect(r.code).toBe(0);
  });

  it('run prints the steps and the measured table, writes --json, exits 0 and leaves nothing', () => {
    const json = '/tmp/eiplabt4-result.json';
    const r = lab('run', 'scheme1', '--prefix', 'eiplabt4', '--json', json);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lab_daemon app-eth1 eiplab-app --addr 172.31.0.14:8090');
    expect(r.stdout).toMatch(/eth1\s+egress-nic\s+FAIL\s+fail/);
    expect(r.stdout).toContain('all 8 checks as expected');
    const result = JSON.parse(execFileSync('cat', [json], { encoding: 'utf8' }));
    rmSync(json);
    expect(result).toMatchObject({ scheme: 'scheme1', app: 'bound', fix: null, profile: 'lenient', target: 'local', ok: true });
    expect(result.checks).toHaveLength(8);
    expect(Object.keys(result.checks[0]).sort()).toEqual(['check', 'evidence', 'expected', 'instance', 'measured', 'reason', 'reason_zh']);
    expect(labNamespaces('eiplabt4')).toEqual([]);
  });

  it('status, up, verify and down work as separate commands', () => {
    expect(lab('up', '--prefix', 'eiplabt4', '--profile', 'cloud').code).toBe(0);
    expect(lab('verify', '--prefix', 'eiplabt4').stderr).toContain('no scheme is applied');
    expect(lab('apply', 'scheme1', '--fix', 'pbr', '--prefix', 'eiplabt4').code).toBe(0);
    expect(lab('status', '--prefix', 'eiplabt4').stdout).toContain('applied: scheme1 app=bound fix=pbr');
    const v = lab('verify', '--prefix', 'eiplabt4');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('all 8 checks as expected (8 pass, 0 fail)');
    expect(lab('down', '--prefix', 'eiplabt4').code).toBe(0);
    expect(labNamespaces('eiplabt4')).toEqual([]);
    expect(lab('status', '--prefix', 'eiplabt4').stdout).toContain('no lab "eiplabt4" is up');
  });

  it('exits 1 when a measured verdict differs from the expected one', () => {
    expect(lab('up', '--prefix', 'eiplabt4').code).toBe(0);
    expect(lab('apply', 'scheme1', '--prefix', 'eiplabt4').code).toBe(0);
    execFileSync('ip', ['netns', 'exec', 'eiplabt4-server', 'sh', '-c', 'ip rule add from 172.31.0.14 lookup 77; ip route add default via 172.31.0.1 dev eth1 table 77']);
    const v = lab('verify', '--prefix', 'eiplabt4');
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/checks differ from expected/);
    expect(lab('down', '--prefix', 'eiplabt4').code).toBe(0);
  });
});

// --app-cmd and --resolve as the CLI reads them, the placeholders, the
// static-binary check, and where the VPC resolver sits.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkStatic, parseOwnApp, parseResolve, splitWords } from '../../lab/cli/own-app.js';
import { defaultConfig, resolverIp } from '../../lab/config/config.js';
import { validateConfig } from '../../lab/config/config-file.js';
import { LabError } from '../../lab/model/errors.js';
import { fillPlaceholders } from '../../lab/schemes/blocks/app.js';
import { resolverArgs } from '../../lab/topology/resolver.js';

const dir = mkdtempSync(join(tmpdir(), 'eiplab-own-unit-'));
writeFileSync(join(dir, 'app'), '#!/bin/sh\n');
chmodSync(join(dir, 'app'), 0o755);
writeFileSync(join(dir, 'plain-file'), 'x');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--app-cmd', () => {
  it('splits words as a shell does for quotes and backslashes', () => {
    expect(splitWords(`./app -listen {listen} --name 'my app' "a \\"b\\"" c\\ d`)).toEqual(['./app', '-listen', '{listen}', '--name', 'my app', 'a "b"', 'c d']);
    expect(() => splitWords("./app 'open")).toThrow('unclosed');
  });

  it('takes the program relative to where the command was started, and keeps the placeholders for each instance', () => {
    expect(parseOwnApp({ cmd: './app -listen {listen}' }, dir)).toEqual({ command: './app -listen {listen}', argv: [join(dir, 'app'), '-listen', '{listen}'], path: '/' });
    expect(parseOwnApp({ cmd: 'sh -c true' }, dir, '/bin:/usr/bin')!.argv[0]).toMatch(/\/sh$/);
    expect(parseOwnApp({}, dir)).toBeUndefined();
  });

  it.each([
    [{ cmd: './missing' }, 'missing does not exist'],
    [{ cmd: './plain-file' }, 'is not executable'],
    [{ cmd: '.' }, 'is not a file'],
    [{ cmd: './app {addr}' }, 'unknown placeholder {addr}'],
    [{ cmd: '' }, '--app-cmd needs a program'],
    [{ cmd: './app', image: 'x.tar' }, 'not both'],
    [{ cmd: './app', port: '9000' }, '--app-port goes with --app-image'],
    [{ path: '/x' }, '--app-path goes with'],
    [{ cmd: './app', path: 'no-slash' }, 'bad --app-path'],
    [{ image: './plain-file' }, 'is not a tar archive'],
    [{ image: './none.tar' }, 'cannot read ./none.tar'],
  ])('%j is one line saying what to fix', (flags, message) => {
    expect(() => parseOwnApp(flags, dir)).toThrow(LabError);
    expect(() => parseOwnApp(flags, dir)).toThrow(message);
  });

  it('fills the placeholders per instance', () => {
    const nic = defaultConfig().nics[1];
    expect(fillPlaceholders(['-l', '{listen}', '--ip={ip}', '{port}', '{nic}.log'], '172.31.0.14:8090', nic)).toEqual(['-l', '172.31.0.14:8090', '--ip=172.31.0.14', '8090', 'eth1.log']);
  });

  it('scheme 2 wants a static binary: no program interpreter', () => {
    expect(() => checkStatic('/bin/true')).toThrow('dynamically linked');
    expect(() => checkStatic(join(dir, 'app'))).toThrow('not a Linux binary');
  });
});

describe('the VPC resolver', () => {
  it('sits at the subnet base + 2, answers every name or only the given ones, and never forwards', () => {
    const cfg = defaultConfig();
    expect(resolverIp(cfg)).toBe('172.31.0.2');
    expect(resolverIp({ ...cfg, vpc: { ...cfg.vpc, gateway: '172.30.8.1', prefixLen: 22 } })).toBe('172.30.8.2');
    expect(resolverArgs(cfg)).toEqual(expect.arrayContaining(['--no-resolv', '--no-hosts', '--conf-file=/dev/null', '--local=/#/', '--address=/#/192.0.2.10', '--listen-address=172.31.0.2']));
    const some = resolverArgs({ ...cfg, resolve: ['haoip.cn', 'api.example.com'] });
    expect(some).toEqual(expect.arrayContaining(['--address=/haoip.cn/192.0.2.10', '--address=/api.example.com/192.0.2.10']));
    expect(some).not.toContain('--address=/#/192.0.2.10');
  });

  it('--resolve takes host names, comma-separated', () => {
    expect(parseResolve('haoip.cn, API.example.com')).toEqual(['haoip.cn', 'api.example.com']);
    expect(parseResolve(undefined)).toBeUndefined();
    expect(() => parseResolve(',')).toThrow('needs names');
    expect(() => parseResolve('bad name')).toThrow('is not a host name');
  });

  it('a config that puts a NIC on the resolver address says so', () => {
    const cfg = defaultConfig();
    cfg.nics[1].ip = '172.31.0.2';
    expect(() => validateConfig(cfg)).toThrow("nics.1.ip: 172.31.0.2 is the VPC resolver's address");
  });
});

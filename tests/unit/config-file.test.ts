import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../lab/config/config-file.js';
import { defaultConfig } from '../../lab/config/config.js';
import { LabError } from '../../lab/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'eiplab-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(content: unknown): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('lab config file', () => {
  it('the defaults are valid', () => {
    expect(validateConfig(defaultConfig())).toEqual(defaultConfig());
  });

  it('a file overrides single fields and keeps the rest', () => {
    const cfg = loadConfig('eiplab', file({ nics: [{}, { eip: '203.0.113.99' }], appPort: 9000 }));
    expect(cfg.nics[1].eip).toBe('203.0.113.99');
    expect(cfg.nics[0]).toEqual(defaultConfig().nics[0]);
    expect(cfg.appPort).toBe(9000);
  });

  it('--nics N gives N NICs on the VPC subnet, each with its own EIP, MAC and table', () => {
    for (const n of [2, 3, 4]) {
      const cfg = loadConfig('eiplab', undefined, n);
      expect(cfg.nics).toHaveLength(n);
      for (const key of ['name', 'ip', 'eip', 'mac', 'table'] as const) expect(new Set(cfg.nics.map((nic) => nic[key])).size).toBe(n);
      for (const nic of cfg.nics) expect(nic.eip).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\./);
    }
    expect(loadConfig('eiplab', undefined, 3).nics.slice(0, 2)).toEqual(defaultConfig().nics);
  });

  it('a file may name the NICs anything, and list up to four', () => {
    expect(loadConfig('eiplab', file({ nics: [{ name: 'ens5' }, { name: 'ens6' }] })).nics.map((n) => n.name)).toEqual(['ens5', 'ens6']);
    expect(loadConfig('eiplab', file({ nics: [{}, {}, { name: 'ens7' }] })).nics.map((n) => n.name)).toEqual(['eth0', 'eth1', 'ens7']);
    // A file that lists fewer NICs than --nics overrides the first ones.
    expect(loadConfig('eiplab', file({ nics: [{ name: 'ens5' }] }), 3).nics.map((n) => n.name)).toEqual(['ens5', 'eth1', 'eth2']);
  });

  it.each([
    [{ nics: [{}, {}, {}, {}, {}] }, /nics: lists 5 NICs; a lab has at most 4/, undefined],
    [{ nics: [{}, {}, {}] }, /nics: lists 3 NICs, more than --nics 2/, 2],
    [{ nics: [{}, { name: 'eth0' }] }, /nics\.1\.name: eth0 is used twice/, undefined],
    [{ nics: [{}, {}, { eip: '203.0.113.65' }] }, /nics\.2\.eip: 203\.0\.113\.65 is used twice/, undefined],
  ])('rejects NICs %j naming the field', (content, message, nics) => {
    expect(() => loadConfig('eiplab', file(content), nics)).toThrow(LabError);
    expect(() => loadConfig('eiplab', file(content), nics)).toThrow(message);
  });

  it.each([
    [{ nics: [{}, { eip: '8.8.8.8' }] }, /nics\.1\.eip: must be a stand-in for a public address/],
    [{ echo: { ip: '1.1.1.1' } }, /echo\.ip: must be a stand-in/],
    [{ nics: [{ ip: '172.31.0.300' }] }, /nics\.0\.ip: not an IPv4 address/],
    [{ nics: [{ ip: '10.0.0.8' }] }, /nics\.0\.ip: must be a private address in 172\.16\.0\.0\/12/],
    [{ nics: [{ ip: '172.19.0.5' }] }, /nics\.0\.ip: overlaps a subnet the schemes use/],
    [{ nics: [{}, { ip: '172.31.0.8' }] }, /nics\.1\.ip: 172\.31\.0\.8 is used twice \(also as nics\.0\.ip\)/],
    [{ nics: [{}, { ip: '172.31.5.14' }] }, /nics\.1\.ip: 172\.31\.5\.14 is not in the VPC subnet/],
    [{ nics: [{}, { ip: '172.31.0.255' }] }, /network or broadcast/],
    [{ nics: [{ eip: '198.51.100.75' }] }, /nics\.1\.eip: 198\.51\.100\.75 is used twice/],
    [{ vpc: { bridge: 'a-very-long-bridge-name' } }, /vpc\.bridge: must be an interface name/],
    [{ nics: [{ mac: '01:00:5e:00:00:01' }] }, /nics\.0\.mac: must be a unicast MAC/],
    [{ appPort: 70000 }, /appPort:/],
    [{ uplink: { clientIp: '100.65.0.2' } }, /uplink\.clientIp: 100\.65\.0\.2 is not in the uplink subnet/],
    [{ vpc: { colour: 'blue' } }, /vpc: unknown field colour/],
    [{ prefix: 'other' }, /prefix: set the prefix with --prefix/],
  ])('rejects %j naming the field', (content, message) => {
    expect(() => loadConfig('eiplab', file(content))).toThrow(LabError);
    expect(() => loadConfig('eiplab', file(content))).toThrow(message);
  });

  it('rejects a file that is not JSON, or missing', () => {
    expect(() => loadConfig('eiplab', file('{ nope'))).toThrow(/cannot read config file/);
    expect(() => loadConfig('eiplab', join(dir, 'missing.json'))).toThrow(/cannot read config file/);
  });
});

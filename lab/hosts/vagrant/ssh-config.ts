// Where the VM is: host, port, user and key, from `vagrant ssh-config`
// (the address changes with every `vagrant up`, so it is read each run).
import { existsSync, readFileSync } from 'node:fs';
import { $ } from 'zx/core';
import { LabError } from '../../model/errors.js';
import type { SshEndpoint } from '../ssh.js';
import { REPO_DIR } from './vm.js';

/** The fields of `vagrant ssh-config` output (one host), by lower-cased key; IdentityFile may repeat. */
export function parseSshConfig(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const m = /^\s*(\S+)\s+(.*?)\s*$/.exec(raw);
    if (!m || m[1].toLowerCase() === 'host') continue;
    const value = m[2].replace(/^"(.*)"$/, '$1');
    const key = m[1].toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), value]);
  }
  return fields;
}

export function endpointFrom(fields: Map<string, string[]>): SshEndpoint {
  const one = (k: string) => fields.get(k)?.[0];
  if (fields.has('proxycommand')) throw new LabError('`vagrant ssh-config` gives a ProxyCommand, which the vagrant target does not support');
  const host = one('hostname');
  const key = (fields.get('identityfile') ?? []).find((f) => existsSync(f));
  if (!host || !key) throw new LabError('`vagrant ssh-config` gave no HostName or no readable IdentityFile: is the VM up? (`npm run lab:vm:up`)');
  return { host, port: Number(one('port') ?? 22), username: one('user') ?? 'vagrant', privateKey: readFileSync(key) };
}

export async function vagrantSshEndpoint(): Promise<SshEndpoint> {
  const which = await $({ quiet: true, nothrow: true })`sh -c 'command -v vagrant'`;
  if (which.exitCode !== 0) throw new LabError('missing tool vagrant (for --target vagrant): install Vagrant, then `npm run lab:vm:up`');
  const r = await $({ quiet: true, nothrow: true, cwd: REPO_DIR })`vagrant ssh-config`;
  if (r.exitCode !== 0) {
    throw new LabError('no Vagrant VM is up for this repository (`vagrant ssh-config` failed): run `npm run lab:vm:up` first');
  }
  return endpointFrom(parseSshConfig(r.stdout));
}

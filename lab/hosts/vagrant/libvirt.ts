// What the lab's VM leaves in libvirt, found by name, and its removal:
// `vagrant destroy` removes the domain, its disk and the networks it
// created, but not after a crash or an interrupted `up`.
import { $ } from 'zx/core';
import { LabError } from '../../model/errors.js';
import { libvirtNames } from './vm.js';

const virsh = (...args: string[]) => $({ quiet: true, nothrow: true })`virsh -q -c qemu:///system ${args}`;

export async function requireLibvirt(): Promise<void> {
  if ((await virsh('version')).exitCode !== 0) {
    throw new LabError('libvirtd is not running (`virsh -c qemu:///system version` fails): start it (`systemctl start libvirtd`, or without systemd `virtlogd -d && libvirtd -d`)');
  }
}

const names = async (...args: string[]) =>
  (await virsh(...args)).stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);

export interface Leftovers {
  domains: string[];
  networks: string[];
  volumes: string[];
}

/** The prefix's domain, networks and volumes still in libvirt. */
export async function leftovers(prefix: string): Promise<Leftovers> {
  const n = libvirtNames(prefix);
  const volumes = (await virsh('pool-info', 'default')).exitCode === 0 ? await names('vol-list', 'default') : [];
  return {
    domains: (await names('list', '--all', '--name')).filter((d) => d === n.domain),
    networks: (await names('net-list', '--all', '--name')).filter((x) => x === n.labNetwork || x === n.managementNetwork),
    volumes: volumes.filter((v) => v.startsWith(`${n.domain}.`) || v.startsWith(`${n.domain}-`)),
  };
}

export async function removeLeftovers(left: Leftovers, log: (line: string) => void): Promise<void> {
  for (const d of left.domains) {
    log(`removing domain ${d}`);
    await virsh('destroy', d);
    await virsh('undefine', d, '--remove-all-storage');
  }
  for (const net of left.networks) {
    log(`removing network ${net}`);
    await virsh('net-destroy', net);
    await virsh('net-undefine', net);
  }
  for (const v of left.volumes) {
    log(`removing volume ${v}`);
    await virsh('vol-delete', '--pool', 'default', v);
  }
}

export const isEmpty = (l: Leftovers) => !l.domains.length && !l.networks.length && !l.volumes.length;

// Which lab host a command uses when --target is not given: this machine,
// when it can build network namespaces; otherwise the project's Vagrant VM
// when it exists, with one line saying so; otherwise one line saying what to
// do instead. The local target needs Linux with network namespaces: on a Mac,
// Windows, or a container without them, nothing it runs could work.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../config/package-dir.js';
import { LabError } from '../model/errors.js';
import { both, t, type Text } from '../model/i18n.js';
import { say } from '../report/phrases.js';

export interface HostFacts {
  platform: NodeJS.Platform;
  /** The kernel gives processes network namespaces (Linux with CONFIG_NET_NS). */
  netns: boolean;
  /** Vagrant made the project's VM (its machine id is in .vagrant/ beside the Vagrantfile). */
  vmExists: boolean;
}

/** Vagrant keeps .vagrant/machines/<machine>/<provider>/id while the machine exists. */
export function projectVmExists(dir = PACKAGE_DIR): boolean {
  const machines = join(dir, '.vagrant', 'machines');
  if (!existsSync(machines)) return false;
  return readdirSync(machines).some((m) => readdirSync(join(machines, m)).some((p) => existsSync(join(machines, m, p, 'id'))));
}

export function hostFacts(): HostFacts {
  const netns = process.platform === 'linux' && existsSync('/proc/self/ns/net');
  // The VM matters only where this machine cannot run the lab.
  return { platform: process.platform, netns, vmExists: !netns && projectVmExists() };
}

/** Why the local target cannot work here, or null when it can. */
export function localUnsupported(h: HostFacts): Text | null {
  if (h.platform !== 'linux') return say.notLinux(h.platform);
  if (!h.netns) return say.noNetns();
  return null;
}

/** The target to use without --target, and the line to print about it (none for this machine). */
export function defaultTarget(h: HostFacts): { target: 'local' | 'vagrant'; note?: Text } {
  const why = localUnsupported(h);
  if (!why) return { target: 'local' };
  if (h.vmExists) return { target: 'vagrant', note: both((l) => t(say.usingVm(t(why, l)), l)) };
  throw new LabError(both((l) => t(say.useAnotherTarget(t(why, l)), l)));
}

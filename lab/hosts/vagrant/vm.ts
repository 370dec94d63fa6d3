// The Vagrant VM as both the Vagrantfile and the lab see it (lab/hosts/vagrant/vm.json),
// and the names its libvirt objects get from the prefix.
import { readFileSync } from 'node:fs';
import { PACKAGE_DIR } from '../../config/package-dir.js';
import { DEBIAN_PACKAGES } from '../packages.js';
import { LabError } from '../../model/errors.js';

/** Vagrant's project directory: the Vagrantfile and its .vagrant state, the same for the compiled CLI. */
export const REPO_DIR = PACKAGE_DIR;

export interface VmSpec {
  box: { offline: string; official: string };
  machine: string;
  memoryMb: number;
  cpus: number;
  nics: { server: [string, string]; edge: string };
  labNetworkHostIp: string;
  managementNetwork: string;
  binDir: string;
  buildOnlyPackages: string[];
  vmOnlyPackages: string[];
}

export const VM: VmSpec = JSON.parse(readFileSync(new URL('./vm.json', import.meta.url), 'utf8'));

/** The packages the VM needs: the lab's, less those only the host's Go build uses, plus the VM's own. */
export function vmPackages(): string[] {
  return [...Object.keys(DEBIAN_PACKAGES).filter((p) => !VM.buildOnlyPackages.includes(p)), ...VM.vmOnlyPackages];
}

/** The VM's prefix (EIPLAB_VM_PREFIX, as the Vagrantfile reads it). */
export function vmPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.EIPLAB_VM_PREFIX ?? 'eiplab';
  if (!/^[a-z][a-z0-9]{0,11}$/.test(prefix)) {
    throw new LabError(`bad EIPLAB_VM_PREFIX "${prefix}": use 1 to 12 lower-case letters and digits, starting with a letter`);
  }
  return prefix;
}

/** What vagrant-libvirt names after the prefix: the domain, its disk, the two networks. */
export function libvirtNames(prefix: string) {
  const domain = `${prefix}-${VM.machine}`;
  return { domain, volumePrefix: `${domain}`, labNetwork: `${prefix}-vpc`, managementNetwork: `${prefix}-mgmt` };
}

/** The name vagrant-libvirt gives a box's base image in the storage pool, up to its version. */
export function boxVolumePrefix(box: string): string {
  return `${box.replace('/', '-VAGRANTSLASH-')}_vagrant_box_image_`;
}

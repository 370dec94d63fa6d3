// The offline box: built from Debian packages by build-box.sh, added to
// Vagrant, and rebuilt only when what goes into it changed. The hash of its
// inputs travels inside the box, so the check needs nothing but the box.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx/core';
import { LabError } from '../../model/errors.js';
import { boxVolumePrefix, REPO_DIR, VM, vmPackages } from './vm.js';

const SCRIPT = join(REPO_DIR, 'lab', 'hosts', 'vagrant', 'build-box.sh');
const INPUTS_FILE = 'eiplab-inputs.sha256';

/** Vagrant's well-known public key, shipped with Vagrant (Debian's package or HashiCorp's). */
export function insecurePublicKey(): string {
  const gemDirs = ['/usr/share/rubygems-integration/all/gems', '/opt/vagrant/embedded/gems/gems', '/opt/vagrant/embedded/gems/2.3.4/gems'];
  for (const dir of gemDirs) {
    if (!existsSync(dir)) continue;
    for (const gem of readdirSync(dir).filter((g) => /^vagrant-\d/.test(g)).sort().reverse()) {
      const key = join(dir, gem, 'keys', 'vagrant.pub');
      if (existsSync(key)) return key;
    }
  }
  throw new LabError("Vagrant's insecure public key (keys/vagrant.pub) was not found: install vagrant (`apt-get install vagrant`)");
}

export function boxInputsHash(pubkey: string): string {
  return createHash('sha256')
    .update(readFileSync(SCRIPT))
    .update(`\0${vmPackages().join(' ')}\0`)
    .update(readFileSync(pubkey))
    .digest('hex');
}

function vagrantHome(): string {
  return process.env.VAGRANT_HOME ?? join(homedir(), '.vagrant.d');
}

/** The inputs hash of the offline box Vagrant has, or null when it has none. */
export function installedBoxHash(): string | null {
  const file = join(vagrantHome(), 'boxes', VM.box.offline.replace('/', '-VAGRANTSLASH-'), '0', 'libvirt', INPUTS_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

const TOOLS: Record<string, string> = {
  debootstrap: 'debootstrap',
  'qemu-img': 'qemu-utils',
  sfdisk: 'fdisk',
  losetup: 'mount',
  partx: 'util-linux',
  'mkfs.ext4': 'e2fsprogs',
  blkid: 'util-linux',
  vagrant: 'vagrant',
};

async function checkTools(): Promise<void> {
  if (process.getuid?.() !== 0) throw new LabError('building the box needs root (loop devices, chroot): run it with sudo');
  const missing: string[] = [];
  for (const tool of Object.keys(TOOLS)) {
    if ((await $({ quiet: true, nothrow: true })`sh -c ${`command -v ${tool}`}`).exitCode !== 0) missing.push(tool);
  }
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => TOOLS[t]))].join(' ');
    throw new LabError(`missing ${missing.join(', ')} to build the box: \`apt-get install ${pkgs}\``);
  }
}

export interface BoxOptions {
  force?: boolean;
  workDir: string;
  log: (line: string) => void;
}

/** Builds and adds the box unless the one Vagrant has was built from the same inputs. */
export async function ensureBox(o: BoxOptions): Promise<'current' | 'built'> {
  const pubkey = insecurePublicKey();
  const hash = boxInputsHash(pubkey);
  if (!o.force && installedBoxHash() === hash) return 'current';
  await checkTools();
  const boxFile = `${o.workDir}.box`;
  await $({ stdio: 'inherit' })`bash ${SCRIPT} ${o.workDir} ${boxFile} ${vmPackages().join(' ')} ${pubkey} ${hash}`;
  o.log(`vagrant box add ${VM.box.offline}`);
  await $({ stdio: 'inherit' })`vagrant box add --force --name ${VM.box.offline} ${boxFile}`;
  rmSync(boxFile, { force: true });
  rmSync(o.workDir, { recursive: true, force: true });
  await removeBaseVolumes(o.log);
  return 'built';
}

/**
 * vagrant-libvirt copies a box's image into libvirt's pool on first use and
 * keeps it there; the images of this box's earlier builds are dead weight,
 * unless a VM's disk still has one as its backing file.
 */
export async function removeBaseVolumes(log: (line: string) => void): Promise<void> {
  const virsh = (...args: string[]) => $({ quiet: true, nothrow: true })`virsh -q -c qemu:///system ${args}`;
  const list = await virsh('vol-list', 'default');
  if (list.exitCode !== 0) return; // no libvirt running, or no pool yet: nothing kept
  const volumes = list.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter(([name]) => name);
  const prefix = boxVolumePrefix(VM.box.offline);
  const inUse = new Set<string>();
  for (const [name] of volumes.filter(([n]) => !n.startsWith(prefix))) {
    const xml = (await virsh('vol-dumpxml', '--pool', 'default', name)).stdout;
    for (const m of xml.matchAll(/<backingStore>\s*<path>([^<]+)<\/path>/g)) inUse.add(m[1]);
  }
  for (const [name, path] of volumes.filter(([n]) => n.startsWith(prefix))) {
    if (inUse.has(path)) continue;
    log(`removing the box's image ${name} from libvirt's pool`);
    await virsh('vol-delete', '--pool', 'default', name);
  }
}

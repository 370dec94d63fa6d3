// `npm run lab:vm:up` and `lab:vm:down`: vagrant up and vagrant destroy,
// plus a sweep of what libvirt may still hold under the VM's prefix.
import { LabError } from '../../model/errors.js';
import { removeBaseVolumes } from './box.js';
import { isEmpty, leftovers, removeLeftovers, requireLibvirt } from './libvirt.js';
import { requireVagrant, vagrant } from './vagrant-cli.js';
import { vmPrefix } from './vm.js';

/** The provider `vagrant up` uses: Vagrant's own default when set, libvirt otherwise. */
export function provider(env: NodeJS.ProcessEnv = process.env): string {
  return env.VAGRANT_DEFAULT_PROVIDER ?? 'libvirt';
}

export async function vmUp(log: (line: string) => void): Promise<void> {
  await requireVagrant();
  if (provider() === 'libvirt') await requireLibvirt();
  const code = await vagrant(['up', `--provider=${provider()}`], log);
  if (code !== 0) throw new Error(`vagrant up failed (exit ${code}); \`npm run lab:vm:down\` removes what it left`);
}

/**
 * Destroys the VM and removes its domain, networks and volumes, and the offline box's image that
 * vagrant-libvirt copied into libvirt's pool (unless `keepBox`, or a VM still uses it): uploading it
 * again on the next `up` costs a few seconds next to the boot under emulation.
 */
export async function vmDown(log: (line: string) => void, keepBox = false): Promise<void> {
  await requireVagrant();
  const code = await vagrant(['destroy', '-f'], log);
  if (provider() !== 'libvirt') {
    if (code !== 0) throw new Error(`vagrant destroy failed (exit ${code})`);
    return;
  }
  await requireLibvirt();
  const prefix = vmPrefix();
  const left = await leftovers(prefix);
  if (!isEmpty(left)) await removeLeftovers(left, log);
  if (!keepBox) await removeBaseVolumes(log);
  const still = await leftovers(prefix);
  if (!isEmpty(still)) {
    throw new LabError(`libvirt still holds ${[...still.domains, ...still.networks, ...still.volumes].join(', ')}: remove them with virsh`);
  }
}

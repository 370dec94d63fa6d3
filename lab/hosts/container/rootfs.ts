// The lab host's base image without a registry: a Debian 12 root file
// system made with debootstrap from the host's Debian mirror, trimmed, and
// imported into Docker under the base's tag.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRuntimeClient } from 'testcontainers';
import { $ } from 'zx/core';
import { LabError } from '../../model/errors.js';
import { LABELS } from './docker.js';

/** What decides the result: part of the base image's tag, so changing it makes a new base. */
export const DEBOOTSTRAP_RECIPE = {
  suite: 'bookworm',
  variant: 'minbase',
  /** Removed before the import: apt's cached packages and lists, docs (about 200 MB). */
  trim: ['var/cache/apt/archives/*.deb', 'var/lib/apt/lists/*', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale'],
};

/** The host's own Debian mirror (the one apt uses), so this works wherever apt does. */
export function debianMirror(): string {
  const sources = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'].filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n');
  const deb822 = sources.match(/^URIs:\s*(\S+\/debian)\/?\s*$/m);
  const oneLine = sources.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+/m);
  return deb822?.[1] ?? oneLine?.[1] ?? 'http://deb.debian.org/debian';
}

export async function debootstrapBase(
  client: ContainerRuntimeClient,
  tag: string,
  packages: string[],
  log: (line: string) => void,
): Promise<void> {
  const sh = $({ quiet: true, nothrow: true });
  if ((await sh`sh -c 'command -v debootstrap'`).exitCode !== 0 || process.getuid?.() !== 0) {
    throw new LabError(
      'no registry is reachable for the lab-host image\'s base (debian:bookworm-slim), and building it offline needs root and debootstrap: run as root with `apt-get install debootstrap`, or make the registry reachable',
    );
  }
  const mirror = debianMirror();
  const dir = mkdtempSync('/var/tmp/eiplab-rootfs-');
  // A Ctrl-C ends the process before `finally`; half a root file system is 500 MB.
  const removeDir = () => removeUnlessMounted(dir);
  process.once('exit', removeDir);
  const r = DEBOOTSTRAP_RECIPE;
  try {
    log(`building the lab-host base from Debian packages (debootstrap ${r.suite} from ${mirror}; about a minute, once)`);
    const boot = await sh`debootstrap --variant=${r.variant} --include=${packages.join(',')} ${r.suite} ${join(dir, 'rootfs')} ${mirror}`;
    if (boot.exitCode !== 0) {
      const tail = (boot.stderr || boot.stdout).trim().split('\n').slice(-3).join(' | ');
      throw new LabError(`debootstrap failed (exit ${boot.exitCode}): ${tail}`);
    }
    await sh`sh -c ${`cd ${join(dir, 'rootfs')} && rm -rf ${r.trim.join(' ')}`}`;
    await importRootfs(client, join(dir, 'rootfs'), tag);
  } finally {
    process.off('exit', removeDir);
    removeDir();
  }
}

/** debootstrap mounts /proc and /sys in the new root while it works: never delete through a mount. */
function removeUnlessMounted(dir: string): void {
  const mounted = readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1]?.startsWith(`${dir}/`));
  if (!mounted) rmSync(dir, { recursive: true, force: true });
}

/** `tar -c ROOTFS | docker import - TAG`, through the same Docker API testcontainers uses. */
async function importRootfs(client: ContainerRuntimeClient, rootfs: string, tag: string): Promise<void> {
  const docker = client.container.dockerode;
  const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [repo, version] = tag.split(':');
  const stream = await docker.importImage(tar.stdout, { repo, tag: version, changes: [`LABEL ${LABELS.role}=lab-host-base`] });
  const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => (err ? reject(err) : resolve(out))),
  );
  const failed = events.find((e) => e.error);
  if (failed) throw new Error(`docker import of the lab-host base failed: ${failed.error}`);
}

// The lab-host container: started with testcontainers, found again by its
// labels (a later CLI command, a test's teardown), removed by its labels.
//
// Privileged mode is not used: it fails where the host's init dropped
// CAP_SYS_RESOURCE from the bounding set (runc cannot apply the full set).
// What the lab needs works without it: every other capability, no seccomp
// or AppArmor profile, no masked or read-only /proc paths (sysctls), and
// the cgroup hierarchies remounted read-write (scheme 2's own dockerd).
import type { ContainerRuntimeClient } from 'testcontainers';
import { dockerClient, LABELS } from './docker.js';

export const LAB_HOST_ROLE = 'lab-host';

export const labHostName = (prefix: string) => `${prefix}-labhost`;

export interface RunningLabHost {
  id: string;
  /** The image it was started from (a tag of eiplab-host). */
  image: string;
}

/** The running lab host of this prefix, if any. */
export async function findLabHost(prefix: string): Promise<RunningLabHost | undefined> {
  const client = await dockerClient();
  const found = await listLabelled(client, prefix, ['running']);
  const c = found.find((x) => x.Labels[LABELS.role] === LAB_HOST_ROLE);
  return c && { id: c.Id, image: c.Labels[LABELS.image] ?? c.Image };
}

/** Containers carrying the prefix's label (all states unless `status` narrows it). */
async function listLabelled(client: ContainerRuntimeClient, prefix: string, status?: string[]) {
  const filters: Record<string, string[]> = { label: [`${LABELS.prefix}=${prefix}`] };
  if (status) filters.status = status;
  return client.container.dockerode.listContainers({ all: true, filters: JSON.stringify(filters) });
}

export interface StartOptions {
  /** Left alone by Ryuk when this process exits (`up`, `run --keep`): later commands find it again. */
  persistent: boolean;
}

export async function startLabHost(prefix: string, image: string, o: StartOptions): Promise<string> {
  const { GenericContainer } = await import('testcontainers');

  class LabHostContainer extends GenericContainer {
    constructor() {
      super(image);
      // The API refuses `systempaths=unconfined`; empty lists are what it means.
      this.hostConfig.MaskedPaths = [];
      this.hostConfig.ReadonlyPaths = [];
    }
  }

  const started = await new LabHostContainer()
    .withName(labHostName(prefix))
    .withLabels({ [LABELS.prefix]: prefix, [LABELS.role]: LAB_HOST_ROLE, [LABELS.image]: image })
    // The lab needs no network outside: everything it builds is inside, reached through exec.
    .withNetworkMode('none')
    .withAddedCapabilities('ALL')
    .withDroppedCapabilities('SYS_RESOURCE')
    .withSecurityOpt('seccomp=unconfined', 'apparmor=unconfined')
    // /run as on a real host (namespaces, the lab's run directory); Docker's data off the overlay (overlay2 on overlay fails).
    .withTmpFs({ '/run': 'rw,exec,nosuid,nodev,mode=755', '/var/lib/docker': 'rw,exec,mode=711', '/tmp': 'rw,exec,mode=1777' })
    .withAutoCleanup(!o.persistent)
    .start();
  const client = await dockerClient();
  const r = await client.container.exec(client.container.getById(started.getId()), ['sh', '-c', REMOUNT_CGROUPS]);
  if (r.exitCode !== 0) {
    await removeLabHosts(prefix);
    throw new Error(`the lab host could not remount its cgroups read-write: ${r.output.trim()}`);
  }
  return started.getId();
}

/**
 * Docker mounts the container's cgroups read-only; a Docker daemon inside needs them writable.
 * On cgroup v2 a cgroup holding processes cannot give controllers to children: as Docker's own
 * dind does, the container's processes move to a child "init" first (runc puts later execs there
 * too). Only at the root of the container's own cgroup namespace ("0::/"), never in the host's.
 * (cgroup v1, as on the machine this was built on, is what was measured; the v2 branch is dind's recipe.)
 */
const REMOUNT_CGROUPS = `if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
  mount -o remount,rw /sys/fs/cgroup
  if [ "$(cat /proc/self/cgroup)" = "0::/" ]; then
    mkdir -p /sys/fs/cgroup/init
    xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true
    sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers >/sys/fs/cgroup/cgroup.subtree_control
  fi
else
  for d in /sys/fs/cgroup/*/; do if mountpoint -q "$d"; then mount -o remount,bind,rw "$d"; fi; done
fi`;

/** Removes every container labelled with the prefix, whatever its state; returns how many. */
export async function removeLabHosts(prefix: string): Promise<number> {
  const client = await dockerClient();
  const found = await listLabelled(client, prefix);
  await Promise.all(
    found.map((c) =>
      client.container.dockerode
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((e: { statusCode?: number }) => {
          if (e.statusCode !== 404 && e.statusCode !== 409) throw e; // already gone, or being removed
        }),
    ),
  );
  return found.length;
}

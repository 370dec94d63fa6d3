// Test helpers for the container target: whether a Docker daemon answers,
// a lab on a container, and the daemon's state (containers, networks,
// images) to prove the lab left it as it was.
import { defaultConfig } from '../../lab/config/config.js';
import { dockerClient, dockerReachable } from '../../lab/hosts/container/docker.js';
import { isLabCacheImage } from '../../lab/hosts/container/image.js';
import { removeLabHosts } from '../../lab/hosts/container/lab-host.js';
import { Lab } from '../../lab/run/lab.js';
import { silentReporter } from '../../lab/report/console.js';
import { containerTarget } from '../../lab/hosts/container/host.js';
import { isRoot } from './lab.js';

/** Why the container tests cannot run here, or null when they can. */
export async function containerTestsBlocked(): Promise<string | null> {
  if (!isRoot) return 'not root (the lab needs root on this machine to build its base image, and the root-namespace snapshot needs it)';
  if (!(await dockerReachable())) return 'no Docker daemon reachable (start one, set DOCKER_HOST, or run .ci/container-test)';
  return null;
}

/** A lab whose lab host is a fresh container named by the prefix (removed with `removeContainerLab`). */
export async function containerLab(prefix: string): Promise<Lab> {
  const target = await containerTarget({ prefix, start: true, persistent: false, log: () => {} });
  return new Lab(target!, defaultConfig(prefix), silentReporter);
}

export async function removeContainerLab(prefix: string): Promise<void> {
  await removeLabHosts(prefix);
}

/** What `docker ps -a`, `docker network ls` and `docker images` show, the lab's cached images left out. */
export async function dockerState(): Promise<{ containers: string[]; networks: string[]; images: string[] }> {
  const docker = (await dockerClient()).container.dockerode;
  const containers = await docker.listContainers({ all: true });
  const networks = await docker.listNetworks();
  const images = await docker.listImages();
  return {
    // Ryuk, where testcontainers runs it, lives as long as the test process, and then removes itself.
    containers: containers.filter((c) => c.Labels['org.testcontainers.ryuk'] !== 'true').map((c) => `${c.Id} ${c.Names.join(',')} ${c.Image}`).sort(),
    networks: networks.map((n) => `${n.Id} ${n.Name}`).sort(),
    images: images.filter((i) => !(i.RepoTags ?? []).some(isLabCacheImage)).map((i) => `${i.Id} ${(i.RepoTags ?? []).join(',')}`).sort(),
  };
}

/** Containers carrying a lab prefix's label (what down, Ctrl-C and teardown must leave none of). */
export async function labelledContainers(prefix: string): Promise<string[]> {
  const docker = (await dockerClient()).container.dockerode;
  const found = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`eiplab.prefix=${prefix}`] }) });
  return found.map((c) => `${c.Names.join(',')} ${c.State}`);
}

// The connection to Docker, through testcontainers, set up to work offline:
// no pull to find the host's address, and no Ryuk when its image is not
// already here (then the lab removes what it started itself, by label).
import type { ContainerRuntimeClient } from 'testcontainers';
import { LabError } from '../../model/errors.js';

/** Labels on everything the container target starts, so it can be found and removed by prefix alone. */
export const LABELS = {
  prefix: 'eiplab.prefix',
  role: 'eiplab.role',
  image: 'eiplab.image',
} as const;

let client: Promise<ContainerRuntimeClient> | undefined;

export function dockerClient(): Promise<ContainerRuntimeClient> {
  client ??= connect().catch((e) => {
    client = undefined; // a later call may find a daemon that was started meanwhile
    throw e;
  });
  return client;
}

async function connect(): Promise<ContainerRuntimeClient> {
  // On a host with /.dockerenv testcontainers would run alpine:3.14 to find the Docker host's
  // address; the lab never connects to a container's ports, so any value does.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  const tc = await import('testcontainers');
  let c: ContainerRuntimeClient;
  try {
    c = await tc.getContainerRuntimeClient();
  } catch {
    throw new LabError(
      `the container target needs a Docker daemon and none is reachable${process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : ''}: start one (\`dockerd\`, Docker Desktop), or set DOCKER_HOST`,
    );
  }
  if (process.env.TESTCONTAINERS_RYUK_DISABLED === undefined && !(await ryukImagePresent(c))) {
    // Offline, Ryuk's start fails at once with a registry error: do without it.
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  }
  return c;
}

async function ryukImagePresent(c: ContainerRuntimeClient): Promise<boolean> {
  const { REAPER_IMAGE } = await import('testcontainers/build/reaper/reaper.js');
  const { ImageName } = await import('testcontainers');
  return c.image.exists(ImageName.fromString(REAPER_IMAGE));
}

/** Whether Ryuk reaps this process's non-persistent containers should it die without cleaning up. */
export function ryukEnabled(): boolean {
  return process.env.TESTCONTAINERS_RYUK_DISABLED !== 'true';
}

/** Whether a daemon answers (for test gates and the CI script); never throws. */
export async function dockerReachable(): Promise<boolean> {
  try {
    await dockerClient();
    return true;
  } catch {
    return false;
  }
}

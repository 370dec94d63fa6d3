// The lab-host image: the base (Debian 12 + the lab's packages) and, on top,
// the lab's Go binaries. Both are tagged by a hash of their inputs, so an
// image is rebuilt only when its Dockerfile, package list or binaries change.
import { t } from '../../model/i18n.js';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerRuntimeClient } from 'testcontainers';
import { BINARIES, binDirFor, buildGo, type GoPlatform } from '../../go/build.js';
import { LabError } from '../../model/errors.js';
import { dockerClient } from './docker.js';
import { IMAGE_PACKAGES } from './packages.js';
import { DEBOOTSTRAP_RECIPE, debootstrapBase } from './rootfs.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BASE_REPO = 'eiplab-base';
export const HOST_REPO = 'eiplab-host';
/** The registry image the base is built from when it can be pulled. */
const DEBIAN_IMAGE = 'debian:bookworm-slim';
/** Where the binaries land in the image (the Dockerfile copies bin/ there). */
export const IMAGE_BIN_DIR = '/opt/eiplab/bin';

const hash = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
};

export function baseTag(): string {
  return `${BASE_REPO}:${hash(readFileSync(join(HERE, 'base.Dockerfile')), IMAGE_PACKAGES.join(' '), JSON.stringify(DEBOOTSTRAP_RECIPE))}`;
}

export function hostTag(binDir: string, base = baseTag()): string {
  const bins = Object.values(BINARIES).map((b) => readFileSync(join(binDir, b)));
  return `${HOST_REPO}:${hash(readFileSync(join(HERE, 'Dockerfile')), base, ...bins)}`;
}

const GOARCH: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64' };

/** The Go platform of the daemon's containers; undefined when it is this machine's own (the usual Linux case). */
export function containerPlatform(daemonArch: string): GoPlatform | undefined {
  const goarch = GOARCH[daemonArch];
  if (!goarch) throw new LabError(`the Docker daemon runs on ${daemonArch}; the lab builds its binaries for x86_64 and aarch64 only`);
  const own = process.platform === 'linux' && GOARCH[process.arch === 'x64' ? 'amd64' : process.arch] === goarch;
  return own ? undefined : { goos: 'linux', goarch };
}

/** The images the lab keeps as its cache (the base it built on, the base, the lab host); any others are not the lab's. */
export function isLabCacheImage(tag: string): boolean {
  return tag === DEBIAN_IMAGE || tag.startsWith(`${BASE_REPO}:`) || tag.startsWith(`${HOST_REPO}:`);
}

let building: Promise<string> | undefined;

/** The lab-host image's tag, built first when missing. One build per process, however many lab hosts start. */
export function ensureLabHostImage(log: (line: string) => void): Promise<string> {
  building ??= build(log).catch((e) => {
    building = undefined;
    throw e;
  });
  return building;
}

async function build(log: (line: string) => void): Promise<string> {
  const client = await dockerClient();
  // The binaries run in the daemon's Linux (Docker Desktop's VM on a Mac), not necessarily on this machine.
  const platform = containerPlatform(client.info.containerRuntime.architecture);
  await buildGo((l) => log(t(l, 'en')), platform);
  const bins = binDirFor(platform);
  const { ImageName } = await import('testcontainers');
  const base = baseTag();
  const host = hostTag(bins, base);
  if (await client.image.exists(ImageName.fromString(host))) return host;
  if (!(await client.image.exists(ImageName.fromString(base)))) {
    await buildBase(client, base, log);
    await removeOtherTags(client, BASE_REPO, base);
  }
  log(`building the lab-host image ${host} (the lab's binaries on the base)`);
  await buildFromDir(client, host, 'Dockerfile', { BASE: base }, (ctx) => {
    mkdirSync(join(ctx, 'bin'));
    for (const b of Object.values(BINARIES)) copyFileSync(join(bins, b), join(ctx, 'bin', b));
  });
  await removeOtherTags(client, HOST_REPO, host);
  return host;
}

async function buildBase(client: ContainerRuntimeClient, tag: string, log: (line: string) => void): Promise<void> {
  const { ImageName } = await import('testcontainers');
  try {
    await client.image.pull(ImageName.fromString(DEBIAN_IMAGE));
  } catch {
    // No registry: the same packages, from the host's Debian mirror.
    await debootstrapBase(client, tag, IMAGE_PACKAGES, log);
    return;
  }
  log(`building the lab-host base ${tag} from ${DEBIAN_IMAGE} (apt-get install; once)`);
  await buildFromDir(client, tag, 'base.Dockerfile', { PACKAGES: IMAGE_PACKAGES.join(' ') });
}

/** testcontainers' image builder, on a throw-away context holding the Dockerfile (and what `fill` adds). */
async function buildFromDir(
  client: ContainerRuntimeClient,
  tag: string,
  dockerfile: string,
  buildArgs: Record<string, string>,
  fill: (ctx: string) => void = () => {},
): Promise<void> {
  const { GenericContainer, ImageName } = await import('testcontainers');
  const ctx = mkdtempSync(join(tmpdir(), 'eiplab-image-'));
  try {
    copyFileSync(join(HERE, dockerfile), join(ctx, dockerfile));
    fill(ctx);
    // deleteOnExit false: the image is the cache, kept for the next run.
    await GenericContainer.fromDockerfile(ctx, dockerfile).withBuildArgs(buildArgs).build(tag, { deleteOnExit: false });
  } catch (e) {
    throw new LabError(`building ${tag} failed (${e instanceof Error ? e.message : String(e)}): DEBUG=testcontainers:build shows the build's output`);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  if (!(await client.image.exists(ImageName.fromString(tag)))) throw new LabError(`building ${tag} produced no image`);
}

/** Older tags of the lab's own repositories go once a new one exists (an image still in use stays). */
async function removeOtherTags(client: ContainerRuntimeClient, repo: string, keep: string): Promise<void> {
  const docker = client.container.dockerode;
  const images = await docker.listImages({ filters: JSON.stringify({ reference: [repo] }) });
  for (const tag of images.flatMap((i) => i.RepoTags ?? [])) {
    if (tag !== keep && tag.startsWith(`${repo}:`)) await docker.getImage(tag).remove().catch(() => {});
  }
}

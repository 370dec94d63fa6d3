// Writes a `docker save` archive by hand (no Docker daemon needed): one
// layer holding a static program at /<name>, a config whose entrypoint runs
// it, and the manifest `docker load` reads. Enough for --app-image tests.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { tarArchive, tarEntry } from '../../lab/hosts/tar.js';

const tar = tarArchive;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function writeDockerArchive(file: string, program: string, entrypoint: string[], tag = 'own-test:latest'): void {
  const layer = tar([tarEntry(basename(program), readFileSync(program), 0o755)]);
  const layerId = sha256(layer);
  const config = Buffer.from(
    JSON.stringify({
      architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
      os: 'linux',
      config: { Entrypoint: entrypoint },
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerId}`] },
    }),
  );
  const configName = `${sha256(config)}.json`;
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: [`${layerId}/layer.tar`] }]));
  writeFileSync(file, tar([tarEntry(configName, config, 0o644), tarEntry(`${layerId}/layer.tar`, layer, 0o644), tarEntry('manifest.json', manifest, 0o644)]));
}

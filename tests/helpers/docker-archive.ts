// Writes a `docker save` archive by hand (no Docker daemon needed): one
// layer holding a static program at /<name>, a config whose entrypoint runs
// it, and the manifest `docker load` reads. Enough for --app-image tests.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/** One ustar entry: a 512-byte header, then the data padded to 512 bytes. */
function tarEntry(name: string, data: Buffer, mode: number): Buffer {
  const h = Buffer.alloc(512);
  const field = (at: number, len: number, value: string) => h.write(value.padEnd(len, '\0').slice(0, len), at, 'latin1');
  const octal = (at: number, len: number, n: number) => field(at, len, `${n.toString(8).padStart(len - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, data.length);
  octal(136, 12, Math.floor(Date.now() / 1000));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  const sum = h.reduce((a, b) => a + b, 0);
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

const tar = (entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);
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

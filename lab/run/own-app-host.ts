// The user's program (or image archive) where its instances run. On a lab
// host that is another machine (a container, the Vagrant VM) the file is
// copied in, as the lab's own binaries are, to a directory of the lab's
// that the teardown removes with the rest (not /run: Debian mounts it
// noexec, and the VM's would refuse to run it); on this machine it runs
// from where it is.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { names, type LabConfig, type OwnApp } from '../config/config.js';
import type { Target } from '../hosts/host.js';

/** Where the lab host keeps the user's files. */
export function ownAppDir(cfg: LabConfig): string {
  return names(cfg).appDir;
}

/** The user's program as the lab host runs it: its paths there. Unchanged without one, or on this machine. */
export async function ownAppOnLabHost(target: Target, cfg: LabConfig): Promise<OwnApp | undefined> {
  const app = cfg.ownApp;
  if (!app || !target.putFile) return app;
  const copy = async (file: string) => {
    const path = `${ownAppDir(cfg)}/${basename(file)}`;
    await target.putFile!(readFileSync(file), path);
    return path;
  };
  if (app.image) return { ...app, image: await copy(app.image) };
  return { ...app, argv: [await copy(app.argv[0]), ...app.argv.slice(1)] };
}

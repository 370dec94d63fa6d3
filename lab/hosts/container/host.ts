// The container target: the lab host is a container (lab/hosts/container/), and
// every command runs in it through testcontainers' exec. The container is
// named and labelled by the prefix, so a later CLI command finds it again.
import { randomBytes } from 'node:crypto';
import { defaultConfig } from '../../config/config.js';
import { dockerClient } from './docker.js';
import { ensureLabHostImage, IMAGE_BIN_DIR } from './image.js';
import { findLabHost, labHostName, removeLabHosts, startLabHost } from './lab-host.js';
import { attachTerminal } from './terminal.js';
import { LabError } from '../../model/errors.js';
import { acquireLock } from '../../run/lock.js';
import { secs } from '../../report/console.js';
import type { Target } from '../host.js';
import { shellTarget } from '../shell-host.js';
import { tarArchive, tarEntry } from '../tar.js';

export interface ContainerTargetOptions {
  prefix: string;
  /** Start the lab host when none runs (or replace one made from an older image); otherwise only find it. */
  start: boolean;
  /** Keep it when this process ends (`up`, `run --keep`); otherwise Ryuk, where available, removes it should the process die. */
  persistent: boolean;
  log: (line: string) => void;
  onStart?: () => void;
}

/** The target, or null when only finding was asked for and no lab host of this prefix runs. */
export async function containerTarget(o: ContainerTargetOptions): Promise<Target | null> {
  const running = await findLabHost(o.prefix);
  if (!o.start) return running ? execTarget(running.id, o.prefix) : null;
  const image = await ensureLabHostImage(o.log);
  if (running?.image === image) return execTarget(running.id, o.prefix);
  if (running) {
    // Made from an older image (the binaries changed): replace it, unless a command is using it right now.
    const old = execTarget(running.id, o.prefix);
    await (await acquireLock(old, defaultConfig(o.prefix))).release();
  }
  o.onStart?.();
  await removeLabHosts(o.prefix); // a stopped one left by a crash would hold the name
  const t0 = performance.now();
  const id = await startLabHost(o.prefix, image, o);
  o.log(`lab host container ${labHostName(o.prefix)} started from ${image} (${secs(performance.now() - t0)})`);
  return execTarget(id, o.prefix);
}

/** Where Docker's archive API puts a file on its way in: on the container's own file system. */
const STAGING = '/var/tmp';

function execTarget(id: string, prefix: string): Target {
  return shellTarget({
    name: 'container',
    binDir: IMAGE_BIN_DIR,
    async exec(argv: string[], input: string) {
      const client = await dockerClient();
      // Exec has no stdin here: the input travels in the environment and is piped in.
      const cmd = input ? ['sh', '-c', 'printf %s "$EIPLAB_STDIN" | "$@"', 'sh', ...argv] : argv;
      let out;
      try {
        out = await client.container.exec(client.container.getById(id), cmd, input ? { env: { EIPLAB_STDIN: input } } : {});
      } catch (e) {
        const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
        throw new LabError(`the lab host container ${labHostName(prefix)} cannot run commands (${why}): \`npm run lab -- up --target container\` starts a new one`);
      }
      return { code: out.exitCode, stdout: out.stdout, stderr: out.stderr };
    },
    attach: (argv: string[]) => attachTerminal(id, argv),
    async putFile(data: Buffer, path: string) {
      // Exec's input travels in the environment, too small for a program: Docker's archive API takes it.
      // That API writes to the container's own file system, not its tmpfs mounts (/run, /tmp): the file
      // lands in /var/tmp first and is moved to its place from inside.
      const client = await dockerClient();
      const container = client.container.getById(id);
      const staged = `.eiplab-put-${randomBytes(6).toString('hex')}`;
      await container.putArchive(tarArchive([tarEntry(staged, data, 0o755)]), { path: STAGING });
      const cut = path.lastIndexOf('/');
      const move = `mkdir -p "$2" && mv -f "$1" "$3" || { rm -f "$1"; exit 1; }`;
      const r = await client.container.exec(container, ['sh', '-c', move, 'sh', `${STAGING}/${staged}`, path.slice(0, cut) || '/', path]);
      if (r.exitCode !== 0) throw new Error(`copying ${path.slice(cut + 1)} into the lab host container failed: ${r.output.trim()}`);
    },
    async close() {},
    async dispose() {
      await removeLabHosts(prefix);
    },
  });
}

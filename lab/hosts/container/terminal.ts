// A person's terminal inside the lab host (`shell`, `exec`): a Docker exec
// with stdin attached, and a pseudo-terminal when this process has one, as
// `docker exec -it` does. testcontainers' exec has no stdin, so this goes
// through the Docker client it holds.
import { dockerClient } from './docker.js';

/** Runs argv in the container with this process's stdin, stdout and stderr; resolves to its exit code. */
export async function attachTerminal(id: string, argv: string[]): Promise<number> {
  const docker = (await dockerClient()).container.dockerode;
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const exec = await docker.getContainer(id).exec({ Cmd: argv, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: tty });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: tty });
  // With a pseudo-terminal the output is one stream; without, stdout and stderr come multiplexed.
  if (tty) stream.pipe(process.stdout);
  else docker.modem.demuxStream(stream, process.stdout, process.stderr);
  const resize = () => void exec.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => {});
  // Without a terminal, Ctrl-C is a signal here: it is the program's to handle (it ends when its input does).
  const ignore = () => {};
  process.on('SIGINT', ignore);
  if (tty) {
    process.stdin.setRawMode(true); // Ctrl-C, Ctrl-D and the arrows go to the program
    process.stdout.on('resize', resize);
    resize();
  }
  process.stdin.pipe(stream);
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve).on('close', resolve).on('error', reject);
    });
  } finally {
    process.off('SIGINT', ignore);
    process.stdin.unpipe(stream);
    process.stdin.pause();
    if (tty) {
      process.stdin.setRawMode(false);
      process.stdout.off('resize', resize);
    }
  }
  return (await exec.inspect()).ExitCode ?? 1;
}

// The one interface that reaches the lab host. Topology, schemes and checks
// only ever ask a Target to run a shell script, optionally inside one of the
// lab's network namespaces; they never know where the lab host is.

export interface RunOptions {
  /** Network namespace to run in; the lab host's root namespace when absent. */
  ns?: string;
  /** Throw a CommandError on a non-zero exit (default true). */
  check?: boolean;
  /** Text fed to the script's standard input. */
  input?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Physical NICs of the lab host for the lab to use instead of veth pairs
 * (the Vagrant VM's), named by MAC address: the guest may call them anything.
 */
export interface HostNics {
  /** Become the server's NICs, in the config's order (the first holds the default route). */
  server: string[];
  /** Becomes the cloud router's port on the VPC bridge. */
  edge: string;
}

export interface Target {
  readonly name: string;
  /** Directory on the lab host holding the lab's Go binaries. */
  readonly binDir: string;
  /** Present when the server's NICs are real ones (see lab/topology/links.ts); veth pairs otherwise. */
  readonly nics?: HostNics;
  /**
   * How many times longer than on this machine an answer may take on the lab host (a VM that may
   * run under software emulation): the probes' deadlines are stretched by it. 1 when absent.
   */
  readonly slowdown?: number;
  run(script: string, opts?: RunOptions): Promise<RunResult>;
  /** Copies the binaries built in `localDir` to binDir, where that is another machine; returns what it copied. */
  syncBinaries?(localDir: string): Promise<string[]>;
  /**
   * Writes `data` to the absolute `path` on the lab host (its directory made, the file executable), where
   * the lab host is another machine: the user's program and image archive go there. Absent on the local
   * target, whose files are the lab host's own.
   */
  putFile?(data: Buffer, path: string): Promise<void>;
  /**
   * Runs one program with this process's stdin, stdout and stderr attached
   * (the person's terminal, when there is one), inside namespace `ns` on the
   * lab host, and resolves to its exit code (128 + the signal's number when a
   * signal ended it). `argv` is a program and its arguments, not a shell line.
   * `shell` needs it; `exec` falls back to `run` without it (output then
   * appears when the command ends). A remote target implements it by
   * starting the program over its channel with a pseudo-terminal when stdin
   * is a TTY (as `ssh -t` does), wrapped in `ip netns exec <ns>`, piping the
   * three streams both ways and passing the remote exit status through.
   */
  interactive?(argv: string[], ns?: string): Promise<number>;
  /** Lets go of the lab host; it stays as it is (a container target's container keeps running). */
  close(): Promise<void>;
  /** Removes the lab host itself, where the target made it (the container target's container). */
  dispose?(): Promise<void>;
}

export class CommandError extends Error {
  constructor(
    readonly script: string,
    readonly ns: string | undefined,
    readonly result: RunResult,
  ) {
    const where = ns ? ` in ${ns}` : '';
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
    super(`command failed${where} (exit ${result.code}): ${firstLine(script)}${detail ? ` -> ${detail}` : ''}`);
  }
}

/** The first line of a script worth showing (not the helpers it sources). */
export function firstLine(script: string): string {
  const lines = script.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  // Skip shell options, exports, function definitions (the lab's helpers, a step's docker()) and the sourcing of the helpers.
  const line = lines.find((l) => !/^(set |export |[\w-]+\(\)\s*\{|if \[ -e \S+\/lib\.sh \]|\. \S+\/lib\.sh)/.test(l)) ?? lines[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/** Wraps a target so every script is printed before it runs (the -v option); the rest of it is the target's own. */
export function verbose(target: Target, print: (line: string) => void): Target {
  return {
    ...target,
    async run(script, opts = {}) {
      const where = opts.ns ?? 'host';
      for (const line of script.split('\n')) if (line.trim()) print(`[${where}] ${line}`);
      return target.run(script, opts);
    },
    ...(target.interactive && {
      interactive(argv: string[], ns?: string) {
        print(`[${ns ?? 'host'}] ${argv.join(' ')}`);
        return target.interactive!(argv, ns);
      },
    }),
  };
}

// What every lab host reached through a shell has in common: a script runs as
// `sh -c`, inside `ip netns exec <ns>` when a namespace is asked for, and a
// non-zero exit becomes a CommandError unless the caller checks it. A lab host
// only says how it starts a program there (a child process, a container exec,
// an SSH channel).
import { CommandError, type RunOptions, type RunResult, type Target } from './host.js';

/** A program and its arguments, run in namespace `ns` of the lab host (its root namespace when absent). */
export function inNetns(argv: string[], ns?: string): string[] {
  return ns ? ['ip', 'netns', 'exec', ns, ...argv] : argv;
}

export interface ShellHost extends Omit<Target, 'run' | 'interactive'> {
  /** Runs one program (argv, not a shell line) on the lab host with `input` on its stdin. */
  exec(argv: string[], input: string): Promise<RunResult>;
  /** Runs one program with this process's terminal attached; resolves to its exit code. */
  attach?(argv: string[]): Promise<number>;
}

export function shellTarget(host: ShellHost): Target {
  const { exec, attach, ...rest } = host;
  return {
    ...rest,
    async run(script: string, opts: RunOptions = {}): Promise<RunResult> {
      const result = await exec(inNetns(['sh', '-c', script], opts.ns), opts.input ?? '');
      if (result.code !== 0 && opts.check !== false) throw new CommandError(script, opts.ns, result);
      return result;
    },
    ...(attach && { interactive: (argv: string[], ns?: string) => attach(inNetns(argv, ns)) }),
  };
}

// The local target: the lab host is this Linux machine, reached through
// child processes started with zx.
import { $ } from 'zx';
import { CommandError, type RunOptions, type RunResult, type Target } from './target.js';

export function localTarget(binDir: string): Target {
  const sh = $({ quiet: true, nothrow: true });
  return {
    name: 'local',
    binDir,
    async run(script: string, opts: RunOptions = {}): Promise<RunResult> {
      const argv = opts.ns ? ['ip', 'netns', 'exec', opts.ns, 'sh', '-c', script] : ['sh', '-c', script];
      const out = await sh({ input: opts.input ?? '' })`${argv}`;
      const result = { code: out.exitCode ?? 1, stdout: out.stdout, stderr: out.stderr };
      if (result.code !== 0 && opts.check !== false) throw new CommandError(script, opts.ns, result);
      return result;
    },
    async close() {},
  };
}

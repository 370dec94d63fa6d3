// The one place lab hosts wrap a script in `ip netns exec` and turn a failure into a CommandError.
import { describe, expect, it } from 'vitest';
import { CommandError, verbose, type Target } from '../../lab/hosts/host.js';
import { shellTarget } from '../../lab/hosts/shell-host.js';

function recording(code = 0) {
  const calls: { argv: string[]; input: string }[] = [];
  const target = shellTarget({
    name: 'fake',
    binDir: '/bin',
    nics: { server: ['aa', 'bb'], edge: 'cc' },
    async exec(argv, input) {
      calls.push({ argv, input });
      return { code, stdout: 'out', stderr: code ? 'boom' : '' };
    },
    attach: async (argv) => argv.length,
    async close() {},
    async dispose() {},
  });
  return { calls, target };
}

describe('shellTarget', () => {
  it('runs a script as sh -c, inside ip netns exec when a namespace is asked for', async () => {
    const { calls, target } = recording();
    await target.run('echo hi');
    await target.run('echo there', { ns: 'lab-server', input: 'x' });
    expect(calls).toEqual([
      { argv: ['sh', '-c', 'echo hi'], input: '' },
      { argv: ['ip', 'netns', 'exec', 'lab-server', 'sh', '-c', 'echo there'], input: 'x' },
    ]);
  });

  it('turns a non-zero exit into a CommandError unless the caller checks it', async () => {
    const { target } = recording(3);
    await expect(target.run('false', { ns: 'lab-edge' })).rejects.toThrow(CommandError);
    await expect(target.run('false', { ns: 'lab-edge' })).rejects.toThrow(/in lab-edge \(exit 3\): false -> boom/);
    expect(await target.run('false', { check: false })).toEqual({ code: 3, stdout: 'out', stderr: 'boom' });
  });

  it('attaches a program inside the namespace', async () => {
    const { target } = recording();
    expect(await target.interactive!(['bash'], 'lab-inet')).toBe(5);
  });
});

describe('verbose', () => {
  it('prints each script line and keeps every other member of the target', async () => {
    const { target } = recording();
    const lines: string[] = [];
    const v: Target = verbose(target, (l) => lines.push(l));
    await v.run('a\n\nb', { ns: 'n' });
    await v.interactive!(['sh'], undefined);
    expect(lines).toEqual(['[n] a', '[n] b', '[host] sh']);
    expect(v.nics).toBe(target.nics);
    expect(v.dispose).toBe(target.dispose);
    expect(v.close).toBe(target.close);
  });
});

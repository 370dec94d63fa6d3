// docs/workshop.md, followed start to finish as a trainee would, with a
// test prefix: each command through npm exactly as written, in order; what
// the guide types at a node's prompt is fed to the `shell` before it; the
// live `watch` is stopped with Ctrl-C once it has drawn its counters.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers } from '../helpers/spawn-lab.js';
import { docCommands, labArgv, withPrefix, type HostCommand, type NodeCommand } from '../helpers/workshop-doc.js';

const P = 'eiplabw2';
/** What the test does not run, and why (the unit test still checks that they exist). */
const NOT_RUN: Record<string, string> = {
  'npm ci': 'reinstalls node_modules, which the test is running from',
  'npm run setup': 'apt-get installs the system packages (CI runs it before the tests)',
  'npm run lab:matrix': "tests/integration/matrix.test.ts runs the same cells (those beyond the post in one profile) and checks every one",
};

const env = { ...process.env, FORCE_COLOR: '0' };
const commands = docCommands();

/** The node lines the guide types into the shell opened by `shell`. */
function typedInto(c: HostCommand): NodeCommand[] {
  const rest = commands.slice(commands.indexOf(c) + 1);
  const end = rest.findIndex((x) => x.kind === 'host');
  return (end < 0 ? rest : rest.slice(0, end)) as NodeCommand[];
}

/** Runs a live command until `text` appears, then Ctrl-C (SIGINT to its process group, as a terminal sends it). */
function untilInterrupted(argv: string[], text: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(argv[0], argv.slice(1), { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        process.kill(-child.pid!, 'SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // npm re-raises the SIGINT it got: a shell reports that as 130, as it does for the lab's own exit code 130.
    child.on('exit', (code, signal) => resolve({ code: signal === 'SIGINT' ? 130 : code, out }));
  });
}

describe(`docs/workshop.md as written, with --prefix ${P}`, () => {
  afterAll(() => {
    spawnSync('node', ['bin/eiplab.js', 'down', '--prefix', P], { env });
    expect(leftovers(P)).toEqual([]);
  });

  for (const c of commands) {
    if (c.kind !== 'host') continue;
    const skip = NOT_RUN[c.line.trim()];
    if (skip) {
      it.skip(`${c.line} (not run: ${skip})`, () => {});
      continue;
    }
    const argv = labArgv(c.words);
    // Only the lab takes --prefix; another npm script (the example's build) runs as written.
    const run = argv ? ['npm', ...withPrefix(c.words, P).slice(1)] : c.words;

    if (argv?.[0] === 'watch' && !argv.includes('--once')) {
      it(`${c.line} (stopped with Ctrl-C)`, async () => {
        const r = await untilInterrupted(run, 'refreshed every second');
        expect(r.out).toContain(`packets per NIC in ${P}-server`);
        expect([0, 130]).toContain(r.code);
      });
      continue;
    }

    it(c.line, () => {
      const typed = argv?.[0] === 'shell' ? typedInto(c) : [];
      const r = spawnSync(run[0], run.slice(1), { env, encoding: 'utf8', timeout: 90_000, input: typed.map((t) => `${t.line}\n`).join('') });
      const output = `${r.stdout}${r.stderr}`;
      expect(r.status, output).toBe(c.exits);
      if (argv?.[0] === 'shell') expect(r.stderr).toContain(`[${P} ${argv[1]}] # `);
      if (argv?.[0] === 'verify' || argv?.[0] === 'run') expect(output).toMatch(/all 8 checks as expected/);
      if (argv?.[0] === 'matrix') expect(output).toMatch(/(\d+) cells: \1 as expected, 0 differ/);
    }, 600_000);
  }
});

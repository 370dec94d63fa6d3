// Root shells kept open on a remote lab host (the Vagrant VM), each program
// of the lab run through one of them. A command over SSH of its own pays
// for a channel, a login shell and sudo: about 0.2 s each on the VM under
// software emulation, where a lab's run sends some thirty. A kept shell pays
// that once. Each program still runs in a fresh process, as `sh -c` would
// run it: nothing one leaves in its shell (a variable, a directory it
// changed to) reaches the next. Its standard input, output and error go
// through files in a directory of the shell's own, removed when it exits.
import { randomBytes } from 'node:crypto';
import type { Duplex, Readable } from 'node:stream';
import type { RunResult } from './host.js';
import { shQuote } from './quote.js';

type ShellChannel = Duplex & { stderr: Readable };

/** At most this many shells at once (sshd allows ten channels a connection by default). */
const MAX_SHELLS = 6;

class KeptShell {
  private buffer = '';
  private waiting?: { resolve: (r: RunResult) => void; reject: (e: Error) => void };
  private closed?: Error;
  private readonly mark = `@@${randomBytes(6).toString('hex')}`;

  private constructor(private readonly channel: ShellChannel) {
    channel.on('data', (d: Buffer) => this.read(d.toString('utf8')));
    // What the shell itself says on stderr (never a program's: those go to a file) is kept for a failure's message.
    let said = '';
    channel.stderr.on('data', (d: Buffer) => void (said = (said + d.toString('utf8')).slice(-500)));
    const ended = (why?: Error) => {
      this.closed ??= new Error(`the lab host's shell ended${why ? ` (${why.message})` : ''}${said.trim() ? `: ${said.trim()}` : ''}`);
      this.waiting?.reject(this.closed);
      this.waiting = undefined;
    };
    channel.on('close', () => ended());
    channel.on('error', (e: Error) => ended(e));
  }

  static async start(channel: ShellChannel): Promise<KeptShell> {
    const shell = new KeptShell(channel);
    // Its own directory for the programs' streams, gone when the shell exits (its input ends with the connection).
    // A shell that cannot make it exits: its end rejects this with what it said.
    await shell.send(`d=$(mktemp -d /run/eiplab-shell.XXXXXX) || exit 1; trap 'rm -rf "$d"' EXIT; trap 'exit 129' HUP; trap 'exit 143' TERM; echo "${shell.mark} rc 0"`);
    return shell;
  }

  get usable(): boolean {
    return !this.closed;
  }

  /** Runs one program (argv) with `input` on its stdin. */
  run(argv: string[], input: string): Promise<RunResult> {
    const command = argv.map(shQuote).join(' ');
    const lines: string[] = [];
    if (input) lines.push(`base64 -d >"$d/in" <<'${this.mark}'`, ...chunks(Buffer.from(input, 'utf8').toString('base64'), 76), this.mark);
    else lines.push(': >"$d/in"');
    lines.push(
      `${command} <"$d/in" >"$d/out" 2>"$d/err"; rc=$?`,
      `echo "${this.mark} out $(base64 -w0 <"$d/out")"; echo "${this.mark} err $(base64 -w0 <"$d/err")"; echo "${this.mark} rc $rc"`,
    );
    return this.send(lines.join('\n'));
  }

  private send(text: string): Promise<RunResult> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.waiting) return Promise.reject(new Error('a kept shell runs one program at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.channel.write(`${text}\n`);
    });
  }

  private out = '';
  private err = '';

  private read(text: string): void {
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (!line.startsWith(`${this.mark} `)) continue;
      const [what, value = ''] = line.slice(this.mark.length + 1).split(' ');
      if (what === 'out') this.out = Buffer.from(value, 'base64').toString('utf8');
      else if (what === 'err') this.err = Buffer.from(value, 'base64').toString('utf8');
      else if (what === 'rc') {
        const done = { code: Number(value), stdout: this.out, stderr: this.err };
        this.out = this.err = '';
        const w = this.waiting;
        this.waiting = undefined;
        w?.resolve(done);
      }
    }
  }

  end(): void {
    this.channel.end();
  }
}

function chunks(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

/** A pool of kept shells: a program takes an idle one, or a new one while there are fewer than MAX_SHELLS. */
export class KeptShells {
  private readonly idle: KeptShell[] = [];
  private count = 0;
  private readonly queue: Array<(shell: KeptShell) => void> = [];

  /** `open` starts one shell on the lab host (`sudo -n sh` over SSH). */
  constructor(private readonly open: () => Promise<ShellChannel>) {}

  async exec(argv: string[], input: string): Promise<RunResult> {
    const shell = await this.take();
    try {
      return await shell.run(argv, input);
    } finally {
      this.give(shell);
    }
  }

  private async take(): Promise<KeptShell> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.count < MAX_SHELLS) {
      this.count++;
      try {
        return await KeptShell.start(await this.open());
      } catch (e) {
        this.count--;
        throw e;
      }
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private give(shell: KeptShell): void {
    if (!shell.usable) {
      this.count--;
      return;
    }
    const next = this.queue.shift();
    if (next) next(shell);
    else this.idle.push(shell);
  }

  close(): void {
    for (const shell of this.idle.splice(0)) shell.end();
  }
}

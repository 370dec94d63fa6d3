// One SSH connection (npm ssh2), reused for every command of a run: each
// command is one exec channel, its input written to the channel's stdin.
import { constants } from 'node:os';
import type { Duplex, Readable } from 'node:stream';
import { Client, type ConnectConfig, type ExecOptions } from 'ssh2';
import type { RunResult } from './host.js';

export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
  privateKey: Buffer;
}

export class SshSession {
  private broken: Error | null = null;

  private constructor(private readonly client: Client) {
    // A dropped connection fails every later command with the reason.
    client.on('error', (e) => (this.broken = e));
    client.on('close', () => (this.broken ??= new Error('the SSH connection closed')));
  }

  static connect(ep: SshEndpoint, readyTimeoutMs = 20_000): Promise<SshSession> {
    const client = new Client();
    const config: ConnectConfig = {
      host: ep.host,
      port: ep.port,
      username: ep.username,
      privateKey: ep.privateKey,
      readyTimeout: readyTimeoutMs,
      keepaliveInterval: 10_000,
    };
    return new Promise((resolve, reject) => {
      client.once('ready', () => resolve(new SshSession(client)));
      client.once('error', reject);
      client.connect(config);
    });
  }

  /** Runs a command line on the remote side; stdout and stderr are read as they come. */
  exec(command: string, input?: string | Buffer): Promise<RunResult> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, channel) => {
        if (err) return reject(err);
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | null | undefined;
        let signal: string | undefined;
        channel.on('data', (d: Buffer) => out.push(d));
        channel.stderr.on('data', (d: Buffer) => errOut.push(d));
        channel.on('exit', (c: number | null, s?: string) => {
          code = c;
          signal = s;
        });
        channel.on('close', () => {
          const stderr = Buffer.concat(errOut).toString('utf8');
          resolve({
            // No exit status at all means the connection went away under the command.
            code: typeof code === 'number' ? code : signal ? 128 : 255,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: signal ? `${stderr}killed by ${signal}\n` : stderr,
          });
        });
        channel.end(input ?? '');
      });
    });
  }

  /** Starts a command whose stdin and stdout stay open (a kept shell): its channel, to write to and read from. */
  open(command: string): Promise<Duplex & { stderr: Readable }> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => this.client.exec(command, (err, channel) => (err ? reject(err) : resolve(channel))));
  }

  /**
   * Runs a command with this process's stdin, stdout and stderr attached, on
   * a pseudo-terminal when ours is one (as `ssh -t` does); resolves to its exit
   * status, 128 + the signal's number when a signal ended it.
   */
  attach(command: string): Promise<number> {
    if (this.broken) return Promise.reject(this.broken);
    const { stdin, stdout, stderr } = process;
    const tty = Boolean(stdin.isTTY && stdout.isTTY);
    const options: ExecOptions = tty ? { pty: { rows: stdout.rows, cols: stdout.columns, term: process.env.TERM ?? 'xterm' } } : {};
    return new Promise((resolve, reject) => {
      this.client.exec(command, options, (err, channel) => {
        if (err) return reject(err);
        let status = 255;
        const resize = () => channel.setWindow(stdout.rows, stdout.columns, 0, 0);
        // Ctrl-C is the remote program's: on a terminal it travels as a byte, otherwise as a signal request.
        const interrupt = () => channel.signal('INT');
        if (tty) {
          stdin.setRawMode(true);
          stdout.on('resize', resize);
        }
        process.on('SIGINT', interrupt);
        stdin.pipe(channel);
        channel.pipe(stdout, { end: false });
        channel.stderr.pipe(stderr, { end: false });
        channel.on('exit', (code: number | null, signal?: string) => {
          status = typeof code === 'number' ? code : 128 + (signal ? (constants.signals[signal as NodeJS.Signals] ?? 0) : 0);
        });
        channel.on('close', () => {
          stdin.unpipe(channel);
          stdin.pause();
          if (tty) {
            stdin.setRawMode(false);
            stdout.off('resize', resize);
          }
          process.off('SIGINT', interrupt);
          resolve(status);
        });
      });
    });
  }

  close(): void {
    this.client.end();
  }
}

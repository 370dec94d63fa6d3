// The vagrant target: the lab host is the Vagrantfile's VM, reached over one
// SSH connection (npm ssh2) and root through sudo. Its server and router use
// the VM's own NICs (found by the MACs the Vagrantfile gives them), and the
// Go binaries are built here and copied in.
import { VM } from './vm.js';
import { vagrantSshEndpoint } from './ssh-config.js';
import { LabError } from '../../model/errors.js';
import { shQuote } from '../quote.js';
import { SshSession } from '../ssh.js';
import { syncBinaries } from '../sync-binaries.js';
import { CommandError, type RunOptions, type RunResult, type Target } from '../host.js';

export async function vagrantTarget(): Promise<Target> {
  const endpoint = await vagrantSshEndpoint();
  const ssh = await SshSession.connect(endpoint).catch((e: Error) => {
    throw new LabError(`cannot reach the Vagrant VM at ${endpoint.host}:${endpoint.port} over SSH (${e.message}): is it running? (\`npm run lab:vm:up\`)`);
  });
  // The script travels quoted in the command line, so stdin stays free for `input`.
  const asRoot = (command: string, input?: Buffer | string) => ssh.exec(`sudo -n ${command}`, input);
  return {
    name: 'vagrant',
    binDir: VM.binDir,
    nics: { server: VM.nics.server, edge: VM.nics.edge },
    async run(script: string, opts: RunOptions = {}): Promise<RunResult> {
      const netns = opts.ns ? `ip netns exec ${shQuote(opts.ns)} ` : '';
      const result = await asRoot(`${netns}sh -c ${shQuote(script)}`, opts.input);
      if (result.code !== 0 && opts.check !== false) throw new CommandError(script, opts.ns, result);
      return result;
    },
    interactive(argv: string[], ns?: string): Promise<number> {
      const netns = ns ? `ip netns exec ${shQuote(ns)} ` : '';
      return ssh.attach(`sudo -n ${netns}${argv.map(shQuote).join(' ')}`);
    },
    async syncBinaries(localDir: string) {
      return syncBinaries((cmd, input) => asRoot(`sh -c ${shQuote(cmd)}`, input), localDir, VM.binDir);
    },
    async close() {
      ssh.close();
    },
  };
}

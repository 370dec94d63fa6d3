// The vagrant target: the lab host is the Vagrantfile's VM, reached over one
// SSH connection (npm ssh2) and root through sudo, in shells kept open. Its server and router use
// the VM's own NICs (found by the MACs the Vagrantfile gives them), and the
// Go binaries are built here and copied in (as is a user's program).
import { VM } from './vm.js';
import { vagrantSshEndpoint } from './ssh-config.js';
import { LabError } from '../../model/errors.js';
import { shQuote } from '../quote.js';
import { SshSession } from '../ssh.js';
import { KeptShells } from '../kept-shell.js';
import { putFileVia, syncBinaries } from '../sync-binaries.js';
import type { Target } from '../host.js';
import { shellTarget } from '../shell-host.js';

export async function vagrantTarget(): Promise<Target> {
  const endpoint = await vagrantSshEndpoint();
  const ssh = await SshSession.connect(endpoint).catch((e: Error) => {
    throw new LabError(`cannot reach the Vagrant VM at ${endpoint.host}:${endpoint.port} over SSH (${e.message}): is it running? (\`npm run lab:vm:up\`)`);
  });
  // The script travels quoted in the command line, so stdin stays free for `input`.
  const asRoot = (command: string, input?: Buffer | string) => ssh.exec(`sudo -n ${command}`, input);
  const commandLine = (argv: string[]) => argv.map(shQuote).join(' ');
  const rootShell = (cmd: string, input?: Buffer | string) => asRoot(`sh -c ${shQuote(cmd)}`, input);
  // Every program of the lab through root shells kept open (lab/hosts/kept-shell.ts): no channel and sudo each.
  const shells = new KeptShells(() => ssh.open('sudo -n sh'));
  return shellTarget({
    name: 'vagrant',
    binDir: VM.binDir,
    nics: { server: VM.nics.server, edge: VM.nics.edge },
    // Without nested KVM qemu emulates the CPU (TCG): everything there runs several times slower.
    slowdown: 2,
    exec: (argv: string[], input: string) => shells.exec(argv, input),
    attach: (argv: string[]) => ssh.attach(`sudo -n ${commandLine(argv)}`),
    async syncBinaries(localDir: string) {
      return syncBinaries(rootShell, localDir, VM.binDir);
    },
    putFile: (data: Buffer, path: string) => putFileVia(rootShell, data, path),
    async close() {
      shells.close();
      ssh.close();
    },
  });
}

// `npm run lab:vm:up` / `npm run lab:vm:down [-- --keep-box]`: the lab's Vagrant VM.
import { chalk } from 'zx';
import { LabError } from '../lab/model/errors.js';
import { vmDown, vmUp } from '../lab/hosts/vagrant/lifecycle.js';
import { libvirtNames, vmPrefix } from '../lab/hosts/vagrant/vm.js';

const [command, ...flags] = process.argv.slice(2);
const say = (s: string) => console.log(chalk.cyan('▸ ') + s);
const t0 = performance.now();
const secs = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
try {
  if (command === 'up') {
    await vmUp((l) => console.log(l));
    say(`VM ${libvirtNames(vmPrefix()).domain} is up in ${secs()}: try \`npm run lab -- run scheme3 --target vagrant\``);
  } else if (command === 'down') {
    await vmDown((l) => console.log(l), flags.includes('--keep-box'));
    say(`VM removed, with its networks and volumes, in ${secs()}`);
  } else {
    throw new LabError('usage: tsx scripts/vm.ts up|down [--keep-box]');
  }
} catch (e) {
  console.error(`${chalk.red('eiplab:')} ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = e instanceof LabError ? 2 : 1;
}

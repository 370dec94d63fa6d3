// `npm run vagrant:box`: builds the offline Debian 12 libvirt box and adds it
// to Vagrant, unless the box Vagrant has was built from the same inputs.
// --force rebuilds anyway.
import { chalk } from 'zx';
import { LabError } from '../lab/model/errors.js';
import { ensureBox } from '../lab/hosts/vagrant/box.js';
import { VM, vmPrefix } from '../lab/hosts/vagrant/vm.js';

const say = (s: string) => console.log(chalk.cyan('▸ ') + s);
try {
  const t0 = performance.now();
  const r = await ensureBox({ force: process.argv.includes('--force'), workDir: `/var/tmp/${vmPrefix()}-box`, log: say });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  say(r === 'current' ? `box ${VM.box.offline} is up to date` : `box ${VM.box.offline} built and added in ${secs} s`);
} catch (e) {
  console.error(`${chalk.red('eiplab:')} ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = e instanceof LabError ? 2 : 1;
}

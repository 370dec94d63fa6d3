// `npm run setup`: installs what the lab calls, with apt, on Debian or Ubuntu.
import { $, chalk } from 'zx';
import { DEBIAN_PACKAGES } from '../lab/hosts/packages.js';

const packages = Object.keys(DEBIAN_PACKAGES);
const say = (s: string) => console.log(chalk.cyan('▸ ') + s);

if (process.getuid?.() !== 0) {
  console.error(`${chalk.red('eiplab:')} setup installs packages with apt and needs root: run \`sudo npm run setup\``);
  process.exit(2);
}
if ((await $({ nothrow: true, quiet: true })`sh -c 'command -v apt-get'`).exitCode !== 0) {
  console.error(`${chalk.red('eiplab:')} no apt-get here: install these with your package manager: ${packages.join(' ')}`);
  process.exit(2);
}
for (const [name, why] of Object.entries(DEBIAN_PACKAGES)) console.log(`  ${name.padEnd(11)} ${chalk.dim(why)}`);
// Only what is not installed yet: on a machine that has them all, apt (its lists' download above all) is skipped.
const status = await $({ nothrow: true, quiet: true })`dpkg-query -W -f=${'${db:Status-Abbrev} ${Package}\n'} ${packages}`;
const installed = new Set(status.stdout.split('\n').filter((l) => l.startsWith('ii ')).map((l) => l.split(/\s+/)[1].replace(/:.*/, '')));
const missing = packages.filter((p) => !installed.has(p));
if (!missing.length) {
  say('every package is installed: apt-get is not needed');
} else {
  say('apt-get update');
  await $({ stdio: 'inherit' })`apt-get update -qq`;
  say(`apt-get install ${missing.join(' ')}`);
  await $({ stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })`apt-get install -y -qq --no-install-recommends ${missing}`;
}
say('building the Go binaries');
const { buildGo } = await import('../lab/go/build.js');
const { t } = await import('../lab/model/i18n.js');
await buildGo((l) => say(t(l, 'en')));
say('done: try `npm run lab:scheme1`');

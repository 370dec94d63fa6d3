// Before any integration test: the Go binaries, and the compiled `eiplab`
// command the tests run as users do (node bin/eiplab.js); each a no-op when
// it is current.
import { spawnSync } from 'node:child_process';
import { t } from '../lab/model/i18n.js';
import { buildGo } from '../lab/go/build.js';

/** dist/, when the launcher finds the sources newer (it would run them through tsx, slower and with a line on stderr). */
function buildCli(): void {
  const probe = spawnSync(process.execPath, ['bin/eiplab.js', '--help'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (!probe.stderr.includes('sources changed')) return;
  console.log('eiplab: compiling dist/ for the tests (npm run build)');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

export default async function setup(): Promise<void> {
  await buildGo((line) => console.log(t(line, 'en')));
  buildCli();
}

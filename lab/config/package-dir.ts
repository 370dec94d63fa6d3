// Where the eiplab package lives: the checkout, or node_modules/eiplab after an
// install. The same whether this module runs from lab/ (tsx) or dist/lab/ (the
// compiled CLI), so the Vagrantfile, the Go sources and the .vagrant state are
// found in one place either way.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'eiplab') return dir;
    if (dirname(dir) === dir) throw new Error(`no eiplab package.json above ${from}`);
  }
}

export const PACKAGE_DIR = findPackageDir(dirname(fileURLToPath(import.meta.url)));

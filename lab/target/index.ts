// Where the lab host is. Each target is one small module; this picks one.
import { BIN_DIR } from '../build.js';
import { LabError } from '../errors.js';
import { localTarget } from './local.js';
import type { Target } from './target.js';
import { vagrantTarget } from './vagrant.js';

export const TARGETS = ['local', 'vagrant'] as const;
export type TargetName = (typeof TARGETS)[number];

export async function createTarget(name: string): Promise<Target> {
  switch (name) {
    case 'local':
      return localTarget(BIN_DIR);
    case 'vagrant':
      return vagrantTarget();
    default:
      throw new LabError(`unknown target "${name}": choose one of ${TARGETS.join(', ')}`);
  }
}

// Where the lab host is. Each target is one small module; this picks one.
import { BIN_DIR } from '../go/build.js';
import { LabError } from '../model/errors.js';
import { localTarget } from './local.js';
import type { Target } from './host.js';

export const TARGETS = ['local', 'container', 'vagrant'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface TargetOptions {
  /** The lab's prefix: a target with its own lab host (a container) names and finds it by the prefix. */
  prefix: string;
  /** Make the lab host when there is none (up, run, matrix); otherwise only find it. */
  start: boolean;
  /** The lab host outlives this command (up, run --keep). */
  persistent: boolean;
  log: (line: string) => void;
  /** Called when the target begins making a new lab host (what a Ctrl-C must then remove). */
  onStart?: () => void;
}

/** The target, or null when `start` is false and the target has no lab host for this prefix. */
export async function createTarget(name: string, o: TargetOptions): Promise<Target | null> {
  switch (name) {
    case 'local':
      return localTarget(BIN_DIR);
    case 'container': {
      // Loaded only when asked for: testcontainers is not needed by the local target.
      const { containerTarget } = await import('./container/host.js');
      return containerTarget(o);
    }
    case 'vagrant': {
      // Loaded only when asked for, as the container target: ssh2 is not needed by the local target.
      const { vagrantTarget } = await import('./vagrant/host.js');
      return vagrantTarget();
    }
    default:
      throw new LabError(`unknown target "${name}": choose one of ${TARGETS.join(', ')}`);
  }
}

/** Removes whatever lab host a target made for this prefix, found by the prefix alone (a no-op for local). */
export async function removeLabHost(name: string, prefix: string): Promise<void> {
  if (name !== 'container') return;
  const { removeLabHosts } = await import('./container/lab-host.js');
  await removeLabHosts(prefix);
}

// What is up and applied, kept on the lab host in the lab's run directory,
// so `apply`, `verify` and `status` can be separate commands.
import { names, type LabConfig, type OwnApp } from '../config/config.js';
import type { Profile } from '../topology/profiles.js';
import type { AppliedStep } from '../model/results.js';
import { formatVariant, variantOf, type Variant } from '../model/variant.js';
import type { Target } from '../hosts/host.js';
import type { Step } from '../model/steps.js';
import type { ServerRecord } from '../capture/replay.js';

export interface LabState {
  prefix: string;
  target: string;
  profile: Profile;
  upAt: string;
  /** The server's NICs as `up` built them (later commands must use the same config). */
  nics?: string[];
  /** The profile's steps as `up` applied them (kept so `verify` can report them). */
  profileSteps?: AppliedStep[];
  /** `undo`: what takes the scheme back, in the order to run (written before its steps run). ownApp: the user's program the instances run (verify needs it). */
  applied?: Variant & { at: string; steps?: AppliedStep[]; undo?: Step[]; /** What a matrix cell runs instead of `undo` to keep the scheme's daemon: the other steps' undos, then the daemon's reset. */ park?: { key: string; undo: Step[]; reset: Step[] }; ownApp?: OwnApp; /** A data scheme's file, read again by verify. */ source?: string };
  /** `up --server`: the capture the server was built from, so `verify` rebuilds the same one. */
  server?: ServerRecord;
}

/** "scheme1 app=bound fix=none", as status and watch show it. */
export function describeApplied(a: NonNullable<LabState['applied']>): string {
  return formatVariant(variantOf(a), 'fields');
}

const file = (cfg: LabConfig) => `${names(cfg).runDir}/state.json`;

export async function readState(target: Target, cfg: LabConfig): Promise<LabState | null> {
  const r = await target.run(`cat ${file(cfg)} 2>/dev/null`, { check: false });
  if (r.code !== 0 || !r.stdout.trim()) return null;
  return JSON.parse(r.stdout) as LabState;
}

export async function writeState(target: Target, cfg: LabConfig, state: LabState): Promise<void> {
  await target.run(`cat > ${file(cfg)}`, { input: JSON.stringify(state, null, 2) });
}

/** Which of the lab's namespaces exist, and which processes run in them. */
export async function probeLeftovers(target: Target, cfg: LabConfig) {
  const ns = Object.values(names(cfg).ns);
  const r = await target.run(
    `for ns in ${ns.join(' ')}; do [ -e /run/netns/$ns ] && echo "$ns $(ip netns pids $ns | tr '\\n' ' ')"; done; [ -d ${names(cfg).runDir} ] || [ -d ${names(cfg).etcNetns(names(cfg).ns.server)} ] || [ -d ${names(cfg).appDir} ] && echo "@dir"; true`,
    { check: false },
  );
  const lines = r.stdout.split('\n').filter(Boolean);
  return {
    namespaces: lines.filter((l) => l !== '@dir').map((l) => l.split(' ')[0]),
    pids: lines.filter((l) => l !== '@dir').flatMap((l) => l.split(' ').slice(1).filter(Boolean)),
    runDir: lines.includes('@dir'),
  };
}

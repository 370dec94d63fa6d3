// Test helpers: a lab on the local target with a quiet reporter, and a
// lookup of one check's result.
import { BIN_DIR } from '../../lab/go/build.js';
import { defaultConfig, type LabConfig } from '../../lab/config/config.js';
import { Lab } from '../../lab/run/lab.js';
import { silentReporter } from '../../lab/report/console.js';
import type { CheckResult, RunResult } from '../../lab/model/results.js';
import type { CheckName } from '../../lab/model/scheme.js';
import { localTarget } from '../../lab/hosts/local.js';


export function testLab(prefix: string, tweak: (cfg: LabConfig) => void = () => {}): Lab {
  const cfg = defaultConfig(prefix);
  tweak(cfg);
  return new Lab(localTarget(BIN_DIR), cfg, silentReporter);
}

export function check(r: RunResult, instance: string, name: CheckName): CheckResult {
  const c = r.checks.find((x) => x.instance === instance && x.check === name);
  if (!c) throw new Error(`no ${instance} ${name} in the result`);
  return c;
}

/** instance:check -> measured verdict, for compact assertions. */
export function measuredMap(r: RunResult): Record<string, string> {
  return Object.fromEntries(r.checks.map((c) => [`${c.instance} ${c.check}`, c.measured]));
}

export const isRoot = process.getuid?.() === 0;

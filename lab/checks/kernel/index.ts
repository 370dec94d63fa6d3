// The kernel's account of every verdict, end to end: the hooks that trace
// the probe's packets (and read the ruleset after them), then one more
// command in the server namespace for the route decisions, then the
// account of each check.
import { names, type LabConfig } from '../../config/config.js';
import type { Target } from '../../hosts/host.js';
import type { CheckName } from '../../model/scheme.js';
import type { InstanceMeasurement } from '../probe.js';
import { instanceAccount, packetsOf, unavailableEvidence, type KernelEvidence } from './account.js';
import { parseKernelRecord } from './probe-hooks.js';
import { parseRouteOutput, routeQuery, routeScript, type RouteDecision, type RouteQuery } from './route.js';
import { parseRuleset } from './ruleset.js';
import { parseTrace, type TracedPacket } from './trace.js';

export { kernelHooks } from './probe-hooks.js';
export type { KernelEvidence } from './account.js';

/** Evidence by instance, then check. */
export type KernelAccount = Map<string, Record<CheckName, KernelEvidence>>;

/** The account; when recording or reading it fails, one line saying why, so the verdicts are never affected. */
export async function kernelAccount(
  target: Target,
  cfg: LabConfig,
  ms: InstanceMeasurement[],
  probeStdout: string,
  reasonOf: (instance: string, check: CheckName) => string | undefined,
): Promise<KernelAccount> {
  try {
    return await account(target, cfg, ms, probeStdout, reasonOf);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return everyCheck(ms, unavailableEvidence(`reading the kernel's account failed: ${why}`));
  }
}

/** One line of evidence for every check of every instance: what the account says when it has nothing per packet. */
function everyCheck(ms: InstanceMeasurement[], e: KernelEvidence): KernelAccount {
  return new Map(ms.map((m) => [m.instance.nic.name, { 'ingress-nic': e, 'reply-nic': e, 'egress-ip': e, 'egress-nic': e }]));
}

async function account(
  target: Target,
  cfg: LabConfig,
  ms: InstanceMeasurement[],
  probeStdout: string,
  reasonOf: (instance: string, check: CheckName) => string | undefined,
): Promise<KernelAccount> {
  const rec = parseKernelRecord(probeStdout);
  const account: KernelAccount = new Map();
  if (rec.unavailable) return everyCheck(ms, unavailableEvidence(rec.unavailable));
  const packets = parseTrace(cfg, rec.trace);
  const mine = packetsOf(cfg, ms, packets);
  const asked: [TracedPacket, RouteQuery][] = [];
  const nics = cfg.nics.map((n) => n.name);
  mine.forEach((k, i) => {
    for (const p of [k.request, k.reply, k.outgoing, k.dns]) {
      // The instance's own connections go out with its socket's bound device, if it binds one.
      const bound = p === k.outgoing || p === k.dns ? ms[i].instance.boundDevice : undefined;
      const q = p && routeQuery(p, nics, bound);
      if (q) asked.push([p, q]);
    }
  });
  const r = await target.run(routeScript(asked.map(([, q]) => q)), { ns: names(cfg).ns.server, check: false });
  const { decisions } = parseRouteOutput(asked.map(([, q]) => q), r.stdout);
  const routes = new Map<TracedPacket, RouteDecision>(asked.map(([p], i) => [p, decisions[i]]));
  const rules = parseRuleset(rec.ruleset ?? '');
  ms.forEach((m, i) => {
    const nic = m.instance.nic.name;
    account.set(nic, instanceAccount(cfg, m, mine[i], rec, routes, rules, (check) => reasonOf(nic, check)));
  });
  return account;
}

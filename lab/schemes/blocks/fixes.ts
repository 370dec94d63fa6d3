// The fix measuring showed (docs/schemes.md, "The fix"): source-based policy routing, one table per NIC.
import type { Nic } from '../../config/config.js';
import type { Text } from '../../model/i18n.js';
import type { SchemeContext } from '../../model/scheme.js';
import type { Step } from '../../model/steps.js';

export interface PolicyRoutingOptions {
  /** The source address the rule must match for each NIC: the address the route is chosen with. */
  keyedOn: (nic: Nic, index: number) => string;
  /** Put `lookup main suppress_prefixlength 0` first, so local subnets (the container bridge) still route. */
  keepLocalRoutes: boolean;
  why: Text;
}

export function policyRouting(ctx: SchemeContext, o: PolicyRoutingOptions): Step[] {
  const { cfg } = ctx;
  const commands: string[] = [];
  cfg.nics.forEach((nic, i) => {
    const from = o.keyedOn(nic, i);
    const pref = 1000 + i * 10;
    if (o.keepLocalRoutes) commands.push(`ip rule add pref ${pref} from ${from} lookup main suppress_prefixlength 0`);
    commands.push(`ip rule add pref ${pref + 1} from ${from} lookup ${nic.table}`);
    commands.push(`ip route add default via ${cfg.vpc.gateway} dev ${nic.name} table ${nic.table}`);
  });
  return [{ node: 'server', explain: o.why, commands }];
}

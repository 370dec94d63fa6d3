// The lab's addresses and names (docs/design.md, "The topology"). Defaults:
// documentation ranges (RFC 5737) and 100.64.0.0/10 for the "internet",
// the seed's private addresses for the server.

export type NicName = string;

export interface Nic {
  /** Interface name inside the server namespace (eth0, eth1). */
  name: NicName;
  /** Private address on the VPC subnet. */
  ip: string;
  /** Elastic (public) IP the cloud router maps 1:1 onto `ip`. */
  eip: string;
  /** Fixed MAC, so the router's permanent neighbour entries are known up front. */
  mac: string;
  /** Routing table the pbr fix uses for traffic that must leave through this NIC. */
  table: number;
}

export interface LabConfig {
  prefix: string;
  vpc: { gateway: string; prefixLen: number; bridge: string };
  nics: [Nic, Nic];
  uplink: { edgeIp: string; clientIp: string; prefixLen: number };
  echo: { ip: string; port: number };
  appPort: number;
  /** How long one probe connection may take before it counts as failed. */
  probeTimeoutMs: number;
}

export const DEFAULT_PREFIX = 'eiplab';

export function defaultConfig(prefix = DEFAULT_PREFIX): LabConfig {
  return {
    prefix,
    vpc: { gateway: '172.31.0.1', prefixLen: 24, bridge: 'vpc' },
    nics: [
      { name: 'eth0', ip: '172.31.0.8', eip: '203.0.113.65', mac: '02:00:ac:1f:00:08', table: 100 },
      { name: 'eth1', ip: '172.31.0.14', eip: '198.51.100.75', mac: '02:00:ac:1f:00:0e', table: 101 },
    ],
    uplink: { edgeIp: '100.64.0.1', clientIp: '100.64.0.2', prefixLen: 24 },
    echo: { ip: '192.0.2.10', port: 80 },
    appPort: 8090,
    probeTimeoutMs: 1000,
  };
}

export type NodeName = 'host' | 'inet' | 'edge' | 'server';
export const LAB_NODES: Exclude<NodeName, 'host'>[] = ['inet', 'edge', 'server'];

/** Names derived from the prefix: everything the lab creates on the host carries it. */
export function names(cfg: LabConfig) {
  const p = cfg.prefix;
  return {
    ns: { inet: `${p}-inet`, edge: `${p}-edge`, server: `${p}-server` } as Record<Exclude<NodeName, 'host'>, string>,
    runDir: `/run/${p}`,
    /** The edge's veth end for each server NIC (interface names stay inside the lab's namespaces). */
    // srv-<name> while it fits in an interface name (15 characters); a longer NIC name (a captured server's) gives srv<index>.
    edgePort: (nic: Nic) => (nic.name.length <= 11 ? `srv-${nic.name}` : `srv${cfg.nics.findIndex((n) => n.name === nic.name)}`),
  };
}

export function nsOf(cfg: LabConfig, node: NodeName): string | undefined {
  return node === 'host' ? undefined : names(cfg).ns[node];
}

// The lab's addresses and names (docs/design.md, "The topology"). Defaults:
// documentation ranges (RFC 5737) and 100.64.0.0/10 for the "internet",
// the seed's private addresses for the server.
import { fromInt, toInt } from './ipv4.js';

export type NicName = string;

export interface Nic {
  /** Interface name inside the server namespace (eth0, eth1, ...; any name: the schemes know NICs by role). */
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

/** A program of the user's, run as each NIC's instance instead of the lab's app (--app-cmd). */
export interface OwnApp {
  /** The command line as given, for the output. */
  command: string;
  /** The program (an absolute path on the lab host), then its arguments, placeholders not yet filled in. */
  argv: string[];
  /** The path the lab asks each instance for in its probes (--app-path). */
  path: string;
  /** Scheme 2: a `docker save` archive to load instead of packing the program (--app-image). */
  image?: string;
  /** Scheme 2: the port the image's program listens on inside its container (--app-port). */
  imagePort?: number;
}

export interface LabConfig {
  prefix: string;
  vpc: { gateway: string; prefixLen: number; bridge: string };
  /** 2 to 4 NICs; the first holds the default route. */
  nics: Nic[];
  uplink: { edgeIp: string; clientIp: string; prefixLen: number };
  echo: { ip: string; port: number };
  appPort: number;
  /**
   * How long one probe connection may take before it counts as failed, and the lab's app's deadline
   * for its own outgoing call. A lab of veths answers in well under a millisecond: the deadline
   * is for a busy machine, and a slow lab host stretches it (Target.slowdown).
   */
  probeTimeoutMs: number;
  /** The names the VPC resolver answers (--resolve); every name when absent. Not part of a config file. */
  resolve?: string[];
  /** The user's program instead of the lab's app (--app-cmd). Not part of a config file. */
  ownApp?: OwnApp;
}

export const DEFAULT_PREFIX = 'eiplab';

/** How many NICs the server may have: one with the default route, and one to three others. */
export const NIC_COUNT = { min: 2, max: 4, default: 2 } as const;

/**
 * The default NICs: the seed's two, then two more on the same VPC subnet, each
 * with its own EIP from the documentation ranges (RFC 5737).
 */
const DEFAULT_NICS = [
  { ip: '172.31.0.8', eip: '203.0.113.65' },
  { ip: '172.31.0.14', eip: '198.51.100.75' },
  { ip: '172.31.0.20', eip: '203.0.113.85' },
  { ip: '172.31.0.26', eip: '198.51.100.95' },
];

function defaultNic(i: number): Nic {
  const { ip, eip } = DEFAULT_NICS[i];
  const last = Number(ip.split('.')[3]);
  return { name: `eth${i}`, ip, eip, mac: `02:00:ac:1f:00:${last.toString(16).padStart(2, '0')}`, table: 100 + i };
}

export function defaultConfig(prefix = DEFAULT_PREFIX, nicCount: number = NIC_COUNT.default): LabConfig {
  if (!Number.isInteger(nicCount) || nicCount < NIC_COUNT.min || nicCount > NIC_COUNT.max) {
    throw new RangeError(`a lab has ${NIC_COUNT.min} to ${NIC_COUNT.max} NICs, not ${nicCount}`);
  }
  return {
    prefix,
    vpc: { gateway: '172.31.0.1', prefixLen: 24, bridge: 'vpc' },
    nics: Array.from({ length: nicCount }, (_, i) => defaultNic(i)),
    uplink: { edgeIp: '100.64.0.1', clientIp: '100.64.0.2', prefixLen: 24 },
    echo: { ip: '192.0.2.10', port: 80 },
    appPort: 8090,
    probeTimeoutMs: 500,
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
    /** A user's program copied to a lab host that is another machine: not under /run, which the VM mounts noexec. */
    appDir: `/var/tmp/${p}-app`,
    /** Per-namespace files \`ip netns exec\` binds over /etc (the server's resolv.conf and hosts). */
    etcNetns: (ns: string) => `/etc/netns/${ns}`,
    /** The edge's veth end for each server NIC (interface names stay inside the lab's namespaces). */
    // srv-<name> while it fits in an interface name (15 characters); a longer NIC name (a captured server's) gives srv<index>.
    edgePort: (nic: Nic) => (nic.name.length <= 11 ? `srv-${nic.name}` : `srv${cfg.nics.findIndex((n) => n.name === nic.name)}`),
  };
}

export function nsOf(cfg: LabConfig, node: NodeName): string | undefined {
  return node === 'host' ? undefined : names(cfg).ns[node];
}

/** The VPC resolver's address, as clouds give one: the VPC subnet's base address + 2 (172.31.0.2). */
export function resolverIp(cfg: LabConfig): string {
  const size = 2 ** (32 - cfg.vpc.prefixLen);
  const n = toInt(cfg.vpc.gateway);
  return fromInt(n - (n % size) + 2);
}

// Which of a captured server's interfaces the lab rebuilds: the NICs on the
// subnet of the main table's default gateway. The edge becomes that
// gateway; every other interface (docker0, br-*, tun0, ...) is not created.
import { LabError } from '../model/errors.js';
import { inCidr, toInt } from '../config/ipv4.js';
import type { Capture } from './capture.js';
import { captureSay } from './phrases.js';

export const MIN_NICS = 2;
export const MAX_NICS = 4;

/** Private ranges (RFC 1918) a captured NIC address may be in: they stay inside the lab's namespaces. */
export const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

export interface CapturedAddress {
  ip: string;
  prefixLen: number;
}

export interface ServerNic {
  name: string;
  mac: string;
  /** The NIC's first address on the gateway's subnet: the app instance meant to use this NIC listens here. */
  primary: string;
  /** Every IPv4 address of the NIC, the primary first. */
  addresses: CapturedAddress[];
}

export interface CapturedServer {
  /** The main table's default gateway: the lab's edge takes this address. */
  gateway: string;
  /** The gateway's subnet, which every NIC has an address on. */
  subnet: CapturedAddress;
  /** The NIC holding the main default route first, then the others in the capture's order. */
  nics: ServerNic[];
  /** Interfaces the lab does not create (not lo, not a NIC). */
  foreign: { name: string; kind: string }[];
}

export function networkOf(ip: string, prefixLen: number): string {
  const size = 2 ** (32 - prefixLen);
  const n = Math.floor(toInt(ip) / size) * size;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function ipv4Addresses(capture: Capture, ifname: string): CapturedAddress[] {
  const entry = capture.addresses.find((a) => a.ifname === ifname);
  return (entry?.addr_info ?? [])
    .filter((a) => a.family === 'inet' && a.local && a.prefixlen !== undefined)
    .map((a) => ({ ip: a.local!, prefixLen: a.prefixlen! }));
}

/** The route the kernel would use for the main table's default: the lowest metric wins. */
function mainDefault(capture: Capture) {
  const defaults = capture.routes.filter((r) => r.dst === 'default' && (r.table ?? 'main') === 'main' && r.gateway && (r.type ?? 'unicast') === 'unicast');
  return defaults.sort((a, b) => Number(a.metric ?? 0) - Number(b.metric ?? 0))[0];
}

/** The server the capture describes, or a LabError naming why the lab cannot build it. */
export function capturedServer(capture: Capture, source: string): CapturedServer {
  const def = mainDefault(capture);
  if (!def) throw new LabError(captureSay.noGateway(source));
  const gateway = def.gateway!;
  const onGateway = (ifname: string) => ipv4Addresses(capture, ifname).find((a) => inCidr(gateway, `${networkOf(a.ip, a.prefixLen)}/${a.prefixLen}`));
  const devSubnet = def.dev ? onGateway(def.dev) : undefined;
  if (!devSubnet) throw new LabError(captureSay.gatewayOffSubnet(source, gateway, def.dev ?? '?'));
  const subnet = { ip: networkOf(devSubnet.ip, devSubnet.prefixLen), prefixLen: devSubnet.prefixLen };
  const cidr = `${subnet.ip}/${subnet.prefixLen}`;
  const onSubnet = capture.links.filter((l) => l.ifname !== 'lo' && ipv4Addresses(capture, l.ifname).some((a) => inCidr(a.ip, cidr)));
  // The default route's NIC first: the lab's first NIC is the one holding the default route.
  onSubnet.sort((a, b) => Number(b.ifname === def.dev) - Number(a.ifname === def.dev));
  if (onSubnet.length > MAX_NICS) throw new LabError(captureSay.tooManyNics(source, onSubnet.length, cidr, onSubnet.map((l) => l.ifname).join(', '), MAX_NICS));
  if (onSubnet.length < MIN_NICS) throw new LabError(captureSay.tooFewNics(source, onSubnet.length, cidr, MIN_NICS));
  const nics = onSubnet.map((l): ServerNic => {
    const all = ipv4Addresses(capture, l.ifname);
    const primary = all.find((a) => inCidr(a.ip, cidr))!;
    const mac = (l.address ?? '').toLowerCase();
    if (!/^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$/.test(mac)) throw new LabError(captureSay.badMac(source, l.ifname, l.address ?? 'none'));
    for (const a of all) if (!RFC1918.some((c) => inCidr(a.ip, c))) throw new LabError(captureSay.publicAddress(source, l.ifname, a.ip));
    return { name: l.ifname, mac, primary: primary.ip, addresses: [primary, ...all.filter((a) => a !== primary)] };
  });
  if (!RFC1918.some((c) => inCidr(gateway, c))) throw new LabError(captureSay.publicAddress(source, 'gateway', gateway));
  const macs = new Set(nics.map((n) => n.mac));
  if (macs.size < nics.length) throw new LabError(captureSay.sharedMac(source, nics.map((n) => `${n.name} ${n.mac}`).join(', ')));
  const created = new Set(['lo', ...nics.map((n) => n.name)]);
  const foreign = capture.links
    .filter((l) => !created.has(l.ifname))
    .map((l) => ({ name: l.ifname, kind: l.linkinfo?.info_kind ?? l.link_type ?? 'unknown' }));
  return { gateway, subnet, nics, foreign };
}

/** The names the replay may name: the NICs and lo. */
export function createdInterfaces(server: CapturedServer): Set<string> {
  return new Set(['lo', ...server.nics.map((n) => n.name)]);
}

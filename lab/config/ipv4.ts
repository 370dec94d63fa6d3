// Small IPv4 arithmetic for validating the lab's addresses.

export function toInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function fromInt(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split('/');
  const bits = Number(len);
  const size = 2 ** (32 - bits);
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

export function sameSubnet(a: string, b: string, prefixLen: number): boolean {
  return inCidr(a, `${b}/${prefixLen}`);
}

/** True for the network and broadcast addresses of a subnet. */
export function isNetworkOrBroadcast(ip: string, prefixLen: number): boolean {
  if (prefixLen >= 31) return false;
  const size = 2 ** (32 - prefixLen);
  const offset = toInt(ip) % size;
  return offset === 0 || offset === size - 1;
}

/** Stand-ins for public addresses: the documentation ranges (RFC 5737) and shared address space (RFC 6598). */
export const PUBLIC_STAND_INS = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '100.64.0.0/10'];

/** Private ranges the seed uses (172.16.0.0/12 holds both 172.31.0.0/24 and 172.19.0.0/16). */
export const SEED_PRIVATE = ['172.16.0.0/12'];

/**
 * Subnets the schemes themselves use on the server: the VPC must stay clear of them.
 * (Docker's default 172.17.0.0/16 is not among them: the lab's dockerd runs without a default bridge.)
 */
export const SCHEME_SUBNETS = ['172.19.0.0/16'];

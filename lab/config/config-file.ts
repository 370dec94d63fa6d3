// A lab config file (JSON) overrides the default addresses, names and ports.
// It is validated as a whole, and every error names its field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultConfig, NIC_COUNT, resolverIp, type LabConfig } from './config.js';
import { LabError } from '../model/errors.js';
import { inCidr, isNetworkOrBroadcast, PUBLIC_STAND_INS, SCHEME_SUBNETS, SEED_PRIVATE, sameSubnet } from './ipv4.js';

const ipv4 = z.ipv4({ message: 'not an IPv4 address' });
const standIn = ipv4.refine((ip) => PUBLIC_STAND_INS.some((c) => inCidr(ip, c)), {
  message: `must be a stand-in for a public address (${PUBLIC_STAND_INS.join(', ')}), never a real one`,
});
const privateIp = ipv4
  .refine((ip) => SEED_PRIVATE.some((c) => inCidr(ip, c)), { message: `must be a private address in ${SEED_PRIVATE.join(', ')}` })
  .refine((ip) => !SCHEME_SUBNETS.some((c) => inCidr(ip, c)), {
    message: `overlaps a subnet the schemes use on the server (${SCHEME_SUBNETS.join(', ')})`,
  });
// Linux interface names: at most 15 characters (IFNAMSIZ - 1), no slashes or spaces.
const ifname = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/, 'must be an interface name: a letter, then up to 14 letters, digits, _ . -');
const port = z.number().int().min(1).max(65535);

const nic = z.strictObject({
  name: ifname,
  ip: privateIp,
  eip: standIn,
  mac: z.string().regex(/^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$/i, 'must be a unicast MAC such as 02:00:ac:1f:00:08'),
  table: z.number().int().min(1).max(252),
});

export const labConfigSchema = z
  .object({
    prefix: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, 'use 1 to 12 lower-case letters and digits, starting with a letter'),
    vpc: z.strictObject({ gateway: privateIp, prefixLen: z.number().int().min(8).max(30), bridge: ifname }),
    nics: z
      .array(nic)
      .min(NIC_COUNT.min, `a lab needs at least ${NIC_COUNT.min} NICs (the first holds the default route)`)
      .max(NIC_COUNT.max, `a lab has at most ${NIC_COUNT.max} NICs`),
    uplink: z.strictObject({ edgeIp: standIn, clientIp: standIn, prefixLen: z.number().int().min(8).max(30) }),
    echo: z.strictObject({ ip: standIn, port }),
    appPort: port,
    probeTimeoutMs: z.number().int().min(100).max(30_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const resolver = resolverIp(c as LabConfig);
    if (c.vpc.gateway === resolver) issue(['vpc', 'gateway'], `${resolver} is the VPC resolver's address (the subnet's base address + 2)`);
    c.nics.forEach((n, i) => {
      if (n.ip === resolver) issue(['nics', i, 'ip'], `${n.ip} is the VPC resolver's address (the subnet's base address + 2)`);
      if (!sameSubnet(n.ip, c.vpc.gateway, c.vpc.prefixLen)) issue(['nics', i, 'ip'], `${n.ip} is not in the VPC subnet ${c.vpc.gateway}/${c.vpc.prefixLen}`);
      else if (isNetworkOrBroadcast(n.ip, c.vpc.prefixLen)) issue(['nics', i, 'ip'], `${n.ip} is the subnet's network or broadcast address`);
    });
    const unique = (what: string, values: [string, (string | number)[]][]) => {
      const seen = new Map<string, string>();
      for (const [v, path] of values) {
        if (seen.has(v)) issue(path, `${v} is used twice (also as ${seen.get(v)})`);
        else seen.set(v, path.join('.'));
      }
      return what;
    };
    unique('addresses', [
      [c.vpc.gateway, ['vpc', 'gateway']],
      ...c.nics.flatMap((n, i): [string, (string | number)[]][] => [
        [n.ip, ['nics', i, 'ip']],
        [n.eip, ['nics', i, 'eip']],
      ]),
      [c.uplink.edgeIp, ['uplink', 'edgeIp']],
      [c.uplink.clientIp, ['uplink', 'clientIp']],
      [c.echo.ip, ['echo', 'ip']],
    ]);
    unique('names', [
      ...c.nics.map((n, i): [string, (string | number)[]] => [n.name, ['nics', i, 'name']]),
      [c.vpc.bridge, ['vpc', 'bridge']],
      ['uplink', ['uplink']],
    ]);
    unique('macs', c.nics.map((n, i): [string, (string | number)[]] => [n.mac.toLowerCase(), ['nics', i, 'mac']]));
    unique('tables', c.nics.map((n, i): [string, (string | number)[]] => [String(n.table), ['nics', i, 'table']]));
    if (!sameSubnet(c.uplink.clientIp, c.uplink.edgeIp, c.uplink.prefixLen)) {
      issue(['uplink', 'clientIp'], `${c.uplink.clientIp} is not in the uplink subnet ${c.uplink.edgeIp}/${c.uplink.prefixLen}`);
    }
    if (sameSubnet(c.echo.ip, c.uplink.edgeIp, c.uplink.prefixLen)) issue(['echo', 'ip'], 'must be outside the uplink subnet (it sits behind the client)');
    c.nics.forEach((n, i) => {
      if (sameSubnet(n.eip, c.uplink.edgeIp, c.uplink.prefixLen)) issue(['nics', i, 'eip'], 'must be outside the uplink subnet');
    });
  });

function merge<T>(base: T, over: unknown): T {
  if (Array.isArray(base) && Array.isArray(over)) return base.map((b, i) => (i < over.length ? merge(b, over[i]) : b)) as T;
  if (base && typeof base === 'object' && over && typeof over === 'object' && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : v;
    return out as T;
  }
  return (over === undefined ? base : over) as T;
}

/** Validates a whole config; the first problem becomes one line naming its field. */
export function validateConfig(cfg: unknown, source = 'config'): LabConfig {
  const r = labConfigSchema.safeParse(cfg);
  if (r.success) return r.data as LabConfig;
  const first = r.error.issues[0];
  const field = first.path.join('.') || '(top level)';
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  const msg = first.code === 'unrecognized_keys' ? `unknown field ${first.keys.join(', ')}` : first.message;
  throw new LabError(`${source}: ${field}: ${msg}${more}`);
}

/**
 * The defaults with a config file's fields on top; the prefix always comes from --prefix.
 * A file's `nics` entries override the default NICs in order; the server has as
 * many NICs as --nics says (default 2), or as the file lists when that is more.
 */
export function loadConfig(prefix: string, file?: string, nicCount?: number): LabConfig {
  if (!file) return validateConfig(defaultConfig(prefix, nicCount));
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LabError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  if (raw && typeof raw === 'object' && 'prefix' in raw) throw new LabError(`${file}: prefix: set the prefix with --prefix, not in the file`);
  const listed = raw && typeof raw === 'object' && 'nics' in raw && Array.isArray(raw.nics) ? raw.nics.length : 0;
  if (listed > NIC_COUNT.max) throw new LabError(`${file}: nics: lists ${listed} NICs; a lab has at most ${NIC_COUNT.max}`);
  if (nicCount !== undefined && listed > nicCount) {
    throw new LabError(`${file}: nics: lists ${listed} NICs, more than --nics ${nicCount}: give --nics ${listed}, or list fewer`);
  }
  return validateConfig(merge(defaultConfig(prefix, Math.max(listed, nicCount ?? NIC_COUNT.default)), raw), file);
}

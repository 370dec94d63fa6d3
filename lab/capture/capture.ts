// A capture: what lab/capture/capture.sh printed on someone's server. This
// module reads and checks its shape; lab/capture/server.ts decides which
// interfaces become the lab server's NICs.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LabError } from '../model/errors.js';
import { captureSay } from './phrases.js';

export const CAPTURE_FORMAT = 'eiplab-capture';
export const CAPTURE_VERSION = 1;

const addrInfo = z.looseObject({
  family: z.string(),
  local: z.string().optional(),
  prefixlen: z.number().int().min(0).max(128).optional(),
  secondary: z.unknown().optional(),
});

const link = z.looseObject({
  ifindex: z.number().int().optional(),
  ifname: z.string(),
  address: z.string().optional(),
  link_type: z.string().optional(),
  linkinfo: z.looseObject({ info_kind: z.string().optional() }).optional(),
});

const addresses = z.looseObject({ ifname: z.string(), addr_info: z.array(addrInfo) });

/** An `ip -j route` entry; fields the replay does not know make it unreplayable, never silently lost. */
const route = z.looseObject({ dst: z.string(), table: z.string().optional(), dev: z.string().optional(), gateway: z.string().optional() });

const rule = z.looseObject({ priority: z.number().int() });

const sysctlValues = z.record(z.string(), z.string().nullable());

export const captureSchema = z.looseObject({
  format: z.literal(CAPTURE_FORMAT),
  version: z.literal(CAPTURE_VERSION),
  capturedAt: z.string().optional(),
  host: z.looseObject({ hostname: z.string().nullable().optional(), kernel: z.string().nullable().optional() }).optional(),
  links: z.array(link),
  addresses: z.array(addresses),
  routes: z.array(route),
  routes6: z.array(z.looseObject({})).default([]),
  rules: z.array(rule),
  rules6: z.array(z.looseObject({})).default([]),
  sysctls: z.looseObject({ ipv4: sysctlValues, conf: z.record(z.string(), sysctlValues) }),
  iptables: z.string().nullable(),
  nft: z.looseObject({ nftables: z.array(z.record(z.string(), z.unknown())) }).nullable(),
});

export type Capture = z.infer<typeof captureSchema>;
export type CapturedRoute = z.infer<typeof route>;
export type CapturedRule = z.infer<typeof rule>;

/** Linux interface names have at most 15 characters (IFNAMSIZ - 1). */
export const MAX_IFNAME = 15;

/**
 * Reads a capture from its text. Every problem is one line naming the file and
 * what is wrong (a LabError, exit code 2).
 */
export function parseCapture(text: string, source: string): Capture {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LabError(captureSay.notJson(source, (e as Error).message));
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new LabError(captureSay.notACapture(source, 'not a JSON object'));
  const format = (raw as Record<string, unknown>).format;
  if (format !== CAPTURE_FORMAT) {
    throw new LabError(captureSay.notACapture(source, format === undefined ? 'it has no "format" field' : `its format is ${JSON.stringify(format)}`));
  }
  const version = (raw as Record<string, unknown>).version;
  if (version !== CAPTURE_VERSION) throw new LabError(captureSay.badVersion(source, JSON.stringify(version), CAPTURE_VERSION));
  const r = captureSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    const field = first.path.join('.') || '(top level)';
    const missing = first.code === 'invalid_type' && /received undefined/.test(first.message);
    throw new LabError(missing ? captureSay.missingField(source, field) : captureSay.badField(source, field, first.message));
  }
  const capture = r.data;
  for (const l of capture.links) {
    if (l.ifname.length > MAX_IFNAME) throw new LabError(captureSay.longIfname(source, l.ifname, l.ifname.length, MAX_IFNAME));
  }
  return capture;
}

export function readCapture(file: string): Capture {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LabError(captureSay.cannotRead(file, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  return parseCapture(text, file);
}

// Template variables in a scheme file's commands and explanations:
// `{nic.ip}`, `{vpc.gateway}`, `{nic.index+100}` (a number plus an offset).
// A `${...}` is the shell's and is left alone, as is `{` followed by a space
// (nft's `{ type nat hook ... }`).
import type { LabConfig, Nic } from '../../config/config.js';

/** `{name}` or `{name+N}`, not preceded by `$`. */
const VARIABLE = /(?<!\$)\{([a-z_]+(?:\.[a-z_]+)?)(?:\+(\d+))?\}/g;

/** The variables every step may use, and those a step repeated for each NIC adds. */
export const LAB_VARIABLES = ['vpc.gateway', 'vpc.subnet', 'vpc.prefix_len', 'app.port', 'app.name', 'echo.ip', 'echo.port', 'lab.prefix', 'default.name', 'default.ip', 'default.eip'] as const;
export const NIC_VARIABLES = ['nic.name', 'nic.ip', 'nic.eip', 'nic.table', 'nic.index', 'nic.number'] as const;
/** What a fact's why may name: it is said of one instance's NIC (filled when the verdict is given). */
export const WHY_VARIABLES = ['nic.name', 'nic.ip', 'nic.eip', 'default.name', 'default.ip', 'default.eip'] as const;
const NUMERIC = new Set(['nic.table', 'nic.index', 'nic.number', 'app.port', 'echo.port', 'vpc.prefix_len']);

export interface TemplateUse {
  name: string;
  offset?: number;
}

export function variablesIn(text: string): TemplateUse[] {
  return [...text.matchAll(VARIABLE)].map((m) => ({ name: m[1], ...(m[2] !== undefined && { offset: Number(m[2]) }) }));
}

/** Why a use is wrong, or null: an unknown name, or an offset on a variable that is not a number. */
export function badUse(use: TemplateUse, known: ReadonlySet<string>): string | null {
  if (!known.has(use.name)) return `unknown template variable {${use.name}}: use one of ${[...known].map((k) => `{${k}}`).join(', ')}`;
  if (use.offset !== undefined && !NUMERIC.has(use.name)) return `{${use.name}+${use.offset}}: only a number takes an offset`;
  return null;
}

export type Values = Record<string, string | number>;

/** The values of the lab-wide variables. */
export function labValues(cfg: LabConfig, app: string): Values {
  const base = cfg.vpc.gateway.split('.').map(Number);
  const mask = cfg.vpc.prefixLen === 0 ? 0 : (~0 << (32 - cfg.vpc.prefixLen)) >>> 0;
  const net = ((((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0) & mask) >>> 0;
  const subnet = `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${cfg.vpc.prefixLen}`;
  const first = cfg.nics[0];
  return {
    'vpc.gateway': cfg.vpc.gateway,
    'vpc.subnet': subnet,
    'vpc.prefix_len': cfg.vpc.prefixLen,
    'app.port': cfg.appPort,
    'app.name': app,
    'echo.ip': cfg.echo.ip,
    'echo.port': cfg.echo.port,
    'lab.prefix': cfg.prefix,
    'default.name': first.name,
    'default.ip': first.ip,
    'default.eip': first.eip,
  };
}

/** The values of one NIC's variables, its own `nic_vars` included (which may use the others). */
export function nicValues(nic: Nic, index: number, lab: Values, nicVars: Record<string, string>): Values {
  const own: Values = { 'nic.name': nic.name, 'nic.ip': nic.ip, 'nic.eip': nic.eip, 'nic.table': nic.table, 'nic.index': index, 'nic.number': index + 1 };
  for (const [key, template] of Object.entries(nicVars)) own[`nic.${key}`] = fill(template, { ...lab, ...own });
  return { ...lab, ...own };
}

/** Replaces every variable with its value; a variable with no value here is left as written. */
export function fill(text: string, values: Values): string {
  return text.replace(VARIABLE, (all, name: string, offset?: string) => {
    const v = values[name];
    if (v === undefined) return all;
    return offset === undefined ? String(v) : String(Number(v) + Number(offset));
  });
}

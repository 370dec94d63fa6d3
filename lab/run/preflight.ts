// Checks the lab host before anything is created: root, and the tools the
// lab calls, each named with the Debian package that provides it.
import { LabError } from '../model/errors.js';
import type { Bilingual } from '../model/i18n.js';
import type { Target } from '../hosts/host.js';

export const REQUIRED_TOOLS: Record<string, string> = {
  ip: 'iproute2',
  bridge: 'iproute2',
  nft: 'nftables',
  curl: 'curl',
  sysctl: 'procps',
  setsid: 'util-linux',
  base64: 'coreutils',
  dnsmasq: 'dnsmasq-base',
  ss: 'iproute2',
};

export async function preflight(target: Target, extraTools: Record<string, string> = {}): Promise<void> {
  const tools = { ...REQUIRED_TOOLS, ...extraTools };
  const r = await target.run(
    `id -u; for t in ${Object.keys(tools).join(' ')}; do command -v $t >/dev/null 2>&1 || echo "missing $t"; done`,
    { check: false },
  );
  const [uid, ...rest] = r.stdout.trim().split('\n');
  if (!/^\d+$/.test(uid.trim())) {
    throw new LabError(`cannot run commands on the ${target.name} lab host: ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`}`);
  }
  if (uid.trim() !== '0') {
    throw new LabError(`eiplab needs root on the ${target.name} lab host (it creates network namespaces): run it with sudo`);
  }
  const missing = rest.filter((l) => l.startsWith('missing ')).map((l) => l.slice(8));
  if (missing.length) throw new LabError(missingToolsText(missing, tools));
}

/** "missing tool dockerd: run `npm run setup` or `apt-get install docker.io`", in both languages. */
export function missingToolsText(missing: string[], tools: Record<string, string>): Bilingual {
  const pkgs = [...new Set(missing.map((t) => tools[t]))].join(' ');
  const list = missing.join(', ');
  return {
    en: `missing tool${missing.length > 1 ? 's' : ''} ${list}: run \`npm run setup\` or \`apt-get install ${pkgs}\``,
    zh: `缺少工具 ${list}：运行 \`npm run setup\` 或 \`apt-get install ${pkgs}\``,
  };
}

const toolsFound = new WeakMap<Target, Map<string, Promise<boolean>>>();

/**
 * Why a scheme's own tools (beyond the lab's) are not all on this lab host, or
 * null when they are. Each tool is looked up once per lab host.
 */
export async function lackingTools(target: Target, tools: Record<string, string>): Promise<Bilingual | null> {
  let known = toolsFound.get(target);
  if (!known) toolsFound.set(target, (known = new Map()));
  const ask = Object.keys(tools).filter((tool) => !known.has(tool));
  if (ask.length) {
    const found = target
      .run(`for t in ${ask.join(' ')}; do command -v $t >/dev/null 2>&1 && echo "$t"; done; true`, { check: false })
      .then((r) => new Set(r.stdout.split('\n').filter(Boolean)));
    for (const tool of ask) known.set(tool, found.then((f) => f.has(tool)));
  }
  const have = await Promise.all(Object.keys(tools).map(async (tool) => [tool, await known.get(tool)!] as const));
  const missing = have.filter(([, ok]) => !ok).map(([tool]) => tool);
  return missing.length ? missingToolsText(missing, tools) : null;
}

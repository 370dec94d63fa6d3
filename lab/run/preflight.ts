// Checks the lab host before anything is created: root, and the tools the
// lab calls, each named with the Debian package that provides it.
import { LabError } from '../model/errors.js';
import type { Target } from '../hosts/host.js';

export const REQUIRED_TOOLS: Record<string, string> = {
  ip: 'iproute2',
  bridge: 'iproute2',
  nft: 'nftables',
  curl: 'curl',
  sysctl: 'procps',
  setsid: 'util-linux',
  base64: 'coreutils',
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
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => tools[t]))];
    throw new LabError(`missing tool${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: run \`npm run setup\` or \`apt-get install ${pkgs.join(' ')}\``);
  }
}

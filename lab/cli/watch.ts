// What `watch` shows: the server's probe counters summed per NIC (the same
// counters the verdicts come from), and the VPC's source-check drops when
// the profile has one. Reading is one snapshot; rendering is pure.
import { chalk } from 'zx/core';
import { PROBE_TABLE, counterNames as C, parseCounters } from '../checks/counters.js';
import { names, type LabConfig } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { t, type Lang, type Text } from '../model/i18n.js';
import { sourceCheckCounters } from '../topology/profiles.js';
import { say } from '../report/phrases.js';
import { padEnd, padStart, width } from '../report/width.js';
import { readState, describeApplied, type LabState } from '../run/state.js';
import type { Target } from '../hosts/host.js';

export interface NicCounts {
  /** Requests to each NIC's IP (rows), by the NIC they came in on (columns). */
  ingress: Record<string, Record<string, number>>;
  /** Replies from each NIC's IP, by the NIC they left through. */
  reply: Record<string, Record<string, number>>;
  /** Connection attempts to the echo server, by the NIC they left through. */
  egress: Record<string, number>;
  egressOther: number;
  /** Frames the VPC's source check dropped, by sending NIC; null when the profile has no check. */
  drops: Record<string, number> | null;
}

export interface Snapshot {
  at: Date;
  state: LabState;
  counts: NicCounts;
}

/** Sums the named counters per NIC. */
export function nicCounts(cfg: LabConfig, server: Record<string, number>, edge: Record<string, number> | null): NicCounts {
  const nics = cfg.nics.map((n) => n.name);
  const grid = (name: (inst: string, via: string) => string) =>
    Object.fromEntries(nics.map((inst) => [inst, Object.fromEntries(nics.map((via) => [via, server[name(inst, via)] ?? 0]))]));
  return {
    ingress: grid(C.ingress),
    reply: grid(C.reply),
    egress: Object.fromEntries(nics.map((via) => [via, server[C.egress(via)] ?? 0])),
    egressOther: server[C.egressOther] ?? 0,
    drops: edge ? Object.fromEntries(nics.map((via) => [via, edge[sourceCheckCounters.dropped(via)] ?? 0])) : null,
  };
}

/** One reading of the counters, through the target (so it works wherever the lab host is). */
export async function readSnapshot(target: Target, cfg: LabConfig): Promise<Snapshot> {
  const n = names(cfg);
  const [state, server, edge] = await Promise.all([
    readState(target, cfg),
    target.run(`nft -j list counters table inet ${PROBE_TABLE}`, { ns: n.ns.server, check: false }),
    target.run('nft -j list counters table bridge eiplab_source_check 2>/dev/null', { ns: n.ns.edge, check: false }),
  ]);
  if (!state || server.code !== 0) throw new LabError(say.notUp(cfg.prefix));
  const edgeCounters = edge.code === 0 ? parseCounters(edge.stdout) : null;
  return { at: new Date(), state, counts: nicCounts(cfg, parseCounters(server.stdout), edgeCounters) };
}

/** "12 (+2)", or "12" when nothing changed; a "!" when the packets took a NIC that does not own the address. */
function cell(now: number, before: number | undefined, wrong: boolean): string {
  const d = before === undefined ? 0 : now - before;
  const text = `${now}${d ? ` (+${d})` : ''}`;
  if (wrong && now) return chalk.red.bold(`${text}!`);
  return `${d ? chalk.bold(text) : text} `;
}

export function renderSnapshot(cfg: LabConfig, s: Snapshot, prev: Snapshot | null, lang: Lang): string {
  const nics = cfg.nics;
  const L = (text: Text) => t(text, lang);
  const rows: Array<{ group: string; label: string; cells: string[] }> = [];
  const grid = (group: string, key: 'ingress' | 'reply', label: (nic: string, ip: string) => string) =>
    nics.forEach((inst, i) =>
      rows.push({
        group: i === 0 ? group : '',
        label: label(inst.name, inst.ip),
        cells: nics.map((via) => cell(s.counts[key][inst.name][via.name], prev?.counts[key][inst.name][via.name], via !== inst)),
      }),
    );
  grid(L(say.watchIngress()), 'ingress', (nic, ip) => L(say.watchTo(nic, ip)));
  grid(L(say.watchReply()), 'reply', (nic, ip) => L(say.watchFrom(nic, ip)));
  rows.push({
    group: L(say.watchEgress()),
    label: L(say.watchSyns(cfg.echo.ip)),
    cells: nics.map((via) => cell(s.counts.egress[via.name], prev?.counts.egress[via.name], false)),
  });
  if (s.counts.drops) {
    const drops = s.counts.drops;
    rows.push({ group: '', label: L(say.watchDrops()), cells: nics.map((via) => cell(drops[via.name], prev?.counts.drops?.[via.name], false)) });
  }
  const groupWidth = Math.max(...rows.map((r) => width(r.group)));
  const labelWidth = Math.max(...rows.map((r) => width(r.label)));
  const cellWidth = Math.max(8, ...rows.flatMap((r) => r.cells.map(width)));
  const applied = s.state.applied ? describeApplied(s.state.applied) : L(say.statusNoScheme());
  const lines = [
    `  ${chalk.bold(L(say.watchTitle(names(cfg).ns.server)))}  ${chalk.dim(s.at.toLocaleTimeString('en-GB'))}`,
    `  ${chalk.dim(`${L(say.watchApplied(applied))}; ${L(say.statusProfile(s.state.profile, s.state.upAt))}`)}`,
    '',
    `  ${' '.repeat(groupWidth + labelWidth + 2)}${nics.map((n) => `${padStart(chalk.bold(n.name), cellWidth + 1)} `).join('')}`,
    ...rows.map((r) => `  ${padEnd(r.group, groupWidth)}  ${padEnd(r.label, labelWidth)}${r.cells.map((c) => padStart(c, cellWidth + 2)).join('')}`),
  ];
  if (s.counts.egressOther) lines.push(`  ${' '.repeat(groupWidth + 2)}${L(say.watchOther(s.counts.egressOther))}`);
  lines.push('', chalk.dim(`  ${L(say.watchLegend())}`));
  return `${lines.join('\n')}\n`;
}

// The lab drawn as inline SVG from its LabConfig: inet (client, echo
// server), edge (the VPC router with its 1:1 NAT) and the server with one
// port per NIC. Measured legs are drawn on top: each lane (ingress, reply,
// egress) through the NIC its packets really used, green on the instance's
// own NIC, red on any other.
import type { LabConfig, Nic } from '../config/config.js';
import { attrs, html, raw, type Markup } from './markup.js';
import type { Leg, Peer } from './paths.js';
import { kernelLines } from './kernel-lines.js';

const W = 860;
const H = 400;
/** Each NIC beyond the second makes the drawing this much taller, so NIC labels never overlap. */
const PER_EXTRA_NIC = 90;
/** Column edges and the rows things sit on. */
const X = { inetL: 16, inetR: 196, edgeL: 292, edgeR: 528, srvL: 624, srvR: 844, app: 768 };
const Y = { top: 12, bottom: 388, uplink: 222, client: 150, echo: 300 };
const LANE_GAP = 15;
/** Where the router fans out to the NICs: right of the uplink's label. */
const FAN = X.edgeL + 96;
const LANES = ['ingress', 'reply', 'egress'];

/** How much taller than two NICs need the drawing is. */
const growth = (count: number) => Math.max(0, count - 2) * PER_EXTRA_NIC;

/** The NICs' rows, spread over the server's height. */
export function nicRows(count: number): number[] {
  if (count <= 1) return [Y.uplink];
  const [first, last] = [150, 292 + growth(count)];
  return Array.from({ length: count }, (_, i) => first + (i * (last - first)) / (count - 1));
}

function laneOffset(lane: string): number {
  const i = LANES.indexOf(lane);
  // Lanes beyond the three known ones share the outermost offsets.
  return ((i < 0 ? LANES.length : i) - (LANES.length - 1) / 2) * LANE_GAP;
}

type Pt = [number, number];

/** The route from the inet peer to the app through NIC row `y`, offset by the lane. */
function route(peer: Peer, y: number | 'other', o: number): Pt[] {
  const py = peer === 'client' ? Y.client : Y.echo;
  const inet: Pt[] = [
    [X.inetR - 22, py + o],
    [X.edgeL - 60, Y.uplink + o],
    [FAN, Y.uplink + o],
  ];
  if (y === 'other') return inet; // never reaches the NICs
  return [...inet, [X.edgeR - 40, y + o], [X.srvL + 44, y + o], [X.app - 34, Y.uplink + o], [X.app - 4, Y.uplink + o]];
}

const pts = (p: Pt[]) => p.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ');

function cross([x, y]: Pt, cls: string): Markup {
  const r = 8;
  return html`<path class="${cls}" d="M${x - r},${y - r} L${x + r},${y + r} M${x + r},${y - r} L${x - r},${y + r}"/>`;
}

function box(x1: number, x2: number, bottom: number, title: string, subtitle: string): Markup {
  return html`<g class="node">
    <rect x="${x1}" y="${Y.top}" width="${x2 - x1}" height="${bottom - Y.top}" rx="18"/>
    <text class="node-title" x="${x1 + 16}" y="${Y.top + 30}">${title}</text>
    <text class="node-sub" x="${x1 + 16}" y="${Y.top + 50}">${subtitle}</text>
  </g>`;
}

function pill(x: number, y: number, w: number, label: string, sub: string, cls = ''): Markup {
  return html`<g class="pill ${cls}">
    <rect x="${x - w / 2}" y="${y - 26}" width="${w}" height="52" rx="12"/>
    <text class="pill-label" x="${x}" y="${y - 4}">${label}</text>
    <text class="pill-sub" x="${x}" y="${y + 16}">${sub}</text>
  </g>`;
}

function nicLabel(nic: Nic, y: number, below: boolean, mine: boolean): Markup {
  const y0 = below ? y + 44 : y - 66;
  return html`<g class="${mine ? 'nic-label mine' : 'nic-label'}">
    <text class="nic-name" x="${X.srvL + 18}" y="${y0}">${nic.name}${mine ? raw('<tspan class="nic-mine"> this instance</tspan>') : ''}</text>
    <text class="nic-ip" x="${X.srvL + 18}" y="${y0 + 19}">${nic.ip}</text>
    <text class="nic-eip" x="${X.srvL + 18}" y="${y0 + 37}">EIP ${nic.eip}</text>
  </g>`;
}

/** With more than two NICs the cables to the app fill the server: each port gets its name only, below its stub and clear of the drawn lanes (the addresses are in the NAT table). */
function compactNicLabel(nic: Nic, y: number, mine: boolean): Markup {
  return html`<g class="${mine ? 'nic-label mine' : 'nic-label'}">
    <text class="nic-name" x="${X.srvL + 14}" y="${y + 30}">${nic.name}</text>
  </g>`;
}

/** The static parts: nodes, cables, addresses. */
function skeleton(cfg: LabConfig, rows: number[], instance?: string): Markup {
  const cables = [
    html`<polyline class="cable" points="${pts([[X.inetR - 22, Y.client], [X.edgeL - 60, Y.uplink], [FAN, Y.uplink]])}"/>`,
    html`<polyline class="cable" points="${pts([[X.inetR - 22, Y.echo], [X.edgeL - 60, Y.uplink], [FAN, Y.uplink]])}"/>`,
    ...rows.map((y) => html`<polyline class="cable" points="${pts([[FAN, Y.uplink], [X.edgeR - 40, y], [X.srvL + 44, y], [X.app - 34, Y.uplink]])}"/>`),
  ];
  const half = rows.length / 2;
  const compact = rows.length > 2;
  const bottom = Y.bottom + growth(rows.length);
  // The NAT table's last row sits where two NICs put it; more rows grow upwards.
  const natRow = (i: number) => bottom - 21 - (rows.length - 1 - i) * 17;
  return html`
    ${box(X.inetL, X.inetR, bottom, 'inet', 'the internet')}
    ${box(X.edgeL, X.edgeR, bottom, 'edge', 'cloud VPC router')}
    ${box(X.srvL, X.srvR, bottom, 'server', `${cfg.nics.length} NICs`)}
    <g class="cables">${cables}</g>
    ${pill((X.inetL + X.inetR) / 2 - 8, Y.client, 140, 'client', cfg.uplink.clientIp)}
    ${pill((X.inetL + X.inetR) / 2 - 8, Y.echo, 140, 'echo server', cfg.echo.ip)}
    <g class="port-label">
      <text x="${X.edgeL + 12}" y="${Y.uplink - 52}">uplink</text>
      <text x="${X.edgeL + 12}" y="${Y.uplink - 34}">${cfg.uplink.edgeIp}</text>
      <text class="anchor-end" x="${X.edgeR - 12}" y="${Y.top + 86}">bridge ${cfg.vpc.bridge}</text>
      <text class="anchor-end" x="${X.edgeR - 12}" y="${Y.top + 104}">${cfg.vpc.gateway}/${cfg.vpc.prefixLen}</text>
    </g>
    <g class="nat">
      <text class="nat-title" x="${(X.edgeL + X.edgeR) / 2 + 6}" y="${natRow(0) - 20}">1:1 NAT</text>
      ${cfg.nics.map((nic, i) => html`<text class="nat-row" x="${(X.edgeL + X.edgeR) / 2 + 6}" y="${natRow(i)}">${compact ? `${nic.name} ` : ''}${nic.eip} ↔ ${nic.ip}</text>`)}
    </g>
    ${cfg.nics.map((nic, i) => html`
      <circle class="${nic.name === instance ? 'port mine' : 'port'}" cx="${X.srvL}" cy="${rows[i]}" r="9"/>
      ${compact ? compactNicLabel(nic, rows[i], nic.name === instance) : nicLabel(nic, rows[i], i >= half, nic.name === instance)}`)}
    <g class="app">
      <rect x="${X.app - 4}" y="${Y.uplink - 40}" width="${X.srvR - X.app - 6}" height="80" rx="12"/>
      <text class="pill-label" x="${(X.app + X.srvR) / 2 - 5}" y="${Y.uplink - 6}">app</text>
      <text class="pill-sub" x="${(X.app + X.srvR) / 2 - 5}" y="${Y.uplink + 16}">${instance ?? 'instances'}</text>
    </g>`;
}

export interface DrawOptions {
  /** The instance whose paths are drawn (its NIC is highlighted). */
  instance?: string;
  legs?: Leg[];
  /** What the echo server saw, where a check measured it. */
  echoSaw?: { ip: string | null; ok: boolean };
  /** Which instance answered the client, where a check measured it. */
  answeredBy?: { name: string | null; ok: boolean };
  caption?: string;
}

function legMarkup(cfg: LabConfig, rows: number[], leg: Leg): Markup {
  if (leg.via === null) return raw('');
  const o = laneOffset(leg.lane.name);
  const nicIndex = cfg.nics.findIndex((n) => n.name === leg.via);
  let p = route(leg.lane.peer, nicIndex < 0 ? 'other' : rows[nicIndex], o);
  if (nicIndex < 0) p = [[X.app - 4, Y.uplink + o], [X.app + 20, Y.bottom + growth(rows.length) - 14]]; // an interface that is no NIC: it never leaves the server
  // Inbound packets are counted at the NIC: they are drawn on to the app only if the app answered.
  const ev = leg.result.evidence;
  const unanswered = leg.lane.direction === 'in' && 'answeredBy' in ev && ev.answeredBy !== leg.instance;
  if (unanswered && nicIndex >= 0) p = p.slice(0, p.findIndex(([x]) => x === X.srvL + 44) + 1);
  if (leg.lane.direction === 'out') p = [...p].reverse();
  // Frames the VPC's source check dropped stop at the edge's VPC port.
  const droppedAtEdge = leg.lane.direction === 'out' && leg.dropped > 0 && nicIndex >= 0;
  if (droppedAtEdge) {
    const port = p.findIndex(([x]) => x === X.srvL + 44);
    p = [...p.slice(0, port + 1), [X.edgeR + 8, p[port][1]]];
  }
  const c = leg.result;
  const colour = leg.intended ? 'green' : 'red';
  const data = {
    class: `leg ${colour} lane-${leg.lane.name}`,
    'data-leg': '',
    'data-cell': leg.cell,
    'data-instance': leg.instance,
    'data-check': leg.check,
    'data-lane': leg.lane.name,
    'data-via': leg.via,
    'data-packets': leg.packets,
    'data-intended': String(leg.intended),
    'data-dropped': leg.dropped,
    'data-measured': c.measured,
    'data-expected': c.expected ?? '-',
    'data-evidence': JSON.stringify({ check: `${c.instance} ${c.check}`, measured: c.measured, expected: c.expected, reason: c.reason, kernel: kernelLines(c.evidence.kernel, 'en'), evidence: c.evidence }),
    tabindex: 0,
  };
  const end = p[p.length - 1];
  const title = `${leg.lane.name} ${leg.lane.direction === 'in' ? 'in on' : 'out through'} ${leg.via}: ${leg.packets} packet${leg.packets === 1 ? '' : 's'}${droppedAtEdge ? `, ${leg.dropped} dropped by the VPC source check` : ''}. ${c.check} measured ${c.measured} (expected ${c.expected ?? '- (measured only)'}): ${c.evidence.summary}${kernelLines(c.evidence.kernel, 'en').map((k) => `\n${k}`).join('')}`;
  return html`<g${attrs(data)}>
    <title>${title}</title>
    <polyline class="hit" points="${pts(p)}"/>
    <polyline class="line" points="${pts(p)}"${attrs({ 'marker-end': droppedAtEdge ? null : `url(#eiplab-arrow-${colour})` })}/>
    ${droppedAtEdge ? cross(end, 'stop') : ''}
  </g>`;
}

/** One label per NIC whose frames the VPC dropped, between the edge and the server. */
function dropLabels(cfg: LabConfig, rows: number[], legs: Leg[]): Markup {
  const half = rows.length / 2;
  return html`${cfg.nics.map((nic, i) => {
    const dropped = legs.filter((l) => l.via === nic.name && l.lane.direction === 'out').reduce((n, l) => n + l.dropped, 0);
    if (!dropped) return '';
    // Towards the middle, where no label sits.
    const y = i >= half ? rows[i] - 62 : rows[i] + 46;
    return html`<text class="drop-label" x="${(X.edgeR + X.srvL) / 2}" y="${y}">dropped ${dropped}<tspan class="drop-sub" x="${(X.edgeR + X.srvL) / 2}" dy="17">by the VPC</tspan></text>`;
  })}`;
}

/** Arrowheads, defined once per page and shared by every drawing. */
export function svgDefs(): Markup {
  const arrow = (colour: string) =>
    html`<marker id="eiplab-arrow-${colour}" class="arrow-${colour}" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4.2" markerHeight="4.2" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`;
  return html`<svg class="defs" width="0" height="0" aria-hidden="true"><defs>${arrow('green')}${arrow('red')}</defs></svg>`;
}

export function topologySvg(cfg: LabConfig, o: DrawOptions = {}): Markup {
  const rows = nicRows(cfg.nics.length);
  const legs = (o.legs ?? []).filter((l) => l.via !== null);
  // Legs on the wrong NIC last, so red is never hidden under green.
  legs.sort((a, b) => Number(b.intended) - Number(a.intended));
  const echo = o.echoSaw;
  const answered = o.answeredBy;
  return html`<svg class="topology" viewBox="0 0 ${W} ${H + growth(rows.length)}" role="img" aria-label="${o.caption ?? 'the lab topology'}">
    ${skeleton(cfg, rows, o.instance)}
    <g class="legs">${legs.map((l) => legMarkup(cfg, rows, l))}</g>
    ${dropLabels(cfg, rows, legs)}
    ${echo ? html`<text class="${echo.ok ? 'seen ok' : 'seen bad'}" x="${(X.inetL + X.inetR) / 2 - 8}" y="${Y.echo + 50}">saw ${echo.ip ?? 'nothing'}</text>` : ''}
    ${answered ? html`<text class="${answered.ok ? 'seen ok' : 'seen bad'}" x="${(X.inetL + X.inetR) / 2 - 8}" y="${Y.client - 38}">${answered.name ? `answer from ${answered.name}` : 'no answer'}</text>` : ''}
  </svg>`;
}

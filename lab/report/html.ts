// The HTML report: one self-contained page (inline CSS, SVG and script; no
// network, no other files) that a trainer puts on the projector. The lab's
// topology, the matrix, and for each run every instance's measured paths
// drawn on the topology, its checks, and the commands that were applied.
import type { LabConfig } from '../config/config.js';
import { formatVariant, sameVariant, variantOf, type Variant } from '../model/variant.js';
import { PROFILES } from '../topology/profiles.js';
import { differs as differsFromExpected, type AppliedStep, type CheckResult, type RunResult } from '../model/results.js';
import { CHECKS } from '../model/scheme.js';
import { SCRIPT } from './html-script.js';
import { STYLE } from './html-style.js';
import { attrs, html, raw, type Markup } from './markup.js';
import { cellId, instanceViews, type InstanceView } from './paths.js';
import { svgDefs, topologySvg } from './topology-svg.js';
import { kernelLines } from './kernel-lines.js';

export interface ReportInput {
  results: RunResult[];
  cfg: LabConfig;
  /** Scheme titles and the seed's section names, by scheme id. */
  schemes?: Record<string, { title: string; seed: string }>;
  generatedAt?: Date;
  /** Wall time of the whole command. */
  elapsedMs?: number;
  /** The command line that produced the results. */
  command?: string;
}

const uniq = <T>(xs: T[]) => [...new Set(xs)];

/** Variants in the order the results list them. */
export function variantsIn(results: RunResult[]): Variant[] {
  const out: Variant[] = [];
  for (const r of results) if (!out.some((v) => sameVariant(v, r))) out.push(variantOf(r));
  return out;
}

/** Profiles in their usual order, then any others. */
export function profilesIn(results: RunResult[]): string[] {
  const seen = uniq(results.map((r) => r.profile as string));
  return [...PROFILES.filter((p) => seen.includes(p)), ...seen.filter((p) => !(PROFILES as readonly string[]).includes(p))];
}

export function checksIn(results: RunResult[]): string[] {
  const seen = uniq(results.flatMap((r) => r.checks.map((c) => c.check as string)));
  return [...CHECKS.filter((c) => seen.includes(c)), ...seen.filter((c) => !(CHECKS as readonly string[]).includes(c))];
}

export const instancesIn = (results: RunResult[]) => uniq(results.flatMap((r) => r.checks.map((c) => c.instance)));

const differing = (r: RunResult) => r.checks.filter(differsFromExpected).length;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function evidenceData(c: CheckResult): string {
  return JSON.stringify({ check: `${c.instance} ${c.check}`, measured: c.measured, expected: c.expected, reason: c.reason, kernel: kernelLines(c.evidence.kernel, 'en'), evidence: c.evidence });
}

function symbol(c: CheckResult | undefined, instance: string, check: string): Markup {
  if (!c) return html`<i class="v none" title="${instance} ${check}: not measured">·</i>`;
  const differs = differsFromExpected(c);
  const title = `${instance} ${check}: measured ${c.measured}, expected ${c.expected ?? '- (measured only)'}${differs ? ' (DIFFERS)' : ''} - ${c.evidence.summary}`;
  return html`<i class="v ${c.measured}${differs ? ' differs' : ''}" title="${title}">${c.measured === 'pass' ? '✓' : '✗'}</i>`;
}

function matrixTable(results: RunResult[]): Markup {
  const variants = variantsIn(results);
  const profiles = profilesIn(results);
  const instances = instancesIn(results);
  const checks = checksIn(results);
  // One column per profile x instance, so every instance's symbols line up under its name.
  const rows = variants.map((v) => {
    const cells = profiles.map((p) => {
      const r = results.find((x) => x.profile === p && sameVariant(x, v));
      return instances.map((i, k) => {
        const first = k === 0 ? 'first' : '';
        if (!r) return html`<td class="cell none ${first}">not run</td>`;
        // A skipped cell spans its instances: one word, the reason on hover and in its section.
        if (r.skipped) return k === 0 ? html`<td class="cell skipped first" colspan="${instances.length}"${attrs({ 'data-cell': cellId(r), title: r.skipped })}><a href="#${cellId(r)}">skipped</a></td>` : '';
        const symbols = checks.map((ch) => symbol(r.checks.find((c) => c.instance === i && c.check === ch), i, ch));
        return html`<td class="cell ${first}"${attrs({ 'data-cell': cellId(r), 'data-instance': i, 'data-ok': String(r.ok) })}><a href="#${cellId(r)}"><span class="inst">${symbols}</span></a></td>`;
      });
    });
    return html`<tr><th class="variant" scope="row">${formatVariant(v, 'label')}</th>${cells}</tr>`;
  });
  return html`<table class="matrix">
    <thead>
      <tr><th>variant</th>${profiles.map((p) => html`<th class="profile" colspan="${instances.length}">${p}</th>`)}</tr>
      <tr><th></th>${profiles.map(() => instances.map((i, k) => html`<th class="instance${k === 0 ? ' first' : ''}">${i}</th>`))}</tr>
    </thead>
    <tbody>${rows}</tbody>
  </table>
  <p class="legend">per instance, in order: ${checks.join(', ')}.
    <span><i class="v pass">✓</i> measured pass</span> <span><i class="v fail">✗</i> measured fail</span>
    <span><i class="v fail differs">✗</i> differs from expected</span> Click a cell for its paths.</p>`;
}

function lineSample(cls: string): Markup {
  return html`<svg width="54" height="14" viewBox="0 0 54 14"><g class="leg ${cls}"><polyline class="line" points="4,7 50,7"/></g></svg>`;
}

function pathLegend(): Markup {
  return html`<p class="legend sticky">
    <span>${lineSample('green lane-ingress')} ingress: client → instance</span>
    <span>${lineSample('green lane-reply')} reply: instance → client</span>
    <span>${lineSample('green lane-egress')} egress: instance → echo server</span>
    <span>${lineSample('green')} the instance's own NIC</span>
    <span>${lineSample('red')} another NIC</span>
    <span><b style="color:var(--red)">✕</b> dropped by the VPC's source check</span>
    <span>hover or click a path for its evidence</span>
  </p>`;
}

function checkRows(view: InstanceView): Markup {
  return html`<table class="checks"><tbody>${view.checks.map((c) => {
    const differs = differsFromExpected(c);
    return html`<tr${attrs({ class: differs ? 'differs' : null, 'data-evidence': evidenceData(c), 'data-instance': c.instance, 'data-check': c.check, tabindex: 0 })}>
      <td class="check">${c.check}</td>
      <td class="verdict-cell"><span class="m-${c.measured}">${c.measured}</span>${differs ? html` <b>≠ expected ${c.expected}</b>` : html` <span class="why">${c.expected === null ? '(measured only)' : '(expected)'}</span>`}</td>
      <td>${c.evidence.summary}${c.expected === 'fail' || differs ? html`<div class="why">why: ${c.reason}</div>` : ''}</td>
    </tr>`;
  })}</tbody></table>`;
}

/** Echo and answer labels come from the evidence, where a check recorded them. */
function outcomes(view: InstanceView, cfg: LabConfig) {
  const nic = cfg.nics.find((n) => n.name === view.instance);
  const withEcho = view.checks.find((c) => 'echoSaw' in c.evidence);
  const withAnswer = view.checks.find((c) => 'answeredBy' in c.evidence);
  const saw = withEcho?.evidence.echoSaw as string | null | undefined;
  const by = withAnswer?.evidence.answeredBy as string | null | undefined;
  return {
    echoSaw: withEcho ? { ip: saw ?? null, ok: !!saw && saw === (withEcho.evidence.wanted ?? nic?.eip) } : undefined,
    answeredBy: withAnswer ? { name: by ?? null, ok: by === view.instance } : undefined,
  };
}

function instanceFigure(r: RunResult, view: InstanceView, cfg: LabConfig): Markup {
  const nic = cfg.nics.find((n) => n.name === view.instance);
  const noPackets = view.legs.filter((l) => l.via === null);
  return html`<figure class="instance"${attrs({ 'data-cell': cellId(r), 'data-instance': view.instance })}>
    <figcaption>instance ${view.instance} ${nic ? html`<span>meant to use ${nic.name}: ${nic.ip}, EIP ${nic.eip}</span>` : ''}</figcaption>
    <div class="drawing">
      ${topologySvg(cfg, { instance: view.instance, legs: view.legs, ...outcomes(view, cfg), caption: `${formatVariant(r, 'label')} ${r.profile}: instance ${view.instance}` })}
      ${noPackets.map((l) => html`<p class="none"${attrs({ 'data-leg-none': '', 'data-cell': l.cell, 'data-instance': l.instance, 'data-check': l.check, 'data-lane': l.lane.name })}>${l.lane.name}: no packets seen (${l.result.evidence.summary})</p>`)}
    </div>
    ${checkRows(view)}
  </figure>`;
}

function stepList(steps: AppliedStep[]): Markup {
  return html`<ol class="steps">${steps.map((s) => html`<li><span class="part part-${s.part}">${s.part}</span><span class="node-tag">[${s.node}]</span>${s.explain}<pre class="cmd">${s.commands.join('\n')}</pre></li>`)}</ol>`;
}

/** A cell the lab host could not run: its reason instead of paths and checks. */
function skippedSection(r: RunResult): Markup {
  return html`<section class="card run skipped" id="${cellId(r)}"${attrs({ 'data-cell': cellId(r), 'data-skipped': 'true' })}>
    <div class="run-head">
      <h2>${formatVariant(r, 'label')}</h2>
      <span class="profile-tag">${r.profile}</span>
      <span class="badge skip">skipped</span>
      <span class="meta">on ${r.target}</span>
    </div>
    <p class="skip-why">skipped: ${r.skipped}</p>
  </section>`;
}

function runSection(r: RunResult, input: ReportInput): Markup {
  if (r.skipped) return skippedSection(r);
  const d = differing(r);
  const scheme = input.schemes?.[r.scheme];
  const steps = r.steps ?? [];
  return html`<section class="card run${d ? ' differs' : ''}" id="${cellId(r)}"${attrs({ 'data-cell': cellId(r), 'data-ok': String(r.ok) })}>
    <div class="run-head">
      <h2>${formatVariant(r, 'label')}</h2>
      <span class="profile-tag">${r.profile}</span>
      <span class="badge ${d ? 'bad' : 'ok'}">${d ? `${d} of ${r.checks.length} checks differ from expected` : `all ${r.checks.length} checks as expected`}</span>
      ${r.durationMs !== undefined ? html`<span class="meta">${seconds(r.durationMs)} on ${r.target}</span>` : html`<span class="meta">on ${r.target}</span>`}
    </div>
    ${scheme ? html`<p class="sub">${scheme.title} · seed: ${scheme.seed}${r.fix ? ` · fix: ${r.fix}` : ''}${r.scenario ? ` · scenario: ${r.scenario}` : ''}</p>` : ''}
    <div class="instances">${instanceViews(r).map((v) => instanceFigure(r, v, input.cfg))}</div>
    ${steps.length ? html`<details class="steps"><summary>commands applied: ${steps.length} step${steps.length === 1 ? '' : 's'}</summary>${stepList(steps)}</details>` : ''}
  </section>`;
}

function overview(input: ReportInput): Markup {
  const { cfg } = input;
  return html`<section class="card">
    <h2>The lab</h2>
    <div class="overview">
      ${topologySvg(cfg, { caption: 'the lab topology' })}
      <ul>
        <li><b>inet</b>: the client ${cfg.uplink.clientIp} calls each elastic IP; the echo server ${cfg.echo.ip} records the source IP it sees.</li>
        <li><b>edge</b>: the cloud router maps each EIP 1:1 onto its NIC's private IP.</li>
        <li><b>server</b>: ${cfg.nics.map((n) => `${n.name} ${n.ip}`).join(', ')}; one default route, via ${cfg.nics[0].name}.</li>
        <li>Each path below is what the <b>packet counters</b> measured, not what the configuration says.</li>
      </ul>
    </div>
  </section>`;
}

/** The results as JSON inside the page: `<` escaped so no string can close the script element. */
function embeddedResults(results: RunResult[]): Markup {
  return raw(`<script type="application/json" id="eiplab-results">${JSON.stringify(results).replace(/</g, '\\u003c')}</script>`);
}

export function renderReport(input: ReportInput): string {
  const { results } = input;
  const differ = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.skipped).length;
  const checks = results.reduce((n, r) => n + r.checks.length, 0);
  const when = input.generatedAt ?? new Date();
  const targets = uniq(results.map((r) => r.target)).join(', ');
  const verdict = differ
    ? html`<span class="verdict bad">${differ} of ${results.length} runs differ from expected</span>`
    : html`<span class="verdict ok">all ${results.length - skipped} runs as expected${skipped ? `, ${skipped} skipped` : ''}</span>`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eiplab report: ${results.length} runs, ${differ ? `${differ} differ` : 'all as expected'}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
${svgDefs()}
<main>
  <header class="top">
    <h1>eiplab <small>which NIC the packets really used</small></h1>
    ${verdict}
    <span class="meta">${results.length} runs, ${checks} checks · target ${targets || 'none'}${input.elapsedMs !== undefined ? ` · ${seconds(input.elapsedMs)}` : ''} · ${when.toISOString().replace('T', ' ').slice(0, 19)} UTC</span>
  </header>
  ${overview(input)}
  <section class="card"><h2>The matrix</h2>${results.length ? matrixTable(results) : html`<p class="none">no results</p>`}</section>
  ${pathLegend()}
  ${results.map((r) => runSection(r, input))}
  <footer>${input.command ? html`<span class="mono">${input.command}</span> · ` : ''}generated by eiplab; the results are embedded in this page as JSON (#eiplab-results).</footer>
</main>
<aside id="evidence" hidden aria-live="polite"><button type="button">close</button><h3></h3><p class="ev-verdict"></p><p class="ev-reason why"></p><p class="ev-kernel"></p><pre></pre></aside>
${embeddedResults(results)}
<script>${raw(SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}

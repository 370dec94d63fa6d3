// The report's stylesheet, inlined into the page: large type and strong
// contrast, because the page is shown on a projector at the back of a room.
export const STYLE = `
:root {
  --ink: #16202c; --muted: #5a6778; --line: #d5dbe4; --paper: #ffffff; --bg: #f2f4f7;
  --green: #138a4b; --green-bg: #e3f5ea; --red: #cc2936; --red-bg: #fbe6e7; --amber: #b86e00; --amber-bg: #fff2d6;
  --cable: #dfe4ec; --accent: #1f5fbf;
  font-size: 19px;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font-family: "Segoe UI", "Helvetica Neue", "DejaVu Sans", Arial, "Droid Sans Fallback", "Noto Sans CJK SC", sans-serif; line-height: 1.4; }
code, pre, .mono { font-family: "DejaVu Sans Mono", "Noto Mono", Menlo, Consolas, monospace; }
main { max-width: 1560px; margin: 0 auto; padding: 28px 32px 80px; }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 28px; margin-bottom: 18px; }
h1 { font-size: 2.1rem; margin: 0; letter-spacing: -0.01em; }
h1 small { font-weight: 500; color: var(--muted); font-size: 1.1rem; margin-left: 12px; }
.meta { color: var(--muted); font-size: 0.9rem; }
.verdict { font-size: 1.25rem; font-weight: 700; padding: 6px 16px; border-radius: 999px; }
.verdict.ok { background: var(--green-bg); color: var(--green); }
.verdict.bad { background: var(--red-bg); color: var(--red); }
h2 { font-size: 1.5rem; margin: 0 0 4px; }
h3 { font-size: 1.1rem; margin: 0; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 16px; padding: 20px 24px; margin: 18px 0; box-shadow: 0 1px 2px rgba(20, 30, 50, 0.05); }
.card.differs { border: 3px solid var(--red); }
.sub { color: var(--muted); margin: 0 0 12px; }
.legend.sticky { position: sticky; top: 0; z-index: 5; background: var(--bg); padding: 10px 4px; margin: 0; border-bottom: 1px solid var(--line); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 26px; color: var(--muted); font-size: 0.9rem; align-items: center; }
.legend svg { vertical-align: middle; }
.overview { display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 1.3fr); gap: 24px; align-items: center; }
.overview ul { margin: 0; padding-left: 20px; }
.overview li { margin: 6px 0; }

/* the matrix */
table.matrix { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 1.05rem; }
table.matrix th, table.matrix td { padding: 10px 14px; border-bottom: 1px solid var(--line); text-align: left; }
table.matrix thead th { color: var(--muted); font-weight: 600; font-size: 0.9rem; }
table.matrix thead tr:first-child th { font-size: 1.1rem; color: var(--ink); }
table.matrix th.variant { white-space: nowrap; }
table.matrix th.profile { text-align: center; border-left: 2px solid var(--line); }
table.matrix th.instance { font-family: "DejaVu Sans Mono", monospace; }
table.matrix td.cell.first, table.matrix th.first { border-left: 2px solid var(--line); }
table.matrix td.cell a { display: inline-flex; gap: 14px; text-decoration: none; color: inherit; padding: 4px 8px; border-radius: 10px; }
table.matrix td.cell a:hover, table.matrix td.cell a:focus { background: #e9eef6; outline: none; }
.inst { display: inline-flex; gap: 3px; }
.v { display: inline-grid; place-items: center; width: 1.55em; height: 1.55em; border-radius: 6px; font-style: normal; font-weight: 800; font-size: 0.95rem; color: #fff; }
.v.pass { background: var(--green); }
.v.fail { background: var(--red); }
.v.differs { outline: 4px solid var(--amber); outline-offset: 1px; }
.cell-ok { color: var(--green); font-weight: 700; }
.cell-bad { color: var(--red); font-weight: 700; }

/* one run */
.run-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 18px; }
.profile-tag { font-size: 1.05rem; font-weight: 700; padding: 2px 12px; border-radius: 8px; background: #e8edf5; color: var(--accent); }
.badge { font-weight: 700; padding: 2px 12px; border-radius: 999px; font-size: 0.95rem; }
.badge.ok { background: var(--green-bg); color: var(--green); }
.badge.bad { background: var(--red-bg); color: var(--red); }
.badge.skip, td.cell.skipped { background: #fdf3d8; color: #7a5a00; }
td.cell.skipped { text-align: center; font-style: italic; }
p.skip-why { color: #7a5a00; }
.instances { display: grid; gap: 26px; }
figure.instance { margin: 0; display: grid; grid-template-columns: minmax(0, 1.45fr) minmax(340px, 1fr); gap: 6px 28px; align-items: start; }
figure.instance figcaption { grid-column: 1 / -1; }
@media (max-width: 1100px) { figure.instance { grid-template-columns: 1fr; } }
figure.instance figcaption { font-weight: 700; font-size: 1.1rem; margin-bottom: 4px; }
figure.instance figcaption span { font-weight: 400; color: var(--muted); font-size: 0.95rem; }
table.checks { width: 100%; border-collapse: collapse; font-size: 0.95rem; margin-top: 6px; }
table.checks td { padding: 6px 8px; border-top: 1px solid var(--line); vertical-align: top; }
table.checks tr { cursor: pointer; }
table.checks tr:hover td { background: #f3f6fa; }
table.checks tr.differs td { background: var(--amber-bg); }
table.checks td.check { font-weight: 700; white-space: nowrap; }
table.checks td.verdict-cell { white-space: nowrap; }
table.checks .why { color: var(--muted); font-size: 0.85rem; }
.m-pass { color: var(--green); font-weight: 800; }
.m-fail { color: var(--red); font-weight: 800; }
.none { color: var(--muted); font-style: italic; }
.drawing p.none { margin: 4px 0 0 16px; }

/* the drawing */
svg.topology { width: 100%; height: auto; display: block; }
svg.defs { position: absolute; }
.node rect { fill: #f7f9fc; stroke: #b7c1cf; stroke-width: 2; }
.node-title { font-size: 25px; font-weight: 800; fill: var(--ink); }
.node-sub { font-size: 15px; fill: var(--muted); }
.cable { fill: none; stroke: var(--cable); stroke-width: 46; stroke-linecap: round; stroke-linejoin: round; }
.pill rect, .app rect { fill: #fff; stroke: #8e9bb0; stroke-width: 2; }
.pill-label { font-size: 18px; font-weight: 700; text-anchor: middle; fill: var(--ink); }
.pill-sub { font-size: 15px; text-anchor: middle; fill: var(--muted); }
.port-label text { font-size: 15px; fill: var(--muted); }
.port-label .anchor-end { text-anchor: end; }
.nat-title { font-size: 15px; font-weight: 700; text-anchor: middle; fill: var(--ink); }
.nat-row { font-size: 13px; text-anchor: middle; fill: var(--muted); }
.port { fill: #fff; stroke: #8e9bb0; stroke-width: 3; }
.port.mine { fill: var(--accent); stroke: var(--accent); }
.nic-name { font-size: 19px; font-weight: 800; fill: var(--ink); }
.nic-mine { font-size: 13px; font-weight: 600; fill: var(--accent); }
.nic-ip { font-size: 15px; fill: var(--ink); }
.nic-eip { font-size: 14px; fill: var(--muted); }
.leg { cursor: pointer; }
.leg .line { fill: none; stroke-width: 6; stroke-linecap: round; stroke-linejoin: round; }
.leg .hit { fill: none; stroke: transparent; stroke-width: 16; }
.leg.green .line { stroke: var(--green); }
.leg.red .line { stroke: var(--red); }
.leg.lane-reply .line { stroke-dasharray: 14 7; }
.leg.lane-egress .line { stroke-dasharray: 2 9; stroke-width: 7; }
.leg:hover .line, .leg:focus .line, .leg.selected .line { stroke-width: 9; }
tr.selected td { background: #e3ecfa; }
.leg:focus { outline: none; }
.stop { stroke: var(--red); stroke-width: 5; stroke-linecap: round; }
.drop-label { font-size: 15px; font-weight: 800; fill: var(--red); text-anchor: middle; }
.drop-sub { font-size: 13px; font-weight: 600; }
.arrow-green path { fill: var(--green); }
.arrow-red path { fill: var(--red); }
.seen { font-size: 15px; font-weight: 700; text-anchor: middle; }
.seen.ok { fill: var(--green); }
.seen.bad { fill: var(--red); }

/* the commands */
details.steps { margin-top: 14px; }
details.steps summary { cursor: pointer; font-weight: 700; color: var(--accent); font-size: 1rem; }
ol.steps { padding-left: 24px; }
ol.steps li { margin: 12px 0; }
.part { display: inline-block; min-width: 5.2em; margin-right: 6px; font-size: 0.8rem; font-weight: 700; text-transform: uppercase; color: var(--muted); }
.part-fix { color: var(--green); }
.node-tag { font-weight: 700; color: var(--amber); margin-right: 6px; }
pre.cmd { background: #141b26; color: #e6edf3; padding: 12px 16px; border-radius: 10px; overflow-x: auto; font-size: 0.85rem; line-height: 1.45; margin: 6px 0 0; }

/* the evidence panel */
aside#evidence { position: fixed; right: 24px; bottom: 24px; width: min(620px, calc(100vw - 48px)); max-height: 70vh; overflow: auto;
  background: var(--paper); border: 2px solid var(--accent); border-radius: 16px; padding: 18px 22px; box-shadow: 0 12px 40px rgba(10, 20, 40, 0.25); z-index: 10; }
aside#evidence[hidden] { display: none; }
aside#evidence button { float: right; font-size: 1rem; border: 0; background: #e8edf5; border-radius: 8px; padding: 4px 12px; cursor: pointer; }
aside#evidence .ev-kernel { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 0.8rem; }
aside#evidence pre { background: #f3f6fa; padding: 10px 12px; border-radius: 8px; font-size: 0.8rem; white-space: pre-wrap; word-break: break-word; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 30px; }
@media print { aside#evidence { display: none; } .card { break-inside: avoid; } }
`;

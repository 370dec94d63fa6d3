// The kernel's account from recorded kernel output: a real `nft monitor
// trace` of scheme 2 after a dockerd restart (tests/fixtures/kernel/, prefix
// h16), its ruleset, and `ip route get` / `ip rule` answers as the kernel
// gives them. Evidence only: nothing here decides a verdict.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { counterNames as C } from '../../lab/checks/counters.js';
import { instanceAccount, packetsOf } from '../../lab/checks/kernel/account.js';
import { claimsOf } from '../../lab/checks/kernel/claims.js';
import { kernelHooks, parseKernelRecord } from '../../lab/checks/kernel/probe-hooks.js';
import { choosingRule, parseRouteOutput, routeLine, routeQuery, routeScript, type RouteDecision } from '../../lab/checks/kernel/route.js';
import { parseRuleset } from '../../lab/checks/kernel/ruleset.js';
import { parseTrace, type TracedPacket } from '../../lab/checks/kernel/trace.js';
import { traceTableNft } from '../../lab/checks/kernel/trace-table.js';
import { egressOrder, probeScript, type InstanceMeasurement } from '../../lab/checks/probe.js';
import { defaultConfig, resolverIp } from '../../lab/config/config.js';
import { resultTable } from '../../lab/report/console.js';
import { failureText } from '../../lab/report/junit.js';
import { sourceCheckCounters } from '../../lab/topology/profiles.js';
import { run } from '../helpers/results.js';

const cfg = defaultConfig('h16');
const [eth0, eth1] = cfg.nics;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/kernel/${name}`, import.meta.url), 'utf8');
const trace = fixture('scheme2-restart.trace');
const ruleset = parseRuleset(fixture('scheme2-restart.ruleset'));
const noRpFilter = { trace, rpFilter: [0, 0, 0] };

function measurement(nic: typeof eth0, i: number, edge: Record<string, number> = {}): InstanceMeasurement {
  const none = { rc: 0, out: '', err: '' };
  return {
    instance: { nic, probeUrl: `http://172.19.0.${100 + i}:8080/` },
    requestId: `${nic.name}-x`,
    ingress: none,
    ingressCounters: { server: {}, edge },
    egress: none,
    egressCounters: { server: { [C.egress('eth0')]: 1 }, edge },
    record: none,
    // The lab's app's phases: the last instance's egress first, beside the ingress probes.
    phases: { ingress: 0, egress: egressOrder(2).indexOf(i) },
  };
}

/** Route decisions as the kernel answered them in this lab (no policy routing: everything from main). */
function mainRoutes(packets: TracedPacket[]): Map<TracedPacket, RouteDecision> {
  const queries = packets.map((p) => routeQuery(p)).filter((q) => q !== undefined);
  const out = queries.flatMap((q) => [
    JSON.stringify([{ dst: q.to, from: q.from, gateway: '172.31.0.1', dev: 'eth0', flags: [], cache: [] }]),
    JSON.stringify([{ dst: 'default', gateway: '172.31.0.1', dev: 'eth0', flags: [] }]),
  ]);
  const rules = '[{"priority":0,"src":"all","table":"local"},{"priority":32766,"src":"all","table":"main"},{"priority":32767,"src":"all","table":"default"}]';
  const { decisions } = parseRouteOutput(queries, [...out, rules].join('\n'));
  return new Map(packets.filter((p) => routeQuery(p)).map((p, i) => [p, decisions[i]]));
}

describe('the netfilter trace', () => {
  const packets = parseTrace(cfg, trace);

  it("joins one packet's events across trace ids and tells the probe's packets apart", () => {
    const kinds = packets.map((p) => p.kind).sort();
    expect(kinds).toEqual(['echo-reply', 'echo-reply', 'outgoing', 'outgoing', 'reply', 'reply', 'request', 'request']);
    const request = packets.find((p) => p.kind === 'request' && p.first.daddr === eth1.ip)!;
    expect(request.first).toMatchObject({ iif: 'eth1', saddr: cfg.uplink.clientIp, dport: cfg.appPort, flags: 'syn' });
    // Prerouting's DNAT and then forward, under two trace ids: one packet.
    const chains = request.passages.map((p) => `${p.table} ${p.chain}`);
    expect(chains).toContain('nat DOCKER');
    expect(chains).toContain('filter FORWARD');
    expect(request.passages.find((p) => p.chain === 'DOCKER' && p.table === 'nat')!.rules[0].text).toContain('dnat to 172.19.0.101:8080');
  });

  it("leaves the lab's own tables out of the account", () => {
    for (const p of packets) for (const x of p.passages) expect(['h16_trace', 'eiplab_probe']).not.toContain(x.table);
  });

  it('puts each outgoing SYN in the phase it was sent in (the last instance first)', () => {
    const [, second] = packetsOf(cfg, [measurement(eth0, 0), measurement(eth1, 1)], packets).map((k) => k.outgoing?.first.saddr);
    expect(second).toBe('172.19.0.101');
    expect(packetsOf(cfg, [measurement(eth0, 0), measurement(eth1, 1)], packets)[0].outgoing?.first.saddr).toBe('172.19.0.100');
  });
});

describe("the account of scheme 2 after dockerd's restart", () => {
  const packets = parseTrace(cfg, trace);
  const ms = [measurement(eth0, 0), measurement(eth1, 1)];
  const mine = packetsOf(cfg, ms, packets);
  const account = instanceAccount(cfg, ms[1], mine[1], noRpFilter, mainRoutes(packets), ruleset, () => undefined);

  it("shows Docker's MASQUERADE matching instance 2's connection and the SNAT rule for 172.19.0.101 not reached", () => {
    const nat = account['egress-ip'].netfilter.find((l) => l.startsWith('ip nat POSTROUTING'))!;
    expect(nat).toMatch(/'oifname != "eip_bridge" ip saddr 172\.19\.0\.0\/16 masquerade' \(accept: source -> 172\.31\.0\.8, eth0's address\)/);
    expect(nat).toMatch(/not reached: .*'ip saddr 172\.19\.0\.101 snat to 172\.31\.0\.14'/);
    expect(account['egress-ip'].summary.join('\n')).toMatch(/POSTROUTING 'masquerade' matched.*'ip saddr 172\.19\.0\.101 snat to 172\.31\.0\.14' not reached/);
  });

  it('names the route and the rule that chose its table', () => {
    expect(account['egress-nic'].route).toEqual([
      'from 172.19.0.101 (in eip_bridge) to 192.0.2.10: rule 32766 (from all lookup main) -> table main -> default via 172.31.0.1 dev eth0',
    ]);
    expect(account['egress-nic'].summary[0]).toBe('route from 172.19.0.101 (in eip_bridge) -> table main (rule 32766) -> default via 172.31.0.1 dev eth0');
    expect(account['egress-nic'].summary_zh[0]).toContain('路由表 main');
  });

  it("says where the frame died: the VPC's source check, from the edge's counters", () => {
    const edge = { [sourceCheckCounters.reply('eth0', 'eth1')]: 2, [sourceCheckCounters.outgoing('eth0')]: 1 };
    const dropped = instanceAccount(cfg, measurement(eth1, 1, edge), mine[1], noRpFilter, mainRoutes(packets), ruleset, () => undefined);
    expect(dropped['reply-nic'].drop).toBe("dropped: the VPC's source check dropped 2 frame(s) with source 172.31.0.14 sent out eth0");
    expect(dropped['egress-nic'].drop).toMatch(/source check dropped 1 frame/);
  });

  it('says when the kernel contradicts the reason, and not when it agrees', () => {
    const says = (reason: string) => instanceAccount(cfg, ms[1], mine[1], noRpFilter, mainRoutes(packets), ruleset, () => reason);
    expect(says('the route is chosen before SNAT, from the main table: out through eth0')['egress-nic'].contradiction).toBeUndefined();
    expect(says("Docker's MASQUERADE picks eth0's IP")['egress-ip'].contradiction).toBeUndefined();
    const wrong = says('the policy rule picks eth1\'s table and sends it out through eth1')['egress-nic'];
    expect(wrong.contradiction).toBe(
      "the kernel's account contradicts the reason: it says through eth1, the route leaves through eth0; it says table 101, the route came from table main",
    );
    expect(wrong.contradiction_zh).toContain('矛盾');
    expect(says('rp_filter=1 drops the requests arriving on eth1')['ingress-nic'].contradiction).toMatch(/no such drop/);
  });
});

describe('route decisions', () => {
  const pbr = [
    { priority: 0, src: 'all', table: 'local' },
    { priority: 100, src: 'all', table: 'main', suppress_prefixlen: 0 },
    { priority: 32764, src: '172.19.0.101', table: '101' },
    { priority: 32766, src: 'all', table: 'main' },
  ];
  const q = { from: '172.19.0.101', to: '100.64.0.2', iif: 'eip_bridge' };

  it('finds the rule that chose the table, passing over a suppressed main lookup', () => {
    expect(choosingRule(pbr, q, '101', 'default via 172.31.0.1 dev eth1 table 101')?.priority).toBe(32764);
    // A local subnet is not suppressed by suppress_prefixlength 0.
    expect(choosingRule(pbr, { ...q, to: '172.19.0.100' }, 'main', '172.19.0.0/16 dev eip_bridge proto kernel scope link src 172.19.0.1')?.priority).toBe(100);
    expect(choosingRule(pbr, { from: '172.31.0.8', to: '192.0.2.10' }, 'main', 'default via 172.31.0.1 dev eth0')?.priority).toBe(32766);
  });

  it("a VRF's socket: the lookup names the VRF's device it was sent to, and the l3mdev rule chooses the VRF's table", () => {
    const syn = { first: { saddr: eth1.ip, daddr: '192.0.2.10', oif: 'h16v1', udp: false }, passages: [] } as unknown as TracedPacket;
    const q = routeQuery(syn, ['eth0', 'eth1'])!;
    expect(q).toEqual({ from: eth1.ip, to: '192.0.2.10', oif: 'h16v1' });
    // A packet first sent to one of the NICs is looked up as before, without a device.
    expect(routeQuery({ ...syn, first: { ...syn.first, oif: 'eth0' } }, ['eth0', 'eth1'])).toEqual({ from: eth1.ip, to: '192.0.2.10' });
    expect(routeScript([q])).toContain(`route get 192.0.2.10 from ${eth1.ip} oif h16v1\n`);
    const rules = '[{"priority":0,"src":"all","table":"local"},{"priority":1000,"src":"all","l3mdev":null},{"priority":32766,"src":"all","table":"main"}]';
    const out = ['[{"dst":"192.0.2.10","from":"172.31.0.14","gateway":"172.31.0.1","dev":"eth1","table":"101","flags":[],"cache":[]}]', '[{"dst":"default","gateway":"172.31.0.1","dev":"eth1","table":"101","flags":[]}]', rules];
    const [d] = parseRouteOutput([q], out.join('\n')).decisions;
    expect(routeLine(d)).toBe(`from ${eth1.ip} (out h16v1) to 192.0.2.10: rule 1000 (from all lookup [l3mdev-table]) -> table 101 -> default via 172.31.0.1 dev eth1`);
  });

  it('a socket bound to its NIC (SO_BINDTODEVICE): the lookup names the NIC, and no route through it means on-link', () => {
    const syn = { first: { saddr: eth1.ip, daddr: '192.0.2.10', oif: 'eth1', udp: false }, passages: [] } as unknown as TracedPacket;
    const q = routeQuery(syn, ['eth0', 'eth1'], 'eth1')!;
    expect(q).toEqual({ from: eth1.ip, to: '192.0.2.10', oif: 'eth1' });
    // As the kernel answers with only eth0's default route: eth1's connection is assumed on-link, and no entry matched.
    const out = ['[{"dst":"192.0.2.10","from":"172.31.0.14","dev":"eth1","flags":[],"uid":0,"cache":[]}]', 'RTNETLINK answers: No route to host', 'Command failed -:2', '[{"priority":32766,"src":"all","table":"main"}]'];
    const [d] = parseRouteOutput([q], out.join('\n')).decisions;
    expect(d).toMatchObject({ onLink: true, dev: 'eth1' });
    expect(routeLine(d)).toBe(`from ${eth1.ip} (out eth1) to 192.0.2.10: no table has a route through eth1, so the kernel assumes 192.0.2.10 is on its link -> 192.0.2.10 dev eth1`);
    // With a route through the NIC (the metric fix's second default route), the lookup finds it as before.
    const routed = ['[{"dst":"192.0.2.10","from":"172.31.0.14","gateway":"172.31.0.1","dev":"eth1","flags":[],"cache":[]}]', '[{"dst":"default","gateway":"172.31.0.1","dev":"eth1","metric":200,"flags":[]}]', '[{"priority":32766,"src":"all","table":"main"}]'];
    const [r] = parseRouteOutput([q], routed.join('\n')).decisions;
    expect(routeLine(r)).toBe(`from ${eth1.ip} (out eth1) to 192.0.2.10: rule 32766 (from all lookup main) -> table main -> default via 172.31.0.1 dev eth1`);
  });

  it("reads the kernel's answers, its refusals included", () => {
    const queries = [q, { from: cfg.uplink.clientIp, to: eth1.ip, iif: 'eth1' }, { from: cfg.uplink.clientIp, to: '172.19.0.101', iif: 'eth1' }];
    const script = routeScript(queries);
    expect(script).toContain('route get 100.64.0.2 from 172.19.0.101 iif eip_bridge\nroute get fibmatch 100.64.0.2 from 172.19.0.101 iif eip_bridge');
    expect(script).toContain('ip -j -force -batch -');
    // As `ip -j -force -batch - 2>&1` answers: a refused lookup is named by its line.
    const out = [
      '[{"dst":"100.64.0.2","from":"172.19.0.101","gateway":"172.31.0.1","dev":"eth1","table":"101","flags":[],"cache":[]}]',
      '[{"dst":"default","gateway":"172.31.0.1","dev":"eth1","table":"101","flags":[]}]',
      'RTNETLINK answers: Invalid argument',
      'Command failed -:3',
      'RTNETLINK answers: Invalid argument',
      'Command failed -:4',
      '[{"type":"local","dst":"172.19.0.101","from":"100.64.0.2","dev":"lo","flags":[],"cache":["local"],"iif":"eth1"}]',
      '[{"type":"local","dst":"172.19.0.101","dev":"br-eip2","protocol":"kernel","scope":"host","prefsrc":"172.19.0.101","flags":[]}]',
      JSON.stringify(pbr),
    ].join('\n');
    const { decisions } = parseRouteOutput(queries, out);
    expect(decisions[0]).toMatchObject({ table: '101', dev: 'eth1', entry: 'default via 172.31.0.1 dev eth1', rule: { priority: 32764, text: 'from 172.19.0.101 lookup 101' } });
    expect(decisions[1].refused).toBe('Invalid argument');
    // A local destination comes from the local table, which rule 0 looks up.
    expect(decisions[2]).toMatchObject({ table: 'local', entry: 'local 172.19.0.101 dev br-eip2', rule: { priority: 0 } });
  });
});

describe('the trace table and the hooks', () => {
  it("marks only the probe's packets, at the lowest priority, in a table named with the prefix", () => {
    const nft = traceTableNft(cfg);
    expect(nft).toMatch(/^table inet h16_trace \{/);
    expect(nft.match(/priority -2147483647;/g)).toHaveLength(2);
    for (const rule of nft.split('\n').filter((l) => l.includes('nftrace'))) {
      expect(rule, rule).toMatch(new RegExp([cfg.uplink.clientIp, cfg.echo.ip, '127.0.0.1', `${resolverIp(cfg)} udp dport 53`].map((a) => `ip [sd]addr ${a.replace(/\./g, '\\.')}`).join('|')));
    }
  });

  it('runs the monitor in the server namespace and stops it, and removes the table, after the probes', () => {
    const hooks = kernelHooks(cfg, 2);
    const script = probeScript(cfg, [{ nic: eth0, probeUrl: 'http://x/' }], ['id'], hooks);
    expect(script).toMatch(/nsenter --net=\/run\/netns\/h16-server bash -c 'setsid nft -a monitor trace /);
    // The helper shell in the server's network stops the monitor and removes the table when told to, after the last snapshot.
    expect(script).toMatch(/nsenter --net=\/run\/netns\/h16-server bash -c '[^']*\[\[ "\$\{c\[\*\]\}" == \*monitor\* \]\] && kill \$m/);
    expect(script).toContain('exec nft -a -f - >"$1/ruleset" 2>/dev/null <<<"delete table inet $4\nlist ruleset";;');
    expect(script).toContain(" helper \"$K\" 33430 /run/h16/trace-monitor.pid h16_trace ");
    expect(hooks.settle.join('\n')).toContain('echo stop >&7');
    const lines = script.split('\n');
    expect(lines.indexOf('echo stop >&7; exec 7>&-')).toBeGreaterThan(lines.lastIndexOf('snapshot 1'));
    // The table is created in the background and waited for before the probes; the script ends when the helper has removed it.
    expect(hooks.ready[0]).toMatch(/^kready 33430 \|\| \{ KOK=0; /);
    expect(script).toContain('<<<"create table inet $4\n$5" || ');
    expect(script).toContain(` h16_trace '${traceTableNft(cfg)}' <"$K/cmd" >"$K/ack" & )`);
    expect(script).toContain('\nwhile read -r _ <&8; do :; done; exec 8<&-\n');
    expect(script.trimEnd().endsWith('\nwait')).toBe(true);
    expect(script).toContain('snapshot() { ksnap $1 & h=$!;');
  });

  it('reads the ruleset the helper listed after the probes', () => {
    const listing = 'table inet x { # handle 1\n}\n';
    expect(parseKernelRecord(`@@kernel-trace \n@@kernel-ruleset ${Buffer.from(listing).toString('base64')}\n`).ruleset).toBe(listing);
    expect(kernelHooks(cfg, 2).after.join('\n')).toContain('@@kernel-ruleset');
  });

  it('says in one line when the lab host cannot trace', () => {
    const rec = parseKernelRecord(`@@kernel-off ${Buffer.from('Error: Could not process rule: Operation not supported\n').toString('base64')}\n@@kernel-rpf 0 3\n`);
    expect(rec.unavailable).toBe('Error: Could not process rule: Operation not supported');
    expect(rec.rpFilter).toEqual([3]);
  });
});

describe('showing the account', () => {
  const kernel = { route: ['r'], netfilter: ['n'], summary: ['route from 172.31.0.14 -> table main (rule 32766) -> default via 172.31.0.1 dev eth0'], summary_zh: ['路由：…'] };
  const check = (measured: 'pass' | 'fail') => ({
    instance: 'eth1',
    check: 'egress-nic' as const,
    measured,
    expected: 'fail' as const,
    reason: 'because',
    evidence: { summary: 'SYN out eth1:0 eth0:1', kernel },
  });

  it('prints it under a failed check, and under every check with -v', () => {
    const r = run({ checks: [check('fail')] });
    expect(resultTable(r)).toContain('kernel: route from 172.31.0.14 -> table main (rule 32766)');
    expect(resultTable(r, 'zh')).toContain('内核：路由：…');
    const passed = run({ checks: [{ ...check('pass'), expected: 'pass' }] });
    expect(resultTable(passed)).not.toContain('kernel:');
    expect(resultTable(passed, 'en', true)).toContain('kernel: route');
  });

  it('puts it in the JUnit failure text', () => {
    const c = { ...check('pass') };
    expect(failureText(run({ checks: [c] }), c)).toContain('kernel: route from 172.31.0.14');
  });

  it('reads a reason for what it claims', () => {
    expect(claimsOf(cfg, eth1, 'rules keyed on each container\'s IP route its traffic out through its own NIC')).toEqual({ dev: 'eth1', policy: true });
    expect(claimsOf(cfg, eth1, 'replies are routed by the main table, whose only default route is via eth0')).toEqual({ dev: 'eth0', table: 'main' });
  });
});

describe('claims against the account', () => {
  it('a reason that credits a policy rule is contradicted by a route from the main table', () => {
    const packets = parseTrace(cfg, trace);
    const ms = [measurement(eth0, 0), measurement(eth1, 1)];
    const k = instanceAccount(cfg, ms[1], packetsOf(cfg, ms, packets)[1], noRpFilter, mainRoutes(packets), ruleset, () => 'the policy rules send the container out through eth0');
    expect(k['egress-nic'].contradiction).toBe("the kernel's account contradicts the reason: it says a policy rule routes the packet, the route came from table main (rule 32766)");
  });
});

describe("the account of a user's program (--app-cmd): its own probe phases, its DNS query", () => {
  // Markers 0..3: instance 1's egress phase (0), instance 2's (1), the client's requests (2).
  const marker = (id: string, phase: number) =>
    `trace id ${id} inet h16_trace output packet: oif "lo" ip saddr 127.0.0.1 ip daddr 127.0.0.1 ip protocol udp udp sport 5000${phase} udp dport ${33430 + phase} udp length 9`;
  // Instance 2's container asks the VPC resolver; SNAT gives it eth1's address; no SYN follows.
  const dns = [
    'trace id d1 inet h16_trace prerouting packet: iif "eip_bridge" ether saddr 02:42:ac:13:00:65 ip saddr 172.19.0.101 ip daddr 172.31.0.2 ip protocol udp udp sport 41000 udp dport 53 udp length 40',
    'trace id d1 inet h16_trace prerouting rule ip daddr 172.31.0.2 udp dport 53 meta nftrace set 1 # handle 9 (verdict continue)',
    'trace id d1 inet h16_trace prerouting policy accept',
    'trace id d2 ip nat POSTROUTING packet: oif "eth0" ip saddr 172.19.0.101 ip daddr 172.31.0.2 udp sport 41000 udp dport 53',
    'trace id d2 ip nat POSTROUTING rule ip saddr 172.19.0.101 counter packets 1 bytes 60 snat to 172.31.0.14 # handle 20 (verdict accept)',
  ];
  const own = [marker('m0', 0), marker('m1', 1), ...dns, marker('m2', 2), marker('m3', 3)].join('\n');
  const packets = parseTrace(cfg, own);
  const ms = [0, 1].map((i) => ({ ...measurement(cfg.nics[i], i), phases: { ingress: 2, egress: i } }));
  ms[1].egressCounters = { server: {}, edge: { [sourceCheckCounters.dropped('eth0')]: 2 } };

  it('finds the DNS query in the phase of the instance that sent it', () => {
    expect(packets.map((p) => p.kind)).toEqual(['dns']);
    const mine = packetsOf(cfg, ms, packets);
    expect(mine[0].dns).toBeUndefined();
    expect(mine[1].dns?.first).toMatchObject({ saddr: '172.19.0.101', daddr: '172.31.0.2', dport: 53, iif: 'eip_bridge' });
  });

  it('with no SYN, egress is explained by the DNS query: its route, its SNAT, and the source check that dropped it', () => {
    const mine = packetsOf(cfg, ms, packets);
    const k = instanceAccount(cfg, ms[1], mine[1], { trace: own, rpFilter: [] }, mainRoutes(packets), ruleset, () => undefined);
    expect(k['egress-nic'].route[0]).toMatch(/^from 172\.19\.0\.101 \(in eip_bridge\) to 172\.31\.0\.2: /);
    expect(k['egress-nic'].drop).toBe("dropped: the VPC's source check dropped 2 frame(s) sent out eth0 with another NIC's source (its DNS queries), so no SYN to the echo server followed");
    expect(k['egress-ip'].summary.join(' ')).toContain("snat to 172.31.0.14' matched");
    const quiet = instanceAccount(cfg, ms[0], mine[0], { trace: own, rpFilter: [] }, mainRoutes(packets), ruleset, () => undefined);
    expect(quiet['egress-nic'].drop).toBe('no SYN to the echo server was traced');
  });
});

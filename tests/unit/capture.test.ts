// A capture (what lab/capture/capture.sh printed on a server, here one taken from a
// hand-built namespace with Docker-like rules and an ipset) read, checked and
// turned into a replay plan.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCapture, type Capture } from '../../lab/capture/capture.js';
import { interfaceNames } from '../../lab/capture/nft.js';
import { replayedView, replayPlan } from '../../lab/capture/plan.js';
import { ruleProblem, words } from '../../lab/capture/iptables.js';
import { routeLine, ruleLine } from '../../lab/capture/routes.js';
import { capturedServer } from '../../lab/capture/server.js';
import { LabError } from '../../lab/model/errors.js';
import { parseEips, serverConfig } from '../../lab/capture/replay.js';
import { names } from '../../lab/config/config.js';
import { parseOptions } from '../../lab/cli/options.js';

const FIXTURE = readFileSync(new URL('../fixtures/captures/docker-ipset.json', import.meta.url), 'utf8');
const fresh = (): Capture => parseCapture(FIXTURE, 'fixture');
const text = (c: unknown) => JSON.stringify(c);

/** The one line a bad capture gives, checked to be a LabError (exit code 2). */
function problem(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('no error');
}

/** A third, fourth, ... NIC on the subnet: a link and an address. */
function withNic(c: Capture, name: string, ip: string, mac: string): Capture {
  c.links.push({ ifname: name, address: mac, link_type: 'ether' });
  c.addresses.push({ ifname: name, addr_info: [{ family: 'inet', local: ip, prefixlen: 24 }] });
  return c;
}

describe('reading a capture', () => {
  it('reads the fixture', () => {
    const c = fresh();
    expect(c.format).toBe('eiplab-capture');
    expect(c.links.map((l) => l.ifname)).toEqual(expect.arrayContaining(['lo', 'eth0', 'eth1', 'docker0']));
  });

  it.each([
    ['not JSON', 'this is { not json', /fixture is not JSON/],
    ['a JSON array', '[1, 2]', /is not an eiplab capture \(not a JSON object/],
    ['a capture from another tool', text({ format: 'batfish-snapshot', version: 1 }), /is not an eiplab capture \(its format is "batfish-snapshot"/],
    ['no format at all', text({ interfaces: [] }), /is not an eiplab capture \(it has no "format" field/],
    ['another version', text({ ...JSON.parse(FIXTURE), version: 7 }), /capture version 7 is not one this lab reads/],
  ])('%s: one line saying so', (_what, input, message) => {
    expect(problem(() => parseCapture(input, 'fixture'))).toMatch(message);
  });

  it.each(['links', 'routes', 'rules', 'sysctls', 'iptables'])('a missing field (%s) is named', (field) => {
    const raw = JSON.parse(FIXTURE);
    delete raw[field];
    expect(problem(() => parseCapture(text(raw), 'fixture'))).toMatch(new RegExp(`fixture: the field ${field} is missing`));
  });

  it('an interface name of 16 characters is refused', () => {
    const raw = JSON.parse(FIXTURE);
    raw.links[1].ifname = 'eth0123456789abc';
    expect(problem(() => parseCapture(text(raw), 'fixture'))).toMatch(/interface "eth0123456789abc" has 16 characters: Linux names have at most 15/);
  });
});

describe('the server a capture describes', () => {
  it('two NICs on the gateway subnet, the default route NIC first; docker0 is not a NIC', () => {
    const s = capturedServer(fresh(), 'fixture');
    expect(s.gateway).toBe('10.0.1.1');
    expect(s.subnet).toEqual({ ip: '10.0.1.0', prefixLen: 24 });
    expect(s.nics.map((n) => [n.name, n.mac, n.primary])).toEqual([
      ['eth0', '02:00:0a:00:01:0a', '10.0.1.10'],
      ['eth1', '02:00:0a:00:01:0b', '10.0.1.11'],
    ]);
    expect(s.foreign).toEqual([{ name: 'docker0', kind: 'bridge' }]);
  });

  it('four NICs are fine; five are refused, saying so', () => {
    const c = withNic(withNic(fresh(), 'eth2', '10.0.1.12', '02:00:0a:00:01:0c'), 'eth3', '10.0.1.13', '02:00:0a:00:01:0d');
    expect(capturedServer(c, 'fixture').nics).toHaveLength(4);
    withNic(c, 'eth4', '10.0.1.14', '02:00:0a:00:01:0e');
    expect(problem(() => capturedServer(c, 'fixture'))).toMatch(/5 NICs on the gateway's subnet 10\.0\.1\.0\/24 \(eth0, eth1, eth2, eth3, eth4\): the lab builds at most 4/);
  });

  it('NICs that share no subnet with a gateway are refused', () => {
    const c = fresh();
    const def = c.routes.find((r) => r.dst === 'default' && !r.table)!;
    def.gateway = '10.9.9.1';
    expect(problem(() => capturedServer(c, 'fixture'))).toMatch(/the default gateway 10\.9\.9\.1 is on no subnet of eth0's addresses: the NICs share no subnet with a gateway/);
    c.routes = c.routes.filter((r) => r.dst !== 'default' || r.table);
    expect(problem(() => capturedServer(c, 'fixture'))).toMatch(/the main table has no default route via a gateway/);
  });

  it('a public address on a NIC is refused', () => {
    const c = fresh();
    c.addresses.find((a) => a.ifname === 'eth1')!.addr_info.push({ family: 'inet', local: '8.8.4.4', prefixlen: 32 });
    expect(problem(() => capturedServer(c, 'fixture'))).toMatch(/eth1 has 8\.8\.4\.4, not a private address/);
  });
});

describe('the replay plan', () => {
  const plan = replayPlan(fresh(), 'fixture');
  const listed = plan.notReplayed.map((n) => `${n.what}: ${n.why.en}`);

  it('routes in every table, the kernel-made ones left to the kernel', () => {
    expect(plan.routes).toEqual([
      'unicast default table 100 via 10.0.1.1 dev eth0',
      'unicast default table 101 via 10.0.1.1 dev eth1',
      'unicast default table main proto dhcp src 10.0.1.10 metric 100 via 10.0.1.1 dev eth0',
    ]);
  });

  it('rules, without the three every namespace starts with', () => {
    expect(plan.rules).toEqual(['add pref 1000 from 10.0.1.11 table 101', 'add pref 1000 from 10.0.1.10 table 100']);
  });

  it("sysctls of all, default, lo and the NICs, globals first; none of docker0's", () => {
    const paths = plan.sysctls.map((s) => s.path);
    expect(paths[0]).toBe('net/ipv4/ip_forward');
    expect(plan.sysctls).toContainEqual({ path: 'net/ipv4/conf/eth1/rp_filter', value: '2' });
    expect(plan.sysctls).toContainEqual({ path: 'net/ipv4/conf/all/rp_filter', value: '2' });
    expect(plan.sysctls).toContainEqual({ path: 'net/ipv4/ip_local_port_range', value: '32768 60999' });
    expect(paths.some((p) => p.includes('docker0'))).toBe(false);
  });

  it("iptables: Docker's own nat chain is kept (jumps to it still work), its rules naming docker0 and the ipset rule are not", () => {
    const nat = plan.iptables.find((t) => t.name === 'nat')!;
    expect(nat.chains).toContain(':DOCKER - [0:0]');
    expect(nat.rules).toEqual([
      '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
      '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
      '-A POSTROUTING -s 10.0.1.11/32 -o eth1 -j SNAT --to-source 10.0.1.11',
    ]);
    const filter = plan.iptables.find((t) => t.name === 'filter')!;
    expect(filter.chains).toContain(':FORWARD DROP [0:0]');
    expect(filter.rules).toEqual(['-A INPUT -i eth1 -p tcp -m tcp --dport 22 -m comment --comment "ssh \\"admin\\" only" -j ACCEPT']);
  });

  it("nft: the capture's own table without iptables-nft's tables, the tun0 rule or the ip6 table; counters zeroed", () => {
    const tables = plan.nft!.nftables.filter((o) => 'table' in o).map((o) => o.table);
    expect(tables).toEqual([{ family: 'inet', name: 'own' }]);
    const rules = plan.nft!.nftables.filter((o) => 'rule' in o);
    expect(rules).toHaveLength(1);
    expect(JSON.stringify(rules)).toContain('"packets":0');
    expect(JSON.stringify(rules)).not.toContain('handle');
  });

  it('lists everything it leaves out, each with its reason', () => {
    expect(listed).toEqual([
      "interface docker0: a bridge interface, not a NIC on the gateway's subnet: not created, nor its addresses, the kernel's routes for them, or its sysctls",
      'iptables -t filter -A INPUT -m set --match-set h18-blocked src -j DROP: matches an ipset, whose contents are not captured',
      'iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE: names docker0, an interface the lab does not create',
      'iptables -t nat -A DOCKER -i docker0 -j RETURN: names docker0, an interface the lab does not create',
      'nft table ip6 v6only: ip6: the lab replays IPv4 only',
      'nft rule inet own out #3: names tun0, an interface the lab does not create',
      'IPv6 addresses: eth0 2001:db8::10/64: IPv6: the lab replays IPv4 only',
      'conntrack: connections open at capture time are not captured: the lab starts with an empty table',
    ]);
    for (const n of plan.notReplayed) expect(n.why.zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a route through a gateway outside the captured subnets, or naming a tunnel, is listed', () => {
    const c = fresh();
    c.routes.push({ dst: '192.168.50.0/24', gateway: '10.8.0.1', dev: 'eth0', flags: ['onlink'] }, { dst: '10.200.0.0/16', dev: 'tun0', flags: [] });
    const listedHere = replayPlan(c, 'fixture').notReplayed.map((n) => `${n.what}: ${n.why.en}`);
    expect(listedHere).toContain('route 192.168.50.0/24 via 10.8.0.1 dev eth0 table main: goes through 10.8.0.1, outside the captured subnets');
    expect(listedHere).toContain('route 10.200.0.0/16 dev tun0 table main: names tun0, an interface the lab does not create');
  });

  it('a capture without the main rule gets it deleted', () => {
    const c = fresh();
    c.rules = c.rules.filter((r) => r.priority !== 32766);
    expect(replayPlan(c, 'fixture').rules[0]).toBe('del pref 32766 table main');
  });

  it('the view the round trip compares leaves out the lab\'s own nft tables and empty iptables tables', () => {
    const c = fresh();
    c.nft!.nftables.push({ table: { family: 'inet', name: 'eiplab_probe', handle: 9 } });
    c.iptables += '\n*raw\n:PREROUTING ACCEPT [3:120]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
    expect(replayedView(replayPlan(c, 'fixture'))).toEqual(replayedView(plan));
  });
});

describe('the words of a replayed line', () => {
  it.each([
    [{ dst: '10.8.0.0/16', nexthops: [{ gateway: '10.0.1.1', dev: 'eth0', weight: 1, flags: [] }, { gateway: '10.0.1.1', dev: 'eth1', weight: 2, flags: [] }], flags: [] }, 'unicast 10.8.0.0/16 table main nexthop via 10.0.1.1 dev eth0 weight 1 nexthop via 10.0.1.1 dev eth1 weight 2'],
    [{ type: 'blackhole', dst: '10.9.0.0/16', table: '200', flags: [] }, 'blackhole 10.9.0.0/16 table 200'],
    [{ dst: '192.168.6.0/24', gateway: '10.0.1.1', dev: 'eth1', protocol: 'static', metric: 50, flags: [], metrics: [{ mtu: 1400 }] }, 'unicast 192.168.6.0/24 table main proto static metric 50 mtu 1400 via 10.0.1.1 dev eth1'],
  ])('route %j', (route, line) => {
    expect(routeLine(route, capturedServer(fresh(), 'f'), new Set(['lo', 'eth0', 'eth1']))).toEqual({ line });
  });

  it('a route with a field the replay does not know, or a word that is not plain, is not replayed', () => {
    const server = capturedServer(fresh(), 'f');
    const nics = new Set(['lo', 'eth0', 'eth1']);
    expect(routeLine({ dst: '10.1.0.0/16', dev: 'eth0', nhid: 5 }, server, nics)).toMatchObject({ why: { en: 'route field "nhid" is not one the replay knows' } });
    expect(routeLine({ dst: '10.1.0.0/16;reboot', dev: 'eth0' }, server, nics)).toHaveProperty('why');
  });

  it.each([
    [{ priority: 50, src: 'all', fwmark: '0x10', fwmask: '0xff', table: 'main', suppress_prefixlen: 0 }, 'pref 50 from all fwmark 0x10/0xff table main suppress_prefixlength 0'],
    [{ priority: 60, not: null, src: 'all', iif: 'lo', uid_start: 100, uid_end: 200, ipproto: 'tcp', dport: 80, action: 'prohibit' }, 'not pref 60 from all iif lo uidrange 100-200 ipproto tcp dport 80 prohibit'],
    [{ priority: 70, src: '10.0.1.0', srclen: 24, goto: 100 }, 'pref 70 from 10.0.1.0/24 goto 100'],
    [{ priority: 80, src: 'all', nop: null }, 'pref 80 from all nop'],
  ])('rule %j', (rule, line) => {
    expect(ruleLine(rule, new Set(['lo', 'eth0', 'eth1']))).toEqual({ line });
  });

  it('iptables words keep quoted comments; wildcards count as the interfaces they match', () => {
    expect(words('-A INPUT -m comment --comment "a \\"b\\" c" -j ACCEPT')).toEqual(['-A', 'INPUT', '-m', 'comment', '--comment', 'a "b" c', '-j', 'ACCEPT']);
    const created = new Set(['lo', 'eth0', 'eth1']);
    const captured = ['lo', 'eth0', 'eth1', 'docker0', 'br-1a2b'];
    expect(ruleProblem('-A FORWARD -o eth+ -j ACCEPT', created, captured)).toBeNull();
    expect(ruleProblem('-A FORWARD -o br+ -j ACCEPT', created, captured)?.en).toMatch(/names br\+/);
    expect(ruleProblem('-A FORWARD -o tun+ -j ACCEPT', created, captured)?.en).toMatch(/names tun\+/);
    expect(ruleProblem('-A FORWARD -m physdev --physdev-in eth0 -j ACCEPT', created, captured)?.en).toMatch(/physdev/);
  });

  it('nft interface names, also in anonymous sets', () => {
    expect(interfaceNames([{ match: { left: { meta: { key: 'iifname' } }, right: { set: ['eth0', 'docker*'] }, op: '==' } }])).toEqual(['eth0', 'docker+']);
  });
});

describe('the lab for a captured server', () => {
  const plan = replayPlan(fresh(), 'fixture');

  it("takes the capture's NICs, MACs, primary addresses and gateway; an EIP stand-in each, --eip's where given", () => {
    const cfg = serverConfig(plan, 'unit', parseEips(['eth1=203.0.113.7'], plan));
    expect(cfg.vpc).toMatchObject({ gateway: '10.0.1.1', prefixLen: 24 });
    expect(cfg.nics.map((n) => [n.name, n.ip, n.mac, n.eip])).toEqual([
      ['eth0', '10.0.1.10', '02:00:0a:00:01:0a', '203.0.113.65'],
      ['eth1', '10.0.1.11', '02:00:0a:00:01:0b', '203.0.113.7'],
    ]);
  });

  it.each([
    ['eth1', /bad --eip "eth1": give NIC=ADDRESS/],
    ['eth1=8.8.8.8', /--eip 8\.8\.8\.8 is not a stand-in for a public address/],
    ['eth1=203.0.113.300', /bad --eip/],
    ['eth9=203.0.113.7', /the capture has no NIC eth9 \(its NICs: eth0, eth1\)/],
    ['eth1=100.64.0.2', /already used \(the lab's uplink/],
    ['eth1=192.0.2.10', /already used \(the echo server\)/],
  ])('--eip %s is refused', (value, message) => {
    expect(problem(() => parseEips([value], plan))).toMatch(message);
  });

  it('the same stand-in for two NICs is refused', () => {
    expect(problem(() => parseEips(['eth0=203.0.113.7', 'eth1=203.0.113.7'], plan))).toMatch(/203\.0\.113\.7 is already used \(eth0\)/);
  });

  it('a long NIC name gives the edge port srv<index>, which fits in an interface name', () => {
    const c = fresh();
    for (const l of c.links) if (l.ifname === 'eth1') l.ifname = 'enp0s31f6abcdef';
    for (const a of c.addresses) if (a.ifname === 'eth1') a.ifname = 'enp0s31f6abcdef';
    const cfg = serverConfig(replayPlan(c, 'f'), 'unit');
    expect(cfg.nics.map((n) => names(cfg).edgePort(n))).toEqual(['srv-eth0', 'srv1']);
  });

  it('the options: --server with run (no scheme) or up; --eip and --expect only with it', () => {
    expect(parseOptions(['run', '--server', 'c.json', '--eip', 'eth1=203.0.113.7', '--expect', 'own'])).toMatchObject({ command: 'run', server: 'c.json', eips: ['eth1=203.0.113.7'], expect: 'own' });
    expect(parseOptions(['up', '--server', 'c.json'])).toMatchObject({ command: 'up', server: 'c.json', eips: [] });
    expect(() => parseOptions(['verify', '--server', 'c.json'])).toThrow(/--server works with `run` and `up`/);
    expect(() => parseOptions(['run', 'scheme1', '--eip', 'eth1=203.0.113.7'])).toThrow(/--eip goes with --server/);
    expect(() => parseOptions(['run', '--server', 'c.json', '--expect', 'pass'])).toThrow(/unknown --expect "pass"/);
    expect(() => parseOptions(['run', '--server', 'c.json', '--expect', 'own', 'scheme1'])).toThrow(/unexpected argument "scheme1"/);
    expect(() => parseOptions(['run', '--server', 'c.json', '--expect', 'own', '--config', 'x.json'])).toThrow(/--config does not go with --server/);
  });
});

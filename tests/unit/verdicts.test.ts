// Verdicts from synthetic measurements: the rules that turn counters and
// the echo server's record into pass or fail.
import { describe, expect, it } from 'vitest';
import { counterNames as C, parseCounters } from '../../lab/checks/counters.js';
import { assemble, probeScript, type InstanceMeasurement } from '../../lab/checks/probe.js';
import { measureInstance } from '../../lab/checks/verdicts.js';
import { defaultConfig } from '../../lab/config/config.js';

const cfg = defaultConfig('unit');
const [eth0, eth1] = cfg.nics;
const inst1 = { nic: eth1, probeUrl: 'http://172.31.0.14:8090/' };

function measurement(over: Partial<InstanceMeasurement> = {}): InstanceMeasurement {
  return {
    instance: inst1,
    requestId: 'eth1-abc',
    ingress: { rc: 0, out: JSON.stringify({ name: 'eth1', listen: '172.31.0.14:8090' }), err: '' },
    ingressCounters: {
      server: { [C.ingress('eth1', 'eth1')]: 5, [C.ingress('eth1', 'eth0')]: 0, [C.reply('eth1', 'eth1')]: 4, [C.reply('eth1', 'eth0')]: 0 },
      edge: {},
    },
    egress: { rc: 0, out: JSON.stringify({ local: '172.31.0.14:40000' }), err: '' },
    egressCounters: { server: { [C.egress('eth1')]: 1, [C.egress('eth0')]: 0, [C.egressOther]: 0 }, edge: {} },
    record: { rc: 0, out: JSON.stringify({ id: 'eth1-abc', ip: '198.51.100.75', port: '40000' }), err: '' },
    phases: { ingress: 0, egress: 0 },
    ...over,
  };
}

const verdicts = (m: InstanceMeasurement) => Object.fromEntries(measureInstance(cfg, m).map((r) => [r.check, r.measured]));

describe('verdicts', () => {
  it('all pass when every packet used eth1 and the echo server saw EIP 2', () => {
    expect(verdicts(measurement())).toEqual({ 'ingress-nic': 'pass', 'reply-nic': 'pass', 'egress-ip': 'pass', 'egress-nic': 'pass' });
  });

  it('egress-nic fails when any SYN left through another NIC', () => {
    const m = measurement({ egressCounters: { server: { [C.egress('eth1')]: 1, [C.egress('eth0')]: 1 }, edge: {} } });
    expect(verdicts(m)['egress-nic']).toBe('fail');
  });

  it('egress-nic fails when nothing left at all', () => {
    const m = measurement({ egressCounters: { server: {}, edge: {} } });
    const r = measureInstance(cfg, m).find((x) => x.check === 'egress-nic')!;
    expect(r.measured).toBe('fail');
    expect(r.evidence.summary).toBe('no outgoing connection attempt seen');
  });

  it('egress-ip follows the echo server, not the app: a record with another id or IP fails', () => {
    expect(verdicts(measurement({ record: { rc: 0, out: JSON.stringify({ id: 'eth1-abc', ip: '203.0.113.65' }), err: '' } }))['egress-ip']).toBe('fail');
    expect(verdicts(measurement({ record: { rc: 0, out: JSON.stringify({ id: 'other', ip: '198.51.100.75' }), err: '' } }))['egress-ip']).toBe('fail');
    expect(verdicts(measurement({ record: { rc: 22, out: '', err: 'curl: (22) 404' } }))['egress-ip']).toBe('fail');
  });

  it('ingress-nic fails when another instance answered, or nobody did, and says why', () => {
    expect(verdicts(measurement({ ingress: { rc: 0, out: JSON.stringify({ name: 'eth0' }), err: '' } }))['ingress-nic']).toBe('fail');
    const m = measurement({ ingress: { rc: 28, out: '', err: 'curl: (28) Connection timed out' } });
    const r = measureInstance(cfg, m).find((x) => x.check === 'ingress-nic')!;
    expect(r.measured).toBe('fail');
    expect(r.evidence.summary).toContain('no answer: curl: (28) Connection timed out');
  });

  it('reply-nic fails when replies left through eth0', () => {
    const m = measurement();
    m.ingressCounters.server[C.reply('eth1', 'eth0')] = 3;
    m.ingressCounters.server[C.reply('eth1', 'eth1')] = 0;
    expect(verdicts(m)['reply-nic']).toBe('fail');
  });
});

describe('probe output', () => {
  it('parses nft -j counters', () => {
    const json = JSON.stringify({ nftables: [{ metainfo: {} }, { counter: { family: 'inet', name: 'out_eth0', table: 't', handle: 1, packets: 3, bytes: 180 } }] });
    expect(parseCounters(json)).toEqual({ out_eth0: 3 });
    expect(parseCounters('')).toEqual({});
  });

  it('assembles phases: ingress and the last egress from phase 1, each other egress from its own phase', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const counters = (o: Record<string, number>) => JSON.stringify({ nftables: Object.entries(o).map(([name, packets]) => ({ counter: { name, packets } })) });
    const out = [
      `@@server 0 ${counters({ out_eth0: 0, out_eth1: 0, in_eth0_eth0: 0 })}`,
      '@@edge 0 {"nftables":[]}',
      `@@server 1 ${counters({ out_eth0: 1, out_eth1: 0, in_eth0_eth0: 4 })}`,
      '@@edge 1 {"nftables":[]}',
      `@@server 2 ${counters({ out_eth0: 2, out_eth1: 0, in_eth0_eth0: 4 })}`,
      '@@edge 2 {"nftables":[]}',
      `@@probe ingress-eth0 0 ${b64('{"name":"eth0"}')}- -`,
      `@@probe record-eth1 22 - ${b64('curl: (22) 404')}-`,
    ].join('\n');
    const [m0, m1] = assemble([{ nic: eth0, probeUrl: '' }, inst1], ['a', 'b'], out);
    expect(m0.ingressCounters.server.in_eth0_eth0).toBe(4);
    expect(m1.egressCounters.server.out_eth0).toBe(1); // phase 1: snapshot 1 - snapshot 0
    expect(m0.egressCounters.server.out_eth0).toBe(1); // phase 2: snapshot 2 - snapshot 1
    expect(m0.ingress.out).toBe('{"name":"eth0"}');
    expect(m1.record).toEqual({ rc: 22, out: '', err: 'curl: (22) 404' });
    expect(m1.ingress.err).toBe('probe did not run');
  });

  it('reads counter snapshots passed as the one-line JSON of nft -j, and empty ones', () => {
    const json = (packets: number) => JSON.stringify({ nftables: [{ counter: { name: 'out_eth0', packets } }] });
    const out = [`@@server 0 ${json(1)}`, '@@edge 0 ', `@@server 1 ${json(3)}`, '@@edge 1 '].join('\n');
    const [m] = assemble([{ nic: eth0, probeUrl: '' }], ['a'], out);
    expect(m.ingressCounters.server.out_eth0).toBe(2);
    expect(m.ingressCounters.edge).toEqual({});
  });

  it('probes every ingress at once with the last egress, then each other egress alone', () => {
    const script = probeScript(cfg, [{ nic: eth0, probeUrl: 'http://a/' }, inst1], ['id0', 'id1']);
    const lines = script.split('\n');
    const waitAt = lines.indexOf('wait');
    expect(lines.slice(0, waitAt).filter((l) => l.startsWith('probe ')).map((l) => l.split(' ')[1])).toEqual([
      'ingress-eth0', 'ingress-eth1', 'egress-eth1',
    ]);
    expect(lines[waitAt + 1]).toBe('snapshot 1');
    expect(lines[waitAt + 2]).toMatch(/^probe egress-eth0 .* 'http:\/\/a\/\?id=id0'$/);
    expect(lines[waitAt + 3]).toBe('snapshot 2');
  });
});

import { describe, expect, it } from 'vitest';
import { cellId, countsOf, instanceViews, laneOf, legsOf } from '../../lab/report/paths.js';
import { nicCheck, recordedMatrix, run } from '../helpers/results.js';

describe('paths from results', () => {
  it('draws one leg per interface that carried packets, green on the instance own NIC', () => {
    const c = nicCheck('eth1', 'reply-nic', { eth1: 2, eth0: 4 }, 'fail', { sourceCheckDrops: { eth1: 0, eth0: 3 } });
    const legs = legsOf(run({ checks: [c] }), c);
    expect(legs.map((l) => [l.via, l.packets, l.intended, l.dropped])).toEqual([
      ['eth1', 2, true, 0],
      ['eth0', 4, false, 3],
    ]);
    expect(legs[0].lane).toEqual({ name: 'reply', direction: 'out', peer: 'client' });
  });

  it('keeps a lane with no packets as one leg without an interface', () => {
    const c = nicCheck('eth1', 'egress-nic', { eth1: 0, eth0: 0 }, 'fail');
    expect(legsOf(run({ checks: [c] }), c)).toMatchObject([{ via: null, packets: 0, intended: false, lane: { name: 'egress', peer: 'echo' } }]);
  });

  it('does not mistake the VPC drop counters for a path', () => {
    const c = nicCheck('eth0', 'egress-nic', { eth0: 1 }, 'pass');
    c.evidence = { sourceCheckDrops: { eth0: 0, eth1: 5 }, synsOut: { eth0: 1, eth1: 0 }, summary: 's' };
    expect(countsOf(c)).toEqual({ eth0: 1, eth1: 0 });
  });

  it('turns checks without packet counts into badges, and unknown "-nic" checks with counts into lanes', () => {
    const r = run({
      checks: [
        { instance: 'eth2', check: 'egress-ip' as never, measured: 'pass', expected: 'pass', reason: 'r', evidence: { echoSaw: '198.51.100.9', summary: 's' } },
        nicCheck('eth2', 'ingress-nic', { eth2: 3 }, 'pass'),
        nicCheck('eth2', 'dns-nic', { eth0: 1, eth2: 0 }, 'fail'),
      ],
    });
    const [view] = instanceViews(r);
    expect(view.instance).toBe('eth2');
    expect(view.badges.map((b) => b.check)).toEqual(['egress-ip']);
    expect(view.legs.map((l) => `${l.lane.name}:${l.via}:${l.intended}`)).toEqual(['ingress:eth2:true', 'dns:eth0:false']);
    expect(laneOf(r.checks[2])).toEqual({ name: 'dns', direction: 'out', peer: 'echo' });
  });

  it('gives every recorded run a distinct cell id', () => {
    const ids = recordedMatrix().map(cellId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('scheme1-bound-nofix-lenient');
    expect(cellId({ scheme: 'scheme 2', app: 'plain', fix: 'pbr', scenario: 'dockerd/restart', profile: 'cloud' })).toBe('scheme_2-plain-pbr-dockerd_restart-cloud');
  });

  it('matches what the recorded matrix measured: scheme1 bound lenient, eth1 replies and egress leave through eth0', () => {
    const r = recordedMatrix().find((x) => x.fix === null && x.profile === 'lenient')!;
    const eth1 = instanceViews(r).find((v) => v.instance === 'eth1')!;
    const lanes = Object.fromEntries(eth1.legs.map((l) => [l.lane.name, l.via]));
    expect(lanes).toEqual({ ingress: 'eth1', reply: 'eth0', egress: 'eth0' });
  });
});

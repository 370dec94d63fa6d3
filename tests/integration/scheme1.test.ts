// Scheme 1 on the real topology: measured verdicts for every profile, with
// and without the fix, asserted cell by cell (not only "as expected").
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILES } from '../../lab/topology/profiles.js';
import { measuredMap, testLab } from '../helpers/lab.js';

const lab = testLab('eiplabt1');
afterAll(() => lab.down());

const allPass = {
  'eth0 ingress-nic': 'pass', 'eth0 reply-nic': 'pass', 'eth0 egress-ip': 'pass', 'eth0 egress-nic': 'pass',
  'eth1 ingress-nic': 'pass', 'eth1 reply-nic': 'pass', 'eth1 egress-ip': 'pass', 'eth1 egress-nic': 'pass',
};

describe('scheme 1: the app binds its source IP', () => {
  it('lenient: eth1 is seen with its own EIP, but its packets and replies leave through eth0', async () => {
    const r = await lab.run('scheme1', 'lenient', {});
    expect(measuredMap(r)).toEqual({ ...allPass, 'eth1 reply-nic': 'fail', 'eth1 egress-nic': 'fail' });
    const egress = r.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-nic')!;
    expect(egress.evidence.synsOut).toMatchObject({ eth0: expect.any(Number), eth1: 0 });
    expect((egress.evidence.synsOut as Record<string, number>).eth0).toBeGreaterThan(0);
    expect(r.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-ip')!.evidence.echoSaw).toBe('198.51.100.75');
    expect(r.ok).toBe(true);
  });

  it('cloud: the VPC source check drops eth1 traffic that leaves through eth0', async () => {
    const r = await lab.run('scheme1', 'cloud', {});
    expect(measuredMap(r)).toEqual({
      ...allPass,
      'eth1 ingress-nic': 'fail', 'eth1 reply-nic': 'fail', 'eth1 egress-ip': 'fail', 'eth1 egress-nic': 'fail',
    });
    const egress = r.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-nic')!;
    expect((egress.evidence.sourceCheckDrops as Record<string, number>).eth0).toBeGreaterThan(0);
    expect(r.checks.find((c) => c.instance === 'eth1' && c.check === 'egress-ip')!.evidence.echoSaw).toBeNull();
    expect(r.ok).toBe(true);
  });

  it('strict: rp_filter=1 drops requests arriving on eth1, so no reply leaves at all', async () => {
    const r = await lab.run('scheme1', 'strict', {});
    const reply = r.checks.find((c) => c.instance === 'eth1' && c.check === 'reply-nic')!;
    expect(reply.measured).toBe('fail');
    expect(reply.evidence.packetsOut).toEqual({ eth0: 0, eth1: 0 });
    const ingress = r.checks.find((c) => c.instance === 'eth1' && c.check === 'ingress-nic')!;
    expect((ingress.evidence.packetsIn as Record<string, number>).eth1).toBeGreaterThan(0);
    expect(ingress.evidence.answeredBy).toBeNull();
    expect(r.ok).toBe(true);
  });

  for (const profile of PROFILES) {
    it(`${profile} with --fix pbr: all eight checks pass`, async () => {
      const r = await lab.run('scheme1', profile, { fix: 'pbr' });
      expect(measuredMap(r)).toEqual(allPass);
      expect(r.ok).toBe(true);
    });
  }
});

// Scheme 3 on the real topology, both app variants, asserted cell by cell.
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILES } from '../../lab/topology/profiles.js';
import { check, measuredMap, testLab } from '../helpers/lab.js';

const lab = testLab('eiplabt5');
afterAll(() => lab.down());

const eth0Pass = { 'eth0 ingress-nic': 'pass', 'eth0 reply-nic': 'pass', 'eth0 egress-ip': 'pass', 'eth0 egress-nic': 'pass' };
const eth1 = (ingress: string, reply: string, ip: string, nic: string) => ({
  'eth1 ingress-nic': ingress, 'eth1 reply-nic': reply, 'eth1 egress-ip': ip, 'eth1 egress-nic': nic,
});

describe('scheme 3: bridges + DNAT/SNAT', () => {
  it("plain app: ingress works through both EIPs, but instance 2 is seen with eth0's EIP", async () => {
    const r = await lab.run('scheme3', 'lenient', { app: 'plain' });
    expect(measuredMap(r)).toEqual({ ...eth0Pass, ...eth1('pass', 'fail', 'fail', 'fail') });
    expect(check(r, 'eth1', 'egress-ip').evidence.echoSaw).toBe('203.0.113.65');
    expect(String(check(r, 'eth1', 'egress-ip').evidence.appSource)).toMatch(/^172\.31\.0\.8:/);
    expect(r.ok).toBe(true);
  });

  it('bound app: egress-ip right, egress-nic wrong', async () => {
    const r = await lab.run('scheme3', 'lenient', { app: 'bound' });
    expect(measuredMap(r)).toEqual({ ...eth0Pass, ...eth1('pass', 'fail', 'pass', 'fail') });
    expect(check(r, 'eth1', 'egress-ip').evidence.echoSaw).toBe('198.51.100.75');
    expect(String(check(r, 'eth1', 'egress-ip').evidence.appSource)).toMatch(/^172\.19\.0\.101:/);
  });

  for (const profile of PROFILES) {
    it(`${profile}: the bound app with pbr passes every check`, async () => {
      const r = await lab.run('scheme3', profile, { app: 'bound', fix: 'pbr' });
      expect(measuredMap(r)).toEqual({ ...eth0Pass, ...eth1('pass', 'pass', 'pass', 'pass') });
    });

    it(`${profile}: the plain app with pbr still shows eth0's EIP for instance 2`, async () => {
      const r = await lab.run('scheme3', profile, { app: 'plain', fix: 'pbr' });
      expect(measuredMap(r)).toEqual({ ...eth0Pass, ...eth1('pass', 'pass', 'fail', 'fail') });
      expect(check(r, 'eth1', 'egress-ip').evidence.echoSaw).toBe('203.0.113.65');
    });
  }

  it('cloud without the fix: the bound app\'s SNATed packets leave through eth0 and are dropped', async () => {
    const r = await lab.run('scheme3', 'cloud', { app: 'bound' });
    expect(measuredMap(r)).toEqual({ ...eth0Pass, ...eth1('fail', 'fail', 'fail', 'fail') });
    expect((check(r, 'eth1', 'egress-nic').evidence.sourceCheckDrops as Record<string, number>).eth0).toBeGreaterThan(0);
  });
});

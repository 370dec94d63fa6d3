// verify measures the network as it is now: change the server by hand
// between two verifies, and the verdicts change with it.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { check, testLab } from '../helpers/lab.js';

const lab = testLab('eiplabt3');
afterAll(() => lab.down());
const inServer = (cmd: string) => execFileSync('ip', ['netns', 'exec', 'eiplabt3-server', 'sh', '-c', cmd]);

describe('verify follows the network', () => {
  it('a policy rule added by hand moves eth1\'s traffic onto eth1; removing it moves it back', async () => {
    await lab.up('lenient');
    await lab.apply('scheme1');
    let r = await lab.verify();
    expect(check(r, 'eth1', 'egress-nic').measured).toBe('fail');
    expect(check(r, 'eth1', 'reply-nic').measured).toBe('fail');

    inServer('ip rule add pref 500 from 172.31.0.14 lookup 77 && ip route add default via 172.31.0.1 dev eth1 table 77');
    r = await lab.verify();
    expect(check(r, 'eth1', 'egress-nic').measured).toBe('pass');
    expect(check(r, 'eth1', 'reply-nic').measured).toBe('pass');
    // The run compares with the applied variant (no fix), so these now differ from expected.
    expect(r.ok).toBe(false);

    inServer('ip rule del pref 500');
    r = await lab.verify();
    expect(check(r, 'eth1', 'egress-nic').measured).toBe('fail');
    expect(r.ok).toBe(true);
  });

  it('a stopped app instance fails its checks with the error as evidence, not a crash', async () => {
    await lab.up('lenient');
    await lab.apply('scheme1');
    inServer('kill $(cat /run/eiplabt3/app-eth1.pid)');
    const r = await lab.verify();
    const ingress = check(r, 'eth1', 'ingress-nic');
    expect(ingress.measured).toBe('fail');
    expect(String(ingress.evidence.summary)).toMatch(/no answer: curl: \(7\)/);
    expect(check(r, 'eth1', 'egress-ip').measured).toBe('fail');
    expect(check(r, 'eth0', 'egress-ip').measured).toBe('pass');
  });
});

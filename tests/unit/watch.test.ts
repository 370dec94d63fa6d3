// watch: counters summed per NIC, and the table it draws from them.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../lab/config/config.js';
import { nicCounts, renderSnapshot, type Snapshot } from '../../lab/cli/watch.js';

const cfg = defaultConfig('unit');
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

const server = {
  in_eth0_eth0: 6, in_eth0_eth1: 0, in_eth1_eth0: 0, in_eth1_eth1: 6,
  reply_eth0_eth0: 4, reply_eth0_eth1: 0, reply_eth1_eth0: 4, reply_eth1_eth1: 0,
  out_eth0: 2, out_eth1: 0, out_other: 0,
};

const snapshot = (counts: ReturnType<typeof nicCounts>): Snapshot => ({
  at: new Date('2026-01-01T10:00:00Z'),
  state: { prefix: 'unit', target: 'local', profile: 'cloud', upAt: 'T0', applied: { scheme: 'scheme1', app: 'bound', fix: null, scenario: null, at: 'T1' } },
  counts,
});

describe('watch', () => {
  it('sums the probe counters per address and NIC, and the source-check drops per sending NIC', () => {
    const c = nicCounts(cfg, server, { spoofed_eth0: 4, spoofed_reply_eth0_eth1: 3, spoofed_out_eth0: 1, spoofed_eth1: 0 });
    expect(c.ingress).toEqual({ eth0: { eth0: 6, eth1: 0 }, eth1: { eth0: 0, eth1: 6 } });
    expect(c.reply).toEqual({ eth0: { eth0: 4, eth1: 0 }, eth1: { eth0: 4, eth1: 0 } });
    expect(c.egress).toEqual({ eth0: 2, eth1: 0 });
    expect(c.drops).toEqual({ eth0: 4, eth1: 0 });
    expect(nicCounts(cfg, {}, null).drops).toBeNull();
  });

  it('draws one row per address and direction, marks packets on the wrong NIC, and shows increments', () => {
    const before = snapshot(nicCounts(cfg, server, null));
    const after = snapshot(nicCounts(cfg, { ...server, reply_eth1_eth0: 6 }, null));
    const text = plain(renderSnapshot(cfg, after, before, 'en'));
    expect(text).toContain('packets per NIC in unit-server');
    expect(text).toContain('applied: scheme1 app=bound fix=none');
    expect(text).toMatch(/ingress\s+to eth0's IP 172\.31\.0\.8\s+6\s+0/);
    expect(text).toMatch(/from eth1's IP 172\.31\.0\.14\s+6 \(\+2\)!\s+0/);
    expect(text).toMatch(/egress\s+SYNs to the echo server 192\.0\.2\.10\s+2\s+0/);
    expect(text).not.toContain('dropped by the VPC source check');
  });

  it('speaks Chinese, with the drops row when the profile has a source check', () => {
    const text = plain(renderSnapshot(cfg, snapshot(nicCounts(cfg, server, { spoofed_eth0: 3 })), null, 'zh'));
    expect(text).toContain('各网卡的数据包计数');
    expect(text).toMatch(/回包\s+来自 eth0 的 IP 172\.31\.0\.8\s+4\s+0/);
    expect(text).toMatch(/被 VPC 源地址检查丢弃\s+3\s+0/);
  });
});

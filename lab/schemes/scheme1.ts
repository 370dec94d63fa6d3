// Seed, 方案一: the app binds the source IP of its outgoing connections to
// the IP of the NIC it listens on. One instance per NIC IP.
import { startApp, stopApp } from '../app.js';
import { policyRouting, removePolicyRouting } from '../fixes.js';
import { defineScheme, expect } from '../scheme.js';

export default defineScheme({
  id: 'scheme1',
  title: 'The app binds its source IP',
  seed: '方案一 应用流量出口绑定网卡',
  apps: ['bound'],
  instances: ({ cfg }) => cfg.nics.map((nic) => ({ nic, probeUrl: `http://${nic.ip}:${cfg.appPort}/` })),
  steps: ({ cfg }) =>
    cfg.nics.map((nic) => ({
      node: 'server',
      explain: `Run one instance listening on ${nic.name}'s IP; its HTTP client dials with LocalAddr = ${nic.ip}.`,
      commands: startApp(cfg, { nic, listen: `${nic.ip}:${cfg.appPort}`, bind: true }),
    })),
  fixes: {
    pbr: (ctx) =>
      policyRouting(ctx, {
        keyedOn: (nic) => nic.ip,
        keepLocalRoutes: false,
        why: 'Source-based policy routing: traffic from a NIC\'s IP uses a table whose default route leaves through that NIC.',
      }),
  },
  teardown: (ctx) => [
    { node: 'server', explain: 'Stop the app instances.', commands: ctx.cfg.nics.map(stopApp) },
    ...removePolicyRouting(ctx),
  ],
  expected: [
    expect({ fix: 'pbr' }, 'pass', 'the policy rule sends traffic from each NIC IP out through that NIC'),
    expect({ instance: 'eth0' }, 'pass', 'eth0 holds the default route, so traffic from its IP leaves through it'),
    // eth1's instance without the fix:
    expect({ check: 'ingress-nic', profile: 'strict' }, 'fail', 'rp_filter=1: the route back to the client is via eth0, so requests arriving on eth1 are dropped'),
    expect({ check: 'ingress-nic', profile: 'cloud' }, 'fail', "the SYN-ACK leaves through eth0 with eth1's IP and the VPC's source check drops it: the request never completes"),
    expect({ check: 'ingress-nic' }, 'pass', "the router delivers EIP 2's traffic to eth1's MAC"),
    expect({ check: 'reply-nic' }, 'fail', "the only default route is via eth0, so replies from eth1's IP leave through eth0"),
    expect({ check: 'egress-ip', profile: ['cloud', 'strict'] }, 'fail', "eth1's IP leaves through eth0 and the VPC's source check drops it"),
    expect({ check: 'egress-ip' }, 'pass', "the app binds eth1's IP and the router maps that IP to EIP 2, whichever port it came in on"),
    expect({ check: 'egress-nic' }, 'fail', "the main table's default route sends eth1's IP out through eth0"),
  ],
});

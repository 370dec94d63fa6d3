// Seed, 方案一: the app binds the source IP of its outgoing connections to
// the IP of the NIC it listens on. One instance per NIC IP.
import { startApp, stopApp } from './blocks/app.js';
import { policyRouting, removePolicyRouting } from './blocks/fixes.js';
import { defineScheme, expect } from '../model/scheme.js';

export default defineScheme({
  id: 'scheme1',
  title: { en: 'The app binds its source IP', zh: '应用绑定出口源 IP' },
  seed: '方案一 应用流量出口绑定网卡',
  apps: ['bound'],
  instances: ({ cfg }) => cfg.nics.map((nic) => ({ nic, probeUrl: `http://${nic.ip}:${cfg.appPort}/` })),
  steps: ({ cfg }) =>
    cfg.nics.map((nic) => ({
      node: 'server',
      explain: {
        en: `Run one instance listening on ${nic.name}'s IP; its HTTP client dials with LocalAddr = ${nic.ip}.`,
        zh: `启动一个监听 ${nic.name} 地址的实例，它的 HTTP 客户端以 LocalAddr = ${nic.ip} 发起连接。`,
      },
      commands: startApp(cfg, { nic, listen: `${nic.ip}:${cfg.appPort}`, bind: true }),
    })),
  fixes: {
    pbr: (ctx) =>
      policyRouting(ctx, {
        keyedOn: (nic) => nic.ip,
        keepLocalRoutes: false,
        why: {
          en: "Source-based policy routing: traffic from a NIC's IP uses a table whose default route leaves through that NIC.",
          zh: '基于源地址的策略路由：源地址是某块网卡 IP 的流量查自己的路由表，表里的默认路由从这块网卡出去。',
        },
      }),
  },
  teardown: (ctx) => [
    { node: 'server', explain: { en: 'Stop the app instances.', zh: '停止应用实例。' }, commands: ctx.cfg.nics.map(stopApp) },
    ...removePolicyRouting(ctx),
  ],
  expected: [
    expect({ fix: 'pbr' }, 'pass', {
      en: 'the policy rule sends traffic from each NIC IP out through that NIC',
      zh: '策略路由规则让每块网卡 IP 发出的流量都从这块网卡出去',
    }),
    expect({ instance: 'eth0' }, 'pass', {
      en: 'eth0 holds the default route, so traffic from its IP leaves through it',
      zh: '默认路由在 eth0 上，源地址是 eth0 IP 的流量本来就从 eth0 出去',
    }),
    // eth1's instance without the fix:
    expect({ check: 'ingress-nic', profile: 'strict' }, 'fail', {
      en: 'rp_filter=1: the route back to the client is via eth0, so requests arriving on eth1 are dropped',
      zh: 'rp_filter=1：回客户端的路由走 eth0，所以从 eth1 进来的请求被内核丢弃',
    }),
    expect({ check: 'ingress-nic', profile: 'cloud' }, 'fail', {
      en: "the SYN-ACK leaves through eth0 with eth1's IP and the VPC's source check drops it: the request never completes",
      zh: 'SYN-ACK 带着 eth1 的 IP 从 eth0 发出，被 VPC 的源地址检查丢弃：连接始终建立不起来',
    }),
    expect({ check: 'ingress-nic' }, 'pass', {
      en: "the router delivers EIP 2's traffic to eth1's MAC",
      zh: '云路由器把发往 EIP 2 的流量交给 eth1 的 MAC 地址',
    }),
    expect({ check: 'reply-nic' }, 'fail', {
      en: "the only default route is via eth0, so replies from eth1's IP leave through eth0",
      zh: '唯一的默认路由走 eth0，所以 eth1 IP 的回包也从 eth0 出去',
    }),
    expect({ check: 'egress-ip', profile: ['cloud', 'strict'] }, 'fail', {
      en: "eth1's IP leaves through eth0 and the VPC's source check drops it",
      zh: '源地址是 eth1 IP 的包从 eth0 发出，被 VPC 的源地址检查丢弃',
    }),
    expect({ check: 'egress-ip' }, 'pass', {
      en: "the app binds eth1's IP and the router maps that IP to EIP 2, whichever port it came in on",
      zh: '应用绑定了 eth1 的 IP；路由器只看源 IP，不管包从哪个口进来，都把它映射成 EIP 2',
    }),
    expect({ check: 'egress-nic' }, 'fail', {
      en: "the main table's default route sends eth1's IP out through eth0",
      zh: 'main 路由表的默认路由把源地址为 eth1 IP 的包送到 eth0 出去',
    }),
  ],
});

// Seed, 方案一: the app binds the source IP of its outgoing connections to
// the IP of the NIC it listens on. One instance per NIC IP.
import { startApp } from './blocks/app.js';
import { policyRouting } from './blocks/fixes.js';
import { sameForAll, type Fact } from '../model/facts.js';
import { defineScheme } from '../model/scheme.js';

const POLICY: Fact['why'] = {
  en: "the policy rule sends traffic from {nic.name}'s IP out through {nic.name}",
  zh: '策略路由规则让源地址是 {nic.name} IP 的流量从 {nic.name} 出去',
};

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
  facts: ({ fix }) =>
    fix === 'pbr'
      ? sameForAll({
          reply: { is: 'own', why: POLICY },
          egress: { is: 'own', why: POLICY },
          seen: { is: 'own', why: { en: "the app binds {nic.name}'s IP, which leaves through {nic.name} and is mapped to {nic.eip}", zh: '应用绑定了 {nic.name} 的 IP，包从 {nic.name} 出去，被映射成 {nic.eip}' } },
        })
      : {
          others: {
            reply: {
              is: 'default',
              why: {
                en: "the only default route is via {default.name}, so replies from {nic.name}'s IP leave through {default.name}",
                zh: '唯一的默认路由走 {default.name}，所以 {nic.name} IP 的回包也从 {default.name} 出去',
              },
            },
            egress: {
              is: 'default',
              why: {
                en: "the main table's default route sends {nic.name}'s IP out through {default.name}",
                zh: 'main 路由表的默认路由把源地址为 {nic.name} IP 的包送到 {default.name} 出去',
              },
            },
            seen: {
              is: 'own',
              why: {
                en: "the app binds {nic.name}'s IP and the router maps that IP to {nic.eip}, whichever port it came in on",
                zh: '应用绑定了 {nic.name} 的 IP；路由器只看源 IP，不管包从哪个口进来，都把它映射成 {nic.eip}',
              },
            },
          },
        },
});

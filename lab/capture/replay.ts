// A captured server in the lab: the lab's config built from the capture
// (its NIC names, MACs, primary addresses, subnet and gateway; an elastic-IP
// stand-in per NIC), and the replay as a scheme: the steps that give the
// server the capture's routes, rules, sysctls and netfilter rules, then
// start the app on every NIC's primary address.
import { defaultConfig, type LabConfig, type Nic } from '../config/config.js';
import { inCidr, PUBLIC_STAND_INS, sameSubnet } from '../config/ipv4.js';
import { LabError } from '../model/errors.js';
import { sameForAll, type Fact } from '../model/facts.js';
import { defineScheme, type Scheme } from '../model/scheme.js';
import type { Step } from '../model/steps.js';
import { startApp } from '../schemes/blocks/app.js';
import { basename } from 'node:path';
import { t, type Lang } from '../model/i18n.js';
import { readCapture, type Capture } from './capture.js';
import { restoreInput } from './iptables.js';
import { captureSay } from './phrases.js';
import { replayPlan, type ReplayPlan } from './plan.js';

/** The stand-ins each NIC gets unless --eip names one: documentation ranges (RFC 5737), never a real address. */
const DEFAULT_EIPS = ['203.0.113.65', '198.51.100.75', '203.0.113.85', '198.51.100.95'];

export const SERVER_SCHEME_ID = 'server';

/** `--eip NIC=ADDR` values, checked against the capture's NICs and the lab's own addresses. */
export function parseEips(values: string[], plan: ReplayPlan, base: LabConfig = defaultConfig()): Record<string, string> {
  const eips: Record<string, string> = {};
  const names = plan.server.nics.map((n) => n.name);
  for (const v of values) {
    const m = /^([^=\s]+)=(\d{1,3}(\.\d{1,3}){3})$/.exec(v);
    if (!m || m[2].split('.').some((o) => Number(o) > 255)) throw new LabError(captureSay.badEip(v));
    const [, nic, ip] = m;
    if (!names.includes(nic)) throw new LabError(captureSay.eipUnknownNic(nic, names.join(', ')));
    if (!PUBLIC_STAND_INS.some((c) => inCidr(ip, c))) throw new LabError(captureSay.eipNotStandIn(ip, PUBLIC_STAND_INS.join(', ')));
    if (sameSubnet(ip, base.uplink.edgeIp, base.uplink.prefixLen)) throw new LabError(captureSay.eipTaken(ip, `the lab's uplink ${base.uplink.edgeIp}/${base.uplink.prefixLen}`));
    if (ip === base.echo.ip) throw new LabError(captureSay.eipTaken(ip, 'the echo server'));
    const twice = Object.entries(eips).find(([, e]) => e === ip);
    if (twice) throw new LabError(captureSay.eipTaken(ip, twice[0]));
    eips[nic] = ip;
  }
  return eips;
}

/** The lab's config for a captured server: the capture's NICs and gateway, the lab's own internet. */
export function serverConfig(plan: ReplayPlan, prefix: string, eips: Record<string, string> = {}): LabConfig {
  const base = defaultConfig(prefix);
  const given = new Set(Object.values(eips));
  const spare = DEFAULT_EIPS.filter((e) => !given.has(e));
  const nics: Nic[] = plan.server.nics.map((n, i) => ({ name: n.name, ip: n.primary, mac: n.mac, eip: eips[n.name] ?? spare.shift()!, table: 100 + i }));
  return { ...base, vpc: { ...base.vpc, gateway: plan.server.gateway, prefixLen: plan.server.subnet.prefixLen }, nics: nics as LabConfig['nics'] };
}

const heredoc = (command: string, tag: string, body: string) => `${command} <<'${tag}'\n${body}\n${tag}`;

/** The replay's steps on the server, after `up` gave it the NICs, their primary addresses and the lab's default route. */
export function replaySteps(plan: ReplayPlan): Step[] {
  const steps: Step[] = [];
  const extra = plan.server.nics.flatMap((n) => n.addresses.slice(1).map((a) => `addr add ${a.ip}/${a.prefixLen} dev ${n.name}`));
  if (extra.length) {
    steps.push({
      node: 'server',
      explain: { en: "The NICs' other addresses, as captured.", zh: '按采集结果给网卡加上其余的地址。' },
      commands: [heredoc('ip -batch -', 'IP', extra.join('\n'))],
      undo: [],
    });
  }
  steps.push({
    node: 'server',
    explain: {
      en: "The captured routes in every table, in place of the lab's own default route.",
      zh: '用采集到的各路由表的路由，替换实验自己的默认路由。',
    },
    commands: ['ip route flush table main proto boot', ...(plan.routes.length ? [heredoc('ip -batch -', 'IP', plan.routes.map((r) => `route add ${r}`).join('\n'))] : [])],
    undo: [],
  });
  if (plan.rules.length) {
    steps.push({
      node: 'server',
      explain: { en: 'The captured policy rules (ip rule).', zh: '采集到的策略路由规则（ip rule）。' },
      commands: [heredoc('ip -batch -', 'IP', plan.rules.map((r) => `rule ${r}`).join('\n'))],
      undo: [],
    });
  }
  if (plan.sysctls.length) {
    steps.push({
      node: 'server',
      explain: {
        en: "The captured routing sysctls (rp_filter, forwarding, ...), over the profile's.",
        zh: '采集到的路由相关 sysctl（rp_filter、forwarding 等），覆盖环境设置的值。',
      },
      commands: [`sysctl -q ${plan.sysctls.map((s) => `-w '${s.path}=${s.value}'`).join(' ')}`],
      undo: [],
    });
  }
  if (plan.iptables.length) {
    steps.push({
      node: 'server',
      explain: { en: 'The captured iptables rules (iptables-restore), without what cannot be replayed.', zh: '采集到的 iptables 规则（iptables-restore），不含无法重放的部分。' },
      commands: [heredoc('iptables-restore', 'IPTABLES', restoreInput(plan.iptables).trimEnd())],
      undo: [],
    });
  }
  if (plan.nft) {
    steps.push({
      node: 'server',
      explain: { en: "The captured nft tables (nft -j -f), without iptables-nft's own and what cannot be replayed.", zh: '采集到的 nft 表（nft -j -f），不含 iptables-nft 自己的表和无法重放的部分。' },
      commands: [heredoc('nft -j -f -', 'NFT', JSON.stringify(plan.nft))],
      undo: [],
    });
  }
  return steps;
}

const OWN = (what: { en: string; zh: string }): Fact => ({
  is: 'own',
  why: { en: `--expect own: ${what.en}`, zh: `--expect own：${what.zh}` },
});

/** `--expect own`: what the engineer wants to prove, for every NIC alike. */
export const EXPECT_OWN = sameForAll({
  reply: OWN({ en: "replies from {nic.name}'s IP must leave through {nic.name}", zh: '{nic.name} 的 IP 的回包必须从 {nic.name} 出去' }),
  egress: OWN({ en: "{nic.name}'s instance must leave through {nic.name}", zh: '{nic.name} 上的实例必须从 {nic.name} 出去' }),
  seen: OWN({ en: 'the echo server must see {nic.eip}', zh: 'echo 服务器必须看到 {nic.eip}' }),
});

/** The replay as a scheme: the capture's configuration, then one app instance per NIC's primary address. */
export function serverScheme(plan: ReplayPlan, source: string, expectOwn: boolean): Scheme {
  return defineScheme({
    id: SERVER_SCHEME_ID,
    title: { en: `your server, replayed from ${source}`, zh: `重放自 ${source} 的你的服务器` },
    seed: source,
    apps: ['bound', 'plain'],
    instances: ({ cfg }) => cfg.nics.map((nic) => ({ nic, probeUrl: `http://${nic.ip}:${cfg.appPort}/` })),
    steps: ({ cfg, app }) => [
      ...replaySteps(plan),
      ...cfg.nics.map(
        (nic): Step => ({
          node: 'server',
          explain:
            app === 'bound'
              ? { en: `The lab's app on ${nic.name}'s address ${nic.ip}, bound to it as an app meant to use ${nic.name} must be.`, zh: `在 ${nic.name} 的地址 ${nic.ip} 上运行实验的应用，并绑定这个地址（要走 ${nic.name} 的应用必须这样做）。` }
              : { en: `The lab's app on ${nic.name}'s address ${nic.ip}, its outgoing connections not bound (--app plain).`, zh: `在 ${nic.name} 的地址 ${nic.ip} 上运行实验的应用，出站连接不绑定源地址（--app plain）。` },
          commands: startApp(cfg, { nic, listen: `${nic.ip}:${cfg.appPort}`, bind: app === 'bound' }),
        }),
      ),
    ],
    fixes: {},
    facts: () => (expectOwn ? EXPECT_OWN : null),
  } as Scheme);
}

/** What `up --server` keeps in the lab's state, so a later `verify` rebuilds the same server. */
export interface ServerRecord {
  source: string;
  capture: Capture;
  eips: Record<string, string>;
  expectOwn: boolean;
}

/** A captured server, ready for the lab: its plan, config and scheme. */
export interface ReplayedServer {
  record: ServerRecord;
  plan: ReplayPlan;
  cfg: LabConfig;
  scheme: Scheme;
}

export function replayedServer(record: ServerRecord, prefix: string): ReplayedServer {
  const plan = replayPlan(record.capture, record.source);
  return { record, plan, cfg: serverConfig(plan, prefix, record.eips), scheme: serverScheme(plan, record.source, record.expectOwn) };
}

/** Reads and checks a capture file and the --eip values: every problem is one LabError line, before anything is built. */
export function loadServer(file: string, eipValues: string[], expectOwn: boolean, prefix: string): ReplayedServer {
  const capture = readCapture(file);
  const plan = replayPlan(capture, file);
  const eips = parseEips(eipValues, plan);
  const source = basename(file);
  return replayedServer({ source, capture, eips, expectOwn }, prefix);
}

/** The block shown before the table: what the replay left out, and why. */
export function notReplayedLines(plan: ReplayPlan, lang: Lang): string[] {
  return [t(captureSay.notReplayedTitle(plan.notReplayed.length), lang), ...plan.notReplayed.map((n) => `    ${n.what}: ${t(n.why, lang)}`)];
}

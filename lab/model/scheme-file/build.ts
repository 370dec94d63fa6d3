// Turns a checked scheme file into a Scheme: its templates filled for the
// lab's config, the app started where the file says (or after its steps),
// the built-in pbr fix by name, and the facts merged per variant.
import type { LabConfig } from '../../config/config.js';
import { startApp } from '../../schemes/blocks/app.js';
import { policyRouting } from '../../schemes/blocks/fixes.js';
import { FACT_NAMES, type Fact, type FactName, type NicFacts, type Side, type VariantFacts } from '../facts.js';
import type { Bilingual, Text } from '../i18n.js';
import { defineScheme, type Instance, type Scheme, type SchemeContext } from '../scheme.js';
import type { Step } from '../steps.js';
import { blocksFor, mergeFacts } from './merge.js';
import type { FileApp, FileStep, SchemeFile } from './read.js';
import { fill, labValues, nicValues, type Values } from './template.js';

/** The why of a fact a file states without one (`reply: own`). */
const PLAIN_WHY: Record<FactName, Partial<Record<Side, Bilingual>>> = {
  reply: {
    own: { en: "the scheme file states that {nic.name}'s replies leave through {nic.name}", zh: '方案文件声明：{nic.name} 的回包从 {nic.name} 出去' },
    default: { en: "the scheme file states that {nic.name}'s replies leave through {default.name}", zh: '方案文件声明：{nic.name} 的回包从 {default.name} 出去' },
  },
  egress: {
    own: { en: "the scheme file states that {nic.name}'s instance calls out through {nic.name}", zh: '方案文件声明：{nic.name} 的实例从 {nic.name} 向外连接' },
    default: { en: "the scheme file states that {nic.name}'s instance calls out through {default.name}", zh: '方案文件声明：{nic.name} 的实例从 {default.name} 向外连接' },
  },
  seen: {
    own: { en: "the scheme file states that the echo server sees {nic.name}'s instance as {nic.eip}", zh: '方案文件声明：回显服务器看到 {nic.name} 的实例是 {nic.eip}' },
    default: { en: "the scheme file states that the echo server sees {nic.name}'s instance as {default.eip}", zh: '方案文件声明：回显服务器看到 {nic.name} 的实例是 {default.eip}' },
    none: { en: "the scheme file states that nothing of {nic.name}'s instance reaches the echo server", zh: '方案文件声明：{nic.name} 的实例发出的请求根本到不了回显服务器' },
  },
};

const PBR_WHY: Bilingual = {
  en: "Source-based policy routing: traffic from each NIC's address uses a table whose default route leaves through that NIC.",
  zh: '基于源地址的策略路由：源地址是某块网卡地址的流量查自己的路由表，表里的默认路由从这块网卡出去。',
};

const APP_START_WHY: Record<FileApp, Bilingual> = {
  bound: { en: "Run {nic.name}'s instance of the app, listening on {listen}, its outgoing connections bound to that address.", zh: '启动 {nic.name} 对应的应用实例，监听 {listen}，主动外连也绑定这个地址。' },
  plain: { en: "Run {nic.name}'s instance of the app, listening on {listen}; its outgoing connections are not bound (the kernel picks their source).", zh: '启动 {nic.name} 对应的应用实例，监听 {listen}；主动外连不绑定源地址（由内核选择）。' },
  bindtodevice: {
    en: "Run {nic.name}'s instance of the app, listening on {listen}; its outgoing sockets are bound to {nic.name} with SO_BINDTODEVICE, and to no source IP.",
    zh: '启动 {nic.name} 对应的应用实例，监听 {listen}；它的外连套接字用 SO_BINDTODEVICE 绑定到 {nic.name}，不绑定源 IP。',
  },
};

const fillText = (text: Text, values: Values): Text =>
  typeof text === 'string' ? fill(text, values) : { en: fill(text.en, values), zh: fill(text.zh, values) };

const withWhy = (name: FactName, f: Fact): Fact => (f.why ? f : { is: f.is, why: PLAIN_WHY[name][f.is]! });

export function schemeFromFile(file: SchemeFile, source: string): Scheme {
  const perNic = (cfg: LabConfig, app: string) => {
    const lab = labValues(cfg, app);
    return cfg.nics.map((nic, i) => {
      const values = nicValues(nic, i, lab, file.nicVars);
      return { nic, values, listen: fill(file.listen, values) };
    });
  };

  const startOne = (ctx: SchemeContext, nic: ReturnType<typeof perNic>[number]) =>
    startApp(ctx.cfg, { nic: nic.nic, listen: nic.listen, bind: ctx.app === 'bound', ...(ctx.app === 'bindtodevice' && { device: nic.nic.name }) });

  const build = (ctx: SchemeContext, steps: FileStep[]): Step[] => {
    const lab = labValues(ctx.cfg, ctx.app);
    return steps.flatMap((s): Step[] => {
      const one = (values: Values, start: string[]): Step => ({
        node: s.node,
        explain: fillText(s.explain, values),
        commands: [...start, ...s.run.map((c) => fill(c, values))],
        ...(s.undo && { undo: s.undo.map((c) => fill(c, values)) }),
      });
      if (!s.forEachNic) return [one(lab, [])];
      return perNic(ctx.cfg, ctx.app).map((n) => one({ ...n.values, listen: n.listen }, s.startApp ? startOne(ctx, n) : []));
    });
  };

  const fixes: Scheme['fixes'] = {};
  for (const [name, fix] of Object.entries(file.fixes)) {
    fixes[name] = (ctx) => {
      if (fix.steps) return build(ctx, fix.steps);
      const nics = perNic(ctx.cfg, ctx.app);
      return policyRouting(ctx, { keyedOn: (_, i) => fill(fix.pbr!.from, nics[i].values), keepLocalRoutes: fix.pbr!.keepLocalRoutes, why: fix.explain ?? PBR_WHY });
    };
  }

  // Through defineScheme, as a TypeScript scheme is: what the lab adds to every scheme, it adds here too.
  return defineScheme({
    id: file.id,
    title: file.title,
    seed: file.seed ?? '',
    source,
    apps: file.apps,
    instances: (ctx): Instance[] =>
      perNic(ctx.cfg, ctx.app).map(({ nic, listen }) => {
        const host = listen.slice(0, listen.lastIndexOf(':'));
        const port = listen.slice(listen.lastIndexOf(':') + 1);
        return { nic, probeUrl: `http://${host && host !== '0.0.0.0' ? host : nic.ip}:${port}/`, ...(ctx.app === 'bindtodevice' && !ctx.cfg.ownApp && { boundDevice: nic.name }) };
      }),
    steps: (ctx) => {
      const steps = build(ctx, file.steps);
      if (file.steps.some((s) => s.startApp)) return steps;
      // No step says where the app starts: after the scheme's steps, one instance per NIC.
      const starts = perNic(ctx.cfg, ctx.app).map((n): Step => ({
        node: 'server',
        explain: fillText(APP_START_WHY[ctx.app as FileApp], { ...n.values, listen: n.listen }),
        commands: startOne(ctx, n),
      }));
      return [...steps, ...starts];
    },
    fixes,
    scenarios: Object.fromEntries(
      Object.entries(file.scenarios).map(([name, s]) => [name, { explain: s.explain, steps: (ctx: SchemeContext) => build(ctx, s.steps) }]),
    ),
    facts: (ctx): VariantFacts | null => {
      const merged = mergeFacts(blocksFor(file, ctx.app as FileApp, ctx.fix, ctx.scenario));
      if (!FACT_NAMES.every((f) => merged.others[f])) return null; // no expect: measured only
      const others = Object.fromEntries(FACT_NAMES.map((f) => [f, withWhy(f, merged.others[f]!)])) as NicFacts;
      const dflt = Object.fromEntries(Object.entries(merged.default).map(([f, fact]) => [f, withWhy(f as FactName, fact!)]));
      return { others, ...(Object.keys(dflt).length && { default: dflt }) };
    },
  });
}

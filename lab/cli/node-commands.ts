// `shell <node>` and `exec <node> -- <command...>`: a person's way into one
// of the lab's namespaces, through the target, so they work on every target.
import { chalk } from 'zx/core';
import { names, type LabConfig } from '../config/config.js';
import { LabError } from '../model/errors.js';
import { t, type Lang } from '../model/i18n.js';
import type { Lab } from '../run/lab.js';
import { say } from '../report/phrases.js';
import type { LabNode } from './node-args.js';
import { shQuote } from '../hosts/quote.js';

/** The node's namespace, once it is known to exist. */
async function nodeNamespace(lab: Lab, node: LabNode): Promise<string> {
  const ns = names(lab.cfg).ns[node];
  const r = await lab.target.run(`[ -e /run/netns/${ns} ]`, { check: false });
  if (r.code !== 0) throw new LabError(say.notUp(lab.cfg.prefix));
  return ns;
}

/** Quotes one word for sh, leaving plain words readable. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : shQuote(word);
}

/**
 * The shell a person gets: bash without rc files (they would reset the
 * prompt), or sh where there is no bash; the prompt names the lab and node.
 */
export function shellArgv(prefix: string, node: LabNode): string[] {
  const script = [
    `PS1=${shellWord(`[${prefix} ${node}] # `)} EIPLAB_NODE=${node}; export PS1 EIPLAB_NODE`,
    'if command -v bash >/dev/null 2>&1; then exec bash --norc --noprofile -i; fi',
    'exec sh -i',
  ].join('\n');
  return ['sh', '-c', script];
}

/** What is worth looking at in each node. */
export function tryThese(cfg: LabConfig, node: LabNode): string {
  const commands = {
    server: ['ip route', 'ip rule', 'iptables -t nat -L -n -v', `tcpdump -ni ${cfg.nics[1].name}`],
    edge: ['nft list ruleset', `ip neigh show dev ${cfg.vpc.bridge}`, 'tcpdump -ni uplink'],
    inet: ['ip route', `curl -s http://${cfg.nics[1].eip}:${cfg.appPort}/`],
  }[node];
  return commands.map((c) => `\`${c}\``).join(', ');
}

export async function shell(lab: Lab, node: LabNode, lang: Lang): Promise<number> {
  if (!lab.target.interactive) throw new LabError(say.noInteractive(lab.target.name));
  const ns = await nodeNamespace(lab, node);
  // On stderr, like the shell's own prompt: stdout carries only what the commands print.
  process.stderr.write(`${chalk.dim(t(say.shellBanner(ns, node, tryThese(lab.cfg, node)), lang))}\n`);
  return lab.target.interactive(shellArgv(lab.cfg.prefix, node), ns);
}

/** Runs one command in the node and returns its exit code. */
export async function exec(lab: Lab, node: LabNode, argv: string[]): Promise<number> {
  const ns = await nodeNamespace(lab, node);
  if (lab.target.interactive) return lab.target.interactive(argv, ns);
  // A target without a terminal channel: the output arrives when the command ends.
  const r = await lab.target.run(argv.map(shellWord).join(' '), { ns, check: false });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.code;
}

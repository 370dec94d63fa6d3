// Undo beside the action: every step a scheme applies says how it is taken
// back, and a scheme's teardown is its applied steps' undos in reverse (as
// the kernel selftests' `defer` does). A step gives its undo itself, or it
// is derived here for the usual add/insert forms; a command nothing can
// undo mechanically (a sysctl, a replace, a pipeline) needs an explicit one.
import type { Step } from './steps.js';

/** Commands that leave nothing behind: waiting, probing, printing, listing. */
const LEAVES_NOTHING = [
  /^(true|:|sleep|echo|printf|curl|lab_wait_http|lab_wait_listen|ping|cat)(\s|$)/,
  /^ip\s+(-\S+\s+)*(\S+\s+)?(show|list|get|ls)(\s|$)/,
  /^ip\s+(-\S+\s+)*(route|rule|addr|address|a|link|neigh|r|ru|l)\s+(show|list|get|ls)(\s|$)/,
  /^(iptables|ip6tables)\s.*\s-(L|S)(\s|$)/,
  /^nft\s+(-\S+\s+)*list\s/,
];
/** A shell function's definition (the docker client's wrapper, say) defines, and leaves nothing. */
const SHELL_FUNCTION = /^[A-Za-z_][\w-]*\(\)\s*\{/;

/** Why a command has no derived undo, for the error that asks for an explicit one. */
export class NoUndoError extends Error {
  constructor(readonly command: string) {
    super(`no undo can be derived for \`${command}\`: give the step an explicit undo (or undo: [] when it leaves nothing behind)`);
    this.name = 'NoUndoError';
  }
}

/** Splits a command into words; null when it uses shell syntax beyond words (pipes, lists, substitutions). */
export function shellWords(command: string): string[] | null {
  const line = command.trim().replace(/(\s+[12]?>\s*\/dev\/null)+$/, '');
  const words: string[] = [];
  // A word: plain characters and quoted pieces glued together.
  const re = /(?:'([^']*)'|"([^"\\$`]*)"|([^\s'"\\;&|<>()`$]+))+/y;
  let at = 0;
  while (at < line.length) {
    while (line[at] === ' ' || line[at] === '\t') at++;
    if (at >= line.length) break;
    re.lastIndex = at;
    const m = re.exec(line);
    if (!m) return null;
    words.push(m[0]);
    at = re.lastIndex;
  }
  return words.length ? words : null;
}

/** `ip` options before the object: -4, -6, -n NS is refused (a step runs in its node). */
function ipObject(words: string[]): { opts: string[]; object: string; verb: string; args: string[] } | null {
  let i = 1;
  const opts: string[] = [];
  while (i < words.length && words[i].startsWith('-')) opts.push(words[i++]);
  if (opts.some((o) => /^-(n|netns)/.test(o))) return null;
  const [object, verb, ...args] = words.slice(i);
  return object && verb ? { opts, object, verb, args } : null;
}

const IP_OBJECTS: Record<string, string> = {
  route: 'route', r: 'route', ro: 'route', rule: 'rule', ru: 'rule', addr: 'addr', address: 'addr', a: 'addr',
  neigh: 'neigh', neighbor: 'neigh', n: 'neigh', link: 'link', l: 'link',
};

function ipUndo(words: string[]): string[] | null {
  const o = ipObject(words);
  if (!o) return null;
  const object = IP_OBJECTS[o.object];
  const ip = ['ip', ...o.opts].join(' ');
  if (!object) return null;
  if (object === 'link') {
    if (o.verb === 'add') {
      // ip link add [link DEV] [name] NAME type ...: the new link's name.
      const args = o.args;
      const named = args.indexOf('name');
      const dev = args.indexOf('dev');
      let name: string | undefined;
      if (named >= 0) name = args[named + 1];
      else if (dev >= 0) name = args[dev + 1];
      else name = args[0] === 'link' ? undefined : args[0];
      return name ? [`${ip} link del ${name}`] : null;
    }
    if (o.verb === 'set' && o.args.length === 2 && o.args[1] === 'up') return [`${ip} link set ${o.args[0]} down`];
    if (o.verb === 'set' && o.args.length === 3 && o.args[0] === 'dev' && o.args[2] === 'up') return [`${ip} link set dev ${o.args[1]} down`];
    return null;
  }
  if (o.verb === 'add' || o.verb === 'append' || (object === 'route' && o.verb === 'prepend')) {
    return [`${ip} ${object} del ${o.args.join(' ')}`];
  }
  return null;
}

function iptablesUndo(words: string[]): string[] | null {
  const out = [...words];
  const at = out.findIndex((w) => ['-A', '--append', '-I', '--insert', '-N', '--new-chain'].includes(w));
  if (at < 0) return null;
  const flag = out[at];
  if (flag === '-N' || flag === '--new-chain') return [[...out.slice(0, at), '-X', ...out.slice(at + 1)].join(' ')];
  // -I CHAIN [N]: the position is not part of the rule.
  const rest = out.slice(at + 2);
  if ((flag === '-I' || flag === '--insert') && /^\d+$/.test(rest[0] ?? '')) rest.shift();
  return [[...out.slice(0, at), '-D', out[at + 1], ...rest].join(' ')];
}

/** nft: tables, chains, sets and elements are undone by name; a rule only where its table is the scheme's own. */
function nftUndo(words: string[], ownTables: Set<string>): string[] | null {
  let i = 1;
  while (i < words.length && words[i].startsWith('-')) i++;
  const [verb, kind, ...args] = words.slice(i);
  if (verb === 'create' && kind === 'table') return nftUndo([words[0], 'add', kind, ...args], ownTables);
  if (verb !== 'add' && verb !== 'insert') return null;
  const family = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'].includes(args[0]) ? args[0] : 'ip';
  const rest = family === args[0] ? args.slice(1) : args;
  const table = `${family} ${rest[0]}`;
  switch (kind) {
    case 'table':
      ownTables.add(table);
      return [`nft delete table ${table}`];
    case 'chain':
    case 'set':
    case 'map':
      return ownTables.has(table) ? [] : [`nft delete ${kind} ${table} ${rest[1]}`];
    case 'rule':
    case 'element':
      if (ownTables.has(table)) return []; // deleting the table takes it along
      return kind === 'element' ? [`nft delete element ${table} ${rest.slice(1).join(' ')}`] : null;
    default:
      return null;
  }
}

/**
 * The commands that undo one command, in the order to run them; [] when it leaves
 * nothing behind. Throws NoUndoError when no undo can be derived. `ownTables`
 * carries the nft tables earlier commands of the same scheme added.
 */
export function deriveUndo(command: string, ownTables = new Set<string>()): string[] {
  const line = command.trim();
  if (!line || line.startsWith('#') || SHELL_FUNCTION.test(line)) return [];
  const words = shellWords(line);
  let undo: string[] | null = null;
  if (words && LEAVES_NOTHING.some((re) => re.test(words.join(' ')))) undo = [];
  else if (words?.[0] === 'lab_daemon' && words[1]) undo = [`lab_stop ${words[1]}`];
  else if (words?.[0] === 'ip') undo = ipUndo(words);
  else if (words?.[0] === 'iptables' || words?.[0] === 'ip6tables') undo = iptablesUndo(words);
  else if (words?.[0] === 'nft') undo = nftUndo(words, ownTables);
  if (!undo) throw new NoUndoError(line);
  return undo;
}

/** The iptables tables (by family) a command adds to: with the nft backend they outlive their last rule. */
function iptablesTable(command: string): string | null {
  const words = shellWords(command);
  if (!words || (words[0] !== 'iptables' && words[0] !== 'ip6tables')) return null;
  if (!words.some((w) => ['-A', '--append', '-I', '--insert', '-N', '--new-chain'].includes(w))) return null;
  const t = words.indexOf('-t') >= 0 ? words[words.indexOf('-t') + 1] : words.indexOf('--table') >= 0 ? words[words.indexOf('--table') + 1] : 'filter';
  return `${words[0]} ${t}`;
}

/** Drops an iptables table that holds no rule and no chain of its own any more, as if it had never been used. */
export function dropEmptyTable(tool: string, table: string): string {
  const family = tool === 'ip6tables' ? 'ip6' : 'ip';
  return `${tool} -t ${table} -S 2>/dev/null | grep -q -- '^-[AN]' || nft delete table ${family} ${table} 2>/dev/null || true`;
}

/** One step's undo: its own when it gives one, else derived from its commands, last command first. */
export function undoOf(step: Step, ownTables = new Set<string>()): Step {
  const commands = step.undo ?? step.commands.map((c) => deriveUndo(c, ownTables)).reverse().flat();
  return { node: step.node, explain: step.explain, commands, undo: [] };
}

/**
 * The teardown of applied steps: each step's undo, the last step's first, then
 * the iptables tables the steps first filled, dropped when nothing is left in them.
 */
export function undoPlan(steps: Step[]): Step[] {
  const ownTables = new Set<string>();
  const undos = steps.map((s) => undoOf(s, ownTables));
  const tables = new Map<string, Step['node']>();
  for (const s of steps) for (const c of s.commands) {
    const t = iptablesTable(c);
    if (t && !tables.has(`${s.node} ${t}`)) tables.set(`${s.node} ${t}`, s.node);
  }
  const drops: Step[] = [...tables.entries()].map(([key, node]) => {
    const [, tool, table] = key.split(' ');
    return { node, explain: { en: `Drop the ${table} table if the scheme left it empty.`, zh: `如果方案留下的 ${table} 表已空，删除它。` }, commands: [dropEmptyTable(tool, table)], undo: [] };
  });
  return [...undos.reverse().filter((s) => s.commands.length), ...drops];
}

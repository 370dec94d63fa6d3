// Reads a scheme file (YAML) and checks it as a whole before anything is
// built: every key known, every field present and of its kind, every node,
// app, fact and template variable one the lab has, every command undoable.
// The first problem is one line naming file:line and the field.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { APP_VARIANTS } from '../../schemes/blocks/app.js';
import { FACT_NAMES, type Fact, type FactName, type Side } from '../facts.js';
import type { Text } from '../i18n.js';
import { deriveUndo, NoUndoError } from '../undo.js';
import { badUse, LAB_VARIABLES, NIC_VARIABLES, variablesIn, WHY_VARIABLES } from './template.js';
import { blocksFor, mergeFacts } from './merge.js';

export const FILE_NODES = ['server', 'edge', 'inet'] as const;
export type FileNode = (typeof FILE_NODES)[number];
export const FILE_APPS = APP_VARIANTS;
export type FileApp = (typeof FILE_APPS)[number];

export interface FileStep {
  node: FileNode;
  explain: Text;
  forEachNic: boolean;
  /** Start this NIC's app instance here (listening where `listen` says), before `run`. */
  startApp: boolean;
  run: string[];
  undo?: string[];
}

/** Facts for some NICs: `all` for every NIC, then `others` and `default` over it. */
export interface FactsBlock {
  all?: Partial<Record<FactName, Fact>>;
  others?: Partial<Record<FactName, Fact>>;
  default?: Partial<Record<FactName, Fact>>;
  /** Overrides for one app variant, over the block. */
  apps?: Partial<Record<FileApp, Omit<FactsBlock, 'apps'>>>;
}

export interface FileFix {
  explain?: Text;
  steps?: FileStep[];
  /** The built-in policy routing (lab/schemes/blocks/fixes.ts), when the fix has no steps of its own. */
  pbr?: { from: string; keepLocalRoutes: boolean };
  expect?: FactsBlock;
}

export interface FileScenario {
  explain: Text;
  steps: FileStep[];
  expect?: FactsBlock;
}

export interface SchemeFile {
  path: string;
  id: string;
  title: Text;
  seed?: string;
  apps: FileApp[];
  listen: string;
  nicVars: Record<string, string>;
  steps: FileStep[];
  expect?: FactsBlock;
  fixes: Record<string, FileFix>;
  scenarios: Record<string, FileScenario>;
}

/** A scheme file that cannot be used: one line, `file:line: field: what is wrong`. */
export class SchemeFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemeFileError';
  }
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;
const KEYS = {
  top: ['id', 'title', 'seed', 'apps', 'listen', 'nic_vars', 'steps', 'expect', 'fixes', 'scenarios'],
  step: ['node', 'explain', 'for_each', 'start_app', 'run', 'undo'],
  fix: ['explain', 'steps', 'from', 'keep_local_routes', 'expect'],
  scenario: ['explain', 'steps', 'expect'],
  facts: ['all', 'others', 'default', 'apps'],
  fact: ['is', 'why'],
  text: ['en', 'zh'],
};

class Reader {
  private readonly lines = new LineCounter();
  private doc?: Document;
  constructor(readonly path: string) {}

  /** The node an alias (`*name`) stands for; any other node itself. */
  deref(node: Node | null | undefined): Node | null | undefined {
    return isAlias(node) && this.doc ? (node.resolve(this.doc) as Node | undefined) : node;
  }

  parse(source: string): Node | null {
    const doc = parseDocument(source, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    this.doc = doc;
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0].line ?? this.lines.linePos(err.pos[0]).line;
      throw new SchemeFileError(`${this.path}:${line}: not valid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    return (doc.contents as Node | null) ?? null;
  }

  lineOf(node: Node | Pair | null | undefined): number {
    const range = node && ('range' in node ? node.range : ((node as Pair).key as Node | null)?.range);
    return range ? this.lines.linePos(range[0]).line : 1;
  }

  fail(at: Node | Pair | null | undefined, field: string, message: string): never {
    throw new SchemeFileError(`${this.path}:${this.lineOf(at)}: ${field}: ${message}`);
  }

  /** A mapping's entries by key, after checking that every key is known and the required ones are there. */
  map(node: Node | null | undefined, field: string, known: string[], required: string[] = []): Map<string, Pair<Node, Node | null>> {
    node = this.deref(node);
    if (!isMap(node)) this.fail(node, field, `must be a mapping (key: value lines)`);
    const entries = new Map<string, Pair<Node, Node | null>>();
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!known.includes(key)) this.fail(pair.key, `${field}${field ? '.' : ''}${key}`, `unknown key: use one of ${known.join(', ')}`);
      entries.set(key, pair);
    }
    for (const key of required) if (!entries.has(key)) this.fail(node, field || key, `missing field "${key}"`);
    return entries;
  }

  str(node: Node | null | undefined, field: string): string {
    node = this.deref(node);
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) return String(node.value);
      this.fail(node, field, 'must be a non-empty string');
    }
    return node.value as string;
  }

  bool(node: Node | null | undefined, field: string): boolean {
    node = this.deref(node);
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, field, 'must be true or false');
    return node.value as boolean;
  }

  list(node: Node | null | undefined, field: string): Node[] {
    node = this.deref(node);
    if (isScalar(node) && typeof node.value === 'string') return [node];
    if (!isSeq(node)) this.fail(node, field, 'must be a list');
    return node.items as Node[];
  }

  strings(node: Node | null | undefined, field: string, allowEmpty = false): string[] {
    const items = this.list(node, field);
    if (!items.length && !allowEmpty) this.fail(node, field, 'must not be empty');
    return items.map((item, i) => this.str(item, `${field}[${i}]`));
  }

  oneOf<T extends string>(node: Node | null | undefined, field: string, allowed: readonly T[]): T {
    const v = this.str(node, field);
    if (!allowed.includes(v as T)) this.fail(node, field, `unknown value "${v}": use one of ${allowed.join(', ')}`);
    return v as T;
  }

  /** A text: a string (both languages), or {en, zh}. */
  text(node: Node | null | undefined, field: string): Text {
    node = this.deref(node);
    if (isMap(node)) {
      const m = this.map(node, field, KEYS.text, KEYS.text);
      return { en: this.str(m.get('en')!.value, `${field}.en`), zh: this.str(m.get('zh')!.value, `${field}.zh`) };
    }
    return this.str(node, field);
  }

  /** Checks the template variables a text uses against those known where it is used. */
  vars(node: Node | null | undefined, field: string, texts: string[], known: ReadonlySet<string>, hint = ''): void {
    for (const text of texts)
      for (const use of variablesIn(text)) {
        const bad = badUse(use, known);
        if (bad) this.fail(node, field, `${bad}${hint && !known.has(use.name) && use.name.startsWith('nic.') ? hint : ''}`);
      }
  }
}

const texts = (t: Text) => (typeof t === 'string' ? [t] : [t.en, t.zh]);

/** Reads and checks one scheme file. Throws SchemeFileError. */
export function readSchemeFile(path: string, source: string): SchemeFile {
  const r = new Reader(path);
  const root = r.parse(source);
  if (!root) r.fail(null, 'file', 'is empty: a scheme needs at least id, title, apps, listen and steps');
  const top = r.map(root, '', KEYS.top, ['id', 'title', 'apps', 'listen', 'steps']);
  const value = (key: string) => top.get(key)?.value;

  const id = r.str(value('id'), 'id');
  if (!NAME.test(id)) r.fail(value('id'), 'id', `"${id}" is not a scheme name: lower-case letters, digits and dashes, starting with a letter`);
  const title = r.text(value('title'), 'title');
  const seed = top.has('seed') ? r.str(value('seed'), 'seed') : undefined;
  const apps = r.list(value('apps'), 'apps').map((n, i) => r.oneOf(n, `apps[${i}]`, FILE_APPS));
  if (!apps.length) r.fail(value('apps'), 'apps', `must name at least one app: ${FILE_APPS.join(', ')}`);

  const nicVars: Record<string, string> = {};
  if (top.has('nic_vars')) {
    const node = r.deref(value('nic_vars'));
    if (!isMap(node)) r.fail(node, 'nic_vars', 'must be a mapping of name: template');
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!/^[a-z_]+$/.test(key) || (NIC_VARIABLES as readonly string[]).includes(`nic.${key}`)) {
        r.fail(pair.key, `nic_vars.${key}`, `"${key}" cannot be a NIC variable: lower-case letters and _, not one of ${NIC_VARIABLES.join(', ')}`);
      }
      const template = r.str(pair.value, `nic_vars.${key}`);
      r.vars(pair.value, `nic_vars.${key}`, [template], new Set([...LAB_VARIABLES, ...NIC_VARIABLES, ...Object.keys(nicVars).map((k) => `nic.${k}`)]));
      nicVars[key] = template;
    }
  }
  const labVars = new Set<string>(LAB_VARIABLES);
  const nicVarsKnown = new Set<string>([...LAB_VARIABLES, ...NIC_VARIABLES, ...Object.keys(nicVars).map((k) => `nic.${k}`)]);

  const listen = r.str(value('listen'), 'listen');
  r.vars(value('listen'), 'listen', [listen], nicVarsKnown);
  if (!/^[^\s:]*:(\d+|\{app\.port\})$/.test(listen)) r.fail(value('listen'), 'listen', `"${listen}" is not ADDRESS:PORT, e.g. "{nic.ip}:{app.port}"`);

  const steps = (node: Node | null | undefined, field: string): FileStep[] =>
    r.list(node, field).map((stepNode, i) => {
      const at = `${field}[${i}]`;
      const s = r.map(stepNode, at, KEYS.step, ['node', 'explain']);
      const forEachNic = s.has('for_each') ? (r.oneOf(s.get('for_each')!.value, `${at}.for_each`, ['nic'] as const), true) : false;
      const startApp = s.has('start_app') ? r.bool(s.get('start_app')!.value, `${at}.start_app`) : false;
      if (!s.has('run') && !startApp) r.fail(stepNode, at, 'missing field "run"');
      const known = forEachNic ? nicVarsKnown : labVars;
      const hint = forEachNic ? '' : ' (NIC variables need for_each: nic)';
      const node = r.oneOf(s.get('node')!.value, `${at}.node`, FILE_NODES);
      if (startApp && (!forEachNic || node !== 'server')) r.fail(s.get('start_app')!.value, `${at}.start_app`, 'starts one instance per NIC: the step needs node: server and for_each: nic');
      const explain = r.text(s.get('explain')!.value, `${at}.explain`);
      r.vars(s.get('explain')!.value, `${at}.explain`, texts(explain), known, hint);
      const runNode = s.get('run')?.value;
      const run = s.has('run') ? r.strings(runNode, `${at}.run`) : [];
      const runItems = s.has('run') ? r.list(runNode, `${at}.run`) : [];
      run.forEach((c, k) => r.vars(runItems[k], `${at}.run[${k}]`, [c], known, hint));
      let undo: string[] | undefined;
      if (s.has('undo')) {
        const undoNode = s.get('undo')!.value;
        undo = r.strings(undoNode, `${at}.undo`, true);
        const items = r.list(undoNode, `${at}.undo`);
        undo.forEach((c, k) => r.vars(items[k], `${at}.undo[${k}]`, [c], known, hint));
      } else {
        // Every command must have a derived undo, or the step gives its own.
        const tables = new Set<string>();
        run.forEach((c, k) => {
          try {
            deriveUndo(c, tables);
          } catch (e) {
            if (!(e instanceof NoUndoError)) throw e;
            r.fail(runItems[k], `${at}.run[${k}]`, `no undo can be derived for "${c}": give the step an undo list (undo: [] when it leaves nothing behind)`);
          }
        });
      }
      return { node, explain, forEachNic, startApp, run, ...(undo && { undo }) };
    });

  const fact = (node: Node | null | undefined, field: string): Fact => {
    node = r.deref(node);
    // Only `seen` may be `none`: the echo server sees nothing at all.
    const sides = (field.endsWith('.seen') ? ['own', 'default', 'none'] : ['own', 'default']) as readonly Side[];
    if (isScalar(node)) return { is: r.oneOf(node, field, sides), why: '' };
    const m = r.map(node, field, KEYS.fact, ['is', 'why']);
    const why = r.text(m.get('why')!.value, `${field}.why`);
    r.vars(m.get('why')!.value, `${field}.why`, texts(why), new Set(WHY_VARIABLES));
    return { is: r.oneOf(m.get('is')!.value, `${field}.is`, sides), why };
  };
  const facts = (node: Node | null | undefined, field: string): Partial<Record<FactName, Fact>> => {
    const m = r.map(node, field, [...FACT_NAMES]);
    return Object.fromEntries([...m].map(([k, pair]) => [k, fact(pair.value, `${field}.${k}`)]));
  };
  const expectBlock = (node: Node | null | undefined, field: string, withApps = true): FactsBlock => {
    const m = r.map(node, field, withApps ? KEYS.facts : KEYS.facts.filter((k) => k !== 'apps'));
    const block: FactsBlock = {};
    for (const side of ['all', 'others', 'default'] as const) if (m.has(side)) block[side] = facts(m.get(side)!.value, `${field}.${side}`);
    if (m.has('apps')) {
      const appsNode = m.get('apps')!.value;
      const am = r.map(appsNode, `${field}.apps`, [...FILE_APPS]);
      block.apps = {};
      for (const [app, pair] of am) {
        if (!apps.includes(app as FileApp)) r.fail(pair.key as Node, `${field}.apps.${app}`, `the scheme does not run the ${app} app (apps: ${apps.join(', ')})`);
        block.apps[app as FileApp] = expectBlock(pair.value, `${field}.apps.${app}`, false);
      }
    }
    return block;
  };

  const schemeSteps = steps(value('steps'), 'steps');
  const expect = top.has('expect') ? expectBlock(value('expect'), 'expect') : undefined;

  /** The entries of a top-level mapping of names (fixes, scenarios), in order, each name checked as it is reached. */
  function* named(field: string, kind: string, shape: string) {
    const m = r.deref(value(field));
    if (!isMap(m)) r.fail(m, field, `must be a mapping of ${shape}`);
    for (const pair of (m as YAMLMap<Node, Node | null>).items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const at = `${field}.${name}`;
      if (!NAME.test(name)) r.fail(pair.key, at, `"${name}" is not a ${kind} name: lower-case letters, digits and dashes`);
      yield { name, at, pair };
    }
  }

  const fixes: Record<string, FileFix> = {};
  if (top.has('fixes')) {
    for (const { name, at, pair } of named('fixes', 'fix', 'fix name: its steps or the built-in pbr')) {
      const f = r.map(pair.value, at, KEYS.fix);
      const fix: FileFix = {};
      if (f.has('explain')) fix.explain = r.text(f.get('explain')!.value, `${at}.explain`);
      if (f.has('steps')) {
        if (f.has('from') || f.has('keep_local_routes')) r.fail(f.get('steps')!.key as Node, `${at}.steps`, 'a fix has its own steps or is the built-in pbr (from, keep_local_routes), not both');
        fix.steps = steps(f.get('steps')!.value, `${at}.steps`);
      } else if (name === 'pbr') {
        const from = f.has('from') ? r.str(f.get('from')!.value, `${at}.from`) : '{nic.ip}';
        r.vars(f.get('from')?.value, `${at}.from`, [from], nicVarsKnown);
        fix.pbr = { from, keepLocalRoutes: f.has('keep_local_routes') ? r.bool(f.get('keep_local_routes')!.value, `${at}.keep_local_routes`) : false };
      } else {
        r.fail(pair.value ?? pair.key, at, `missing field "steps" (only pbr is built in)`);
      }
      if (f.has('expect')) fix.expect = expectBlock(f.get('expect')!.value, `${at}.expect`);
      fixes[name] = fix;
    }
  }

  const scenarios: Record<string, FileScenario> = {};
  if (top.has('scenarios')) {
    for (const { name, at, pair } of named('scenarios', 'scenario', 'scenario name: explain, steps')) {
      const s = r.map(pair.value, at, KEYS.scenario, ['explain', 'steps']);
      scenarios[name] = {
        explain: r.text(s.get('explain')!.value, `${at}.explain`),
        steps: steps(s.get('steps')!.value, `${at}.steps`),
        ...(s.has('expect') && { expect: expectBlock(s.get('expect')!.value, `${at}.expect`) }),
      };
    }
  }

  const file: SchemeFile = { path, id, title, ...(seed && { seed }), apps, listen, nicVars, steps: schemeSteps, ...(expect && { expect }), fixes, scenarios };
  checkComplete(file, r, top.get('expect')?.key ?? root);
  return file;
}

/** Every variant has all three facts for the other NICs, or none at all (measured only). */
function checkComplete(file: SchemeFile, r: Reader, at: Node | null): void {
  for (const app of file.apps)
    for (const fix of [null, ...Object.keys(file.fixes)])
      for (const scenario of [null, ...Object.keys(file.scenarios)]) {
        const { others } = mergeFacts(blocksFor(file, app, fix, scenario));
        const missing = FACT_NAMES.filter((f) => !others[f]);
        if (missing.length && missing.length < FACT_NAMES.length) {
          const variant = [`app ${app}`, fix && `fix ${fix}`, scenario && `scenario ${scenario}`].filter(Boolean).join(', ');
          r.fail(at, 'expect', `the ${variant} states ${FACT_NAMES.filter((f) => others[f]).join(', ')} but not ${missing.join(', ')}: state all three facts (reply, egress, seen), or none to measure only`);
        }
      }
}

// The command line's words into options, as minimist parses them (zx's copy,
// which the CLI used), for the forms eiplab takes: `--key value`, `--key=value`,
// `--no-key`, `-v`, repeated keys as arrays, declared booleans false when
// absent. Its own module: zx's full entry costs about 70 ms of every start,
// and minimist was the only thing the CLI took from it that zx/core lacks.

/** As minimist types it: each option's value is the caller's to check (a string, a boolean, an array when repeated). */
export interface ParsedArgs {
  _: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export interface ArgvSpec {
  string: string[];
  boolean: string[];
  default?: Record<string, unknown>;
}

export function parseArgv(argv: string[], spec: ArgvSpec): ParsedArgs {
  const strings = new Set(spec.string);
  const bools = new Set(spec.boolean);
  const out: ParsedArgs = { _: [] };
  for (const key of bools) out[key] = false;
  const given = new Set<string>();
  const set = (key: string, value: unknown) => {
    // A repeated key collects its values (a boolean's last word wins, as in minimist).
    if (given.has(key) && !bools.has(key)) out[key] = [...(Array.isArray(out[key]) ? (out[key] as unknown[]) : [out[key]]), value];
    else out[key] = value;
    given.add(key);
  };
  const value = (key: string, v: string) => (bools.has(key) ? v !== 'false' : !strings.has(key) && isNumber(v) ? Number(v) : v);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const takesNext = (key: string) => !bools.has(key) && next !== undefined && !next.startsWith('-');
    const boolWord = (key: string) => bools.has(key) && (next === 'true' || next === 'false');
    if (/^--[^=]+=/.test(arg)) {
      const at = arg.indexOf('=');
      set(arg.slice(2, at), value(arg.slice(2, at), arg.slice(at + 1)));
    } else if (/^--no-.+/.test(arg)) {
      set(arg.slice(5), false);
    } else if (/^--.+/.test(arg)) {
      const key = arg.slice(2);
      if (takesNext(key) || boolWord(key)) set(key, value(key, argv[++i]));
      else set(key, strings.has(key) ? '' : true);
    } else if (/^-[^-]+/.test(arg)) {
      const letters = arg.slice(1).split('');
      for (const letter of letters.slice(0, -1)) set(letter, strings.has(letter) ? '' : true);
      const last = letters[letters.length - 1];
      if (takesNext(last) || boolWord(last)) set(last, value(last, argv[++i]));
      else set(last, strings.has(last) ? '' : true);
    } else {
      out._.push(arg);
    }
  }
  for (const [key, v] of Object.entries(spec.default ?? {})) if (!given.has(key)) out[key] = v;
  return out;
}

function isNumber(s: string): boolean {
  return /^0x[0-9a-f]+$/i.test(s) || /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(e[-+]?\d+)?$/.test(s);
}

// Escaping for XML, HTML and SVG, and a tagged template that escapes every
// value it is given unless the value is already markup. Reports embed text
// measured on the lab host (error messages, command lines): none of it may
// break the document it lands in.

/** Characters XML 1.0 forbids even when escaped (control characters other than tab, newline, CR; lone surrogates). */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attributes alike; drops characters XML cannot carry. */
export function escapeXml(value: unknown): string {
  return String(value)
    .replace(INVALID_XML, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Markup that is already safe: the template below passes it through unescaped. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const raw = (text: string) => new Markup(text);

type Value = Markup | string | number | boolean | null | undefined | Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (v instanceof Markup) return v.text;
  return escapeXml(v);
}

/** `html\`<p title="${t}">${body}</p>\`` escapes t and body unless they are Markup; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Markup(out);
}

/** Attributes from an object; null, undefined and false leave the attribute out. */
export function attrs(map: Record<string, string | number | boolean | null | undefined>): Markup {
  return raw(
    Object.entries(map)
      .filter(([, v]) => v !== null && v !== undefined && v !== false)
      .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeXml(v)}"`))
      .join(''),
  );
}

// Terminal columns a string takes: Chinese characters take two, colour
// codes none. Tables pad by this, not by string length.

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
// East Asian wide and fullwidth ranges (CJK, Hangul, fullwidth forms).
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

export function width(s: string): number {
  const plain = s.replace(ANSI, '');
  return plain.length + (plain.match(WIDE)?.length ?? 0);
}

export function padEnd(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

export function padStart(s: string, n: number): string {
  return ' '.repeat(Math.max(0, n - width(s))) + s;
}

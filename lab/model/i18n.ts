// Languages of everything the lab says to a person: step explanations,
// verdict reasons and the terminal's fixed phrases. The JSON results stay
// in English (their content is a contract), with a Chinese copy beside it.

export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

/** Both languages of one text. */
export interface Bilingual {
  en: string;
  zh: string;
}

/**
 * A text shown to a person. A plain string is shown as is in both languages,
 * so a trainer can draft a new scheme in one language and run it; the unit
 * tests ask every text the repository ships to carry both.
 */
export type Text = string | Bilingual;

export function t(text: Text, lang: Lang): string {
  return typeof text === 'string' ? text : text[lang];
}

export function isBilingual(text: Text): text is Bilingual {
  return typeof text === 'object' && text !== null && 'en' in text && 'zh' in text;
}

/**
 * The language the locale asks for. POSIX precedence: LC_ALL overrides
 * LC_MESSAGES, which overrides LANG; an empty variable counts as unset.
 */
export function langFromEnv(env: Record<string, string | undefined> = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

/** A text built once per language, for sentences that embed other texts. */
export function both(f: (lang: Lang) => string): Bilingual {
  return { en: f('en'), zh: f('zh') };
}

const COUNT_WORDS: Record<Lang, string[]> = {
  en: ['no', 'one', 'two', 'three', 'four', 'five', 'six'],
  zh: ['零', '一', '两', '三', '四', '五', '六'],
};

/** A small count as a word ("three", "三"), for sentences about the NICs; digits beyond six. */
export function countWord(n: number, lang: Lang): string {
  return COUNT_WORDS[lang][n] ?? String(n);
}

/** "a, b and c" / "a、b 和 c". */
export function listOf(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  const [last, rest] = [items[items.length - 1], items.slice(0, -1)];
  return lang === 'zh' ? `${rest.join('、')} 和 ${last}` : `${rest.join(', ')} and ${last}`;
}

/**
 * One message catalogue per locale (zh-CN default, en) and the function that
 * reads it. Used alike by the renderer, the command line, the ledgers and the
 * printed maps, so English mode is English everywhere the app speaks.
 */
import { en } from './en';
import { LOCALE, formatMessage, formatNumber, type Lang, type Params } from './format';
import type { KeysUnder, MessageKey } from './keys';
import { zh } from './zh';

export type { KeysUnder, Lang, MessageKey, Params };
export { LOCALE, formatMessage, formatNumber };

export const CATALOGUES: Record<Lang, Readonly<Record<MessageKey, string>>> = { zh, en };

export const LANGS: readonly Lang[] = ['zh', 'en'];

export function isLang(v: unknown): v is Lang {
  return v === 'zh' || v === 'en';
}

/** The message `key` in `lang`, its placeholders filled from `params`. */
export function t(lang: Lang, key: MessageKey, params?: Params): string {
  const pattern = CATALOGUES[lang][key];
  return params ? formatMessage(lang, pattern, params) : pattern;
}

/** A translator bound to one language and a key prefix (`app`, `edit`, `import` …). */
export function scoped<P extends string>(prefix: P) {
  return (lang: Lang, key: KeysUnder<P>, params?: Params): string => t(lang, `${prefix}.${key}` as MessageKey, params);
}

/** A `{zh, en}` pair of a message, for code that still takes pairs (schema-like labels). */
export function pair(key: MessageKey, params?: Params): { zh: string; en: string } {
  return { zh: t('zh', key, params), en: t('en', key, params) };
}

/**
 * One message catalogue per locale (zh-CN default, en) and the function that
 * reads it. Used alike by the renderer, the command line, the ledgers and the
 * printed maps, so English mode is English everywhere the app speaks.
 */
import { en } from './en';
import { LOCALE, formatMessage, formatNumber, type Lang, type Param, type Params } from './format';
import type { KeysUnder, MessageKey } from './keys';
import { zh } from './zh';

export type { KeysUnder, Lang, MessageKey, Param, Params };
export { LOCALE, formatMessage, formatNumber };

export const CATALOGUES: Record<Lang, Readonly<Record<MessageKey, string>>> = { zh, en };

export const LANGS: readonly Lang[] = ['zh', 'en'];

export function isLang(v: unknown): v is Lang {
  return v === 'zh' || v === 'en';
}

/** The message `key` in `lang`, its placeholders filled from `params` (a message among them said in `lang` too). */
export function t(lang: Lang, key: MessageKey, params?: Params): string {
  const pattern = CATALOGUES[lang][key];
  return params ? formatMessage(lang, pattern, spoken(lang, params)) : pattern;
}

const isNested = (v: Param): v is Exclude<Param, string | number | null | undefined> => typeof v === 'object' && v !== null;

/** Parameters with their messages said in `lang`: one message as its text, several joined with '; ', `{lines}` one a line. */
function spoken(lang: Lang, params: Params): Params {
  if (!Object.values(params).some(isNested)) return params;
  const out: Record<string, Param> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!isNested(v)) out[k] = v;
    else if ('lines' in v) out[k] = v.lines.map((m) => t(lang, m.code as MessageKey, m.params)).join('\n');
    else out[k] = (Array.isArray(v) ? v : [v]).map((m) => t(lang, m.code as MessageKey, m.params)).join('; ');
  }
  return out;
}

/** A translator bound to one language and a key prefix (`app`, `edit`, `import` …). */
export function scoped<P extends string>(prefix: P) {
  return (lang: Lang, key: KeysUnder<P>, params?: Params): string => t(lang, `${prefix}.${key}` as MessageKey, params);
}

/**
 * A typed message from core: what to say (a catalogue key) and its
 * parameters. Core returns these instead of sentences; the renderer and the
 * command line turn them into text in the user's language.
 */
export interface Message {
  code: MessageKey;
  params?: Params;
}

export function message(code: MessageKey, params?: Params): Message {
  return params ? { code, params } : { code };
}

/** A message, or several joined with '; ', in `lang`. */
export function say(lang: Lang, m: Message | readonly Message[]): string {
  return (Array.isArray(m) ? m : [m as Message]).map((x) => t(lang, x.code, x.params)).join('; ');
}

/** Messages that are whole sentences, as one paragraph in `lang` (Chinese runs them on, English spaces them). */
export function paragraph(lang: Lang, ms: readonly Message[]): string {
  return ms.map((x) => t(lang, x.code, x.params)).join(lang === 'zh' ? '' : ' ');
}

/**
 * An error that says what went wrong as a typed message (`said`), for the
 * renderer and the command line to say in their language; its `message` is
 * the English text, for logs.
 */
export class SaidError extends Error {
  constructor(
    readonly said: Message,
    options?: { cause?: unknown },
  ) {
    super(say('en', said), options);
    this.name = 'SaidError';
  }
}

const UNIT_KEYS: Record<string, MessageKey> = { 万元: 'unit.wan', 分: 'unit.points', 次: 'unit.times', 条: 'unit.pipes', 个: 'unit.count' };

/** A unit as written in the schema or settings (万元, 分 …), in `lang`; SI units stay as they are. */
export function unitText(lang: Lang, unit: string | undefined): string {
  if (!unit) return '';
  return unit.replace(/万元|^分$|^次$|^条$|^个$/g, (u) => t(lang, UNIT_KEYS[u]));
}

/** A `{zh, en}` pair of a message, for code that still takes pairs (schema-like labels). */
export function pair(key: MessageKey, params?: Params): { zh: string; en: string } {
  return { zh: t('zh', key, params), en: t('en', key, params) };
}

/**
 * A small ICU-style message formatter: `{name}` inserts a parameter as
 * written, `{name, number}` formats it with Intl.NumberFormat of the locale,
 * `{name, number, 0.00}` with that many decimals, and
 * `{name, plural, one {# pipe} other {# pipes}}` picks a branch with
 * Intl.PluralRules (`#` is the number; `=0 {…}` matches exactly).
 */
import { numberFormat } from '../format/number';
export type Lang = 'zh' | 'en';
/**
 * A parameter: a value written as it is, or typed messages said in the same language where they stand (a
 * refusal's place and reason inside the refusal): one message, several joined with '; ', or `{lines}` one a line.
 */
export type Param = string | number | null | undefined | NestedMessage | NestedMessage[] | { lines: NestedMessage[] };
export type Params = Readonly<Record<string, Param>>;
/** A message inside a message (core/i18n's Message, whose code is a catalogue key). */
export interface NestedMessage {
  code: string;
  params?: Params;
}

export const LOCALE: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

/** `v` in `lang`'s way, with exactly `decimals` decimals, or up to three when not given. */
export function formatNumber(lang: Lang, v: number, decimals?: number): string {
  return numberFormat(LOCALE[lang], decimals ?? 0, decimals ?? 3).format(v);
}

const pluralRules: Partial<Record<Lang, Intl.PluralRules>> = {};

/** The text between the `{` at `open` and its matching `}`, and the index after it. */
function group(s: string, open: number): [string, number] {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return [s.slice(open + 1, i), i + 1];
  }
  return [s.slice(open + 1), s.length];
}

function plural(lang: Lang, value: number, body: string, params: Params): string {
  const branches = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i])) i++;
    const j = body.indexOf('{', i);
    if (j < 0) break;
    const sel = body.slice(i, j).trim();
    const [text, next] = group(body, j);
    branches.set(sel, text);
    i = next;
  }
  const rules = (pluralRules[lang] ??= new Intl.PluralRules(LOCALE[lang]));
  const text = branches.get(`=${value}`) ?? branches.get(rules.select(value)) ?? branches.get('other') ?? '';
  return formatMessage(lang, text.replace(/#/g, formatNumber(lang, value)), params);
}

export function formatMessage(lang: Lang, pattern: string, params: Params = {}): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    const [inner, next] = group(pattern, i);
    i = next;
    const comma = inner.indexOf(',');
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
    const v = params[name];
    if (comma < 0) {
      out += v === null || v === undefined ? `{${name}}` : String(v);
      continue;
    }
    const rest = inner.slice(comma + 1);
    const c2 = rest.indexOf(',');
    const type = (c2 < 0 ? rest : rest.slice(0, c2)).trim();
    const arg = c2 < 0 ? '' : rest.slice(c2 + 1).trim();
    const n = typeof v === 'number' ? v : Number(v);
    if (type === 'number') out += Number.isFinite(n) ? formatNumber(lang, n, /^0\.(0+)$/.test(arg) ? arg.length - 2 : arg === '0' ? 0 : undefined) : '—';
    else if (type === 'plural') out += plural(lang, Number.isFinite(n) ? n : 0, arg, params);
    else out += String(v ?? '');
  }
  return out;
}

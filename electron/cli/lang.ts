/**
 * The language of the command line's text. `--lang zh` or `--lang en` (any
 * command) picks one; without it the text is bilingual, Chinese then English,
 * as it always was. Data (ids, names) stays as written; JSON output is the
 * same in every language.
 */
import { say as sayIn, t, type Lang, type Message, type MessageKey, type Params } from '../../core/i18n';

export type CliLang = Lang | 'both';

let current: CliLang = 'both';

export function setCliLang(lang: CliLang): void {
  current = lang;
}

export function cliLang(): CliLang {
  return current;
}

/** The language for text that can only be in one (files written, map sheets): English only when asked for. */
export function oneLang(): Lang {
  return current === 'en' ? 'en' : 'zh';
}

/** A heading or word from the catalogue: both languages side by side unless one was chosen. */
export function label(key: MessageKey, params?: Params): string {
  if (current !== 'both') return t(current, key, params);
  const zh = t('zh', key, params);
  const en = t('en', key, params);
  return zh === en ? zh : `${zh} ${en}`;
}

/** A typed message from core, as a sentence: both languages separated by ' / ' unless one was chosen. */
export function say(m: Message | readonly Message[]): string {
  if (current !== 'both') return sayIn(current, m);
  const zh = sayIn('zh', m);
  const en = sayIn('en', m);
  return zh === en ? zh : `${zh} / ${en}`;
}

/** A `{zh, en}` label (a layer, a class): both side by side unless one was chosen. */
export function pairLabel(l: { zh: string; en: string }, sep = ' '): string {
  if (current !== 'both') return l[current];
  return l.zh === l.en ? l.zh : `${l.zh}${sep}${l.en}`;
}

/** An English word glossed in Chinese (`mismatched 负荷不匹配`): English first when both. */
export function gloss(key: MessageKey, params?: Params): string {
  if (current !== 'both') return t(current, key, params);
  const zh = t('zh', key, params);
  const en = t('en', key, params);
  return zh === en ? en : `${en} ${zh}`;
}

/** A unit or a counter word that is printed once: Chinese when both. */
export function one(key: MessageKey, params?: Params): string {
  return t(current === 'en' ? 'en' : 'zh', key, params);
}

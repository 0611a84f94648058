/**
 * i18n: Chinese by default, English one click away. Components read strings
 * through `useT()`; schema and class labels are `{zh, en}` pairs picked by `pick`.
 */
import { useAppStore } from '../store';
import { MESSAGES, VALUE_LABELS, type Lang, type MessageKey } from './messages';

export type { Lang, MessageKey };

export function translate(lang: Lang, key: MessageKey): string {
  return MESSAGES[key][lang];
}

export function pick(label: { zh: string; en: string } | undefined, lang: Lang): string {
  return label ? label[lang] : '';
}

/** Display text of a field value: enum values translated, booleans as yes/no. */
export function formatValue(value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return translate(lang, value ? 'yes' : 'no');
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'string' && VALUE_LABELS[value]) return VALUE_LABELS[value][lang];
  return String(value);
}

export function useT() {
  const lang = useAppStore((s) => s.lang);
  return { lang, t: (key: MessageKey) => translate(lang, key) };
}

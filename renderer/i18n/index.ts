/**
 * i18n: Chinese by default, English one click away. Components read strings
 * through `useT()`; schema and class labels are `{zh, en}` pairs picked by `pick`.
 */
import { useAppStore } from '../store';
import type { FieldDef } from '../../core/model/schema';
import { scoped } from '../../core/i18n';
import type { Lang, MessageKey } from './messages';

export type { Lang, MessageKey };

const app = scoped('app');

export function translate(lang: Lang, key: MessageKey): string {
  return app(lang, key);
}

export function pick(label: { zh: string; en: string } | undefined, lang: Lang): string {
  return label ? label[lang] : '';
}

/**
 * Display text of a field value: a coded value of `field` reads as its
 * vocabulary label (core/model/schema.ts), booleans as yes/no; anything else
 * is data and stays as written.
 */
export function formatValue(value: unknown, lang: Lang, field?: FieldDef): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return translate(lang, value ? 'yes' : 'no');
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'string' && field?.labels?.[value]) return field.labels[value][lang];
  return String(value);
}

/**
 * Whether a shown value is data (a name, a note, anything typed or imported)
 * rather than words of the app: data stays as written in every language and
 * is marked `data-value` in the DOM.
 */
export function isData(value: unknown, field?: FieldDef): boolean {
  return typeof value === 'string' && value !== '' && !field?.labels?.[value];
}

export function useT() {
  const lang = useAppStore((s) => s.lang);
  return { lang, t: (key: MessageKey) => translate(lang, key) };
}

/** Strings of the editing tools and the projects panel, from the one catalogue (core/i18n) under `edit.`. */
import { scoped, type KeysUnder } from '../../core/i18n';
import { valueLabel } from '../../core/model/schema';
import { useAppStore } from '../store';

const edit = scoped('edit');

export type EditMessageKey = KeysUnder<'edit'>;

export function useEditT() {
  const lang = useAppStore((s) => s.lang);
  return { lang, t: (k: EditMessageKey) => edit(lang, k) };
}

/** A project status in `lang`, from the vocabulary in core/model/schema.ts. */
export function projectStatusLabel(status: string, lang: 'zh' | 'en'): string {
  return valueLabel('projects', 'status', status, lang) ?? '—';
}

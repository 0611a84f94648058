/**
 * UI strings of the presentation mode, charts panel and export dialog,
 * Chinese first (the default) and English; read through `usePresentT()`,
 * which follows the app's language switch.
 */
import { scoped, type KeysUnder } from '../../../core/i18n';
import { useAppStore } from '../../store';

const present = scoped('present');

export type PresentKey = KeysUnder<'present'>;

export function usePresentT() {
  const lang = useAppStore((s) => s.lang);
  return { lang, t: (key: PresentKey) => present(lang, key) };
}

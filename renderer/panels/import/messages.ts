/** Strings of the import wizard, from the one catalogue (core/i18n) under `import.`. */
import { scoped, type KeysUnder } from '../../../core/i18n';
import type { Lang } from '../../i18n/messages';

const wizard = scoped('import');

export type ImportMessageKey = KeysUnder<'import'>;

/** A wizard string; `{n}`-style placeholders filled from vars. */
export function im(lang: Lang, key: ImportMessageKey, vars: Record<string, string | number> = {}): string {
  return wizard(lang, key, vars);
}

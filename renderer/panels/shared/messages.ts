/** Strings of the shared-project dialog (connection, check-out, check-in, conflicts), from the one catalogue (core/i18n) under `shared.`. */
import { scoped, type KeysUnder } from '../../../core/i18n';
import type { Lang } from '../../i18n/messages';

const shared = scoped('shared');

export type SharedMessageKey = KeysUnder<'shared'>;

export function sm(lang: Lang, key: SharedMessageKey, vars: Record<string, string | number> = {}): string {
  return shared(lang, key, vars);
}

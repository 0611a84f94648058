/** Strings of the shared-project dialog (connection, check-out, check-in, conflicts), from the one catalogue (core/i18n) under `shared.`. */
import { scoped, type KeysUnder } from '../../../core/i18n';
import type { Lang } from '../../i18n/messages';

const shared = scoped('shared');

export type SharedMessageKey = KeysUnder<'shared'>;

export function sm(lang: Lang, key: SharedMessageKey, vars: Record<string, string | number> = {}): string {
  return shared(lang, key, vars);
}

/** Live shared-project failures the backend sends typed (code, params): their text in `lang`, or null for other failures. */
export function sharedFailureText(code: string | undefined, params: Record<string, unknown>, lang: Lang, layerLabel: (layer: string) => string): string | null {
  const layer = typeof params.layer === 'string' ? layerLabel(params.layer) : '';
  const id = typeof params.id === 'string' ? params.id : '';
  if (code === 'conflict') return sm(lang, 'failConflict', { layer, id });
  if (code === 'not_permitted') return sm(lang, 'failNotPermitted');
  if (code === 'undo_conflict') return sm(lang, 'failUndoConflict', { layer, id });
  if (code === 'shared_refused') {
    const what = params.what === 'projects' ? 'whatProjects' : params.what === 'settings' ? 'whatSettings' : params.what === 'import' ? 'whatImport' : 'whatOther';
    return sm(lang, 'failRefused', { what: sm(lang, what) });
  }
  return null;
}

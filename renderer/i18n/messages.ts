/** Strings of the main window, read from the one catalogue (core/i18n) under `app.`. */
import type { KeysUnder, Lang } from '../../core/i18n';

export type MessageKey = KeysUnder<'app'>;
export type { Lang };

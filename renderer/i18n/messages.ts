/** Strings of the main window (`app.`) and the hydraulics analysis (`hyd.`), read from the one catalogue (core/i18n). */
import { scoped, type KeysUnder, type Lang } from '../../core/i18n';

export type MessageKey = KeysUnder<'app'>;
export type { Lang };

export type HydraulicsMessageKey = KeysUnder<'hyd'>;
const hyd = scoped('hyd');
export const hm = (lang: Lang, key: HydraulicsMessageKey): string => hyd(lang, key);

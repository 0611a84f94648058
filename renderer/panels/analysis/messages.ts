/** Strings of the analysis panel, from the one catalogue (core/i18n) under `analysis.`, and the names of the network-check findings (`finding.`). */
import { CATALOGUES, pair, scoped, type KeysUnder, type Lang, type MessageKey } from '../../../core/i18n';
// the list alone (types.ts), not the check itself: this file is part of the start-up bundle
import { FINDING_KINDS } from '../../../core/network/check/types';
import { hm, type HydraulicsMessageKey } from '../../i18n/messages';

const analysis = scoped('analysis');

export type AMKey = KeysUnder<'analysis'>;
export const am = (lang: Lang, key: AMKey): string => analysis(lang, key);
/** A label key of either part of the catalogue the analysis views use (analysis or hydraulics). */
export const label = (lang: Lang, key: AMKey | HydraulicsMessageKey): string => (`analysis.${key}` in CATALOGUES.zh ? am(lang, key as AMKey) : hm(lang, key as HydraulicsMessageKey));

/** Names of the network-check finding kinds (core/network/check). */
export const FINDING_KIND: Record<string, { zh: string; en: string }> = Object.fromEntries(FINDING_KINDS.map((k) => [k, pair(`finding.${k}` as MessageKey)]));

/**
 * The coordinate systems the wizard offers, grouped the way a surveyor thinks
 * of them: geographic, then CGCS2000 Gauss–Krüger 3° and 6° zones with and
 * without the zone prefix. Derived from core/geo/crs's list, never restated.
 */
import { knownCrs, type CrsDef } from '../../../core/geo/crs';
import type { ImportMessageKey } from './messages';

export interface CrsGroup {
  key: ImportMessageKey;
  options: CrsDef[];
}

export function crsGroups(suggestions: readonly string[] = []): CrsGroup[] {
  const all = knownCrs();
  const gk = (width: 3 | 6, prefixed: boolean) =>
    all
      .filter((d) => d.kind === 'gauss-kruger' && d.zoneWidth === width && (d.zonePrefix !== undefined) === prefixed)
      .sort((a, b) => a.centralMeridian! - b.centralMeridian!);
  const groups: CrsGroup[] = [
    { key: 'geographic', options: all.filter((d) => d.kind !== 'gauss-kruger') },
    { key: 'gk3', options: gk(3, false) },
    { key: 'gk3p', options: gk(3, true) },
    { key: 'gk6', options: gk(6, false) },
    { key: 'gk6p', options: gk(6, true) },
  ];
  const suggested = suggestions.map((c) => all.find((d) => d.code === c)).filter((d): d is CrsDef => d !== undefined);
  return suggested.length ? [{ key: 'suggested', options: suggested }, ...groups] : groups;
}

/** Short label of an option: 'EPSG:4547 · CM 114°' / 'EPSG:4526 · zone 38 (CM 114°)'. */
export function crsLabel(d: CrsDef, words: { cm: string; zone: string }): string {
  if (d.kind !== 'gauss-kruger') return `${d.name}${d.code.startsWith('EPSG') ? ` (${d.code})` : ''}`;
  const cm = `${words.cm} ${d.centralMeridian}°E`;
  return d.zonePrefix ? `${d.code} · ${words.zone} ${d.zonePrefix} (${cm})` : `${d.code} · ${cm}`;
}

/**
 * The coordinate systems the wizard offers, grouped the way a surveyor thinks
 * of them: geographic, then Gauss–Krüger 3° and 6° zones with and without
 * the zone prefix for CGCS2000, Beijing 1954 and Xi'an 1980, then WGS 84 /
 * UTM over China and Web Mercator. Derived from core/geo/crs's list, never
 * restated.
 */
import { knownCrs, type CrsDef, type DatumId } from '../../../core/geo/crs';
import type { ImportMessageKey } from './messages';

export interface CrsGroup {
  key: ImportMessageKey;
  options: CrsDef[];
}

const GK_GROUPS: { datum: DatumId; keys: [ImportMessageKey, ImportMessageKey, ImportMessageKey, ImportMessageKey] }[] = [
  { datum: 'cgcs2000', keys: ['gk3', 'gk3p', 'gk6', 'gk6p'] },
  { datum: 'beijing1954', keys: ['bj3', 'bj3p', 'bj6', 'bj6p'] },
  { datum: 'xian1980', keys: ['xa3', 'xa3p', 'xa6', 'xa6p'] },
];

export function crsGroups(suggestions: readonly string[] = []): CrsGroup[] {
  const all = knownCrs();
  const gk = (datum: DatumId, width: 3 | 6, prefixed: boolean) =>
    all
      .filter((d) => d.kind === 'gauss-kruger' && d.datum === datum && d.zoneWidth === width && (d.zonePrefix !== undefined) === prefixed)
      .sort((a, b) => a.centralMeridian! - b.centralMeridian!);
  const geographic = ['EPSG:4490', 'EPSG:4326', 'GCJ-02', 'EPSG:4214', 'EPSG:4610'];
  const groups: CrsGroup[] = [
    { key: 'geographic', options: geographic.map((c) => all.find((d) => d.code === c)!).filter(Boolean) },
    ...GK_GROUPS.flatMap((g) => [
      { key: g.keys[0], options: gk(g.datum, 3, false) },
      { key: g.keys[1], options: gk(g.datum, 3, true) },
      { key: g.keys[2], options: gk(g.datum, 6, false) },
      { key: g.keys[3], options: gk(g.datum, 6, true) },
    ]),
    {
      key: 'projectedOther',
      // UTM zones over China (43N–53N) and Web Mercator.
      options: all.filter((d) => /^EPSG:(3264[3-9]|3265[0-3]|3857)$/.test(d.code)),
    },
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

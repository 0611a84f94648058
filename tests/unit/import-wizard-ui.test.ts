/** The wizard's pure parts: the coordinate systems it offers and its strings in both languages. */
import { describe, expect, it } from 'vitest';
import { crsGroups, crsLabel } from '../../renderer/panels/import/crsOptions';
import { CATALOGUES } from '../../core/i18n';
import { im } from '../../renderer/panels/import/messages';

describe('coordinate systems offered', () => {
  const groups = crsGroups();
  const codes = (key: string) => groups.find((g) => g.key === key)!.options.map((d) => d.code);

  it('geographic: CGCS2000, WGS84, GCJ-02, Beijing 1954 and Xian 1980', () => {
    expect(codes('geographic')).toEqual(['EPSG:4490', 'EPSG:4326', 'GCJ-02', 'EPSG:4214', 'EPSG:4610']);
  });

  it('Beijing 1954 and Xian 1980 Gauss–Krüger zones, by width and zone prefix', () => {
    expect(codes('bj3')).toContain('EPSG:2436'); // CM 117°E
    expect(codes('bj3p')).toContain('EPSG:2415'); // zone 39
    expect(codes('bj6p')).toContain('EPSG:21420'); // zone 20
    expect(codes('xa3')).toContain('EPSG:2384'); // CM 117°E
    expect(codes('xa6')).toContain('EPSG:2345'); // CM 117°E
    for (const k of ['bj3', 'bj3p', 'xa3', 'xa3p']) expect(codes(k)).toHaveLength(21);
    for (const k of ['bj6', 'bj6p', 'xa6', 'xa6p']) expect(codes(k)).toHaveLength(11);
  });

  it('every CGCS2000 Gauss–Krüger zone once, split by width and zone prefix, west to east', () => {
    expect(codes('gk3')).toHaveLength(21);
    expect(codes('gk3')[0]).toBe('EPSG:4534');
    expect(codes('gk3')).toContain('EPSG:4547');
    expect(codes('gk3p')).toContain('EPSG:4526');
    expect(codes('gk6')).toContain('EPSG:4506');
    expect(codes('gk6p')).toContain('EPSG:4495');
    const all = groups.flatMap((g) => g.options.map((d) => d.code));
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((c) => /^EPSG:(449[1-9]|45[0-4]\d|455[0-4])$/.test(c))).toHaveLength(64);
  });

  it("the project's zones come first when the file says nothing", () => {
    const g = crsGroups(['EPSG:4547', 'EPSG:4509']);
    expect(g[0].key).toBe('suggested');
    expect(g[0].options.map((d) => d.code)).toEqual(['EPSG:4547', 'EPSG:4509']);
  });

  it('labels name the code, the central meridian and the zone', () => {
    const words = { cm: 'CM', zone: 'zone' };
    const byCode = new Map(groups.flatMap((g) => g.options).map((d) => [d.code, d]));
    expect(crsLabel(byCode.get('EPSG:4547')!, words)).toBe('EPSG:4547 · CM 114°E');
    expect(crsLabel(byCode.get('EPSG:4526')!, words)).toBe('EPSG:4526 · zone 38 (CM 114°E)');
    expect(crsLabel(byCode.get('EPSG:4490')!, words)).toBe('CGCS2000 (EPSG:4490)');
  });
});

describe('wizard strings', () => {
  it('every string has Chinese and English with the same placeholders', () => {
    const keys = Object.keys(CATALOGUES.zh).filter((k) => k.startsWith('import.')) as (keyof typeof CATALOGUES.zh)[];
    expect(keys.length).toBeGreaterThan(40);
    for (const key of keys) {
      const v = { zh: CATALOGUES.zh[key], en: CATALOGUES.en[key] };
      expect(v.zh, key).not.toBe('');
      expect(v.en, key).not.toBe('');
      expect(v.zh.match(/\{\w+\}/g)?.sort(), key).toEqual(v.en.match(/\{\w+\}/g)?.sort());
    }
  });

  it('fills placeholders', () => {
    expect(im('en', 'done', { n: 6, layer: 'Valve wells' })).toBe('Imported 6 features into “Valve wells”; undo with Ctrl+Z');
    expect(im('zh', 'moreProblems', { n: 3 })).toBe('另有 3 项');
  });
});

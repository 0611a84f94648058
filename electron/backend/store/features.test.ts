/** Feature rows: computed length, defaults, extras, booleans; invalid edits write nothing. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ProjectStore, ValidationError } from './index';
import { lineLengthM } from '../../../core/geo/length';
import { STANDARD_DN } from '../../../core/model/schema';
import { pipe, useTempDir } from './testkit';
import { Connection } from './connection';
import { FeatureTables } from './features';

const tmp = useTempDir();

describe('features', () => {
  it('computes length_m geodesically on every write, ignoring the input value', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    const coords = [[115.03, 42.287], [115.035, 42.29], [115.04, 42.29]];
    s.insertFeature('pipes', pipe('P-1', coords, { length_m: 1 }));
    expect(s.getFeature('pipes', 'P-1')!.properties.length_m).toBeCloseTo(lineLengthM(coords), 9);
    const moved = [[115.03, 42.287], [115.03, 42.297]];
    s.updateFeature('pipes', 'P-1', { geometry: { type: 'LineString', coordinates: moved }, properties: { length_m: 5 } });
    const l = s.getFeature('pipes', 'P-1')!.properties.length_m as number;
    expect(l).toBeCloseTo(lineLengthM(moved), 9);
    expect(l).toBeGreaterThan(1110);
    expect(l).toBeLessThan(1112);
    s.close();
  });

  it('stores defaults for omitted fields, keeps unknown properties, and returns booleans for bool fields', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]], { owner: '热力公司', tags: ['a', 1] }));
    const p = s.getFeature('pipes', 'P-1')!.properties;
    expect(p).toMatchObject({ id: 'P-1', status: 'in_service', renovation_status: 'none', design_life_years: 30, leak_count_5y: 0, material: null });
    expect(p.owner).toBe('热力公司');
    expect(p.tags).toEqual(['a', 1]);
    s.insertFeature('heat_sources', { type: 'Feature', id: 'HS-1', geometry: { type: 'Point', coordinates: [115, 42] }, properties: { is_backup: 'yes' } });
    expect(s.getFeature('heat_sources', 'HS-1')!.properties.is_backup).toBe(true);
    s.close();
  });

  it('rejects invalid edits with issues naming the field, and writes nothing', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]]));
    const issuesOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).issues;
      }
      throw new Error('expected a ValidationError');
    };
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]])))[0]).toMatchObject({ field: 'id' });
    expect(issuesOf(() => s.insertFeature('pipes', pipe('', [[115, 42], [115.001, 42]])))[0]).toMatchObject({ field: 'id', message: 'is required' });
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-2', [[115, 42], [115.001, 42]], { level: 'tertiary' })))[0]).toMatchObject({ field: 'level' });
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-2', [[115, 42], [115.001, 42]], { dn: 123 })))[0].message).toMatch(
      new RegExp(`123 is not one of ${STANDARD_DN.slice(0, 3).join(', ')}`),
    );
    const year = new Date().getFullYear();
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-2', [[115, 42], [115.001, 42]], { install_year: year + 11 })))[0]).toMatchObject({
      field: 'install_year',
    });
    expect(issuesOf(() => s.updateFeature('pipes', 'P-1', { properties: { leak_count_5y: -1 } }))[0]).toMatchObject({ field: 'leak_count_5y' });
    expect(issuesOf(() => s.insertFeature('valves', pipe('V-1', [[115, 42], [115.001, 42]])))[0]).toMatchObject({ field: 'geometry' });
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-1']);
    expect(s.listFeatures('valves')).toEqual([]);
    expect(s.getFeature('pipes', 'P-1')!.properties.leak_count_5y).toBe(0);
    s.close();
  });
});

describe('FeatureTables alone', () => {
  it('put returns the inverse (del for a new row, put of the old row for a replace); remove gives the row back', () => {
    const conn = Connection.create(join(tmp.path, 'f.gpkg'));
    try {
      const t = new FeatureTables(conn, 2026);
      const first = t.coerceOrThrow('pipes', pipe('P-1', [[115.02, 42.28], [115.021, 42.28]], { dn: 100 }));
      expect(t.put('pipes', first, true)).toEqual({ t: 'del', layer: 'pipes', id: 'P-1' });
      const second = t.coerceOrThrow('pipes', pipe('P-1', [[115.02, 42.28], [115.021, 42.28]], { dn: 150 }));
      const inverse = t.put('pipes', second, false);
      expect(inverse.t === 'put' && inverse.feature.properties.dn).toBe(100);
      expect(t.get('pipes', 'P-1')!.properties.dn).toBe(150);
      expect(t.has('pipes', 'P-1')).toBe(true);
      expect(t.remove('pipes', 'P-1')!.properties.dn).toBe(150);
      expect(t.has('pipes', 'P-1')).toBe(false);
      expect(t.remove('pipes', 'P-1')).toBeUndefined();
      expect(() => t.layer('nope' as never)).toThrow(/unknown layer "nope"/);
    } finally {
      conn.close();
    }
  });
});

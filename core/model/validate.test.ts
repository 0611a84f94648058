import { describe, expect, it } from 'vitest';
import { coerceFeature, formatIssue, geometryIssue, validateFeature } from './validate';

const line = { type: 'LineString', coordinates: [[115, 42], [115.001, 42]] };
const pipe = (props: Record<string, unknown>, geometry: unknown = line) => ({ type: 'Feature', geometry, properties: { id: 'P-1', level: 'primary', dn: 200, ...props } });

describe('validateFeature', () => {
  it('accepts a good pipe', () => {
    expect(validateFeature('pipes', pipe({}), { year: 2024 })).toEqual([]);
  });

  it('names the field and the value outside its domain', () => {
    expect(validateFeature('pipes', pipe({ level: 'tertiary' }))).toEqual([
      {
        field: 'level',
        featureId: 'P-1',
        message: '"tertiary" is not one of primary, secondary, courtyard',
        code: 'notOneOf',
        params: { value: '"tertiary"', allowed: 'primary, secondary, courtyard' },
      },
    ]);
    expect(validateFeature('pipes', pipe({ dn: 'abc' }))[0]).toMatchObject({ field: 'dn', message: '"abc" is not a number' });
    expect(validateFeature('pipes', pipe({ dn: 210 }))[0]).toMatchObject({ field: 'dn' });
    expect(validateFeature('pipes', pipe({ condition: 6 }))[0]).toMatchObject({ field: 'condition', message: '6 is above the maximum 5' });
    expect(validateFeature('pipes', pipe({ install_year: 1999.5 }))[0]).toMatchObject({ field: 'install_year' });
    expect(validateFeature('valves', { type: 'Feature', geometry: { type: 'Point', coordinates: [115, 42] }, properties: { id: 'V', last_inspected: '2024-02-30' } })[0]).toMatchObject({
      field: 'last_inspected',
    });
  });

  it('bounds install years by the year of validation plus ten', () => {
    expect(validateFeature('pipes', pipe({ install_year: 2034 }), { year: 2024 })).toEqual([]);
    expect(validateFeature('pipes', pipe({ install_year: 2035 }), { year: 2024 })[0]).toMatchObject({ field: 'install_year', message: '2035 is above the maximum 2034' });
  });

  it('requires an id and the required fields', () => {
    const issues = validateFeature('pipes', { type: 'Feature', geometry: line, properties: { id: '  ' } });
    expect(issues.map((i) => i.field)).toEqual(['id', 'level', 'dn']);
  });

  it('coerces numeric strings, booleans for yes/no fields and yes/no for bool fields', () => {
    const c = coerceFeature('pipes', pipe({ dn: '200', leak_count_5y: ' 3 ', water_loss_rate: '1.5' }));
    expect(c.values).toMatchObject({ dn: 200, leak_count_5y: 3, water_loss_rate: 1.5 });
    const v = coerceFeature('valves', { type: 'Feature', id: 'V-1', geometry: { type: 'Point', coordinates: [115, 42] }, properties: { operable: false } });
    expect(v.values.operable).toBe('no');
    expect(v.id).toBe('V-1');
    const hs = (b: unknown) => coerceFeature('heat_sources', { type: 'Feature', geometry: { type: 'Point', coordinates: [115, 42] }, properties: { id: 'HS', is_backup: b } });
    expect([hs('yes').values.is_backup, hs('no').values.is_backup, hs(1).values.is_backup, hs(0).values.is_backup, hs(true).values.is_backup]).toEqual([true, false, true, false, true]);
    expect(hs('maybe').issues[0]).toMatchObject({ field: 'is_backup' });
  });

  it('keeps unknown properties apart and skips computed ones', () => {
    const c = coerceFeature('pipes', pipe({ owner: 'x', length_m: 3 }));
    expect(c.extra).toEqual({ owner: 'x' });
    expect('length_m' in c.values).toBe(false);
  });
});

describe('geometryIssue', () => {
  it('checks the geometry type and the coordinates', () => {
    expect(geometryIssue('LINESTRING', line)).toBeNull();
    expect(geometryIssue('POINT', line)).toBe('geometry type "LineString" where Point is expected');
    expect(geometryIssue('LINESTRING', { type: 'LineString', coordinates: [[115, 42]] })).toMatch(/at least 2 positions/);
    expect(geometryIssue('LINESTRING', { type: 'LineString', coordinates: [[115, 42], [115, 91]] })).toBe('latitude 91 is outside -90..90');
    expect(geometryIssue('LINESTRING', { type: 'LineString', coordinates: [[115, 42], [-181, 0]] })).toBe('longitude -181 is outside -180..180');
    expect(geometryIssue('POINT', { type: 'Point', coordinates: [115, 'x'] })).toMatch(/not finite numbers/);
    expect(geometryIssue('POINT', { type: 'Point', coordinates: [Infinity, 42] })).toMatch(/not finite numbers/);
    expect(geometryIssue('POINT', null)).toMatch(/missing geometry/);
    expect(geometryIssue('POLYGON', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0.5]]] })).toBe('a polygon ring is not closed');
  });
});

describe('coerceFeature geometry', () => {
  it('takes a one-part MultiLineString as a line and rejects several parts', () => {
    const one = coerceFeature('pipes', pipe({}, { type: 'MultiLineString', coordinates: [line.coordinates] }));
    expect(one.issues).toEqual([]);
    expect(one.geometry).toEqual(line);
    const two = coerceFeature('pipes', pipe({}, { type: 'MultiLineString', coordinates: [line.coordinates, line.coordinates] }));
    expect(two.issues[0]).toMatchObject({ field: 'geometry', message: 'geometry type "MultiLineString" where LineString is expected' });
  });
});

describe('formatIssue', () => {
  it('names file, feature and field', () => {
    expect(formatIssue({ file: 'bad.geojson', index: 3, featureId: 'P-0007', field: 'level', message: '"tertiary" is not one of primary, secondary, courtyard' })).toBe(
      'bad.geojson: feature 4 (id "P-0007"): field "level": "tertiary" is not one of primary, secondary, courtyard',
    );
    expect(formatIssue({ file: 'a.geojson', message: 'not valid JSON' })).toBe('a.geojson: not valid JSON');
  });
});

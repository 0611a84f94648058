import { describe, expect, it } from 'vitest';
import { parseGeoJson, stringifyFeatureCollection, toFeatureCollection } from './geojson';

describe('parseGeoJson', () => {
  it('reads a FeatureCollection and a single Feature', () => {
    const fc = parseGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { id: 'A' } }] }), 'a.geojson');
    expect(fc.issues).toEqual([]);
    expect(fc.features[0]).toMatchObject({ index: 0, feature: { properties: { id: 'A' } } });
    const one = parseGeoJson('\ufeff' + JSON.stringify({ type: 'Feature', id: 7, geometry: null, properties: null }), 'b.geojson');
    expect(one.features[0].feature.properties).toEqual({});
  });

  it('names the file and the entry for structural problems', () => {
    expect(parseGeoJson('{"type":', 'x.geojson').issues[0].message).toMatch(/not valid JSON/);
    expect(parseGeoJson('{"type":"Topology"}', 'x.geojson').issues[0]).toMatchObject({ file: 'x.geojson' });
    const r = parseGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {} }, 42, { type: 'Feature', id: 'Q', properties: [1] }] }), 'x.geojson');
    expect(r.features.map((f) => f.index)).toEqual([0]);
    expect(r.issues).toEqual([
      { file: 'x.geojson', index: 1, message: 'not a GeoJSON Feature' },
      { file: 'x.geojson', index: 2, featureId: 'Q', message: '"properties" is not an object' },
    ]);
  });
});

describe('toFeatureCollection', () => {
  it('uses the feature code as GeoJSON id and id property, and serialises to parseable text', () => {
    const fc = toFeatureCollection('valves', [{ type: 'Feature', id: 'V-1', geometry: { type: 'Point', coordinates: [115, 42] }, properties: { id: 'V-1', dn: null } }]);
    expect(fc.features[0]).toMatchObject({ id: 'V-1', properties: { id: 'V-1', dn: null } });
    const text = stringifyFeatureCollection(fc);
    expect(JSON.parse(text)).toEqual(fc);
    expect(JSON.parse(stringifyFeatureCollection(toFeatureCollection('x', [])))).toEqual({ type: 'FeatureCollection', name: 'x', features: [] });
  });
});

describe('declared CRS', () => {
  it('accepts lon/lat CRS names and rejects projected ones, naming the file', () => {
    const fc = (name: string) => JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name } }, features: [] });
    expect(parseGeoJson(fc('urn:ogc:def:crs:OGC:1.3:CRS84'), 'a.geojson').issues).toEqual([]);
    expect(parseGeoJson(fc('urn:ogc:def:crs:EPSG::4490'), 'a.geojson').issues).toEqual([]);
    expect(parseGeoJson(fc('urn:ogc:def:crs:EPSG::4547'), 'gk.geojson').issues[0]).toEqual({
      file: 'gk.geojson',
      message: 'coordinates must be longitude/latitude (EPSG:4490 or 4326), the file declares urn:ogc:def:crs:EPSG::4547',
    });
  });
});

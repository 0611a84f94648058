import { describe, expect, it } from 'vitest';
import { parseGeoJson } from './geojson';
import { GeoJsonStream, GeoJsonStreamError } from './geojsonStream';

/** Feeds text in pieces of the given sizes (cycled) and collects what comes out. */
function streamed(text: string, sizes: number[]) {
  const s = new GeoJsonStream('f.geojson');
  const features: unknown[] = [];
  const issues: unknown[] = [];
  for (let i = 0, k = 0; i < text.length; k++) {
    const n = sizes[k % sizes.length];
    const r = s.push(text.slice(i, i + n));
    features.push(...r.features);
    issues.push(...r.issues);
    i += n;
  }
  s.end();
  return { features, issues, members: s.members };
}

const tricky = JSON.stringify({
  type: 'FeatureCollection',
  name: 'pipes {with} [brackets]',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
  features: [
    { type: 'Feature', id: 'P-1', geometry: { type: 'LineString', coordinates: [[115, 42], [115.001, 42]] }, properties: { name: 'a "quoted" } brace', note: '\\\\ back\\"slash ]', zh: '供热管道' } },
    { type: 'Feature', geometry: null, properties: null },
    42,
    'text',
    { type: 'Feature', id: 7, geometry: { type: 'Point', coordinates: [1, 2] }, properties: [1] },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { nested: { a: [1, { b: '}' }] } } },
    null,
  ],
  bbox: [1, 2, 3, 4],
});

describe('GeoJSON read in pieces', () => {
  it.each([[[1]], [[2, 3, 5, 7]], [[64]], [[100000]]])('gives what parseGeoJson gives, fed in pieces of %j characters', (sizes) => {
    const whole = parseGeoJson(tricky, 'f.geojson');
    const r = streamed(tricky, sizes);
    expect(r.features).toEqual(whole.features);
    expect(r.issues).toEqual(whole.issues);
    expect(whole.issues.length).toBe(4);
    expect(r.members).toEqual({ type: 'FeatureCollection', name: 'pipes {with} [brackets]', crs: JSON.parse(tricky).crs, bbox: [1, 2, 3, 4] });
  });

  it('reads a byte-order mark, whitespace and an empty collection', () => {
    expect(streamed('\ufeff { "features" : [ ] , "type" : "FeatureCollection" }\n', [3]).features).toEqual([]);
  });

  it('refuses what it cannot read on, naming the file and the entry', () => {
    const refusal = (text: string) => {
      try {
        streamed(text, [5]);
      } catch (e) {
        expect(e).toBeInstanceOf(GeoJsonStreamError);
        return (e as Error).message;
      }
      return 'read';
    };
    expect(refusal('{"type":"FeatureCollection","features":[{"type":"Feature"},{"type":"Feature",]}')).toBe('f.geojson, feature 2: not valid JSON (' + (() => {
      try {
        JSON.parse('{"type":"Feature",}');
      } catch (e) {
        return (e as Error).message;
      }
    })() + ')');
    expect(refusal('{"type":"FeatureCollection","features":[{"type":"Feature"}')).toBe('f.geojson: the file ends before the GeoJSON object does');
    expect(refusal('{"type":"FeatureCollection"}')).toBe('f.geojson: FeatureCollection has no "features" array');
    expect(refusal('{"type":"Feature","geometry":null,"properties":{}}')).toMatch(/must be a FeatureCollection \(its type is "Feature"\)/);
    expect(refusal('[1,2]')).toBe('f.geojson: not a GeoJSON object');
    expect(refusal('{"type":"FeatureCollection","features":[]} x')).toBe('f.geojson: text after the end of the GeoJSON object');
    expect(refusal('{"crs":{"type":"name","properties":{"name":"EPSG:4547"}},"type":"FeatureCollection","features":[]}')).toMatch(/must be longitude\/latitude .* declares EPSG:4547/);
  });
});

describe('GeoJSON read in pieces, many entries', () => {
  // Runs of object entries are parsed together: escapes, quotes and brackets inside strings, and entries that are
  // not features, anywhere in a run and across the pieces' edges.
  const names = ['plain', 'a "q" }', 'back\\', 'back\\\\', '\\"', '] [ { }', '供热', ''];
  const features: unknown[] = [];
  for (let i = 0; i < 300; i++) {
    if (i % 97 === 50) features.push(i % 2 ? 'text' : null);
    else features.push({ type: 'Feature', id: `P-${i}`, geometry: { type: 'LineString', coordinates: [[115 + i / 1000, 42], [115.001, 42.5]] }, properties: { name: names[i % names.length], n: i } });
  }

  it.each([[[1]], [[13]], [[4096]], [[7, 1, 333]]])('gives what parseGeoJson gives, in pieces of %j', (sizes) => {
    for (const t of [JSON.stringify({ type: 'FeatureCollection', features }), JSON.stringify({ type: 'FeatureCollection', features }, null, 2)]) {
      const whole = parseGeoJson(t, 'f.geojson');
      const r = streamed(t, sizes);
      expect(r.features).toEqual(whole.features);
      expect(r.issues).toEqual(whole.issues);
      expect(r.features.length + r.issues.length).toBe(300);
    }
  });

  it('names the bad entry in a run of good ones', () => {
    const good = JSON.stringify({ type: 'FeatureCollection', features: features.slice(0, 120) });
    const bad = good.replace('"id":"P-101"', '"id":"P-101",');
    expect(() => streamed(bad, [100000])).toThrow(/^f\.geojson, feature 102: not valid JSON/);
  });
});

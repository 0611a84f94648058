import { describe, expect, it } from 'vitest';
import { decodeGpkgGeometry, encodeGpkgGeometry, gpkgEnvelope, gpkgSrsId } from './gpkgGeometry';
import type { Geometry } from '../model/geojson';

const cases: Geometry[] = [
  { type: 'Point', coordinates: [115.03, 42.287] },
  { type: 'LineString', coordinates: [[115.0, 42.28], [115.01, 42.29], [115.02, 42.285]] },
  { type: 'Polygon', coordinates: [[[115, 42], [115.1, 42], [115.1, 42.1], [115, 42]]] },
  { type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] },
  { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] },
  { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] },
];

describe('GeoPackage geometry codec', () => {
  it.each(cases)('round-trips %s', (g) => {
    const blob = encodeGpkgGeometry(g);
    expect(blob[0]).toBe(0x47);
    expect(gpkgSrsId(blob)).toBe(4490);
    expect(decodeGpkgGeometry(blob)).toEqual(g);
  });

  it('writes the line envelope into the header', () => {
    const env = gpkgEnvelope(encodeGpkgGeometry(cases[1]));
    expect(env).toEqual({ minX: 115.0, maxX: 115.02, minY: 42.28, maxY: 42.29 });
  });

  it('rejects bytes that are not a GeoPackage geometry', () => {
    expect(() => decodeGpkgGeometry(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(/GP magic/);
  });
});

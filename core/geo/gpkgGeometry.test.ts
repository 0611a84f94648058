import { describe, expect, it } from 'vitest';
import { decodeGpkgGeometry, eachLineVertex, encodeGpkgGeometry, gpkgEnvelope, gpkgSrsId } from './gpkgGeometry';
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

  it('eachLineVertex reads a LineString (2-D or with Z) straight from the bytes and leaves other types to the decoder', () => {
    const line = cases[1];
    const seen: number[][] = [];
    expect(eachLineVertex(encodeGpkgGeometry(line), (x, y) => seen.push([x, y]))).toBe(true);
    expect(seen).toEqual((line as { coordinates: number[][] }).coordinates);
    // a LineString Z (ISO 1002), written by hand: header without envelope, little-endian WKB
    const wkb = new DataView(new ArrayBuffer(8 + 9 + 2 * 24));
    [0x47, 0x50, 0, 1].forEach((b, i) => wkb.setUint8(i, b));
    wkb.setInt32(4, 4490, true);
    wkb.setUint8(8, 1);
    wkb.setUint32(9, 1002, true);
    wkb.setUint32(13, 2, true);
    [1, 2, 3, 4, 5, 6].forEach((v, i) => wkb.setFloat64(17 + i * 8, v, true));
    const z: number[][] = [];
    expect(eachLineVertex(new Uint8Array(wkb.buffer), (x, y) => z.push([x, y]))).toBe(true);
    expect(z).toEqual([[1, 2], [4, 5]]);
    for (const g of [cases[0], cases[2], cases[3]]) expect(eachLineVertex(encodeGpkgGeometry(g), () => undefined)).toBe(false);
  });
});

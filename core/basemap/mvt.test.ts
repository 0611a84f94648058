import { describe, expect, it } from 'vitest';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import { decodeMvt } from './mvt';

describe('MVT decoding', () => {
  it('reads back layers, geometry types, rings and properties encoded by vt-pbf', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { class: 'park', 'name:zh': '人民公园', area: 2.5, open: true, rank: -3 }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]] } },
        { type: 'Feature', properties: { class: 'primary' }, geometry: { type: 'LineString', coordinates: [[-20, -20], [20, 20]] } },
        { type: 'Feature', properties: { name: 'P' }, geometry: { type: 'Point', coordinates: [5, 5] } },
      ],
    };
    const index = new GeoJSONVT(fc as never, { maxZoom: 0, extent: 4096, buffer: 64 });
    const tile = index.getTile(0, 0, 0)!;
    const layers = decodeMvt(fromGeojsonVt({ things: tile }, { version: 2, extent: 4096 }));
    expect(layers.map((l) => [l.name, l.extent, l.features.length])).toEqual([['things', 4096, 3]]);
    const [poly, line, point] = layers[0].features;
    expect(poly.type).toBe(3);
    expect(poly.properties).toEqual({ class: 'park', 'name:zh': '人民公园', area: 2.5, open: true, rank: -3 });
    const ring = poly.geometry[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    const xs = ring.map((p) => p[0]);
    // 0°–10° east of the zero meridian on a 4096-wide world tile.
    expect(Math.min(...xs)).toBe(2048);
    expect(Math.max(...xs)).toBe(Math.round(2048 + (10 / 360) * 4096));
    expect(line.type).toBe(2);
    expect(line.geometry[0].length).toBe(2);
    expect(point).toMatchObject({ type: 1, properties: { name: 'P' } });
    expect(point.geometry[0][0][0]).toBe(Math.round(2048 + (5 / 360) * 4096));
  });
});

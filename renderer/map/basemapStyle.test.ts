import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { buildStyle } from './style';
import { basemapStyle, type BasemapChoice } from './basemapStyle';

const vector: BasemapChoice = { id: 'gpkg:1', format: 'vector', tiles: ['http://127.0.0.1/basemap/0123456789abcdef/1/{z}/{x}/{y}'], minZoom: 10, maxZoom: 16, bounds: [114.9, 42.2, 115.1, 42.3], attribution: '示例数据' };
const online: BasemapChoice = { id: 'online:tianditu-img', format: 'raster', tiles: ['http://127.0.0.1/online/tianditu-img/0/{z}/{x}/{y}', 'http://127.0.0.1/online/tianditu-img/1/{z}/{x}/{y}'], minZoom: 0, maxZoom: 18, attribution: '© 天地图' };

function withBasemap(choice: BasemapChoice, muted: boolean) {
  const style = buildStyle({ theme: 'age', glyphsUrl: 'http://127.0.0.1/glyphs/{fontstack}/{range}.pbf' });
  const b = basemapStyle(choice, { opacity: 0.7, muted });
  return { ...style, sources: { ...style.sources, ...b.sources }, layers: [style.layers[0], ...b.layers, ...style.layers.slice(1)] };
}

describe('basemap style', () => {
  it.each([
    ['vector', vector, false],
    ['vector muted', vector, true],
    ['online raster with annotation', online, false],
    ['online raster muted', online, true],
  ] as const)('%s is valid with the project style', (_name, choice, muted) => {
    expect(validateStyleMin(withBasemap(choice, muted) as never)).toEqual([]);
  });

  it('labels in Chinese first, opacity on every layer, muted rasters grey and lighter', () => {
    const v = basemapStyle(vector, { opacity: 0.5, muted: false });
    const road = v.layers.find((l) => l.id.endsWith('road-name'))!;
    expect(JSON.stringify(road.layout)).toContain('["coalesce",["get","name:zh"],["get","name"]]');
    for (const l of v.layers) expect(JSON.stringify(l.paint)).toContain('0.5');
    const m = basemapStyle(online, { opacity: 1, muted: true });
    expect(m.layers).toHaveLength(2);
    expect(m.layers[0].paint).toMatchObject({ 'raster-saturation': -1 });
    expect((m.layers[0].paint as Record<string, number>)['raster-brightness-min']).toBeGreaterThan(0.2);
    expect(basemapStyle(null, { opacity: 1, muted: false })).toEqual({ sources: {}, layers: [] });
  });
});

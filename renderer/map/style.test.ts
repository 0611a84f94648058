import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { THEME_IDS } from '../../core/style/themes';
import { buildStyle, MAP_LAYERS, OPEN_VALVES_MIN_ZOOM, PICKABLE } from './style';

describe('map style', () => {
  it.each(THEME_IDS)('the whole style with theme %s is valid', (theme) => {
    const style = buildStyle({ theme, glyphsUrl: 'http://127.0.0.1/glyphs/{fontstack}/{range}.pbf' });
    expect(validateStyleMin(style as never)).toEqual([]);
  });
  it('every map layer named for a project layer exists', () => {
    const ids = new Set(buildStyle({ theme: 'age', glyphsUrl: 'x/{fontstack}/{range}.pbf' }).layers.map((l) => l.id));
    for (const l of Object.values(MAP_LAYERS).flat()) expect(ids.has(l)).toBe(true);
    for (const p of PICKABLE) expect(ids.has(p.mapLayer)).toBe(true);
  });
  it('hidden layers are built with visibility none', () => {
    const s = buildStyle({ theme: 'age', glyphsUrl: 'x/{fontstack}/{range}.pbf', visible: { pipes: false } });
    const pipes = s.layers.filter((l) => l.id.startsWith('pipes-'));
    expect(pipes.every((l) => (l.layout as { visibility?: string }).visibility === 'none')).toBe(true);
  });
  it('no layer lays out features only to draw them transparent', () => {
    // an opacity that can be 0 means features are cut, laid out and drawn for nothing: a filter or a minzoom says it instead
    const outputs = (e: unknown): unknown[] => {
      if (!Array.isArray(e)) return [e];
      const [op, ...rest] = e as [string, ...unknown[]];
      if (op === 'step') return rest.slice(1).filter((_, i) => i % 2 === 0).flatMap(outputs);
      if (op === 'match') return [...rest.slice(1, -1).filter((_, i) => i % 2 === 1), rest[rest.length - 1]].flatMap(outputs);
      if (op === 'case') return [...rest.slice(0, -1).filter((_, i) => i % 2 === 1), rest[rest.length - 1]].flatMap(outputs);
      if (op === 'interpolate') return rest.slice(2).filter((_, i) => i % 2 === 1).flatMap(outputs);
      return [e];
    };
    for (const l of buildStyle({ theme: 'age', glyphsUrl: 'x/{fontstack}/{range}.pbf' }).layers)
      for (const [k, v] of Object.entries(l.paint ?? {})) if (k.endsWith('-opacity')) expect(outputs(v), `${l.id} ${k}`).not.toContain(0);
  });
  it('open valve wells are laid out from street level on, closed ones at every zoom', () => {
    const layers = buildStyle({ theme: 'age', glyphsUrl: 'x/{fontstack}/{range}.pbf' }).layers.filter((l) => 'source' in l && l.source === 'valves');
    expect(layers.map((l) => [l.id, l.minzoom])).toEqual([['valves-open', OPEN_VALVES_MIN_ZOOM], ['valves-closed', undefined]]);
    expect(layers.map((l) => (l as { filter?: unknown }).filter)).toEqual([['!=', ['get', 'state'], 'closed'], ['==', ['get', 'state'], 'closed']]);
  });
});

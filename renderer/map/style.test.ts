import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { THEME_IDS } from '../../core/style/themes';
import { buildStyle, MAP_LAYERS, PICKABLE } from './style';

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
});

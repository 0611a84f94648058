import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from './geojson';
import { featureCode, patchCollection } from './collection';

const pipe = (id: string, dn: number) => ({ type: 'Feature' as const, id, geometry: { type: 'LineString' as const, coordinates: [[0, 0], [1, dn]] }, properties: { id, dn } });
const fc = (...features: ReturnType<typeof pipe>[]): FeatureCollection => ({ type: 'FeatureCollection', name: 'pipes', features }) as FeatureCollection;

describe('patchCollection', () => {
  it('puts written features in place, appends new ones, leaves removed ones out and keeps every other object', () => {
    const a = pipe('P-1', 100), b = pipe('P-2', 150), c = pipe('P-3', 200);
    const prev = fc(a, b, c);
    const b2 = pipe('P-2', 300), d = pipe('P-4', 80);
    const next = patchCollection(prev, [d, b2], ['P-3']);
    expect(next.features.map(featureCode)).toEqual(['P-1', 'P-2', 'P-4']);
    expect(next.features[0]).toBe(a);
    expect(next.features[1]).toBe(b2);
    expect(next.name).toBe('pipes');
    // the collection read before is not touched
    expect(prev.features.map((f) => f.properties.dn)).toEqual([100, 150, 200]);
  });

  it('reads a code that is both written and listed as removed (renamed back and forth) as written', () => {
    const a = pipe('P-1', 100);
    const a2 = pipe('P-1', 125);
    expect(patchCollection(fc(a), [a2], ['P-1']).features).toEqual([a2]);
  });

  it('takes the code from the id property when a feature has no id', () => {
    const bare = { type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [0, 0] }, properties: { id: 'V-1' } };
    expect(featureCode(bare as never)).toBe('V-1');
    expect(patchCollection({ type: 'FeatureCollection', features: [bare] } as FeatureCollection, [], ['V-1']).features).toEqual([]);
  });
});

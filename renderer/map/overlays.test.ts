import { describe, expect, it } from 'vitest';
import { overlayDiff, type MapOverlay } from './overlays';

const fc = { type: 'FeatureCollection' as const, features: [] };
const overlay = (sources: string[], layers: [string, string][]): MapOverlay => ({
  sources: Object.fromEntries(sources.map((s) => [s, fc])),
  layers: layers.map(([id, source]) => ({ id, type: 'line', source }) as MapOverlay['layers'][number]),
});

describe('overlay registration', () => {
  it('replacing an overlay removes the layers and sources it no longer declares and keeps the rest in order', () => {
    const a = overlay(['s1', 's2'], [['l1', 's1'], ['l2', 's2'], ['l3', 's2']]);
    const b = overlay(['s2', 's3'], [['l3', 's2'], ['l4', 's3']]);
    const d = overlayDiff(a, b);
    expect(d.removeLayers).toEqual(['l1', 'l2']);
    expect(d.removeSources).toEqual(['s1']);
    expect(d.sources).toEqual(['s2', 's3']);
    expect(d.layers.map((l) => l.id)).toEqual(['l3', 'l4']);
  });

  it('clearing removes everything; registering the first adds everything', () => {
    const a = overlay(['s1'], [['l1', 's1']]);
    expect(overlayDiff(a, null)).toEqual({ removeLayers: ['l1'], removeSources: ['s1'], sources: [], tiles: [], layers: [] });
    const d = overlayDiff(null, a);
    expect(d.removeLayers).toEqual([]);
    expect(d.sources).toEqual(['s1']);
    expect(d.layers.map((l) => l.id)).toEqual(['l1']);
  });
});

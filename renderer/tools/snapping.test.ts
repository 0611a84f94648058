import { describe, expect, it } from 'vitest';
import { candidatesFrom, networkSnapper } from './snapping';

const pipe = (id: string, coordinates: number[][]) => ({ properties: { id }, geometry: { type: 'LineString', coordinates } });
const pt = (id: string, c: number[]) => ({ properties: { id }, geometry: { type: 'Point', coordinates: c } });
// Terra Draw hands (lng, lat) → pixels; here 1 degree = 10,000 px.
const ctx = { project: (lng: number, lat: number) => ({ x: (lng - 115) * 10_000, y: (42.3 - lat) * 10_000 }) };

describe('networkSnapper', () => {
  const cands = candidatesFrom([pipe('P1', [[115.01, 42.29], [115.02, 42.29], [115.03, 42.29]])], [pt('V1', [115.015, 42.295])]);
  it('moves a click near a pipe end exactly onto it', () => {
    const snap = networkSnapper(() => cands, () => 12);
    expect(snap({ containerX: 105, containerY: 96 }, ctx)).toEqual([115.01, 42.29]);
  });
  it('reports what it snapped to, and nothing beyond the tolerance', () => {
    const seen: unknown[] = [];
    const snap = networkSnapper(() => cands, () => 12, (t) => seen.push(t?.kind ?? null));
    expect(snap({ containerX: 203, containerY: 100 }, ctx)).toEqual([115.02, 42.29]);
    expect(snap({ containerX: 150, containerY: 20 }, ctx)).toBeUndefined();
    expect(seen).toEqual(['vertex', null]);
  });
  it('takes a valve as a node', () => {
    const snap = networkSnapper(() => cands, () => 12);
    expect(snap({ containerX: 151, containerY: 52 }, ctx)).toEqual([115.015, 42.295]);
  });
});

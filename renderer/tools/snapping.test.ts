import { describe, expect, it } from 'vitest';
import { candidatesFrom, clampSnapPx, DEFAULT_SNAP_PX, loadSnapPx, networkSnapper, saveSnapPx, SNAP_PX_KEY } from './snapping';

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

describe('snap tolerance preference', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
  };
  it('defaults to 12 px when nothing is stored or storage is missing', () => {
    expect(DEFAULT_SNAP_PX).toBe(12);
    expect(loadSnapPx(memory())).toBe(12);
    expect(loadSnapPx(undefined)).toBe(12);
    expect(loadSnapPx({ getItem: () => { throw new Error('denied'); } })).toBe(12);
  });
  it('keeps what the user set, clamped to whole pixels in 2..40', () => {
    const s = memory();
    expect(saveSnapPx(s, '20')).toBe(20);
    expect(s.m.get(SNAP_PX_KEY)).toBe('20');
    expect(loadSnapPx(s)).toBe(20);
    expect(saveSnapPx(s, 500)).toBe(40);
    expect(loadSnapPx(s)).toBe(40);
    expect(clampSnapPx(0)).toBe(2);
    expect(clampSnapPx(7.6)).toBe(8);
    expect(clampSnapPx('abc')).toBe(12);
    expect(clampSnapPx('')).toBe(12);
  });
  it('a smaller tolerance no longer snaps what a larger one did', () => {
    let px = 12;
    const snap = networkSnapper(() => cands2, () => px);
    expect(snap({ containerX: 104, containerY: 108 }, ctx)).toEqual([115.01, 42.29]);
    px = 5;
    expect(snap({ containerX: 104, containerY: 108 }, ctx)).toBeUndefined();
  });
});

const cands2 = candidatesFrom([pipe('P1', [[115.01, 42.29], [115.02, 42.29], [115.03, 42.29]])], []);

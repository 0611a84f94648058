import { describe, expect, it } from 'vitest';
import { homeBBox, homeView } from './home';
import { DEFAULT_SETTINGS } from '../model/settings';

describe('the view of a project with no features', () => {
  it('comes from the settings, not from a town in the code', () => {
    const s = { ...DEFAULT_SETTINGS, mapHomeLon: 87.6, mapHomeLat: 43.8, mapHomeZoom: 10 };
    expect(homeView(s)).toEqual({ center: [87.6, 43.8], zoom: 10 });
    const b = homeBBox(s);
    expect((b[0] + b[2]) / 2).toBeCloseTo(87.6, 9);
    expect((b[1] + b[3]) / 2).toBeCloseTo(43.8, 9);
    // One zoom level in halves the span.
    const b11 = homeBBox({ ...s, mapHomeZoom: 11 });
    expect(b11[2] - b11[0]).toBeCloseTo((b[2] - b[0]) / 2, 9);
  });

});

describe('clamp and the nearest point on a segment', () => {
  it('holds values in range and finds t on the segment', async () => {
    const { segmentT } = await import('../geo/clamp');
    const { clamp } = await import('../format/number');
    expect([clamp(-1, 0, 1), clamp(0.25, 0, 1), clamp(7, 0, 1)]).toEqual([0, 0.25, 1]);
    expect(segmentT(5, 3, 0, 0, 10, 0)).toBe(0.5);
    expect(segmentT(-4, 1, 0, 0, 10, 0)).toBe(0);
    expect(segmentT(14, 1, 0, 0, 10, 0)).toBe(1);
    expect(segmentT(3, 3, 1, 1, 0, 0)).toBe(0);
  });
});

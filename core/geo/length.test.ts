import { describe, expect, it } from 'vitest';
import { distanceM, lineLengthM, destination } from './length';

describe('geodesic length', () => {
  it('matches GeodSolve for a 1° meridian arc near Mingantu', () => {
    // GeodSolve -i <<< "42 115 43 115" → 111083.0045 m (WGS84)
    expect(distanceM([115, 42], [115, 43])).toBeCloseTo(111083.0045, 3);
  });

  it('sums segments of a polyline', () => {
    const a = [115.03, 42.287];
    const b = destination(a, 90, 500);
    const c = destination(b, 0, 300);
    expect(lineLengthM([a, b, c])).toBeCloseTo(800, 6);
  });
});

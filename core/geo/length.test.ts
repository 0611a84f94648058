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

describe('short lines (the chord method) against GeodSolve', () => {
  it('agrees to a micrometre on 400 segments of 0.1 m – 5 km around China, and the exact inverse takes over beyond', async () => {
    const { execFileSync } = await import('node:child_process');
    const { seededRandom } = await import('../random');
    const rnd = seededRandom(7);
    const pairs: [number, number, number, number][] = [];
    for (let i = 0; i < 400; i++) {
      const lon = 73 + rnd() * 62;
      const lat = 18 + rnd() * 35;
      const d = 10 ** (-6 + rnd() * 5.6); // degrees: 0.1 m … ~5 km
      pairs.push([lon, lat, lon + (rnd() - 0.5) * d, lat + (rnd() - 0.5) * d]);
    }
    pairs.push([115, 42, 115.2, 42.1]); // beyond the short-line range
    const out = execFileSync('GeodSolve', ['-i', '-p', '9'], { input: pairs.map((p) => `${p[1]} ${p[0]} ${p[3]} ${p[2]}`).join('\n') + '\n', encoding: 'utf8' });
    const ref = out.trim().split('\n').map((l) => Number(l.trim().split(/\s+/)[2]));
    pairs.forEach((p, i) => expect(Math.abs(distanceM([p[0], p[1]], [p[2], p[3]]) - ref[i]), `pair ${i}`).toBeLessThan(1e-6));
  });
});

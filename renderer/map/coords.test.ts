import { describe, expect, it } from 'vitest';
import { formatCursor, toGaussKruger } from './coords';

describe('cursor read-out', () => {
  it('projects (115, 42.29) to CGCS2000 GK CM 114° as PROJ does', () => {
    const [e, n] = toGaussKruger(115, 42.29);
    expect(e).toBeCloseTo(582473.92, 2);
    expect(n).toBeCloseTo(4684333.263, 2);
  });
  it('formats surveyors’ X (northing) and Y (easting)', () => {
    const f = formatCursor(115, 42.29);
    expect(f.gk).toBe('X 4684333.26  Y 582473.92');
    expect(f.lonLat).toBe('115.000000°E 42.290000°N');
  });
});

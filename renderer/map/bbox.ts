/** Extents without the map (usable by panels and tests that do not load MapLibre). */
import type { BBox, Position } from '../../core/model/geojson';

/** Bounding box of nested coordinate arrays of any geometry. */
export function bboxOf(coords: unknown): BBox | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as Position;
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk(coords);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

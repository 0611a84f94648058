/** The parameter of the nearest point on a segment (built on the one clamp, core/format/number.ts). */
import { clamp } from '../format/number';

/**
 * Where on the segment from (ax, ay) along (dx, dy) the point (px, py) is
 * nearest, as t in [0, 1] (0 for a segment of no length).
 */
export function segmentT(px: number, py: number, ax: number, ay: number, dx: number, dy: number): number {
  const len2 = dx * dx + dy * dy;
  return len2 > 0 ? clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0, 1) : 0;
}

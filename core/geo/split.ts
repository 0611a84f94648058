/**
 * Splitting a pipe at a point: the point is projected onto the nearest
 * segment (in a local metric frame, so east–west and north–south distances
 * weigh the same), and the line is cut there into two lines that share that
 * exact position, so the network joins them again at one node.
 */
import type { Position } from '../model/geojson';
import { clamp } from '../format/number';

export interface SplitResult {
  first: Position[];
  second: Position[];
  /** The cut position (on the line). */
  at: Position;
  /** Distance from the given point to the line, metres (approximate, local frame). */
  offsetM: number;
}

const M_PER_DEG_LAT = 111_320;

/** Nearest point on a polyline to p: segment index, parameter and position. */
export function nearestOnLine(coords: readonly Position[], p: Position): { segment: number; t: number; at: Position; offsetM: number } {
  const kx = M_PER_DEG_LAT * Math.cos((p[1] * Math.PI) / 180);
  const ky = M_PER_DEG_LAT;
  let best = { segment: 0, t: 0, at: coords[0] as Position, offsetM: Infinity };
  for (let i = 1; i < coords.length; i++) {
    const a = coords[i - 1];
    const b = coords[i];
    const ax = (a[0] - p[0]) * kx, ay = (a[1] - p[1]) * ky;
    const bx = (b[0] - p[0]) * kx, by = (b[1] - p[1]) * ky;
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : clamp(-(ax * dx + ay * dy) / len2, 0, 1);
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d < best.offsetM) best = { segment: i - 1, t, at: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], offsetM: d };
  }
  return best;
}

/**
 * Cut a line at the point nearest to `p`. Returns null when the cut would
 * fall on (or within `minPieceM` metres of) either end, where there is
 * nothing to split.
 */
export function splitLineAt(coords: readonly Position[], p: Position, minPieceM = 0.01): SplitResult | null {
  if (coords.length < 2) return null;
  const n = nearestOnLine(coords, p);
  const at: Position = n.t === 0 ? coords[n.segment] : n.t === 1 ? coords[n.segment + 1] : n.at;
  const kx = M_PER_DEG_LAT * Math.cos((p[1] * Math.PI) / 180);
  const dist = (a: Position, b: Position) => Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * M_PER_DEG_LAT);
  if (dist(at, coords[0]) < minPieceM || dist(at, coords[coords.length - 1]) < minPieceM) return null;
  const first: Position[] = coords.slice(0, n.segment + 1).map((c) => [c[0], c[1]]);
  const second: Position[] = coords.slice(n.segment + 1).map((c) => [c[0], c[1]]);
  // A cut exactly on an interior vertex keeps that vertex once in each piece.
  if (dist(first[first.length - 1], at) > 0) first.push([at[0], at[1]]);
  if (dist(second[0], at) > 0) second.unshift([at[0], at[1]]);
  return { first, second, at: [at[0], at[1]], offsetM: n.offsetM };
}

/**
 * Snapping for the drawing tools, decided in screen pixels: a cursor within
 * the tolerance of a network node (pipe end, valve, station, source) takes
 * its exact position, else of a pipe vertex, else of a point on a pipe.
 * Nodes win over vertices over lines even when slightly farther, because a
 * planner aiming near a junction means the junction. The map is injected as
 * `project`, so this runs (and is tested) without one.
 */
import type { Position } from '../model/geojson';
import { clamp } from '../format/number';

/** lon/lat → screen pixels (the map's `project`). */
export type Project = (lngLat: Position) => { x: number; y: number };

/** A thing to snap to, with the position it gives. */
export type SnapKind = 'node' | 'vertex' | 'line';

export interface SnapTarget {
  kind: SnapKind;
  position: Position;
  /** Pipe (or point feature) it belongs to. */
  featureId: string;
  /** For 'line': the segment index (vertex i to i+1); for 'vertex': the vertex index. */
  index?: number;
}

export interface SnapCandidates {
  /** Points that are network nodes: pipe ends and point features. */
  nodes: { position: Position; featureId: string }[];
  /** Pipes, for their interior vertices and segments. */
  lines: { coordinates: Position[]; featureId: string }[];
}

/** Nodes, vertices and lines of a set of pipes and point features. */
export function snapCandidates(
  pipes: readonly { id: string; coordinates: Position[] }[],
  points: readonly { id: string; position: Position }[] = [],
): SnapCandidates {
  const nodes: SnapCandidates['nodes'] = [];
  for (const p of pipes) {
    if (p.coordinates.length < 2) continue;
    nodes.push({ position: p.coordinates[0], featureId: p.id });
    nodes.push({ position: p.coordinates[p.coordinates.length - 1], featureId: p.id });
  }
  for (const pt of points) nodes.push({ position: pt.position, featureId: pt.id });
  return { nodes, lines: pipes.map((p) => ({ coordinates: p.coordinates, featureId: p.id })) };
}

/** Closest point to p on segment ab, all in pixels; t in [0,1] along ab. */
export function closestOnSegment(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): { t: number; d: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0, 1);
  const x = a.x + t * dx;
  const y = a.y + t * dy;
  return { t, d: Math.hypot(p.x - x, p.y - y) };
}

/**
 * The snap target for a cursor at screen point `cursor`, or null when
 * nothing is within `tolerancePx`. `toLine` off leaves only nodes and vertices.
 */
export function snapAt(
  cursor: { x: number; y: number },
  candidates: SnapCandidates,
  project: Project,
  tolerancePx: number,
  opts: { toLine?: boolean } = {},
): SnapTarget | null {
  let best: SnapTarget | null = null;
  let bestD = Infinity;
  for (const n of candidates.nodes) {
    const s = project(n.position);
    const d = Math.hypot(s.x - cursor.x, s.y - cursor.y);
    if (d <= tolerancePx && d < bestD) {
      bestD = d;
      best = { kind: 'node', position: [n.position[0], n.position[1]], featureId: n.featureId };
    }
  }
  if (best) return best;
  for (const l of candidates.lines) {
    for (let i = 1; i < l.coordinates.length - 1; i++) {
      const s = project(l.coordinates[i]);
      const d = Math.hypot(s.x - cursor.x, s.y - cursor.y);
      if (d <= tolerancePx && d < bestD) {
        bestD = d;
        best = { kind: 'vertex', position: [l.coordinates[i][0], l.coordinates[i][1]], featureId: l.featureId, index: i };
      }
    }
  }
  if (best || opts.toLine === false) return best;
  for (const l of candidates.lines) {
    let prev = project(l.coordinates[0]);
    for (let i = 1; i < l.coordinates.length; i++) {
      const cur = project(l.coordinates[i]);
      const { t, d } = closestOnSegment(cursor, prev, cur);
      if (d <= tolerancePx && d < bestD) {
        bestD = d;
        const a = l.coordinates[i - 1];
        const b = l.coordinates[i];
        // Interpolating lon/lat linearly is exact enough over one segment of a town's pipe (metres).
        best = { kind: 'line', position: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], featureId: l.featureId, index: i - 1 };
      }
      prev = cur;
    }
  }
  return best;
}

/**
 * Phase 1 of the graph build, snap: the pipes' vertices in local metres, and
 * a node for every pipe end, ends within the snap tolerance of an earlier
 * node taking that node.
 */
import type { Settings } from '../../model/settings';
import type { Feature, LineStringGeom } from '../../model/types';
import { localProjection, type LocalProjection } from './base';
import { NodeSet } from './nodes';

/** Every pipe's vertices, flat: pipe i has vertices [start[i], start[i + 1]). */
export interface PipeVertices {
  proj: LocalProjection;
  start: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

export interface Snapped {
  nodes: NodeSet;
  /** Node at each pipe's start / end; -1 for a pipe with fewer than two vertices. */
  pipeStartNode: Int32Array;
  pipeEndNode: Int32Array;
  /** Nodes made so far, all pipe ends (later phases add nodes inside pipes). */
  endNodeCount: number;
}

const coordsOf = (p: Feature) => (p.geometry as LineStringGeom)?.coordinates ?? [];

/** The vertices of `pipes` in the local projection centred on their bounding box. */
export function pipeVertices(pipes: readonly Feature[]): PipeVertices {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  let count = 0;
  for (const p of pipes) {
    const c = coordsOf(p);
    count += c.length;
    for (const q of c) {
      if (q[0] < minLon) minLon = q[0];
      if (q[0] > maxLon) maxLon = q[0];
      if (q[1] < minLat) minLat = q[1];
      if (q[1] > maxLat) maxLat = q[1];
    }
  }
  if (!Number.isFinite(minLon)) {
    // No vertices at all: the local projection is never asked for a point; any origin will do.
    minLon = maxLon = 0;
    minLat = maxLat = 0;
  }
  const proj = localProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
  const start = new Int32Array(pipes.length + 1);
  const lon = new Float64Array(count);
  const lat = new Float64Array(count);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < pipes.length; i++) {
    start[i] = k;
    for (const q of coordsOf(pipes[i])) {
      lon[k] = q[0];
      lat[k] = q[1];
      x[k] = (q[0] - proj.lon0) * proj.kx;
      y[k] = (q[1] - proj.lat0) * proj.ky;
      k++;
    }
  }
  start[pipes.length] = k;
  return { proj, start, lon, lat, x, y };
}

/**
 * Nodes for the pipe ends. The node hash's cell is the larger tolerance, as
 * attaching asks it too; `expectedNodes` sizes the arrays (they grow).
 */
export function snapPipeEnds(v: PipeVertices, settings: Pick<Settings, 'snapToleranceM' | 'attachToleranceM'>, expectedNodes = 0): Snapped {
  const pipeCount = v.start.length - 1;
  const snapTol = settings.snapToleranceM;
  const nodes = new NodeSet(Math.max(snapTol, settings.attachToleranceM, 1e-3), Math.max(expectedNodes, pipeCount * 2));
  const snap = (k: number): number => {
    const hit = nodes.nearest(v.x[k], v.y[k], snapTol);
    return hit.node >= 0 ? hit.node : nodes.add(v.lon[k], v.lat[k], v.x[k], v.y[k]);
  };
  const pipeStartNode = new Int32Array(pipeCount).fill(-1);
  const pipeEndNode = new Int32Array(pipeCount).fill(-1);
  for (let i = 0; i < pipeCount; i++) {
    const a = v.start[i];
    const b = v.start[i + 1];
    if (b - a < 2) continue;
    pipeStartNode[i] = snap(a);
    pipeEndNode[i] = snap(b - 1);
  }
  return { nodes, pipeStartNode, pipeEndNode, endNodeCount: nodes.count };
}

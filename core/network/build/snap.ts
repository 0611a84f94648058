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

/**
 * The vertices of `pipes` in the local projection centred on their bounding
 * box. One walk over the features (lon/lat and the box together), then the
 * projection over the flat arrays.
 */
export function pipeVertices(pipes: readonly Feature[]): PipeVertices {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  const start = new Int32Array(pipes.length + 1);
  let lon = new Float64Array(Math.max(16, pipes.length * 2));
  let lat = new Float64Array(lon.length);
  let k = 0;
  for (let i = 0; i < pipes.length; i++) {
    start[i] = k;
    const c = coordsOf(pipes[i]);
    if (k + c.length > lon.length) {
      const cap = Math.max(lon.length * 2, k + c.length);
      const grownLon = new Float64Array(cap);
      const grownLat = new Float64Array(cap);
      grownLon.set(lon);
      grownLat.set(lat);
      lon = grownLon;
      lat = grownLat;
    }
    for (let j = 0; j < c.length; j++) {
      const q = c[j];
      const a = q[0];
      const b = q[1];
      if (a < minLon) minLon = a;
      if (a > maxLon) maxLon = a;
      if (b < minLat) minLat = b;
      if (b > maxLat) maxLat = b;
      lon[k] = a;
      lat[k] = b;
      k++;
    }
  }
  start[pipes.length] = k;
  if (!Number.isFinite(minLon)) {
    // No vertices at all: the local projection is never asked for a point; any origin will do.
    minLon = maxLon = 0;
    minLat = maxLat = 0;
  }
  const proj = localProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
  if (k < lon.length) {
    lon = lon.slice(0, k);
    lat = lat.slice(0, k);
  }
  const x = new Float64Array(k);
  const y = new Float64Array(k);
  const { lon0, lat0, kx, ky } = proj;
  for (let j = 0; j < k; j++) {
    x[j] = (lon[j] - lon0) * kx;
    y[j] = (lat[j] - lat0) * ky;
  }
  return { proj, start, lon, lat, x, y };
}

/**
 * Nodes for the pipe ends. The node hash's cell follows the larger tolerance,
 * as attaching asks it too; `expectedNodes` sizes the arrays (they grow; pipe
 * ends mostly meet, so a network has about as many nodes as pipes).
 */
export function snapPipeEnds(v: PipeVertices, settings: Pick<Settings, 'snapToleranceM' | 'attachToleranceM'>, expectedNodes = 0): Snapped {
  const pipeCount = v.start.length - 1;
  const snapTol = settings.snapToleranceM;
  // Cells four times the larger tolerance: most look-ups then stay in one cell (the answer is the same for any cell size).
  const nodes = new NodeSet(4 * Math.max(snapTol, settings.attachToleranceM, 1e-3), Math.max(expectedNodes, pipeCount + 1));
  const { x, y, lon, lat } = v;
  const snap = (k: number): number => {
    const hit = nodes.nearestNode(x[k], y[k], snapTol);
    return hit >= 0 ? hit : nodes.add(lon[k], lat[k], x[k], y[k]);
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

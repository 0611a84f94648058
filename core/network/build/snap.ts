/**
 * Phase 1 of the graph build, snap: the pipes read once into flat columns
 * (their vertices in local metres and lon/lat, and the few properties later
 * phases ask), and a node for every pipe end, ends within the snap tolerance
 * of an earlier node taking that node.
 */
import type { Settings } from '../../model/settings';
import type { Feature, LineStringGeom } from '../../model/types';
import { Arena, plainArena } from './arena';
import { levelCode, localProjection, type LocalProjection } from './base';
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

/** What the later phases read of each pipe's properties. */
export interface PipeColumns extends PipeVertices {
  /** levelCode of its level. */
  level: Uint8Array;
  /** Its stored length_m where that is a number ≥ 0, else -1 (measured from the vertices). */
  storedLengthM: Float64Array;
  /** 1 when its status is in service (pipeInService). */
  inService: Uint8Array;
  /** String(id) of each pipe. */
  ids: string[];
}

export interface Snapped {
  nodes: NodeSet;
  /** Node at each pipe's start / end; -1 for a pipe with fewer than two vertices. */
  pipeStartNode: Int32Array;
  pipeEndNode: Int32Array;
  /** Nodes made so far, all pipe ends (later phases add nodes inside pipes). */
  endNodeCount: number;
}

/**
 * The pipes in one walk over the features: vertices (lon/lat and their box),
 * level, stored length, status and id; then the local projection centred on
 * the box over the flat arrays. `vertexGuess` sizes the vertex arrays (they
 * grow past it).
 */
export function readPipes(pipes: readonly Feature[], arena: Arena = plainArena(), vertexGuess = 2 * pipes.length): PipeColumns {
  const n = pipes.length;
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  const start = arena.i32(n + 1);
  const level = arena.u8(n);
  const storedLengthM = arena.f64(n);
  const inService = arena.u8(n);
  const ids: string[] = [];
  let lon = arena.f64(Math.max(16, vertexGuess));
  let lat = arena.f64(lon.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const f = pipes[i];
    start[i] = k;
    ids.push(String(f.id));
    const p = f.properties;
    level[i] = levelCode(p?.level);
    const stored = p?.length_m;
    storedLengthM[i] = typeof stored === 'number' && stored >= 0 ? stored : -1;
    const s = p?.status;
    inService[i] = s === undefined || s === null || s === '' || s === 'in_service' ? 1 : 0;
    const c = (f.geometry as LineStringGeom | null)?.coordinates ?? [];
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
  start[n] = k;
  if (!Number.isFinite(minLon)) {
    // No vertices at all: the local projection is never asked for a point; any origin will do.
    minLon = maxLon = 0;
    minLat = maxLat = 0;
  }
  const proj = localProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
  lon = lon.subarray(0, k);
  lat = lat.subarray(0, k);
  const x = arena.f64(k);
  const y = arena.f64(k);
  const { lon0, lat0, kx, ky } = proj;
  for (let j = 0; j < k; j++) {
    x[j] = (lon[j] - lon0) * kx;
    y[j] = (lat[j] - lat0) * ky;
  }
  return { proj, start, lon, lat, x, y, level, storedLengthM, inService, ids };
}

/** The vertices of `pipes` in the local projection centred on their bounding box. */
export function pipeVertices(pipes: readonly Feature[]): PipeVertices {
  return readPipes(pipes);
}

/**
 * Nodes for the pipe ends. The node hash's cell follows the larger tolerance,
 * as attaching asks it too. `expectedNodes` sizes the hash (it grows; pipe
 * ends mostly meet, so a network has about as many nodes as pipes) and
 * `maxNodes` the node arrays (they grow past it).
 */
export function snapPipeEnds(
  v: PipeVertices,
  settings: Pick<Settings, 'snapToleranceM' | 'attachToleranceM'>,
  expectedNodes = 0,
  arenas: { kept: Arena; scratch: Arena; maxNodes: number } = { kept: plainArena(), scratch: plainArena(), maxNodes: 0 },
): Snapped {
  const pipeCount = v.start.length - 1;
  const snapTol = settings.snapToleranceM;
  const expected = Math.max(expectedNodes, pipeCount + 1);
  // Cells four times the larger tolerance: most look-ups then stay in one cell (the answer is the same for any cell size).
  const nodes = new NodeSet(4 * Math.max(snapTol, settings.attachToleranceM, 1e-3), Math.max(expected, arenas.maxNodes), expected, arenas.kept, arenas.scratch);
  const { x, y, lon, lat, start } = v;
  const pipeStartNode = arenas.kept.i32(pipeCount).fill(-1);
  const pipeEndNode = arenas.kept.i32(pipeCount).fill(-1);
  // The two ends of the pipe before and the nodes they took: pipes drawn one after another
  // mostly start where the one before started or ended. A point equal to one of them takes its
  // node when that node lies exactly there: no node can be nearer, and any made since has a
  // higher index (so cannot win the tie).
  let ax0 = NaN, ay0 = NaN, an0 = -1, ax1 = NaN, ay1 = NaN, an1 = -1;
  const remember = snapTol >= 0;
  for (let i = 0; i < pipeCount; i++) {
    const a = start[i];
    const b = start[i + 1] - 1;
    if (b - a < 1) continue;
    const xa = x[a], ya = y[a], xb = x[b], yb = y[b];
    let na: number;
    if (xa === ax0 && ya === ay0 && an0 >= 0) na = an0;
    else if (xa === ax1 && ya === ay1 && an1 >= 0) na = an1;
    else {
      const hit = nodes.nearestNode(xa, ya, snapTol);
      na = hit >= 0 ? hit : nodes.add(lon[a], lat[a], xa, ya);
    }
    let nb: number;
    if (xb === ax0 && yb === ay0 && an0 >= 0) nb = an0;
    else if (xb === ax1 && yb === ay1 && an1 >= 0) nb = an1;
    else {
      const hit = nodes.nearestNode(xb, yb, snapTol);
      nb = hit >= 0 ? hit : nodes.add(lon[b], lat[b], xb, yb);
    }
    pipeStartNode[i] = na;
    pipeEndNode[i] = nb;
    ax0 = xa;
    ay0 = ya;
    an0 = remember && nodes.x[na] === xa && nodes.y[na] === ya ? na : -1;
    ax1 = xb;
    ay1 = yb;
    an1 = remember && nodes.x[nb] === xb && nodes.y[nb] === yb ? nb : -1;
  }
  return { nodes, pipeStartNode, pipeEndNode, endNodeCount: nodes.count };
}

/**
 * Phase 3 of the graph build, split at valves: each pipe becomes one edge
 * between its end nodes, or, where phase 2 made nodes inside it (a valve, a
 * station or a source on it), one edge per piece between them. Every edge
 * points back at its pipe; a pipe's edges are consecutive.
 */
import { lonLatDistanceM } from '../../geo/length';
import type { Feature } from '../../model/types';
import { Arena, plainArena } from './arena';
import type { Split } from './attach';
import type { NodeSet } from './nodes';
import { readPipes, type PipeColumns } from './snap';

export interface Edges {
  edgeCount: number;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Index into the pipes. */
  edgePipe: Int32Array;
  edgeLengthM: Float64Array;
  edgeLevel: Uint8Array;
  /** pipe → its edges (CSR): pipe i has edges [pipeEdgeStart[i], pipeEdgeStart[i + 1]). Pipes with broken geometry have none. */
  pipeEdgeStart: Int32Array;
  pipeEdge: Int32Array;
}

/**
 * The edges of the pipes (their features, or their columns as readPipes
 * gives them), whose ends are the snapped nodes and whose interior nodes are
 * `splits` (sorted here along each pipe). A whole pipe's length is its stored
 * `length_m` where present (the store writes the geodesic length on every
 * write), a piece's is measured.
 */
export function splitAtValves(
  pipes: readonly Feature[] | Pick<PipeColumns, 'start' | 'lon' | 'lat' | 'level' | 'storedLengthM'>,
  pipeStartNode: Int32Array,
  pipeEndNode: Int32Array,
  nodes: Pick<NodeSet, 'lon' | 'lat'>,
  splits: ReadonlyMap<number, Split[]>,
  arena: Arena = plainArena(),
): Edges {
  const { start, lon, lat, level, storedLengthM } = Array.isArray(pipes) ? readPipes(pipes as readonly Feature[]) : (pipes as PipeColumns);
  const pipeCount = start.length - 1;
  let edgeCount = 0;
  for (let i = 0; i < pipeCount; i++) if (pipeStartNode[i] >= 0) edgeCount += 1;
  for (const [i, list] of splits) if (pipeStartNode[i] >= 0) edgeCount += list.length;
  const edgeFrom = arena.i32(edgeCount);
  const edgeTo = arena.i32(edgeCount);
  const edgePipe = arena.i32(edgeCount);
  const edgeLengthM = arena.f64(edgeCount);
  const edgeLevel = arena.u8(edgeCount);
  const pipeEdgeStart = arena.i32(pipeCount + 1);
  const pipeEdge = arena.i32(edgeCount);
  const nodeLon = nodes.lon;
  const nodeLat = nodes.lat;
  let e = 0;
  for (let i = 0; i < pipeCount; i++) {
    pipeEdgeStart[i] = e;
    if (pipeStartNode[i] < 0) continue;
    const lv = level[i];
    const a = start[i];
    const last = start[i + 1] - 1;
    const list = splits.get(i);
    let from = pipeStartNode[i];
    // Lengths summed vertex to vertex from 0, as lineLengthM sums them.
    let len = 0;
    let pl = lon[a];
    let pt = lat[a];
    let k = a; // last whole vertex already measured
    if (list) {
      list.sort((p, q) => p.seg - q.seg || p.t - q.t);
      for (let j = 0; j < list.length; j++) {
        const s = list[j];
        while (k < a + s.seg) {
          k++;
          len += lonLatDistanceM(pl, pt, lon[k], lat[k]);
          pl = lon[k];
          pt = lat[k];
        }
        const nl = nodeLon[s.node];
        const nt = nodeLat[s.node];
        len += lonLatDistanceM(pl, pt, nl, nt);
        edgeFrom[e] = from;
        edgeTo[e] = s.node;
        edgePipe[e] = i;
        edgeLengthM[e] = len;
        edgeLevel[e] = lv;
        pipeEdge[e] = e;
        e++;
        from = s.node;
        len = 0;
        pl = nl;
        pt = nt;
      }
    } else if (storedLengthM[i] >= 0) {
      len = storedLengthM[i];
      k = last;
    }
    while (k < last) {
      k++;
      len += lonLatDistanceM(pl, pt, lon[k], lat[k]);
      pl = lon[k];
      pt = lat[k];
    }
    edgeFrom[e] = from;
    edgeTo[e] = pipeEndNode[i];
    edgePipe[e] = i;
    edgeLengthM[e] = len;
    edgeLevel[e] = lv;
    pipeEdge[e] = e;
    e++;
  }
  pipeEdgeStart[pipeCount] = e;
  return { edgeCount, edgeFrom, edgeTo, edgePipe, edgeLengthM, edgeLevel, pipeEdgeStart, pipeEdge };
}

/** node → incident edges (CSR): every edge, in service or not; a loop edge is listed once at its node. */
export function adjacency(
  nodeCount: number,
  edges: Pick<Edges, 'edgeCount' | 'edgeFrom' | 'edgeTo'>,
  arena: Arena = plainArena(),
): { adjStart: Int32Array; adjEdge: Int32Array } {
  const { edgeCount, edgeFrom, edgeTo } = edges;
  const adjStart = arena.i32(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    adjStart[edgeFrom[e] + 1]++;
    if (edgeTo[e] !== edgeFrom[e]) adjStart[edgeTo[e] + 1]++;
  }
  for (let n = 0; n < nodeCount; n++) adjStart[n + 1] += adjStart[n];
  const adjEdge = arena.i32(adjStart[nodeCount]);
  // adjStart[n] serves as node n's cursor while placing (no array of cursors: fresh memory costs), then is shifted back.
  for (let e = 0; e < edgeCount; e++) {
    adjEdge[adjStart[edgeFrom[e]]++] = e;
    if (edgeTo[e] !== edgeFrom[e]) adjEdge[adjStart[edgeTo[e]]++] = e;
  }
  for (let n = nodeCount; n > 0; n--) adjStart[n] = adjStart[n - 1];
  adjStart[0] = 0;
  return { adjStart, adjEdge };
}

/**
 * Phase 3 of the graph build, split at valves: each pipe becomes one edge
 * between its end nodes, or, where phase 2 made nodes inside it (a valve, a
 * station or a source on it), one edge per piece between them. Every edge
 * points back at its pipe; a pipe's edges are consecutive.
 */
import { lineLengthM } from '../../geo/length';
import type { Feature, LineStringGeom } from '../../model/types';
import { levelCode } from './base';
import type { Split } from './attach';
import type { NodeSet } from './nodes';

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
 * The edges of `pipes`, whose ends are the snapped nodes and whose interior
 * nodes are `splits` (sorted here along each pipe). A whole pipe's length is
 * its stored `length_m` where present (the store writes the geodesic length
 * on every write), a piece's is measured.
 */
export function splitAtValves(
  pipes: readonly Feature[],
  pipeStartNode: Int32Array,
  pipeEndNode: Int32Array,
  nodes: Pick<NodeSet, 'lon' | 'lat'>,
  splits: ReadonlyMap<number, Split[]>,
): Edges {
  let edgeCount = 0;
  for (let i = 0; i < pipes.length; i++) if (pipeStartNode[i] >= 0) edgeCount += 1 + (splits.get(i)?.length ?? 0);
  const edgeFrom = new Int32Array(edgeCount);
  const edgeTo = new Int32Array(edgeCount);
  const edgePipe = new Int32Array(edgeCount);
  const edgeLengthM = new Float64Array(edgeCount);
  const edgeLevel = new Uint8Array(edgeCount);
  const pipeEdgeStart = new Int32Array(pipes.length + 1);
  const pipeEdge = new Int32Array(edgeCount);
  const coords = (i: number) => (pipes[i].geometry as LineStringGeom).coordinates;
  let e = 0;
  let level = 0;
  let i = 0;
  // One closure for all pipes (a closure per pipe costs a lot at a million pipes).
  const push = (from: number, to: number, len: number) => {
    edgeFrom[e] = from;
    edgeTo[e] = to;
    edgePipe[e] = i;
    edgeLengthM[e] = len;
    edgeLevel[e] = level;
    pipeEdge[e] = e;
    e++;
  };
  for (i = 0; i < pipes.length; i++) {
    pipeEdgeStart[i] = e;
    if (pipeStartNode[i] < 0) continue;
    level = levelCode(pipes[i].properties.level);
    const list = splits.get(i);
    if (!list) {
      const stored = pipes[i].properties.length_m;
      push(pipeStartNode[i], pipeEndNode[i], typeof stored === 'number' && stored >= 0 ? stored : lineLengthM(coords(i)));
      continue;
    }
    list.sort((a, b) => a.seg - b.seg || a.t - b.t);
    const c = coords(i);
    let from = pipeStartNode[i];
    let piece: number[][] = [c[0]];
    let vertex = 0; // last whole vertex already in `piece`
    for (const s of list) {
      while (vertex < s.seg) {
        vertex++;
        piece.push(c[vertex]);
      }
      const at = [nodes.lon[s.node], nodes.lat[s.node]];
      piece.push(at);
      push(from, s.node, lineLengthM(piece));
      from = s.node;
      piece = [at];
    }
    while (vertex < c.length - 1) {
      vertex++;
      piece.push(c[vertex]);
    }
    push(from, pipeEndNode[i], lineLengthM(piece));
  }
  pipeEdgeStart[pipes.length] = e;
  return { edgeCount, edgeFrom, edgeTo, edgePipe, edgeLengthM, edgeLevel, pipeEdgeStart, pipeEdge };
}

/** node → incident edges (CSR): every edge, in service or not; a loop edge is listed once at its node. */
export function adjacency(nodeCount: number, edges: Pick<Edges, 'edgeCount' | 'edgeFrom' | 'edgeTo'>): { adjStart: Int32Array; adjEdge: Int32Array } {
  const { edgeCount, edgeFrom, edgeTo } = edges;
  const adjStart = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    adjStart[edgeFrom[e] + 1]++;
    if (edgeTo[e] !== edgeFrom[e]) adjStart[edgeTo[e] + 1]++;
  }
  for (let n = 0; n < nodeCount; n++) adjStart[n + 1] += adjStart[n];
  const adjEdge = new Int32Array(adjStart[nodeCount]);
  const fill = adjStart.slice(0, nodeCount);
  for (let e = 0; e < edgeCount; e++) {
    adjEdge[fill[edgeFrom[e]]++] = e;
    if (edgeTo[e] !== edgeFrom[e]) adjEdge[fill[edgeTo[e]]++] = e;
  }
  return { adjStart, adjEdge };
}

/**
 * Phase 3 of the graph build, split at valves: each pipe becomes one edge
 * between its end nodes, or, where phase 2 made nodes inside it (a valve, a
 * station or a source on it), one edge per piece between them. Every edge
 * points back at its pipe; a pipe's edges are consecutive.
 */
import { lonLatDistanceM } from '../../geo/length';
import type { Feature } from '../../model/types';
import { Arena, plainArena } from './arena';
import { runningSums } from './base';
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
 * write), a piece's is measured. The work on one pipe is a function of its
 * own (EdgeWriter): called once per build, a long loop inside this function
 * would run part of every call unoptimised.
 */
export function splitAtValves(
  pipes: readonly Feature[] | Pick<PipeColumns, 'start' | 'lon' | 'lat' | 'level' | 'storedLengthM'>,
  pipeStartNode: Int32Array,
  pipeEndNode: Int32Array,
  nodes: Pick<NodeSet, 'lon' | 'lat'>,
  splits: ReadonlyMap<number, Split[]>,
  arena: Arena = plainArena(),
): Edges {
  const cols = Array.isArray(pipes) ? readPipes(pipes as readonly Feature[]) : (pipes as PipeColumns);
  const pipeCount = cols.start.length - 1;
  let edgeCount = countWholePipes(pipeStartNode, pipeCount);
  for (const [i, list] of splits) if (pipeStartNode[i] >= 0) edgeCount += list.length;
  const w = new EdgeWriter(cols, pipeStartNode, pipeEndNode, nodes, edgeCount, pipeCount, arena);
  for (let i = 0; i < pipeCount; i++) w.pipe(i, splits.get(i));
  w.pipeEdgeStart[pipeCount] = w.e;
  return {
    edgeCount,
    edgeFrom: w.edgeFrom,
    edgeTo: w.edgeTo,
    edgePipe: w.edgePipe,
    edgeLengthM: w.edgeLengthM,
    edgeLevel: w.edgeLevel,
    pipeEdgeStart: w.pipeEdgeStart,
    pipeEdge: w.pipeEdge,
  };
}

/** Pipes among the first `pipeCount` that have a start node (each is at least one edge). */
function countWholePipes(pipeStartNode: Int32Array, pipeCount: number): number {
  let n = 0;
  for (let i = 0; i < pipeCount; i++) if (pipeStartNode[i] >= 0) n++;
  return n;
}

/** The edge arrays, filled one pipe at a time; `e` is the next edge. */
class EdgeWriter {
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgePipe: Int32Array;
  readonly edgeLengthM: Float64Array;
  readonly edgeLevel: Uint8Array;
  readonly pipeEdgeStart: Int32Array;
  readonly pipeEdge: Int32Array;
  private readonly start: Int32Array;
  private readonly lon: Float64Array;
  private readonly lat: Float64Array;
  private readonly level: Uint8Array;
  private readonly storedLengthM: Float64Array;
  private readonly nodeLon: Float64Array;
  private readonly nodeLat: Float64Array;
  e = 0;

  constructor(
    cols: Pick<PipeColumns, 'start' | 'lon' | 'lat' | 'level' | 'storedLengthM'>,
    private readonly pipeStartNode: Int32Array,
    private readonly pipeEndNode: Int32Array,
    nodes: Pick<NodeSet, 'lon' | 'lat'>,
    edgeCount: number,
    pipeCount: number,
    arena: Arena,
  ) {
    this.edgeFrom = arena.i32(edgeCount);
    this.edgeTo = arena.i32(edgeCount);
    this.edgePipe = arena.i32(edgeCount);
    this.edgeLengthM = arena.f64(edgeCount);
    this.edgeLevel = arena.u8(edgeCount);
    this.pipeEdgeStart = arena.i32(pipeCount + 1);
    this.pipeEdge = arena.i32(edgeCount);
    this.start = cols.start;
    this.lon = cols.lon;
    this.lat = cols.lat;
    this.level = cols.level;
    this.storedLengthM = cols.storedLengthM;
    this.nodeLon = nodes.lon;
    this.nodeLat = nodes.lat;
  }

  /** Pipe i's edges: one between its ends, or one per piece between the nodes made inside it (`list`). */
  pipe(i: number, list: Split[] | undefined): void {
    this.pipeEdgeStart[i] = this.e;
    if (this.pipeStartNode[i] < 0) return;
    if (list) this.splitPipe(i, list);
    else this.wholePipe(i);
  }

  /** Pipe i as one edge: its stored length, else measured vertex to vertex. */
  private wholePipe(i: number): void {
    const stored = this.storedLengthM[i];
    const len = stored >= 0 ? stored : this.measure(this.start[i], this.start[i + 1] - 1, 0);
    this.edge(this.pipeStartNode[i], this.pipeEndNode[i], i, len);
  }

  /**
   * Length of the vertices k0..k1 added to `len` (vertex to vertex from the
   * first, as lineLengthM sums them).
   */
  private measure(k0: number, k1: number, len: number): number {
    const { lon, lat } = this;
    for (let k = k0; k < k1; k++) len += lonLatDistanceM(lon[k], lat[k], lon[k + 1], lat[k + 1]);
    return len;
  }

  /** Pipe i cut at the nodes made inside it, sorted here along it; pieces measured. */
  private splitPipe(i: number, list: Split[]): void {
    const { lon, lat, nodeLon, nodeLat } = this;
    const a = this.start[i];
    const last = this.start[i + 1] - 1;
    let from = this.pipeStartNode[i];
    // Lengths summed vertex to vertex from 0, as lineLengthM sums them.
    let len = 0;
    let pl = lon[a];
    let pt = lat[a];
    let k = a; // last whole vertex already measured
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
      this.edge(from, s.node, i, len);
      from = s.node;
      len = 0;
      pl = nl;
      pt = nt;
    }
    while (k < last) {
      k++;
      len += lonLatDistanceM(pl, pt, lon[k], lat[k]);
      pl = lon[k];
      pt = lat[k];
    }
    this.edge(from, this.pipeEndNode[i], i, len);
  }

  /** The next edge: from → to along pipe i, len metres. */
  private edge(from: number, to: number, i: number, len: number): void {
    const e = this.e++;
    this.edgeFrom[e] = from;
    this.edgeTo[e] = to;
    this.edgePipe[e] = i;
    this.edgeLengthM[e] = len;
    this.edgeLevel[e] = this.level[i];
    this.pipeEdge[e] = e;
  }
}

/**
 * node → incident edges (CSR): every edge, in service or not; a loop edge is
 * listed once at its node. The work on one edge is a function of its own
 * (see splitAtValves).
 */
export function adjacency(
  nodeCount: number,
  edges: Pick<Edges, 'edgeCount' | 'edgeFrom' | 'edgeTo'>,
  arena: Arena = plainArena(),
): { adjStart: Int32Array; adjEdge: Int32Array } {
  const { edgeCount, edgeFrom, edgeTo } = edges;
  const adjStart = arena.i32(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) countEdgeEnds(adjStart, edgeFrom[e], edgeTo[e]);
  runningSums(adjStart, nodeCount);
  const adjEdge = arena.i32(adjStart[nodeCount]);
  // adjStart[n] serves as node n's cursor while placing (no array of cursors: fresh memory costs), then is shifted back.
  for (let e = 0; e < edgeCount; e++) placeEdge(adjStart, adjEdge, e, edgeFrom[e], edgeTo[e]);
  adjStart.copyWithin(1, 0, nodeCount);
  adjStart[0] = 0;
  return { adjStart, adjEdge };
}

/** One more edge at node a and (unless the edge is a loop) at node b, counted one slot up. */
function countEdgeEnds(adjStart: Int32Array, a: number, b: number): void {
  adjStart[a + 1]++;
  if (b !== a) adjStart[b + 1]++;
}

/** Edge e (from a to b) placed at its nodes' cursors. */
function placeEdge(adjStart: Int32Array, adjEdge: Int32Array, e: number, a: number, b: number): void {
  adjEdge[adjStart[a]++] = e;
  if (b !== a) adjEdge[adjStart[b]++] = e;
}

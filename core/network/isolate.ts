/**
 * Burst isolation (DOMAIN.md §3 item 3): the valve segment of a failed pipe,
 * grown through open valves that cannot be operated; the valves to close; and
 * everything that no longer reaches an active source once the segment is
 * emptied, loops taken into account.
 *
 * Rules worth knowing (documented for users in the CLI help):
 * - A boundary valve is a valve node touching the segment that also touches a
 *   pipe outside it, a station or source, or is a dead end. A valve whose
 *   every pipe lies inside the isolated area need not be closed and is not listed.
 * - "Cut" means fed before the burst and not after: a station that had no heat
 *   anyway is not blamed on this burst.
 * - A closed valve node is reached but lets nothing through.
 */
import { message, SaidError } from '../i18n';
import { segmentT } from '../geo/clamp';
import {
  NODE_SOURCE,
  NODE_STATION,
  NODE_VALVE,
  NODE_VALVE_CLOSED,
  NODE_VALVE_INOPERABLE,
  otherEnd,
  sourceActive,
  type NetworkGraph,
} from './graph';
import { baseTree, type SegmentModel } from './segments';
import { prepareCutIndex, stationsCutLocally } from './isolateCut';

export interface IsolationResult {
  valvesToClose: string[];
  alreadyClosed: string[];
  pipesIsolated: string[];
  stationsCut: string[];
  communitiesCut: string[];
  households: number;
  heatedAreaM2: number;
  loadMW: number;
  lengthM: number;
  /** Open valves on the boundary that cannot be operated (only at a station's other side). */
  cannotClose?: string[];
}

/** Nodes reached from the active sources with the given edges removed. */
export function reachedNodes(g: NetworkGraph, removedEdge?: Uint8Array): Uint8Array {
  const reached = new Uint8Array(g.nodeCount);
  const queue = new Int32Array(g.nodeCount);
  let head = 0;
  let tail = 0;
  g.input.layers.heat_sources.forEach((src, i) => {
    const n = g.sourceNode[i];
    if (n < 0 || !sourceActive(src) || reached[n]) return;
    reached[n] = 1;
    queue[tail++] = n;
  });
  while (head < tail) {
    const n = queue[head++];
    if (g.nodeFlags[n] & NODE_VALVE_CLOSED) continue;
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (!g.edgeInService[e] || (removedEdge && removedEdge[e])) continue;
      const w = otherEnd(g, e, n);
      if (!reached[w]) {
        reached[w] = 1;
        queue[tail++] = w;
      }
    }
  }
  return reached;
}

/** Station fed flags from reached nodes. */
export function stationsFed(g: NetworkGraph, reached: Uint8Array): Uint8Array {
  const fed = new Uint8Array(g.stationNode.length);
  for (let i = 0; i < fed.length; i++) {
    const n = g.stationNode[i];
    fed[i] = n >= 0 && reached[n] ? 1 : 0;
  }
  return fed;
}

/** Valve indices per node (several valves can share a node). */
function valvesAt(g: NetworkGraph): Map<number, number[]> {
  const cache = (g as unknown as { _valvesAt?: Map<number, number[]> })._valvesAt;
  if (cache) return cache;
  const m = new Map<number, number[]>();
  for (let i = 0; i < g.valveNode.length; i++) {
    const n = g.valveNode[i];
    if (n < 0) continue;
    const list = m.get(n);
    if (list) list.push(i);
    else m.set(n, [i]);
  }
  (g as unknown as { _valvesAt?: Map<number, number[]> })._valvesAt = m;
  return m;
}

/** Makes now what an isolation makes on first need (the valves by node, the search index), so the first one is quick. */
export function prepareIsolation(m: SegmentModel): void {
  valvesAt(m.graph);
  prepareCutIndex(m);
}

/** Isolate the units containing the given edges. */
export function isolateEdges(m: SegmentModel, failedEdges: Iterable<number>): IsolationResult {
  const g = m.graph;
  const units = new Set<number>();
  for (const e of failedEdges) if (m.edgeSeg[e] >= 0) units.add(m.segUnit[m.edgeSeg[e]]);
  const touched = new Set<number>();
  let lengthM = 0;
  const pipes = new Set<string>();
  const tree = baseTree(m);
  for (const u of units) {
    for (let j = tree.unitSegStart[u]; j < tree.unitSegStart[u + 1]; j++) {
      const s = tree.unitSeg[j];
      for (let k = m.segEdgeStart[s]; k < m.segEdgeStart[s + 1]; k++) {
        const e = m.segEdge[k];
        lengthM += g.edgeLengthM[e];
        pipes.add(String(g.input.layers.pipes[g.edgePipe[e]].id));
        touched.add(g.edgeFrom[e]);
        touched.add(g.edgeTo[e]);
      }
    }
  }
  const valvesToClose: string[] = [];
  const alreadyClosed: string[] = [];
  const cannotClose: string[] = [];
  const byNode = valvesAt(g);
  const valves = g.input.layers.valves;
  for (const n of touched) {
    const f = g.nodeFlags[n];
    if (!(f & NODE_VALVE)) continue;
    let outside = false;
    let degree = 0;
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (!g.edgeInService[e]) continue;
      degree++;
      if (!units.has(m.segUnit[m.edgeSeg[e]])) outside = true;
    }
    if (!(outside || degree <= 1 || f & (NODE_STATION | NODE_SOURCE))) continue;
    for (const vi of byNode.get(n) ?? []) {
      const v = valves[vi].properties;
      const id = String(valves[vi].id);
      if (v.state === 'closed') alreadyClosed.push(id);
      else if (v.operable === 'no') {
        // Only reachable here on a station's other side, or beside an operable valve on the same node.
        if (f & NODE_VALVE_INOPERABLE) cannotClose.push(id);
      } else valvesToClose.push(id);
    }
  }

  // Read the loss off the no-burst DFS tree of the segment graph, searching
  // only around the isolated units (isolateCut.ts).
  const cutIndex = units.size ? stationsCutLocally(m, [...units]) : [];
  const stationsCut: string[] = [];
  const communitiesCut: string[] = [];
  let households = 0;
  let heatedAreaM2 = 0;
  let loadMW = 0;
  const stations = g.input.layers.stations;
  const communities = g.input.layers.communities;
  for (const i of cutIndex) {
    stationsCut.push(String(stations[i].id));
    const sl = m.stationLoads[i];
    households += sl.households;
    heatedAreaM2 += sl.heatedAreaM2;
    loadMW += sl.loadMW;
    for (const c of sl.communities) communitiesCut.push(String(communities[c].id));
  }
  const sort = (a: string[]) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const result: IsolationResult = {
    valvesToClose: sort([...new Set(valvesToClose)]),
    alreadyClosed: sort([...new Set(alreadyClosed)]),
    pipesIsolated: sort([...pipes]),
    stationsCut: sort(stationsCut),
    communitiesCut: sort(communitiesCut),
    households,
    heatedAreaM2,
    loadMW,
    lengthM,
  };
  if (cannotClose.length) result.cannotClose = sort([...new Set(cannotClose)]);
  return result;
}

export class UnknownPipeError extends SaidError {
  constructor(public pipeId: string) {
    super(message('analysis.err.unknownPipe', { id: pipeId }));
  }
}

export class NoSourceError extends SaidError {
  constructor() {
    super(message('analysis.err.noSource'));
  }
}

/** True when at least one active source sits on the network. */
export function hasActiveSource(g: NetworkGraph): boolean {
  return g.input.layers.heat_sources.some((s, i) => sourceActive(s) && g.sourceNode[i] >= 0);
}

/** Isolate a whole pipe (every piece of it). */
export function isolatePipe(m: SegmentModel, pipeId: string): IsolationResult {
  const g = m.graph;
  const p = g.pipeIndex.get(pipeId);
  if (p === undefined) throw new UnknownPipeError(pipeId);
  if (!hasActiveSource(g)) throw new NoSourceError();
  const edges: number[] = [];
  for (let k = g.pipeEdgeStart[p]; k < g.pipeEdgeStart[p + 1]; k++) edges.push(g.pipeEdge[k]);
  return isolateEdges(m, edges);
}

/** The edge nearest to a lon/lat point (within `maxM` metres), or -1. */
export function nearestEdge(g: NetworkGraph, lon: number, lat: number, maxM = 50): number {
  const x = (lon - g.proj.lon0) * g.proj.kx;
  const y = (lat - g.proj.lat0) * g.proj.ky;
  const pipes = g.input.layers.pipes;
  let best = -1;
  let bestD = maxM;
  // Walk each edge's polyline piece; pieces are found by the nodes they end at.
  for (let p = 0; p < pipes.length; p++) {
    const c = (pipes[p].geometry as { coordinates: number[][] }).coordinates;
    if (!c || c.length < 2) continue;
    for (let i = 1; i < c.length; i++) {
      const ax = (c[i - 1][0] - g.proj.lon0) * g.proj.kx, ay = (c[i - 1][1] - g.proj.lat0) * g.proj.ky;
      const bx = (c[i][0] - g.proj.lon0) * g.proj.kx, by = (c[i][1] - g.proj.lat0) * g.proj.ky;
      const dx = bx - ax, dy = by - ay;
      const t = segmentT(x, y, ax, ay, dx, dy);
      const d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
      if (d < bestD) {
        bestD = d;
        best = edgeOfPipePoint(g, p, ax + t * dx, ay + t * dy);
      }
    }
  }
  return best;
}

/** Which piece of pipe `p` holds the point (x, y): the edge whose end nodes bracket it along the pipe. */
function edgeOfPipePoint(g: NetworkGraph, p: number, x: number, y: number): number {
  const first = g.pipeEdgeStart[p];
  const last = g.pipeEdgeStart[p + 1];
  if (last - first <= 1) return last > first ? g.pipeEdge[first] : -1;
  // Pieces follow the pipe in order; pick the one whose chord is nearest to the point.
  let best = g.pipeEdge[first];
  let bestD = Infinity;
  for (let k = first; k < last; k++) {
    const e = g.pipeEdge[k];
    const ax = g.nodeX[g.edgeFrom[e]], ay = g.nodeY[g.edgeFrom[e]];
    const bx = g.nodeX[g.edgeTo[e]], by = g.nodeY[g.edgeTo[e]];
    const dx = bx - ax, dy = by - ay;
    const t = segmentT(x, y, ax, ay, dx, dy);
    const d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
    if (d < bestD) {
      bestD = d;
      best = e;
    }
  }
  return best;
}

/** Isolate the valve segment at a point on a pipe. */
export function isolateAt(m: SegmentModel, lon: number, lat: number, maxM = 50): IsolationResult {
  const g = m.graph;
  if (!hasActiveSource(g)) throw new NoSourceError();
  const e = nearestEdge(g, lon, lat, maxM);
  if (e < 0) throw new SaidError(message('analysis.err.noPipeNear', { m: maxM, lon, lat }));
  return isolateEdges(m, [e]);
}

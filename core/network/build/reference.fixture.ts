/**
 * The graph builder as it was before the city-scale rewrite (string-free but
 * object-per-query snapping, a Flatbush index of pipe pieces, a Map of pipe
 * ids), frozen here so that tests can check the current builder against it
 * array for array. Used only by tests.
 */
import Flatbush from 'flatbush';
import { segmentT } from '../../geo/clamp';
import { lineLengthM } from '../../geo/length';
import type { Settings } from '../../model/settings';
import type { Feature, LineStringGeom, PointGeom } from '../../model/types';
import type { NetworkGraph } from '../graph';
import {
  NODE_SOURCE,
  NODE_STATION,
  NODE_VALVE,
  NODE_VALVE_CLOSED,
  NODE_VALVE_INOPERABLE,
  levelCode,
  localProjection,
  pipeInService,
  type LocalProjection,
  type NetworkInput,
} from './base';

/**
 * Spatial hash of nodes for snapping: chained cells in an open-addressing
 * table keyed by integer cell coordinates (typed arrays, so a million nodes
 * cost no garbage).
 */
class NodeGrid {
  private keyX: Int32Array;
  private keyY: Int32Array;
  private head: Int32Array;
  private used = 0;
  private next: Int32Array;
  constructor(private cell: number, capacity: number, private xs: () => Float64Array, private ys: () => Float64Array) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.keyX = new Int32Array(size);
    this.keyY = new Int32Array(size);
    this.head = new Int32Array(size).fill(-1);
    this.next = new Int32Array(capacity).fill(-1);
  }
  private slot(ix: number, iy: number): number {
    const mask = this.head.length - 1;
    // Mixed (murmur3's finaliser): pipe ends on a regular street grid give cell
    // coordinates with common factors, which a plain product hash piles into
    // long probe runs.
    let h = Math.imul(ix, 0x9e3779b1) ^ Math.imul(iy, 0x85ebca77);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
    h &= mask;
    while (this.head[h] !== -1 && (this.keyX[h] !== ix || this.keyY[h] !== iy)) h = (h + 1) & mask;
    return h;
  }
  private grow(): void {
    const { keyX, keyY, head } = this;
    this.keyX = new Int32Array(keyX.length * 2);
    this.keyY = new Int32Array(keyY.length * 2);
    this.head = new Int32Array(head.length * 2).fill(-1);
    for (let h = 0; h < head.length; h++) {
      if (head[h] === -1) continue;
      const t = this.slot(keyX[h], keyY[h]);
      this.keyX[t] = keyX[h];
      this.keyY[t] = keyY[h];
      this.head[t] = head[h];
    }
  }
  insert(node: number, x: number, y: number): void {
    if (node >= this.next.length) {
      const grown = new Int32Array(Math.max(node + 1, this.next.length * 2)).fill(-1);
      grown.set(this.next);
      this.next = grown;
    }
    const ix = Math.floor(x / this.cell);
    const iy = Math.floor(y / this.cell);
    let h = this.slot(ix, iy);
    if (this.head[h] === -1) {
      if ((this.used + 1) * 2 > this.head.length) {
        this.grow();
        h = this.slot(ix, iy);
      }
      this.used++;
      this.keyX[h] = ix;
      this.keyY[h] = iy;
      this.next[node] = -1;
    } else this.next[node] = this.head[h];
    this.head[h] = node;
  }
  /** Nearest node within `tol` metres (lowest index on ties), or -1. */
  nearest(x: number, y: number, tol: number): { node: number; dist: number } {
    const ix = Math.floor(x / this.cell);
    const iy = Math.floor(y / this.cell);
    const reach = Math.max(1, Math.ceil(tol / this.cell));
    const xs = this.xs();
    const ys = this.ys();
    let best = -1;
    let bestD = tol;
    const cell = this.cell;
    for (let dx = -reach; dx <= reach; dx++) {
      // cells farther than the tolerance cannot hold a match: most queries look at one cell, not nine
      const x0 = (ix + dx) * cell;
      const gx = x < x0 ? x0 - x : x > x0 + cell ? x - x0 - cell : 0;
      if (gx > tol) continue;
      for (let dy = -reach; dy <= reach; dy++) {
        const y0 = (iy + dy) * cell;
        const gy = y < y0 ? y0 - y : y > y0 + cell ? y - y0 - cell : 0;
        if (gy > tol || gx * gx + gy * gy > tol * tol) continue;
        let n = this.head[this.slot(ix + dx, iy + dy)];
        while (n >= 0) {
          const d = Math.hypot(xs[n] - x, ys[n] - y);
          if (d <= bestD && (best < 0 || d < bestD || n < best)) {
            best = n;
            bestD = d;
          }
          n = this.next[n];
        }
      }
    }
    return { node: best, dist: best < 0 ? Infinity : bestD };
  }
}

class NodeSet {
  count = 0;
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  private grid: NodeGrid;

  /** `cell`: the hash's cell size in metres; `capacity`: nodes expected (the arrays grow past it). */
  constructor(cell: number, capacity: number) {
    const cap = Math.max(16, capacity);
    this.x = new Float64Array(cap);
    this.y = new Float64Array(cap);
    this.lon = new Float64Array(cap);
    this.lat = new Float64Array(cap);
    this.grid = new NodeGrid(cell, cap, () => this.x, () => this.y);
  }

  add(lon: number, lat: number, x: number, y: number): number {
    if (this.count === this.x.length) {
      const cap = this.x.length * 2;
      const grow = (a: Float64Array) => {
        const b = new Float64Array(cap);
        b.set(a);
        return b;
      };
      this.x = grow(this.x);
      this.y = grow(this.y);
      this.lon = grow(this.lon);
      this.lat = grow(this.lat);
    }
    const n = this.count++;
    this.x[n] = x;
    this.y[n] = y;
    this.lon[n] = lon;
    this.lat[n] = lat;
    this.grid.insert(n, x, y);
    return n;
  }

  /** Nearest node within `tol` metres of (x, y) (lowest index on ties), or node -1 and Infinity. */
  nearest(x: number, y: number, tol: number): { node: number; dist: number } {
    return this.grid.nearest(x, y, tol);
  }
}

/** Every pipe's vertices, flat: pipe i has vertices [start[i], start[i + 1]). */
interface PipeVertices {
  proj: LocalProjection;
  start: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

interface Snapped {
  nodes: NodeSet;
  /** Node at each pipe's start / end; -1 for a pipe with fewer than two vertices. */
  pipeStartNode: Int32Array;
  pipeEndNode: Int32Array;
  /** Nodes made so far, all pipe ends (later phases add nodes inside pipes). */
  endNodeCount: number;
}

const coordsOf = (p: Feature) => (p.geometry as LineStringGeom)?.coordinates ?? [];

/** The vertices of `pipes` in the local projection centred on their bounding box. */
function pipeVertices(pipes: readonly Feature[]): PipeVertices {
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
function snapPipeEnds(v: PipeVertices, settings: Pick<Settings, 'snapToleranceM' | 'attachToleranceM'>, expectedNodes = 0): Snapped {
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

/** A node made inside a pipe: on its straight piece `seg` (0-based), a fraction `t` along it. */
interface Split {
  seg: number;
  t: number;
  node: number;
}

/** Per feature: its node (-1 off the network) and its distance from it in metres (Infinity off the network). */
interface Attached {
  node: Int32Array;
  dist: Float64Array;
}

interface Attachment {
  valves: Attached;
  stations: Attached;
  sources: Attached;
  /** Pipe index → the nodes made inside it, in the order they were made. */
  splits: Map<number, Split[]>;
}

/** Attaches features one layer after another, adding nodes to `snapped.nodes`. */
class Attacher {
  readonly splits = new Map<number, Split[]>();
  private segIndex: Flatbush | null = null;
  private segPipe = new Int32Array(0);
  private segVertex = new Int32Array(0);

  constructor(
    private v: PipeVertices,
    private snapped: Snapped,
    private tol: number,
  ) {}

  /** Pipe-interior index, built only when a feature misses every node. */
  private buildSegIndex(): Flatbush {
    const { start, x, y } = this.v;
    const pipes = start.length - 1;
    let n = 0;
    for (let i = 0; i < pipes; i++) n += Math.max(0, start[i + 1] - start[i] - 1);
    this.segPipe = new Int32Array(n);
    this.segVertex = new Int32Array(n);
    const fb = new Flatbush(Math.max(1, n));
    let s = 0;
    for (let i = 0; i < pipes; i++) {
      for (let k = start[i]; k < start[i + 1] - 1; k++) {
        fb.add(Math.min(x[k], x[k + 1]), Math.min(y[k], y[k + 1]), Math.max(x[k], x[k + 1]), Math.max(y[k], y[k + 1]));
        this.segPipe[s] = i;
        this.segVertex[s] = k;
        s++;
      }
    }
    if (n === 0) fb.add(0, 0, 0, 0);
    fb.finish();
    return fb;
  }

  one(f: Feature): { node: number; dist: number } {
    const c = (f.geometry as PointGeom)?.coordinates;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return { node: -1, dist: Infinity };
    const { proj, lon, lat, x: vx, y: vy, start } = this.v;
    const nodes = this.snapped.nodes;
    const tol = this.tol;
    const x = (c[0] - proj.lon0) * proj.kx;
    const y = (c[1] - proj.lat0) * proj.ky;
    const hit = nodes.nearest(x, y, tol);
    if (hit.node >= 0) return hit;
    this.segIndex ??= this.buildSegIndex();
    const { segPipe, segVertex } = this;
    let best = -1;
    let bestD = tol;
    let bestT = 0;
    for (const s of this.segIndex.search(x - tol, y - tol, x + tol, y + tol)) {
      if (s >= segPipe.length) continue;
      const k = segVertex[s];
      const ax = vx[k], ay = vy[k];
      const dx = vx[k + 1] - ax, dy = vy[k + 1] - ay;
      const t = segmentT(x, y, ax, ay, dx, dy);
      const d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
      if (d <= bestD && (best < 0 || d < bestD || s < best)) {
        best = s;
        bestD = d;
        bestT = t;
      }
    }
    if (best < 0) return { node: -1, dist: Infinity };
    const pipe = segPipe[best];
    const k = segVertex[best];
    const node = nodes.add(lon[k] + bestT * (lon[k + 1] - lon[k]), lat[k] + bestT * (lat[k + 1] - lat[k]), vx[k] + bestT * (vx[k + 1] - vx[k]), vy[k] + bestT * (vy[k + 1] - vy[k]));
    let list = this.splits.get(pipe);
    if (!list) this.splits.set(pipe, (list = []));
    list.push({ seg: k - start[pipe], t: bestT, node });
    return { node, dist: bestD };
  }

  all(features: readonly Feature[]): Attached {
    const node = new Int32Array(features.length);
    const dist = new Float64Array(features.length);
    for (let i = 0; i < features.length; i++) {
      const hit = this.one(features[i]);
      node[i] = hit.node;
      dist[i] = hit.dist;
    }
    return { node, dist };
  }
}

/** Attach valves, then stations, then heat sources (a later feature may take a node an earlier one made). */
function attachFeatures(
  v: PipeVertices,
  snapped: Snapped,
  layers: { valves: readonly Feature[]; stations: readonly Feature[]; heat_sources: readonly Feature[] },
  attachToleranceM: number,
): Attachment {
  const a = new Attacher(v, snapped, attachToleranceM);
  const valves = a.all(layers.valves);
  const stations = a.all(layers.stations);
  const sources = a.all(layers.heat_sources);
  return { valves, stations, sources, splits: a.splits };
}

interface Edges {
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
function splitAtValves(
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
function adjacency(nodeCount: number, edges: Pick<Edges, 'edgeCount' | 'edgeFrom' | 'edgeTo'>): { adjStart: Int32Array; adjEdge: Int32Array } {
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

interface Cuts {
  /** 1 when the edge's pipe is in service (carries heat). */
  edgeInService: Uint8Array;
  nodeFlags: Uint8Array;
  /** Valve index sitting at the node, or -1 (the first one when several share a node). */
  nodeValve: Int32Array;
}

function cutClosed(
  nodeCount: number,
  layers: { pipes: readonly Feature[]; valves: readonly Feature[] },
  edges: Pick<Edges, 'edgeCount' | 'pipeEdgeStart'>,
  attached: Pick<Attachment, 'valves' | 'stations' | 'sources'>,
): Cuts {
  const { pipes, valves } = layers;
  const edgeInService = new Uint8Array(edges.edgeCount);
  for (let i = 0; i < pipes.length; i++) {
    const a = edges.pipeEdgeStart[i];
    const b = edges.pipeEdgeStart[i + 1];
    if (a < b && pipeInService(pipes[i])) edgeInService.fill(1, a, b);
  }
  const nodeFlags = new Uint8Array(nodeCount);
  const nodeValve = new Int32Array(nodeCount).fill(-1);
  const va = attached.valves.node;
  for (let i = 0; i < valves.length; i++) {
    const n = va[i];
    if (n < 0) continue;
    const p = valves[i].properties;
    // Several valves on one node: the node blocks if any is closed, and can
    // only be closed by an operable one.
    if (nodeValve[n] < 0) {
      nodeValve[n] = i;
      nodeFlags[n] |= NODE_VALVE | (p.operable === 'no' ? NODE_VALVE_INOPERABLE : 0);
    } else if (p.operable !== 'no') nodeFlags[n] &= ~NODE_VALVE_INOPERABLE;
    if (p.state === 'closed') nodeFlags[n] |= NODE_VALVE_CLOSED;
  }
  for (const n of attached.stations.node) if (n >= 0) nodeFlags[n] |= NODE_STATION;
  for (const n of attached.sources.node) if (n >= 0) nodeFlags[n] |= NODE_SOURCE;
  return { edgeInService, nodeFlags, nodeValve };
}

/** The old builder's graph: the current one's fields, ids in Maps. */
export type ReferenceGraph = Omit<NetworkGraph, 'pipeIndex' | 'stationIndex'> & { pipeIndex: Map<string, number>; stationIndex: Map<string, number> };

export function buildGraphReference(input: NetworkInput): ReferenceGraph {
  const { pipes, valves, stations, heat_sources: sources } = input.layers;
  const settings = input.settings;
  const vertices = pipeVertices(pipes);
  const snapped = snapPipeEnds(vertices, settings, pipes.length * 2 + valves.length + stations.length + sources.length);
  const attached = attachFeatures(vertices, snapped, input.layers, settings.attachToleranceM);
  const { nodes } = snapped;
  const nodeCount = nodes.count;
  const edges = splitAtValves(pipes, snapped.pipeStartNode, snapped.pipeEndNode, nodes, attached.splits);
  const cuts = cutClosed(nodeCount, input.layers, edges, attached);
  const { adjStart, adjEdge } = adjacency(nodeCount, edges);

  const pipeIndex = new Map<string, number>();
  pipes.forEach((p, i) => pipeIndex.set(String(p.id), i));
  const stationIndex = new Map<string, number>();
  stations.forEach((s, i) => stationIndex.set(String(s.id), i));

  return {
    input,
    proj: vertices.proj,
    nodeCount,
    endNodeCount: snapped.endNodeCount,
    nodeLon: nodes.lon.slice(0, nodeCount),
    nodeLat: nodes.lat.slice(0, nodeCount),
    nodeX: nodes.x.slice(0, nodeCount),
    nodeY: nodes.y.slice(0, nodeCount),
    nodeFlags: cuts.nodeFlags,
    nodeValve: cuts.nodeValve,
    edgeCount: edges.edgeCount,
    edgeFrom: edges.edgeFrom,
    edgeTo: edges.edgeTo,
    edgePipe: edges.edgePipe,
    edgeLengthM: edges.edgeLengthM,
    edgeLevel: edges.edgeLevel,
    edgeInService: cuts.edgeInService,
    adjStart,
    adjEdge,
    pipeEdgeStart: edges.pipeEdgeStart,
    pipeEdge: edges.pipeEdge,
    pipeStartNode: snapped.pipeStartNode,
    pipeEndNode: snapped.pipeEndNode,
    valveNode: attached.valves.node,
    stationNode: attached.stations.node,
    sourceNode: attached.sources.node,
    valveAttachM: attached.valves.dist,
    stationAttachM: attached.stations.dist,
    sourceAttachM: attached.sources.dist,
    pipeIndex,
    stationIndex,
  };
}

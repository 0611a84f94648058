/**
 * The network graph derived from a project's layers (DOMAIN.md §2).
 *
 * Compact typed arrays so that a million pipes fit: nodes come from snapping
 * pipe ends within `snapToleranceM`; valves, stations and heat sources attach
 * to the nearest node within `attachToleranceM`, else to the nearest pipe
 * interior within that tolerance, which splits the pipe there. An edge is one
 * piece of one pipe between two nodes and points back at its pipe, so a pipe
 * divided by an interior valve is several edges with the same pipe id.
 * Pipes know their edges and edges their nodes; node → edges is a derived CSR
 * index (`adjStart` / `adjEdge`).
 */
import { segmentT } from '../geo/clamp';
import Flatbush from 'flatbush';
import type { ProjectData } from '../model/project';
import type { Settings } from '../model/settings';
import type { Feature, LineStringGeom, PointGeom } from '../model/types';
import { lineLengthM } from '../geo/length';

export const LEVEL_PRIMARY = 0;
export const LEVEL_SECONDARY = 1;
export const LEVEL_COURTYARD = 2;

/** Node flag bits (`nodeFlags`). */
export const NODE_VALVE = 1;
export const NODE_VALVE_CLOSED = 2;
export const NODE_VALVE_INOPERABLE = 4;
export const NODE_STATION = 8;
export const NODE_SOURCE = 16;

/** The layers the graph is built from. */
export interface NetworkInput {
  layers: Pick<ProjectData['layers'], 'pipes' | 'valves' | 'stations' | 'heat_sources' | 'communities'> & Partial<Pick<ProjectData['layers'], 'streets'>>;
  settings: Settings;
}

/** Local equirectangular projection (metres) around the data's centre; good to ~0.1 % over a town. */
export interface LocalProjection {
  lon0: number;
  lat0: number;
  /** Metres per degree of longitude / latitude at lat0 (WGS84 ellipsoid). */
  kx: number;
  ky: number;
}

export interface NetworkGraph {
  input: NetworkInput;
  proj: LocalProjection;
  nodeCount: number;
  /** Nodes [0, endNodeCount) are pipe ends; later ones were made where a feature sits inside a pipe. */
  endNodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  nodeX: Float64Array;
  nodeY: Float64Array;
  nodeFlags: Uint8Array;
  /** Valve index sitting at the node, or -1 (the first one when several share a node). */
  nodeValve: Int32Array;
  edgeCount: number;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Index into `input.layers.pipes`. */
  edgePipe: Int32Array;
  edgeLengthM: Float64Array;
  edgeLevel: Uint8Array;
  /** 1 when the pipe is in service (carries heat). */
  edgeInService: Uint8Array;
  /** node → incident edges (every edge, in service or not). */
  adjStart: Int32Array;
  adjEdge: Int32Array;
  /** pipe → its edges (CSR). Pipes with broken geometry have none. */
  pipeEdgeStart: Int32Array;
  pipeEdge: Int32Array;
  pipeStartNode: Int32Array;
  pipeEndNode: Int32Array;
  /** Node each feature sits on, or -1 when farther than the attach tolerance from the network. */
  valveNode: Int32Array;
  stationNode: Int32Array;
  sourceNode: Int32Array;
  /** Distance (m) from each feature to where it was attached (Infinity when off the network). */
  valveAttachM: Float64Array;
  stationAttachM: Float64Array;
  sourceAttachM: Float64Array;
  pipeIndex: Map<string, number>;
  stationIndex: Map<string, number>;
}

const WGS84_A = 6378137;
const WGS84_E2 = 0.00669437999014;

export function localProjection(lon0: number, lat0: number): LocalProjection {
  const phi = (lat0 * Math.PI) / 180;
  const s = Math.sin(phi);
  const w = 1 - WGS84_E2 * s * s;
  const meridional = (WGS84_A * (1 - WGS84_E2)) / Math.pow(w, 1.5);
  const normal = WGS84_A / Math.sqrt(w);
  return { lon0, lat0, kx: ((normal * Math.cos(phi) * Math.PI) / 180), ky: (meridional * Math.PI) / 180 };
}

export function pipeInService(pipe: Feature): boolean {
  const s = pipe.properties.status;
  return s === undefined || s === null || s === '' || s === 'in_service';
}

export function levelCode(level: unknown): number {
  return level === 'primary' ? LEVEL_PRIMARY : level === 'courtyard' ? LEVEL_COURTYARD : LEVEL_SECONDARY;
}

/**
 * Sources that feed the network: status in_service or standby (a standby or
 * is_backup source can be started, so it counts as a source); anything else
 * (planned, retired, out_of_service…) is left out.
 */
export function sourceActive(source: Feature): boolean {
  const s = source.properties.status;
  return s === undefined || s === null || s === '' || s === 'in_service' || s === 'standby';
}

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

interface Split {
  seg: number;
  t: number;
  node: number;
}

/** Build the graph. Pure; O(n) apart from the spatial index used for features inside pipes. */
export function buildGraph(input: NetworkInput): NetworkGraph {
  const { pipes, valves, stations, heat_sources: sources } = input.layers;
  const settings = input.settings;
  const snapTol = settings.snapToleranceM;
  const attachTol = settings.attachToleranceM;

  // Centre of the data for the local projection.
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  let vertexCount = 0;
  for (const p of pipes) {
    const c = (p.geometry as LineStringGeom)?.coordinates ?? [];
    vertexCount += c.length;
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

  // Flat vertex arrays per pipe.
  const pipeVStart = new Int32Array(pipes.length + 1);
  const vLon = new Float64Array(vertexCount);
  const vLat = new Float64Array(vertexCount);
  const vx = new Float64Array(vertexCount);
  const vy = new Float64Array(vertexCount);
  {
    let k = 0;
    for (let i = 0; i < pipes.length; i++) {
      pipeVStart[i] = k;
      const c = (pipes[i].geometry as LineStringGeom)?.coordinates ?? [];
      for (const q of c) {
        vLon[k] = q[0];
        vLat[k] = q[1];
        vx[k] = (q[0] - proj.lon0) * proj.kx;
        vy[k] = (q[1] - proj.lat0) * proj.ky;
        k++;
      }
    }
    pipeVStart[pipes.length] = k;
  }

  // Nodes: snap pipe ends.
  let cap = Math.max(16, pipes.length * 2 + valves.length + stations.length + sources.length);
  let nodeX = new Float64Array(cap);
  let nodeY = new Float64Array(cap);
  let nodeLon = new Float64Array(cap);
  let nodeLat = new Float64Array(cap);
  let nodeCount = 0;
  const grid = new NodeGrid(Math.max(snapTol, attachTol, 1e-3), cap, () => nodeX, () => nodeY);
  const addNode = (lon: number, lat: number, x: number, y: number): number => {
    if (nodeCount === cap) {
      cap *= 2;
      const grow = (a: Float64Array) => {
        const b = new Float64Array(cap);
        b.set(a);
        return b;
      };
      nodeX = grow(nodeX);
      nodeY = grow(nodeY);
      nodeLon = grow(nodeLon);
      nodeLat = grow(nodeLat);
    }
    const n = nodeCount++;
    nodeX[n] = x;
    nodeY[n] = y;
    nodeLon[n] = lon;
    nodeLat[n] = lat;
    grid.insert(n, x, y);
    return n;
  };
  const snap = (k: number): number => {
    const hit = grid.nearest(vx[k], vy[k], snapTol);
    return hit.node >= 0 ? hit.node : addNode(vLon[k], vLat[k], vx[k], vy[k]);
  };
  const pipeStartNode = new Int32Array(pipes.length).fill(-1);
  const pipeEndNode = new Int32Array(pipes.length).fill(-1);
  for (let i = 0; i < pipes.length; i++) {
    const a = pipeVStart[i];
    const b = pipeVStart[i + 1];
    if (b - a < 2) continue;
    pipeStartNode[i] = snap(a);
    pipeEndNode[i] = snap(b - 1);
  }
  const endNodeCount = nodeCount;

  // Pipe-interior index, built only when a feature misses every node.
  let segIndex: Flatbush | null = null;
  let segPipe: Int32Array | null = null;
  let segVertex: Int32Array | null = null;
  const buildSegIndex = () => {
    let n = 0;
    for (let i = 0; i < pipes.length; i++) n += Math.max(0, pipeVStart[i + 1] - pipeVStart[i] - 1);
    segPipe = new Int32Array(n);
    segVertex = new Int32Array(n);
    const fb = new Flatbush(Math.max(1, n));
    let s = 0;
    for (let i = 0; i < pipes.length; i++) {
      for (let k = pipeVStart[i]; k < pipeVStart[i + 1] - 1; k++) {
        fb.add(Math.min(vx[k], vx[k + 1]), Math.min(vy[k], vy[k + 1]), Math.max(vx[k], vx[k + 1]), Math.max(vy[k], vy[k + 1]));
        segPipe[s] = i;
        segVertex[s] = k;
        s++;
      }
    }
    if (n === 0) fb.add(0, 0, 0, 0);
    fb.finish();
    segIndex = fb;
  };
  const splits = new Map<number, Split[]>();
  const attach = (f: Feature): { node: number; dist: number } => {
    const c = (f.geometry as PointGeom)?.coordinates;
    if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return { node: -1, dist: Infinity };
    const x = (c[0] - proj.lon0) * proj.kx;
    const y = (c[1] - proj.lat0) * proj.ky;
    const hit = grid.nearest(x, y, attachTol);
    if (hit.node >= 0) return hit;
    if (!segIndex) buildSegIndex();
    const ids = segIndex!.search(x - attachTol, y - attachTol, x + attachTol, y + attachTol);
    let best = -1;
    let bestD = attachTol;
    let bestT = 0;
    for (const s of ids) {
      if (s >= segPipe!.length) continue;
      const k = segVertex![s];
      const ax = vx[k], ay = vy[k], bx = vx[k + 1], by = vy[k + 1];
      const dx = bx - ax, dy = by - ay;
      const t = segmentT(x, y, ax, ay, dx, dy);
      const d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
      if (d <= bestD && (best < 0 || d < bestD || s < best)) {
        best = s;
        bestD = d;
        bestT = t;
      }
    }
    if (best < 0) return { node: -1, dist: Infinity };
    const pipe = segPipe![best];
    const k = segVertex![best];
    const lon = vLon[k] + bestT * (vLon[k + 1] - vLon[k]);
    const lat = vLat[k] + bestT * (vLat[k + 1] - vLat[k]);
    const node = addNode(lon, lat, vx[k] + bestT * (vx[k + 1] - vx[k]), vy[k] + bestT * (vy[k + 1] - vy[k]));
    let list = splits.get(pipe);
    if (!list) splits.set(pipe, (list = []));
    list.push({ seg: k - pipeVStart[pipe], t: bestT, node });
    return { node, dist: bestD };
  };

  const attachAll = (features: Feature[]) => {
    const node = new Int32Array(features.length);
    const dist = new Float64Array(features.length);
    for (let i = 0; i < features.length; i++) {
      const hit = attach(features[i]);
      node[i] = hit.node;
      dist[i] = hit.dist;
    }
    return { node, dist };
  };
  const va = attachAll(valves);
  const sa = attachAll(stations);
  const ha = attachAll(sources);

  // Edges: each pipe cut at its interior split nodes.
  let edgeCount = 0;
  for (let i = 0; i < pipes.length; i++) if (pipeStartNode[i] >= 0) edgeCount += 1 + (splits.get(i)?.length ?? 0);
  const edgeFrom = new Int32Array(edgeCount);
  const edgeTo = new Int32Array(edgeCount);
  const edgePipe = new Int32Array(edgeCount);
  const edgeLengthM = new Float64Array(edgeCount);
  const edgeLevel = new Uint8Array(edgeCount);
  const edgeInService = new Uint8Array(edgeCount);
  const pipeEdgeStart = new Int32Array(pipes.length + 1);
  const pipeEdge = new Int32Array(edgeCount);
  {
    let e = 0;
    const coords = (i: number) => (pipes[i].geometry as LineStringGeom).coordinates;
    let level = 0;
    let inService = 0;
    let i = 0;
    // One closure for all pipes (a closure per pipe costs a lot at a million pipes).
    const push = (from: number, to: number, len: number) => {
      edgeFrom[e] = from;
      edgeTo[e] = to;
      edgePipe[e] = i;
      edgeLengthM[e] = len;
      edgeLevel[e] = level;
      edgeInService[e] = inService;
      pipeEdge[e] = e;
      e++;
    };
    for (i = 0; i < pipes.length; i++) {
      pipeEdgeStart[i] = e;
      if (pipeStartNode[i] < 0) continue;
      level = levelCode(pipes[i].properties.level);
      inService = pipeInService(pipes[i]) ? 1 : 0;
      const list = splits.get(i);
      if (!list) {
        // The store writes length_m = lineLengthM(geometry) on every write; reuse it when present.
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
        const at = [nodeLon[s.node], nodeLat[s.node]];
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
  }

  // node → edges CSR.
  const adjStart = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    adjStart[edgeFrom[e] + 1]++;
    if (edgeTo[e] !== edgeFrom[e]) adjStart[edgeTo[e] + 1]++;
  }
  for (let n = 0; n < nodeCount; n++) adjStart[n + 1] += adjStart[n];
  const adjEdge = new Int32Array(adjStart[nodeCount]);
  {
    const fill = adjStart.slice(0, nodeCount);
    for (let e = 0; e < edgeCount; e++) {
      adjEdge[fill[edgeFrom[e]]++] = e;
      if (edgeTo[e] !== edgeFrom[e]) adjEdge[fill[edgeTo[e]]++] = e;
    }
  }

  const nodeFlags = new Uint8Array(nodeCount);
  const nodeValve = new Int32Array(nodeCount).fill(-1);
  for (let i = 0; i < valves.length; i++) {
    const n = va.node[i];
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
  for (let i = 0; i < stations.length; i++) if (sa.node[i] >= 0) nodeFlags[sa.node[i]] |= NODE_STATION;
  for (let i = 0; i < sources.length; i++) if (ha.node[i] >= 0) nodeFlags[ha.node[i]] |= NODE_SOURCE;

  const pipeIndex = new Map<string, number>();
  pipes.forEach((p, i) => pipeIndex.set(String(p.id), i));
  const stationIndex = new Map<string, number>();
  stations.forEach((s, i) => stationIndex.set(String(s.id), i));

  return {
    input,
    proj,
    nodeCount,
    endNodeCount,
    nodeLon: nodeLon.slice(0, nodeCount),
    nodeLat: nodeLat.slice(0, nodeCount),
    nodeX: nodeX.slice(0, nodeCount),
    nodeY: nodeY.slice(0, nodeCount),
    nodeFlags,
    nodeValve,
    edgeCount,
    edgeFrom,
    edgeTo,
    edgePipe,
    edgeLengthM,
    edgeLevel,
    edgeInService,
    adjStart,
    adjEdge,
    pipeEdgeStart,
    pipeEdge,
    pipeStartNode,
    pipeEndNode,
    valveNode: va.node,
    stationNode: sa.node,
    sourceNode: ha.node,
    valveAttachM: va.dist,
    stationAttachM: sa.dist,
    sourceAttachM: ha.dist,
    pipeIndex,
    stationIndex,
  };
}

/** The other end of edge `e` seen from node `n`. */
export function otherEnd(g: NetworkGraph, e: number, n: number): number {
  return g.edgeFrom[e] === n ? g.edgeTo[e] : g.edgeFrom[e];
}

/** Optional progress / cancel hooks every long analysis accepts (the worker binds them). */
export interface AnalysisOptions {
  onProgress?(fraction: number): void;
  signal?: { readonly aborted: boolean };
}

/** Thrown when `signal.aborted` turns true mid-analysis. */
export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

export function checkAborted(opts: AnalysisOptions | undefined): void {
  if (opts?.signal?.aborted) throw new AnalysisCancelled();
}

/**
 * The primary network as the hydraulic model sees it, derived from the
 * typed-array graph (core/network/graph.ts):
 * - Pipes: in-service primary pipe pieces (edges). A pipe's `circuit` says
 *   whether the drawn line is the supply and its return together ('pair',
 *   the default and the usual drawing: the return mirrors the supply) or
 *   only one of them ('supply' / 'return', when return pipes are drawn on
 *   their own). Any supply- or return-only pipe switches the model from the
 *   mirrored return to two drawn circuits.
 * - Ports: a node where a closed valve sits lets nothing through, so each
 *   pipe end meeting there gets its own port (the first keeps the node's
 *   number); elsewhere a port is the node.
 * - Stations and sources sit on the node the graph attached them to when it
 *   has a pipe of the circuit needed, else on the nearest such node within
 *   the attach tolerance (a station drawn a little beside its main).
 * - Ground elevation per node from `elevation_start_m` / `elevation_end_m` of
 *   pipes (interior nodes interpolated along the pipe) and `elevation_m` of
 *   stations and sources; a node without data takes the value of the nearest
 *   node with data along the network; with no data at all the network is flat
 *   (0 m) and `elevationKnown` is false.
 */
import { segmentT } from '../geo/clamp';
import { LEVEL_PRIMARY, NODE_VALVE_CLOSED, type NetworkGraph } from '../network/graph';
import type { Feature } from '../model/types';
import { innerDiameterMm } from '../network/hydraulics';
import { MinHeap } from './heap';
import { workF64 } from './work';
import { SaidError, type Message } from '../i18n';

export const CIRCUIT_PAIR = 0;
export const CIRCUIT_SUPPLY = 1;
export const CIRCUIT_RETURN = 2;

/** A pipe or feature the model cannot use, named for the message (`said`, a `hydraulics.err.*` message). */
export class HydraulicInputError extends SaidError {
  constructor(
    public code: 'hydraulics/bad-dn' | 'hydraulics/no-pressure-source' | 'hydraulics/station-unreachable' | 'hydraulics/bad-source' | 'hydraulics/unknown-feature' | 'hydraulics/two-pressure-sources',
    public params: Record<string, string | number | string[]>,
    said: Message,
  ) {
    super(said);
    this.name = 'HydraulicInputError';
  }
}

/** Up to 20 ids and how many more, for a message. */
export const someIds = (ids: readonly string[]) => ({ ids: ids.slice(0, 20).join(', '), more: Math.max(0, ids.length - 20), n: ids.length });

export interface HydraulicNetwork {
  graph: NetworkGraph;
  /** Two drawn circuits (some pipe is supply- or return-only) rather than a mirrored return. */
  twoCircuits: boolean;
  /** Edges in the model (in-service primary pieces), ascending. */
  edges: Int32Array;
  /** Circuit of each edge (CIRCUIT_*; meaningful for model edges). */
  edgeCircuit: Uint8Array;
  /** Port at each end of each edge. */
  edgePortFrom: Int32Array;
  edgePortTo: Int32Array;
  portCount: number;
  /** Graph node of each port. */
  portNode: Int32Array;
  /** Inner diameter (m) of each edge's pipe (0 when its DN is missing). */
  edgeDiameterM: Float64Array;
  /** Ground elevation of each graph node, m. */
  nodeGroundM: Float64Array;
  elevationKnown: boolean;
  /** Supply / return port of each station and source (-1 off the primary network). */
  stationSupplyPort: Int32Array;
  stationReturnPort: Int32Array;
  sourceSupplyPort: Int32Array;
  sourceReturnPort: Int32Array;
}

/** A finite number from a field: numbers as they are, numeric text parsed, anything else null. */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

function circuitOf(pipe: Feature): number {
  const c = pipe.properties.circuit;
  return c === 'supply' ? CIRCUIT_SUPPLY : c === 'return' ? CIRCUIT_RETURN : CIRCUIT_PAIR;
}

/** The in-service primary edges, their circuits, and whether any pipe is supply- or return-only. */
function modelEdges(g: NetworkGraph): { inModel: Uint8Array; edgeCircuit: Uint8Array; edges: Int32Array; twoCircuits: boolean } {
  const pipes = g.input.layers.pipes;
  const E = g.edgeCount;
  const inModel = new Uint8Array(E);
  const edgeCircuit = new Uint8Array(E);
  let count = 0;
  let twoCircuits = false;
  let lastPipe = -1, lastCircuit = CIRCUIT_PAIR;
  for (let e = 0; e < E; e++) {
    if (!g.edgeInService[e] || g.edgeLevel[e] !== LEVEL_PRIMARY) continue;
    inModel[e] = 1;
    count++;
    const pipe = g.edgePipe[e];
    // The pieces of one pipe (usually consecutive edges) share its circuit.
    if (pipe !== lastPipe) {
      lastPipe = pipe;
      lastCircuit = circuitOf(pipes[pipe]);
    }
    const c = lastCircuit;
    edgeCircuit[e] = c;
    if (c !== CIRCUIT_PAIR) twoCircuits = true;
  }
  const edges = new Int32Array(count);
  for (let e = 0, k = 0; e < E; e++) if (inModel[e]) edges[k++] = e;
  return { inModel, edgeCircuit, edges, twoCircuits };
}

/** Ports: a closed-valve node split per pipe end (the first keeps the node's number). */
function edgePorts(g: NetworkGraph, inModel: Uint8Array): { edgePortFrom: Int32Array; edgePortTo: Int32Array; portCount: number; portNode: Int32Array } {
  const E = g.edgeCount;
  const edgePortFrom = new Int32Array(E).fill(-1);
  const edgePortTo = new Int32Array(E).fill(-1);
  let extra = 0;
  const portNodeList: number[] = [];
  for (let n = 0; n < g.nodeCount; n++) {
    const closed = (g.nodeFlags[n] & NODE_VALVE_CLOSED) !== 0;
    let first = true;
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (!inModel[e]) continue;
      let port = n;
      if (closed && !first) {
        port = g.nodeCount + extra++;
        portNodeList.push(n);
      }
      first = false;
      if (g.edgeFrom[e] === n) edgePortFrom[e] = port;
      if (g.edgeTo[e] === n) edgePortTo[e] = port;
    }
  }
  const portCount = g.nodeCount + extra;
  const portNode = new Int32Array(portCount);
  for (let n = 0; n < g.nodeCount; n++) portNode[n] = n;
  portNodeList.forEach((n, i) => (portNode[g.nodeCount + i] = n));
  return { edgePortFrom, edgePortTo, portCount, portNode };
}

/** Inner diameter (m) of each model edge's pipe by its DN (0 when the DN is missing or not positive). */
function edgeDiameters(g: NetworkGraph, edges: Int32Array): Float64Array {
  const pipes = g.input.layers.pipes;
  const settings = g.input.settings;
  const edgeDiameterM = new Float64Array(g.edgeCount);
  let lastPipe = -1, lastD = 0;
  for (let ei = 0; ei < edges.length; ei++) {
    const e = edges[ei];
    const pipe = g.edgePipe[e];
    if (pipe !== lastPipe) {
      lastPipe = pipe;
      const dn = num(pipes[pipe].properties.dn);
      lastD = dn !== null && dn > 0 ? innerDiameterMm(dn, settings) / 1000 : 0;
    }
    edgeDiameterM[e] = lastD;
  }
  return edgeDiameterM;
}

/** Which circuits touch each node: bit 1 supply, bit 2 return. */
function circuitsAtNodes(g: NetworkGraph, edges: Int32Array, edgeCircuit: Uint8Array): Uint8Array {
  const touch = new Uint8Array(g.nodeCount);
  for (let ei = 0; ei < edges.length; ei++) {
    const e = edges[ei];
    const c = edgeCircuit[e];
    const bits = c === CIRCUIT_PAIR ? 3 : c === CIRCUIT_SUPPLY ? 1 : 2;
    touch[g.edgeFrom[e]] |= bits;
    touch[g.edgeTo[e]] |= bits;
  }
  return touch;
}

export function buildHydraulicNetwork(g: NetworkGraph): HydraulicNetwork {
  const settings = g.input.settings;
  // (Each loop over every edge or node is a small function of its own: compiled apart from this one,
  // which is entered once per run.)
  const { inModel, edgeCircuit, edges, twoCircuits } = modelEdges(g);
  const { edgePortFrom, edgePortTo, portCount, portNode } = edgePorts(g, inModel);
  const edgeDiameterM = edgeDiameters(g, edges);
  const touch = circuitsAtNodes(g, edges, edgeCircuit);
  const locator = nodeLocator(g, touch, settings.attachToleranceM, inModel, edgeCircuit);
  const attach = (nodes: Int32Array, features: Feature[]) => {
    const supply = new Int32Array(nodes.length).fill(-1);
    const ret = new Int32Array(nodes.length).fill(-1);
    for (let i = 0; i < nodes.length; i++) {
      const p = (features[i].geometry as { coordinates?: number[] } | null)?.coordinates;
      const s = locator(nodes[i], p, 1);
      const r = locator(nodes[i], p, 2);
      supply[i] = s;
      ret[i] = r;
    }
    return { supply, ret };
  };
  const st = attach(g.stationNode, g.input.layers.stations);
  const so = attach(g.sourceNode, g.input.layers.heat_sources);

  const { ground, known } = groundElevation(g, edges);
  return {
    graph: g,
    twoCircuits,
    edges,
    edgeCircuit,
    edgePortFrom,
    edgePortTo,
    portCount,
    portNode,
    edgeDiameterM,
    nodeGroundM: ground,
    elevationKnown: known,
    stationSupplyPort: st.supply,
    stationReturnPort: st.ret,
    sourceSupplyPort: so.supply,
    sourceReturnPort: so.ret,
  };
}

/**
 * The node a feature sits on for a circuit (bits: 1 supply, 2 return): its own
 * node when a pipe of that circuit meets there, else the nearest such node
 * within the tolerance, else — a station beside the interior of a main whose
 * own node belongs to its secondary side — the nearer end of the nearest
 * piece of a main of that circuit within the tolerance (as the capacity check
 * does), else -1.
 */
function nodeLocator(g: NetworkGraph, touch: Uint8Array, tol: number, inModel: Uint8Array, edgeCircuit: Uint8Array) {
  const circuitBits = (e: number) => (edgeCircuit[e] === CIRCUIT_PAIR ? 3 : edgeCircuit[e] === CIRCUIT_SUPPLY ? 1 : 2);
  const besidePipe = (x: number, y: number, bits: number): number => {
    const pipes = g.input.layers.pipes;
    let best = -1, bestD = tol, bestEnd = Infinity;
    for (let i = 0; i < pipes.length; i++) {
      const k0 = g.pipeEdgeStart[i], k1 = g.pipeEdgeStart[i + 1];
      if (k0 === k1 || !inModel[g.pipeEdge[k0]] || !(circuitBits(g.pipeEdge[k0]) & bits)) continue;
      const c = (pipes[i].geometry as { coordinates?: number[][] } | null)?.coordinates ?? [];
      let d = Infinity;
      for (let k = 1; k < c.length; k++) {
        const ax = (c[k - 1][0] - g.proj.lon0) * g.proj.kx, ay = (c[k - 1][1] - g.proj.lat0) * g.proj.ky;
        const bx = (c[k][0] - g.proj.lon0) * g.proj.kx, by = (c[k][1] - g.proj.lat0) * g.proj.ky;
        const dx = bx - ax, dy = by - ay;
        const t = segmentT(x, y, ax, ay, dx, dy);
        d = Math.min(d, Math.hypot(ax + t * dx - x, ay + t * dy - y));
      }
      if (d > bestD) continue;
      for (let k = k0; k < k1; k++)
        for (const n of [g.edgeFrom[g.pipeEdge[k]], g.edgeTo[g.pipeEdge[k]]]) {
          const dn = Math.hypot(g.nodeX[n] - x, g.nodeY[n] - y);
          if (d < bestD || dn < bestEnd) [best, bestD, bestEnd] = [n, d, dn];
        }
    }
    return best;
  };
  let grid: Map<string, number[]> | null = null;
  const cell = Math.max(tol, 1e-3);
  return (node: number, point: number[] | undefined, bits: number): number => {
    if (node >= 0 && touch[node] & bits) return node;
    if (!point || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) return -1;
    if (!grid) {
      grid = new Map();
      for (let n = 0; n < g.nodeCount; n++) {
        if (!touch[n]) continue;
        const k = `${Math.floor(g.nodeX[n] / cell)},${Math.floor(g.nodeY[n] / cell)}`;
        const list = grid.get(k);
        if (list) list.push(n);
        else grid.set(k, [n]);
      }
    }
    const x = (point[0] - g.proj.lon0) * g.proj.kx;
    const y = (point[1] - g.proj.lat0) * g.proj.ky;
    const cx = Math.floor(x / cell), cy = Math.floor(y / cell);
    let best = -1, bestD = tol;
    for (let i = -1; i <= 1; i++)
      for (let j = -1; j <= 1; j++)
        for (const n of grid.get(`${cx + i},${cy + j}`) ?? []) {
          if (!(touch[n] & bits)) continue;
          const d = Math.hypot(g.nodeX[n] - x, g.nodeY[n] - y);
          if (d < bestD || (d === bestD && (best < 0 || n < best))) [best, bestD] = [n, d];
        }
    return best >= 0 ? best : besidePipe(x, y, bits);
  };
}

/** Ground elevation per node from the data, filled along the network; flat (0 m) without any data. */
function groundElevation(g: NetworkGraph, edges: Int32Array): { ground: Float64Array; known: boolean } {
  // Sums, counts and distances are work arrays (work.ts): only the ground heights are kept.
  const sum = workF64('elevation.sum', g.nodeCount).fill(0);
  const cnt = workF64('elevation.count', g.nodeCount).fill(0);
  const add = (n: number, z: number | null) => {
    if (n < 0 || z === null) return;
    sum[n] += z;
    cnt[n]++;
  };
  const pipes = g.input.layers.pipes;
  for (let i = 0; i < pipes.length; i++) {
    const k0 = g.pipeEdgeStart[i], k1 = g.pipeEdgeStart[i + 1];
    if (k0 === k1 || g.edgeLevel[g.pipeEdge[k0]] !== LEVEL_PRIMARY) continue;
    const z0 = num(pipes[i].properties.elevation_start_m);
    const z1 = num(pipes[i].properties.elevation_end_m);
    add(g.pipeStartNode[i], z0);
    add(g.pipeEndNode[i], z1);
    if (z0 !== null && z1 !== null && k1 - k0 > 1) {
      let total = 0;
      for (let k = k0; k < k1; k++) total += g.edgeLengthM[g.pipeEdge[k]];
      let run = 0;
      for (let k = k0; k < k1 - 1; k++) {
        const e = g.pipeEdge[k];
        run += g.edgeLengthM[e];
        add(g.edgeTo[e], z0 + (z1 - z0) * (total > 0 ? run / total : 0));
      }
    }
  }
  g.input.layers.stations.forEach((s, i) => add(g.stationNode[i], num(s.properties.elevation_m)));
  g.input.layers.heat_sources.forEach((s, i) => add(g.sourceNode[i], num(s.properties.elevation_m)));
  const ground = new Float64Array(g.nodeCount);
  let any = false;
  const dist = workF64('elevation.dist', g.nodeCount).fill(Infinity);
  for (let n = 0; n < g.nodeCount; n++)
    if (cnt[n] > 0) {
      ground[n] = sum[n] / cnt[n];
      dist[n] = 0;
      any = true;
    }
  if (!any) return { ground, known: false };
  const heap = new MinHeap(g.nodeCount);
  for (let n = 0; n < g.nodeCount; n++) if (cnt[n] > 0) heap.push(0, n);
  const inModel = new Uint8Array(g.edgeCount);
  for (let ei = 0; ei < edges.length; ei++) inModel[edges[ei]] = 1;
  while (heap.size) {
    const d = heap.topKey();
    const u = heap.pop();
    if (d > dist[u]) continue;
    for (let k = g.adjStart[u]; k < g.adjStart[u + 1]; k++) {
      const e = g.adjEdge[k];
      if (!inModel[e]) continue;
      const v = g.edgeFrom[e] === u ? g.edgeTo[e] : g.edgeFrom[e];
      const nd = d + g.edgeLengthM[e];
      if (nd < dist[v]) {
        dist[v] = nd;
        ground[v] = ground[u];
        heap.push(nd, v);
      }
    }
  }
  return { ground, known: true };
}

/**
 * The edges at each port as CSR (`adj[start[p]] … adj[start[p + 1] - 1]`), keeping only the
 * edges `keep` accepts (e.g. the supply side).
 */
export function portAdjacency(net: HydraulicNetwork, keep: (e: number) => boolean): { adjStart: Int32Array; adj: Int32Array } {
  const P = net.portCount;
  const adjStart = new Int32Array(P + 1);
  for (let ei = 0; ei < net.edges.length; ei++) {
    const e = net.edges[ei];
    if (!keep(e)) continue;
    adjStart[net.edgePortFrom[e] + 1]++;
    adjStart[net.edgePortTo[e] + 1]++;
  }
  for (let i = 0; i < P; i++) adjStart[i + 1] += adjStart[i];
  const adj = new Int32Array(adjStart[P]);
  const fill = adjStart.slice(0, P);
  for (let ei = 0; ei < net.edges.length; ei++) {
    const e = net.edges[ei];
    if (!keep(e)) continue;
    adj[fill[net.edgePortFrom[e]]++] = e;
    adj[fill[net.edgePortTo[e]]++] = e;
  }
  return { adjStart, adj };
}

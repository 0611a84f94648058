/**
 * Capacity check (heat-load mismatch, DOMAIN.md §3.6), station overload
 * (§3.7) and source load, computed on the supply tree.
 *
 * The supply tree, on the network graph (graph.ts, DOMAIN.md §2: snapped
 * nodes, valves inside pipes split them, only in-service pipes carry, flow
 * reaches a closed valve's node but does not pass it):
 * - Primary: every node is fed from the source nearest along the network
 *   (multi-source shortest paths by geodesic length). Backup sources feed
 *   only what no main source reaches. The tree says which source feeds a
 *   pipe (`fedBy`) and which stations a source serves; the load a pipe
 *   carries is the simulated one (core/hydraulics, design scenario: loops
 *   and several sources share the flow as the pressures make them), its flow
 *   × ρ·c·ΔT. Where the hydraulic model cannot run (a pipe without DN…) the
 *   tree's load is used (everything downstream; a loop-closing pipe nothing)
 *   and `flows` says so.
 * - Secondary / courtyard: from each station's secondary-side node the same
 *   way, the loads then solved hydraulically with each station as the feeding
 *   point (core/hydraulics/demandNetwork.ts). A community's load (× simultaneity) is placed on the network of its
 *   own station (`station_id`): split evenly over the branch ends (nodes with
 *   one pipe) inside its polygon; if none, over all that network's nodes
 *   inside; if none, on the node of that network nearest the polygon.
 * - Stations and sources sit on their graph node; when that node has no pipe
 *   of the side needed (a station's primary or secondary side), the nearest
 *   node with one within the attach tolerance is used.
 * - A pipe divided into pieces (by a valve inside it) reports its most loaded
 *   piece.
 *
 * A pipe is *mismatched* when R or v exceeds its level's limit. A primary
 * pipe is *oversized* when R < oversizedRFraction × economic R min and the
 * next smaller DN would carry the same load within the economic R max and
 * the velocity limit.
 */
import { leaveOutLongest } from '../arrays';
import { segmentT } from '../geo/clamp';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Position } from '../model/geojson';
import type { NetworkInput } from './build/base';
import { PIPE_LEVELS, type PipeLevel } from '../model/schema';
import type { Settings } from '../model/settings';
import { buildGraph, LEVEL_PRIMARY, NODE_VALVE_CLOSED, otherEnd, sourceActive, type NetworkGraph } from './graph';
import { levelLimits, pipeHydraulics } from './hydraulics';
import { communityLoadMW } from './loads';
import { sourceLoadCheck, stationOverload, type SourceLoadCheck, type StationOverload } from './stationLoad';
import { buildHydraulicNetwork, HydraulicInputError } from '../hydraulics/network';
import { flowNumbers, simulateScenario } from '../hydraulics/simulate';
import { solveDemandNetwork } from '../hydraulics/demandNetwork';
import { message, type Message } from '../i18n';

export type PipeCapacityStatus = 'ok' | 'mismatched' | 'oversized';

export interface PipeCapacity {
  id: string;
  level: PipeLevel;
  dn: number;
  lengthM: number;
  /** Load carried (everything downstream in the supply tree), MW. */
  loadMW: number;
  flowKgS: number;
  velocityMs: number;
  rPaM: number;
  status: PipeCapacityStatus;
  /** Why, as typed messages (core/i18n). */
  reason: Message[];
  /** Source (primary) or station (secondary, courtyard) feeding this pipe; null when unfed. */
  fedBy: string | null;
}

export interface CommunityAttachment {
  id: string;
  stationId: string | null;
  loadMW: number;
  /** Nodes the load sits on, as lon/lat. */
  at: Position[];
  rule: 'branch_ends_inside' | 'nodes_inside' | 'nearest_node' | 'unattached';
  /** For `nearest_node`: distance from the polygon, m. */
  distanceM: number | null;
  reason: Message[];
}

export interface CapacityReport {
  pipes: PipeCapacity[];
  stations: StationOverload[];
  sources: SourceLoadCheck[];
  communities: CommunityAttachment[];
  /** Stations no source reaches over the primary network. */
  stationsUnfed: string[];
  /** Where the pipes' loads come from: the hydraulic simulation, or the supply tree (and why). */
  /** Which flows the check used, and why supply-tree loads where it fell back (typed messages; empty when none). */
  flows: { primary: 'hydraulic' | 'tree'; secondary: 'hydraulic' | 'tree'; note: Message[] };
  summary: {
    pipes: number;
    mismatched: number;
    oversized: number;
    stationsOverloaded: number;
    stationsNearLimit: number;
    sourcesOverloaded: number;
  };
}

// ---------------------------------------------------------------- geometry

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const t = segmentT(px, py, ax, ay, dx, dy);
  return Math.hypot(ax + t * dx - px, ay + t * dy - py);
}


// ---------------------------------------------------------------- trees

type Side = 'primary' | 'secondary';
const sideOf = (g: NetworkGraph, e: number): Side => (g.edgeLevel[e] === LEVEL_PRIMARY ? 'primary' : 'secondary');

function touchesSide(g: NetworkGraph, n: number, side: Side): boolean {
  for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) if (sideOf(g, g.adjEdge[k]) === side) return true;
  return false;
}

/**
 * Finds, for a feature, its node if that node has a pipe of `side`, else the
 * nearest node that has one within the attach tolerance (a station whose two
 * sides end a little apart). The grid of candidate nodes is built on first need.
 */
function sideLocator(g: NetworkGraph, side: Side, tol: number) {
  let grid: Map<string, number[]> | null = null;
  const cell = Math.max(tol, 1e-3);
  return (node: number, point: Position | undefined): number | null => {
    if (node >= 0 && touchesSide(g, node, side)) return node;
    if (!point) return null;
    if (!grid) {
      grid = new Map();
      for (let n = 0; n < g.nodeCount; n++) {
        if (!touchesSide(g, n, side)) continue;
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
          const d = Math.hypot(g.nodeX[n] - x, g.nodeY[n] - y);
          if (d < bestD || (d === bestD && best >= 0 && n < best) || (d <= bestD && best < 0)) [best, bestD] = [n, d];
        }
    if (best >= 0) return best;
    return nearPipeNode(g, side, x, y, tol);
  };
}

/**
 * Last resort for a feature that sits beside the interior of a pipe of `side`
 * (a station on a main without a branch end): the nearer end of that pipe's
 * nearest piece, so its load still enters the tree there.
 */
function nearPipeNode(g: NetworkGraph, side: Side, x: number, y: number, tol: number): number | null {
  const pipes = g.input.layers.pipes;
  let best = -1, bestD = tol;
  for (let i = 0; i < pipes.length; i++) {
    const k0 = g.pipeEdgeStart[i], k1 = g.pipeEdgeStart[i + 1];
    if (k0 === k1 || sideOf(g, g.pipeEdge[k0]) !== side) continue;
    const coords = (pipes[i].geometry as { coordinates?: Position[] } | null)?.coordinates ?? [];
    let d = Infinity;
    for (let k = 1; k < coords.length; k++) {
      const ax = (coords[k - 1][0] - g.proj.lon0) * g.proj.kx, ay = (coords[k - 1][1] - g.proj.lat0) * g.proj.ky;
      const bx = (coords[k][0] - g.proj.lon0) * g.proj.kx, by = (coords[k][1] - g.proj.lat0) * g.proj.ky;
      d = Math.min(d, segmentDistance(x, y, ax, ay, bx, by));
    }
    if (d > bestD) continue;
    for (let k = k0; k < k1; k++)
      for (const n of [g.edgeFrom[g.pipeEdge[k]], g.edgeTo[g.pipeEdge[k]]]) {
        const dn = Math.hypot(g.nodeX[n] - x, g.nodeY[n] - y);
        if (best < 0 || d < bestD || dn < Math.hypot(g.nodeX[best] - x, g.nodeY[best] - y)) [best, bestD] = [n, d];
      }
  }
  return best >= 0 ? best : null;
}

interface Tree {
  root: Int32Array;
  parentEdge: Int32Array;
  parentNode: Int32Array;
  /** Nodes in the order they were settled (nearest first). */
  order: number[];
}

/** Multi-root Dijkstra by pipe length over in-service edges of one side; `key` names the root feature. */
function shortestPathTree(g: NetworkGraph, roots: { node: number; key: number; dist: number }[], side: Side): Tree {
  const n = g.nodeCount;
  const dist = new Float64Array(n).fill(Infinity);
  const root = new Int32Array(n).fill(-1);
  const parentEdge = new Int32Array(n).fill(-1);
  const parentNode = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const isRoot = new Uint8Array(n);
  const heap = new MinHeap();
  for (const r of roots) {
    if (r.dist < dist[r.node]) {
      dist[r.node] = r.dist;
      root[r.node] = r.key;
      isRoot[r.node] = 1;
      heap.push(r.dist, r.node);
    }
  }
  const order: number[] = [];
  while (heap.size) {
    const [d, u] = heap.pop();
    if (done[u] || d > dist[u]) continue;
    done[u] = 1;
    order.push(u);
    if (g.nodeFlags[u] & NODE_VALVE_CLOSED && !isRoot[u]) continue;
    for (let k = g.adjStart[u]; k < g.adjStart[u + 1]; k++) {
      const e = g.adjEdge[k];
      if (!g.edgeInService[e] || sideOf(g, e) !== side) continue;
      const v = otherEnd(g, e, u);
      const nd = d + g.edgeLengthM[e];
      if (nd < dist[v]) {
        dist[v] = nd;
        root[v] = root[u];
        parentEdge[v] = e;
        parentNode[v] = u;
        heap.push(nd, v);
      }
    }
  }
  return { root, parentEdge, parentNode, order };
}

/** Push each node's own load up the tree; returns the load on every edge. */
function accumulate(tree: Tree, nodeLoad: Float64Array, edgeCount: number): Float64Array {
  const sub = Float64Array.from(nodeLoad);
  const edgeLoad = new Float64Array(edgeCount);
  for (let k = tree.order.length - 1; k >= 0; k--) {
    const u = tree.order[k];
    const e = tree.parentEdge[u];
    if (e < 0) continue;
    edgeLoad[e] += sub[u];
    sub[tree.parentNode[u]] += sub[u];
  }
  return edgeLoad;
}

class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(k: number, v: number): void {
    const K = this.keys, V = this.vals;
    let i = K.length;
    K.push(k);
    V.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (K[p] <= k) break;
      K[i] = K[p];
      V[i] = V[p];
      i = p;
    }
    K[i] = k;
    V[i] = v;
  }
  pop(): [number, number] {
    const K = this.keys, V = this.vals;
    const top: [number, number] = [K[0], V[0]];
    const k = K.pop()!, v = V.pop()!;
    if (K.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= K.length) break;
        const c = l + 1 < K.length && K[l + 1] < K[l] ? l + 1 : l;
        if (K[c] >= k) break;
        K[i] = K[c];
        V[i] = V[c];
        i = c;
      }
      K[i] = k;
      V[i] = v;
    }
    return top;
  }
}

// ---------------------------------------------------------------- the check


const isBackup = (v: unknown) => v === true || v === 1 || v === 'yes' || v === 'true';
const pointOf = (f: { geometry?: unknown }): Position | undefined =>
  (f.geometry as { coordinates?: Position } | undefined)?.coordinates;

/** What every pipe's verdict reads: the graph, the supply trees and each side's edge loads (simulated or the tree's). */
interface PipeCapacityContext {
  g: NetworkGraph;
  pTree: Tree;
  sTree: Tree;
  loadP: Float64Array;
  loadS: Float64Array;
  /** Whether each side's loads are simulated flows (else the supply tree's). */
  simulatedP: boolean;
  simulatedS: boolean;
  sourceFeatures: NetworkInput['layers']['heat_sources'];
  stationFeatures: NetworkInput['layers']['stations'];
  settings: Settings;
  /** DNs with an inner diameter, ascending. */
  dns: number[];
}

/** The reasons without parameters, one object each for every pipe that has them (read-only). */
const FIXED = {
  noDn: Object.freeze(message('capacity.noDn')),
  loadMismatch: Object.freeze(message('capacity.loadMismatch')),
  notInService: Object.freeze(message('capacity.notInService')),
  noSource: Object.freeze(message('capacity.noSource')),
  noStation: Object.freeze(message('capacity.noStation')),
  noFlow: Object.freeze(message('capacity.noFlow')),
  noLoad: Object.freeze(message('capacity.noLoad')),
};

/** What the verdict of a pipe rests on; one record, overwritten pipe after pipe (pipeState). */
interface PipeState {
  level: PipeLevel;
  dn: number;
  lengthM: number;
  loadMW: number;
  fedBy: string | null;
  /** Some piece in service. */
  carries: boolean;
  /** Some piece reached from a source (primary) or station (secondary side). */
  reached: boolean;
  /** Whether the pipe has a usable DN (else no hydraulics and no verdict). */
  hasDn: boolean;
  flowKgS: number;
  velocityMs: number;
  rPaM: number;
  maxRPaM: number;
  maxVelocityMs: number;
  status: PipeCapacityStatus;
  /** Oversized: the next smaller DN and its R. */
  smallerDn: number;
  smallerRPaM: number;
}

const newState = (): PipeState => ({
  level: 'secondary', dn: 0, lengthM: 0, loadMW: 0, fedBy: null, carries: false, reached: false, hasDn: false,
  flowKgS: 0, velocityMs: 0, rPaM: 0, maxRPaM: 0, maxVelocityMs: 0, status: 'ok', smallerDn: 0, smallerRPaM: 0,
});

/** Hydraulics and verdict of pipe i (its most loaded piece), as numbers into `s`. */
function pipeState(c: PipeCapacityContext, f: NetworkInput['layers']['pipes'][number], i: number, s: PipeState): void {
  const { g, settings } = c;
  const level = (PIPE_LEVELS as readonly string[]).includes(f.properties.level as string) ? (f.properties.level as PipeLevel) : 'secondary';
  const prim = level === 'primary';
  const dn = Number(f.properties.dn);
  const tree = prim ? c.pTree : c.sTree;
  const loads = prim ? c.loadP : c.loadS;
  let loadMW = 0, lengthM = 0, carries = false, reached = false, fedBy: string | null = null;
  for (let k = g.pipeEdgeStart[i]; k < g.pipeEdgeStart[i + 1]; k++) {
    const e = g.pipeEdge[k];
    lengthM += g.edgeLengthM[e];
    carries ||= g.edgeInService[e] === 1;
    const a = g.edgeFrom[e], b = g.edgeTo[e];
    reached ||= tree.root[a] >= 0 || tree.root[b] >= 0;
    const load = loads[e];
    const down = tree.parentEdge[a] === e ? a : tree.parentEdge[b] === e ? b : -1;
    if (down >= 0 && (fedBy === null || load > loadMW)) {
      const key = tree.root[down];
      fedBy = prim ? c.sourceFeatures[key].id : c.stationFeatures[key].id;
    }
    loadMW = Math.max(loadMW, load);
  }
  s.level = level;
  s.dn = dn;
  s.lengthM = lengthM;
  s.loadMW = loadMW;
  s.fedBy = fedBy;
  s.carries = carries;
  s.reached = reached;
  s.status = 'ok';
  s.hasDn = Number.isFinite(dn) && dn > 0;
  if (!s.hasDn) {
    s.flowKgS = s.velocityMs = s.rPaM = 0;
    return;
  }
  const h = pipeHydraulics(loadMW, dn, level, settings);
  const lim = levelLimits(level, settings);
  s.flowKgS = h.flowKgS;
  s.velocityMs = h.velocityMs;
  s.rPaM = h.rPaM;
  s.maxRPaM = lim.maxRPaM;
  s.maxVelocityMs = lim.maxVelocityMs;
  if (h.rPaM > lim.maxRPaM || h.velocityMs > lim.maxVelocityMs) {
    s.status = 'mismatched';
    return;
  }
  if (!carries || loadMW <= 0) return;
  const floor = settings.oversizedRFraction * settings.primaryEconomicRMinPam;
  if (prim && h.rPaM < floor) {
    const smaller = nextSmaller(c.dns, dn);
    if (smaller !== undefined) {
      const sm = pipeHydraulics(loadMW, smaller, level, settings);
      if (sm.rPaM <= settings.primaryEconomicRMaxPam && sm.velocityMs <= lim.maxVelocityMs) {
        s.status = 'oversized';
        s.smallerDn = smaller;
        s.smallerRPaM = sm.rPaM;
      }
    }
  }
}

/** The verdict of a pipe as the report lists it, its reasons said (from pipeState). */
function pipeVerdict(c: PipeCapacityContext, id: string, s: PipeState): PipeCapacity {
  const { level, dn, lengthM, loadMW, fedBy, status } = s;
  const prim = level === 'primary';
  // (Object literals with every field in the same order: one shape for every pipe.)
  if (!s.hasDn) return { id, level, dn, lengthM, loadMW, fedBy, flowKgS: 0, velocityMs: 0, rPaM: 0, status: 'ok', reason: [FIXED.noDn] };
  // Reasons as arrays of their exact length, the messages without parameters shared: at city scale
  // most of a report's memory is its reasons (a grown array keeps room for 17).
  let reason: Message[];
  if (status === 'mismatched') {
    const rOver = s.rPaM > s.maxRPaM, vOver = s.velocityMs > s.maxVelocityMs;
    const r = rOver ? message('capacity.rOver', { r: s.rPaM.toFixed(0), max: s.maxRPaM }) : null;
    const v = vOver ? message('capacity.vOver', { v: s.velocityMs.toFixed(2), max: s.maxVelocityMs }) : null;
    reason = r && v ? [FIXED.loadMismatch, r, v] : [FIXED.loadMismatch, (r ?? v)!];
  } else if (!s.carries) {
    reason = [FIXED.notInService];
  } else if (loadMW <= 0) {
    reason = [!s.reached ? (prim ? FIXED.noSource : FIXED.noStation) : (prim ? c.simulatedP : c.simulatedS) ? FIXED.noFlow : FIXED.noLoad];
  } else if (status === 'oversized') {
    const floor = c.settings.oversizedRFraction * c.settings.primaryEconomicRMinPam;
    reason = [message('capacity.oversized', { r: s.rPaM.toFixed(1), floor: floor.toFixed(1), dn: s.smallerDn, rs: s.smallerRPaM.toFixed(0) })];
  } else {
    reason = [message('capacity.rAndV', { r: s.rPaM.toFixed(1), v: s.velocityMs.toFixed(2) })];
  }
  return { id, level, dn, lengthM, loadMW, fedBy, flowKgS: s.flowKgS, velocityMs: s.velocityMs, rPaM: s.rPaM, status, reason };
}

/**
 * MW per edge from the simulated flows (m³/s; rhoC kJ/(m³·K), dT K): a pipe of one piece carries its
 * pipe flow, one of several pieces each piece its own; computed as from the result's `pipes` objects
 * (flows in m³/h there, same operations in the same order), so the loads are the same to the last bit.
 */
function edgeLoadsFromFlows(g: NetworkGraph, pipeFlow: Float64Array, edgeFlow: Float64Array, rhoC: number, dT: number, out: Float64Array): void {
  for (let i = 0; i < pipeFlow.length; i++) {
    if (Number.isNaN(pipeFlow[i])) continue;
    const k0 = g.pipeEdgeStart[i], k1 = g.pipeEdgeStart[i + 1];
    if (k1 - k0 <= 1) out[g.pipeEdge[k0]] = ((Math.abs(pipeFlow[i] * 3600) / 3600) * rhoC * dT) / 1000;
    else for (let k = k0; k < k1; k++) out[g.pipeEdge[k]] = ((Math.abs(edgeFlow[g.pipeEdge[k]] * 3600) / 3600) * rhoC * dT) / 1000;
  }
}

/** The largest of the ascending dns below dn. */
function nextSmaller(dns: number[], dn: number): number | undefined {
  let out: number | undefined;
  for (const d of dns) if (d < dn) out = d;
  return out;
}

/** Everything the capacity check reports, from the project's plain data. */
export function capacityCheck(data: NetworkInput, settings: Settings = data.settings, graph?: NetworkGraph): CapacityReport {
  const pipes: PipeCapacity[] = [];
  const { stations, sources, communities, stationsUnfed, flows, summary } = checkOnce(data, settings, graph, pipes).report;
  return { pipes, stations, sources, communities, stationsUnfed, flows, summary };
}

const STATUS_OF: readonly PipeCapacityStatus[] = ['ok', 'mismatched', 'oversized'];
const STATUS_CODE: Record<PipeCapacityStatus, number> = { ok: 0, mismatched: 1, oversized: 2 };

/**
 * A capacity check with its pipes' verdicts kept as numbers, for whoever holds a check of a city
 * network (the analysis worker): a verdict as the report lists it, its reasons said, is made for
 * the pipes asked for (a million such objects with their messages are most of a report's memory).
 */
export interface CapacityVerdicts {
  /** The report but its list of pipes. */
  report: Omit<CapacityReport, 'pipes'>;
  /** Per pipe of the input, in its order: code, verdict (STATUS_OF index), load, R, length. */
  ids: readonly string[];
  status: Uint8Array;
  loadMW: Float64Array;
  rPaM: Float64Array;
  lengthM: Float64Array;
  /** Pipe i's verdict as capacityCheck lists it. */
  pipe(i: number): PipeCapacity;
}

export function capacityVerdicts(data: NetworkInput, settings: Settings = data.settings, graph?: NetworkGraph): CapacityVerdicts {
  return checkOnce(data, settings, graph, null);
}

export const verdictStatus = (v: CapacityVerdicts, i: number): PipeCapacityStatus => STATUS_OF[v.status[i]];

/** The check; the verdict objects of every pipe pushed onto `pipes` when given (one pass for both). */
function checkOnce(data: NetworkInput, settings: Settings, graph: NetworkGraph | undefined, pipes: PipeCapacity[] | null): CapacityVerdicts {
  const g = graph ?? buildGraph({ layers: data.layers, settings });
  const tol = settings.attachToleranceM;
  const { heat_sources: sourceFeatures, stations: stationFeatures, pipes: pipeFeatures } = data.layers;
  const stations = stationOverload(data, settings);
  const nodeXY = (n: number): [number, number] => [g.nodeX[n], g.nodeY[n]];
  const toXY = (p: Position): [number, number] => [(p[0] - g.proj.lon0) * g.proj.kx, (p[1] - g.proj.lat0) * g.proj.ky];
  const primaryNode = sideLocator(g, 'primary', tol);
  const secondaryNode = sideLocator(g, 'secondary', tol);

  // Primary tree from the sources; backups start "far away" so a main source wins every node it reaches.
  const sourceNode = new Map<string, number>();
  const primaryRoots: { node: number; key: number; dist: number }[] = [];
  sourceFeatures.forEach((h, i) => {
    if (!sourceActive(h)) return;
    const n = primaryNode(g.sourceNode[i], pointOf(h));
    if (n === null) return;
    sourceNode.set(h.id, n);
    primaryRoots.push({ node: n, key: i, dist: isBackup(h.properties.is_backup) ? 1e12 : 0 });
  });
  const pTree = shortestPathTree(g, primaryRoots, 'primary');
  const nodeLoadP = new Float64Array(g.nodeCount);
  const stationSource = new Map<string, string>();
  const stationsUnfed: string[] = [];
  const stationSecondaryNode = new Map<number, number>();
  stationFeatures.forEach((s, i) => {
    const sn = secondaryNode(g.stationNode[i], pointOf(s));
    if (sn !== null) stationSecondaryNode.set(i, sn);
    const pn = primaryNode(g.stationNode[i], pointOf(s));
    if (pn === null || pTree.root[pn] < 0) {
      stationsUnfed.push(s.id);
      return;
    }
    nodeLoadP[pn] += stations[i].connectedMW;
    stationSource.set(s.id, sourceFeatures[pTree.root[pn]].id);
  });
  const edgeLoadP = accumulate(pTree, nodeLoadP, g.edgeCount);

  // Primary networks, for backups: what each source reaches without passing a closed valve.
  const networkOfNode = new Int32Array(g.nodeCount).fill(-1);
  let nets = 0;
  for (const start of sourceNode.values()) {
    if (networkOfNode[start] >= 0) continue;
    for (const u of shortestPathTree(g, [{ node: start, key: nets, dist: 0 }], 'primary').order)
      if (networkOfNode[u] < 0) networkOfNode[u] = nets;
    nets++;
  }
  const networkOf = new Map<string, number>();
  for (const [id, n] of sourceNode) networkOf.set(id, networkOfNode[n]);
  const sources = sourceLoadCheck(data, stations, stationSource, networkOf, settings);

  // Secondary / courtyard trees from the stations.
  const sTree = shortestPathTree(g, [...stationSecondaryNode].map(([key, node]) => ({ node, key, dist: 0 })), 'secondary');
  const nodeLoadS = new Float64Array(g.nodeCount);
  const degree = new Int32Array(g.nodeCount);
  for (let e = 0; e < g.edgeCount; e++)
    if (g.edgeInService[e] && sideOf(g, e) === 'secondary' && g.edgeFrom[e] !== g.edgeTo[e]) {
      degree[g.edgeFrom[e]]++;
      degree[g.edgeTo[e]]++;
    }
  const rootNodes = new Set(stationSecondaryNode.values());
  const nodesOfStation = new Map<number, number[]>();
  for (const u of sTree.order) {
    const k = sTree.root[u];
    if (k < 0) continue;
    const list = nodesOfStation.get(k);
    if (list) list.push(u);
    else nodesOfStation.set(k, [u]);
  }
  const communities: CommunityAttachment[] = data.layers.communities.map((c) => {
    const sid = c.properties.station_id;
    const stationId = typeof sid === 'string' && sid !== '' ? sid : null;
    const loadMW = communityLoadMW(c, settings) * settings.simultaneity;
    const base = { id: c.id, stationId, loadMW, at: [] as Position[], distanceM: null as number | null };
    const key = stationId !== null ? g.stationIndex.get(stationId) : undefined;
    if (key === undefined)
      return { ...base, rule: 'unattached' as const, reason: [stationId ? message('capacity.stationMissing', { id: stationId }) : message('capacity.noStationId')] };
    const own = nodesOfStation.get(key) ?? [];
    if (own.length === 0)
      return { ...base, rule: 'unattached' as const, reason: [message('capacity.stationNoSecondary', { id: stationId })] };
    // Polygons as rings in metres; a MultiPolygon (imported data) is several polygons.
    const geom = c.geometry as { type?: string; coordinates?: unknown } | null;
    const polygons = ((geom?.type === 'MultiPolygon' ? geom.coordinates : geom?.coordinates ? [geom.coordinates] : []) as Position[][][]).map((poly) =>
      poly.map((ring) => ring.map(toXY)),
    );
    const rings = polygons.flat();
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y] of polygons.flatMap((poly) => poly[0] ?? [])) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    const inside = (u: number) => {
      const [x, y] = nodeXY(u);
      if (x < x0 || x > x1 || y < y0 || y > y1) return false;
      return polygons.some((poly) => poly.length > 0 && booleanPointInPolygon([x, y], { type: 'Polygon', coordinates: poly }));
    };
    const ins = own.filter(inside);
    const ends = ins.filter((u) => degree[u] === 1 && !rootNodes.has(u));
    let chosen: number[];
    let rule: CommunityAttachment['rule'];
    let distanceM: number | null = null;
    if (ends.length) [chosen, rule] = [ends, 'branch_ends_inside'];
    else if (ins.length) [chosen, rule] = [ins, 'nodes_inside'];
    else {
      let best = own[0], bestD = Infinity;
      for (const u of own) {
        const [x, y] = nodeXY(u);
        let d = Infinity;
        for (const ring of rings)
          for (let k = 1; k < ring.length; k++) d = Math.min(d, segmentDistance(x, y, ring[k - 1][0], ring[k - 1][1], ring[k][0], ring[k][1]));
        if (d < bestD) [best, bestD] = [u, d];
      }
      [chosen, rule, distanceM] = [[best], 'nearest_node', Number.isFinite(bestD) ? bestD : null];
    }
    for (const u of chosen) nodeLoadS[u] += loadMW / chosen.length;
    const reason = [
      rule === 'branch_ends_inside'
        ? message('capacity.branchEnds', { n: chosen.length })
        : rule === 'nodes_inside'
          ? message('capacity.nodesInside', { n: chosen.length })
          : message('capacity.nearestNode', { m: Math.round(distanceM ?? 0) }),
    ];
    return { ...base, at: chosen.map((u) => [g.nodeLon[u], g.nodeLat[u]] as Position), rule, distanceM, reason };
  });
  const edgeLoadS = accumulate(sTree, nodeLoadS, g.edgeCount);

  // Simulated loads (MW per edge) replace the tree's where the hydraulic model runs.
  const flows: CapacityReport['flows'] = { primary: 'tree', secondary: 'tree', note: [] };
  const rhoC = settings.waterDensityKgM3 * settings.waterCkJkgK; // kJ/(m³·K)
  let simP: Float64Array | null = null;
  try {
    const hn = buildHydraulicNetwork(g);
    const hr = simulateScenario(hn, { scenario: 'design', allowUnserved: true });
    if (hr.converged) {
      simP = new Float64Array(g.edgeCount);
      const dT = settings.primarySupplyC - settings.primaryReturnC;
      const nums = flowNumbers(hr);
      edgeLoadsFromFlows(g, nums.pipeFlowM3s, nums.edgeFlowM3s, rhoC, dT, simP);
      flows.primary = 'hydraulic';
    } else flows.note.push(message('capacity.note.primaryNotConverged', { reason: hr.reason ?? '—' }));
  } catch (err) {
    if (!(err instanceof HydraulicInputError)) throw err;
    flows.note.push(message('capacity.note.primaryInput'), err.said);
  }
  let simS: Float64Array | null = null;
  {
    const dT = settings.secondarySupplyC - settings.secondaryReturnC;
    const demand = new Float64Array(g.nodeCount);
    for (let n = 0; n < g.nodeCount; n++) if (nodeLoadS[n] > 0) demand[n] = (nodeLoadS[n] * 1000) / (rhoC * dT);
    const sol = solveDemandNetwork(g, (e) => g.edgeInService[e] === 1 && sideOf(g, e) === 'secondary', demand, stationSecondaryNode.values());
    if (sol && sol.converged) {
      simS = new Float64Array(g.edgeCount);
      for (let e = 0; e < g.edgeCount; e++) simS[e] = (Math.abs(sol.edgeFlow[e]) * rhoC * dT) / 1000;
      flows.secondary = 'hydraulic';
    } else flows.note.push(message(sol ? 'capacity.note.secondaryNotConverged' : 'capacity.note.secondaryNoDn'));
  }

  // Hydraulics and verdict per pipe (its most loaded piece): one call per pipe of a module-level
  // function (a closure here ran unoptimised for most of a 100k-pipe project, see pipeState).
  const dns = Object.keys(settings.innerDiameterMm).map(Number).filter(Number.isFinite).sort((a, b) => a - b);
  const ctx: PipeCapacityContext = { g, pTree, sTree, loadP: simP ?? edgeLoadP, loadS: simS ?? edgeLoadS, simulatedP: !!simP, simulatedS: !!simS, sourceFeatures, stationFeatures, settings, dns };
  const n = pipeFeatures.length;
  const ids: string[] = new Array(n);
  const status = new Uint8Array(n), loadMW = new Float64Array(n), rPaM = new Float64Array(n), lengthM = new Float64Array(n);
  const st = newState();
  let mismatched = 0, oversized = 0;
  for (let i = 0; i < n; i++) {
    const f = pipeFeatures[i];
    pipeState(ctx, f, i, st);
    ids[i] = f.id;
    status[i] = STATUS_CODE[st.status];
    loadMW[i] = st.loadMW;
    rPaM[i] = st.rPaM;
    lengthM[i] = st.lengthM;
    if (st.status === 'mismatched') mismatched++;
    else if (st.status === 'oversized') oversized++;
    if (pipes) pipes.push(pipeVerdict(ctx, f.id, st));
  }

  const report: CapacityVerdicts['report'] = {
    stations,
    sources,
    communities,
    stationsUnfed,
    flows,
    summary: {
      pipes: n,
      mismatched,
      oversized,
      stationsOverloaded: stations.filter((s) => s.status === 'overloaded').length,
      stationsNearLimit: stations.filter((s) => s.status === 'near_limit').length,
      sourcesOverloaded: sources.filter((s) => s.status === 'overloaded').length,
    },
  };
  return { report, ids, status, loadMW, rPaM, lengthM, pipe: verdictMaker(ctx, pipeFeatures) };
}

/**
 * Pipe i's verdict object, made when asked for. Made here, not in checkOnce: a closure there would
 * keep alive everything its other closures use (the check's community and tree scratch).
 */
function verdictMaker(ctx: PipeCapacityContext, pipeFeatures: NetworkInput['layers']['pipes']): (i: number) => PipeCapacity {
  return (i) => {
    const s = newState();
    pipeState(ctx, pipeFeatures[i], i, s);
    return pipeVerdict(ctx, pipeFeatures[i].id, s);
  };
}

// ---------------------------------------------------------------- what the app shows of it

/** Rows of the pipes' table the app draws, worst first (the command line's --json lists every pipe). */
export const CAPACITY_ROWS_SHOWN = 1000;

/** A pipe's class in the 负荷匹配 map theme: its verdict, and `no_load` for a pipe found ok that carries nothing. */
export type LoadMatchClass = 'ok' | 'no_load' | 'mismatched' | 'oversized';

export function loadMatchClassOf(p: PipeCapacity): LoadMatchClass {
  return loadMatchClass(p.status, p.loadMW);
}

function loadMatchClass(status: PipeCapacityStatus, loadMW: number): LoadMatchClass {
  return status === 'ok' && loadMW <= 0 ? 'no_load' : status;
}

/** The table's order: mismatched, then oversized, then the rest, each by R descending (ties in the pipes' order). */
const TABLE_ORDER: readonly PipeCapacityStatus[] = ['mismatched', 'oversized', 'ok'];
const STATUS_ORDER = Object.fromEntries(TABLE_ORDER.map((st, i) => [st, i])) as Record<PipeCapacityStatus, number>;
export function worstFirst(a: PipeCapacity, b: PipeCapacity): number {
  return STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.rPaM - a.rPaM;
}

/**
 * What the app shows of a capacity check: the whole report but its list of pipes, which at city
 * scale (a million verdicts, some 400 MB as JSON) no panel draws nor any map needs as objects.
 * Instead: the rows the table draws, and the codes of the pipes of each map class but the most
 * numerous one.
 */
/** The app's part of a check: the report less its pipes (the worst rows and the classes instead) and its communities' attachments (the command line's). */
export interface CapacityAnswer extends Omit<CapacityReport, 'pipes' | 'communities'> {
  /** The first `rows` pipes in the table's order (worstFirst). */
  pipes: PipeCapacity[];
  /**
   * Codes of the pipes of each 负荷匹配 class, but those of `rest`: the most numerous class (ok on
   * most networks; on one under strain it may be mismatched), whose list is left empty.
   */
  classes: Record<LoadMatchClass, string[]>;
  /** The class of every pipe not listed. */
  rest: LoadMatchClass;
}

/** Classes in the order a tie for the most numerous is settled. */
const CLASS_ORDER: readonly LoadMatchClass[] = ['ok', 'no_load', 'mismatched', 'oversized'];

export function capacityAnswer(r: CapacityReport | CapacityVerdicts, rows: number = CAPACITY_ROWS_SHOWN): CapacityAnswer {
  const v = asVerdicts(r);
  const classes: CapacityAnswer['classes'] = { ok: [], no_load: [], mismatched: [], oversized: [] };
  const groups: number[][] = [[], [], []];
  for (let i = 0; i < v.ids.length; i++) {
    const code = v.status[i];
    groups[code].push(i);
    classes[loadMatchClass(STATUS_OF[code], v.loadMW[i])].push(v.ids[i]);
  }
  // the most numerous class goes unlisted: the map gives its colour to every pipe not listed
  const lists = CLASS_ORDER.map((k) => classes[k]);
  const rest = CLASS_ORDER[leaveOutLongest(lists)];
  classes[rest] = [];
  // Group by group in the table's order (worstFirst: R descending, ties in the pipes' order), sorted
  // only as far as rows are still wanted; only the rows become verdict objects.
  const pipes: PipeCapacity[] = [];
  for (const status of TABLE_ORDER) {
    const left = rows - pipes.length;
    if (left <= 0) break;
    const group = groups[STATUS_CODE[status]].sort((a, b) => v.rPaM[b] - v.rPaM[a] || a - b);
    for (let k = 0; k < group.length && k < left; k++) pipes.push(v.pipe(group[k]));
  }
  const { stations, sources, stationsUnfed, flows, summary } = v.report;
  return { pipes, classes, rest, stations, sources, stationsUnfed, flows, summary };
}

/** Verdicts as they are, or a whole report seen as verdicts (its pipe objects as they are). */
export function asVerdicts(r: CapacityReport | CapacityVerdicts): CapacityVerdicts {
  if ('pipe' in r) return r;
  const n = r.pipes.length;
  const status = new Uint8Array(n), loadMW = new Float64Array(n), rPaM = new Float64Array(n), lengthM = new Float64Array(n);
  r.pipes.forEach((p, i) => {
    status[i] = STATUS_CODE[p.status];
    loadMW[i] = p.loadMW;
    rPaM[i] = p.rPaM;
    lengthM[i] = p.lengthM;
  });
  const { pipes, ...report } = r;
  return { report, ids: pipes.map((p) => p.id), status, loadMW, rPaM, lengthM, pipe: (i) => pipes[i] };
}

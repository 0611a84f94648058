/**
 * Valve segments and the contracted "segment graph" (DOMAIN.md §3 items 3–4).
 *
 * A valve segment is the set of in-service pipe pieces reachable from one
 * another without passing a valve node. A station node also separates
 * segments between its primary side and its secondary side, because the two
 * are hydraulically separate (DOMAIN.md §2): a primary burst does not empty
 * the secondary network. An open valve that cannot be operated cannot
 * bound an isolation, so the segments meeting at it (on the same side) form
 * one *isolation unit*: isolating any of them isolates the whole unit.
 *
 * The contracted graph has one vertex per unit, one per boundary node (a
 * valve or station node that lets heat through) and a root joined to every
 * active source. Removing a unit vertex is exactly isolating that unit, so
 * one articulation-point DFS from the root gives every unit's loss at once.
 */
import {
  LEVEL_PRIMARY,
  NODE_STATION,
  NODE_VALVE,
  NODE_VALVE_CLOSED,
  NODE_VALVE_INOPERABLE,
  sourceActive,
  type NetworkGraph,
} from './graph';
import { stationLoads, type StationLoad } from './loads';
import { minOf } from '../arrays';
import { UnionFind } from './unionFind';

export interface SegmentModel {
  graph: NetworkGraph;
  /** Segment of each edge; -1 for pipes not in service. */
  edgeSeg: Int32Array;
  segCount: number;
  segUnit: Int32Array;
  segLengthM: Float64Array;
  /** segment → edges (CSR). */
  segEdgeStart: Int32Array;
  segEdge: Int32Array;
  unitCount: number;
  unitLengthM: Float64Array;
  /** Nodes that are contracted-graph vertices of their own (valve or station nodes). */
  boundaryNodes: Int32Array;
  /**
   * Contracted-graph vertex a node belongs to: its unit for an interior node,
   * unitCount + k for the k-th boundary node, -1 for a node with no in-service
   * pipe, -2 for a closed-valve node (it lets nothing through).
   */
  nodeVertex: Int32Array;
  /** Unit ↔ boundary-vertex links of the contracted graph (may repeat). */
  linkUnit: Int32Array;
  linkVertex: Int32Array;
  /** Contracted vertices holding an active source. */
  rootVertices: Int32Array;
  stationLoads: StationLoad[];
  /**
   * Where each station takes heat: one vertex, or several units for a station
   * on a closed-valve node (fed when any side is); empty when off the
   * network. `stationSelfFed` marks a station sharing its node with a source.
   */
  stationVertices: number[][];
  stationSelfFed: Uint8Array;
}

/** Side of edge `e` at node `n`: a station node keeps primary (0) and other levels (1) apart. */
export function sideAt(g: NetworkGraph, n: number, e: number): number {
  return g.nodeFlags[n] & NODE_STATION && g.edgeLevel[e] !== LEVEL_PRIMARY ? 1 : 0;
}

export function isBoundaryNode(g: NetworkGraph, n: number): boolean {
  return (g.nodeFlags[n] & (NODE_VALVE | NODE_STATION)) !== 0;
}

export function buildSegments(g: NetworkGraph): SegmentModel {
  const E = g.edgeCount;
  const uf = new UnionFind(E);
  // Join in-service edges meeting at a node that is not a valve, side by side.
  for (let n = 0; n < g.nodeCount; n++) {
    if (g.nodeFlags[n] & NODE_VALVE) continue;
    let first0 = -1;
    let first1 = -1;
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (!g.edgeInService[e]) continue;
      if (sideAt(g, n, e) === 0) {
        if (first0 < 0) first0 = e;
        else uf.union(first0, e);
      } else if (first1 < 0) first1 = e;
      else uf.union(first1, e);
    }
  }
  const edgeSeg = new Int32Array(E).fill(-1);
  const rootSeg = new Int32Array(E).fill(-1);
  let segCount = 0;
  for (let e = 0; e < E; e++) {
    if (!g.edgeInService[e]) continue;
    const r = uf.find(e);
    if (rootSeg[r] < 0) rootSeg[r] = segCount++;
    edgeSeg[e] = rootSeg[r];
  }
  const segLengthM = new Float64Array(segCount);
  const segEdgeStart = new Int32Array(segCount + 1);
  for (let e = 0; e < E; e++) {
    const s = edgeSeg[e];
    if (s < 0) continue;
    segLengthM[s] += g.edgeLengthM[e];
    segEdgeStart[s + 1]++;
  }
  for (let s = 0; s < segCount; s++) segEdgeStart[s + 1] += segEdgeStart[s];
  const segEdge = new Int32Array(segEdgeStart[segCount]);
  {
    const fill = segEdgeStart.slice(0, segCount);
    for (let e = 0; e < E; e++) if (edgeSeg[e] >= 0) segEdge[fill[edgeSeg[e]]++] = e;
  }

  // Units: segments joined through open valves that cannot be operated.
  const uu = new UnionFind(segCount);
  const boundary: number[] = [];
  for (let n = 0; n < g.nodeCount; n++) {
    const f = g.nodeFlags[n];
    if (!(f & (NODE_VALVE | NODE_STATION))) continue;
    boundary.push(n);
    if ((f & NODE_VALVE) && (f & NODE_VALVE_INOPERABLE) && !(f & NODE_VALVE_CLOSED)) {
      let first0 = -1;
      let first1 = -1;
      for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
        const e = g.adjEdge[k];
        if (!g.edgeInService[e]) continue;
        const s = edgeSeg[e];
        if (sideAt(g, n, e) === 0) {
          if (first0 < 0) first0 = s;
          else uu.union(first0, s);
        } else if (first1 < 0) first1 = s;
        else uu.union(first1, s);
      }
    }
  }
  const segUnit = new Int32Array(segCount);
  const unitOfRoot = new Int32Array(segCount).fill(-1);
  let unitCount = 0;
  for (let s = 0; s < segCount; s++) {
    const r = uu.find(s);
    if (unitOfRoot[r] < 0) unitOfRoot[r] = unitCount++;
    segUnit[s] = unitOfRoot[r];
  }
  const unitLengthM = new Float64Array(unitCount);
  for (let s = 0; s < segCount; s++) unitLengthM[segUnit[s]] += segLengthM[s];

  const boundaryNodes = Int32Array.from(boundary);
  const nodeVertex = new Int32Array(g.nodeCount).fill(-1);
  const linkU: number[] = [];
  const linkV: number[] = [];
  for (let n = 0; n < g.nodeCount; n++) {
    if (isBoundaryNode(g, n)) continue;
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (g.edgeInService[e]) {
        nodeVertex[n] = segUnit[edgeSeg[e]];
        break;
      }
    }
  }
  boundaryNodes.forEach((n, k) => {
    if (g.nodeFlags[n] & NODE_VALVE_CLOSED) {
      nodeVertex[n] = -2;
      return;
    }
    const v = unitCount + k;
    nodeVertex[n] = v;
    for (let j = g.adjStart[n]; j < g.adjStart[n + 1]; j++) {
      const e = g.adjEdge[j];
      if (!g.edgeInService[e]) continue;
      linkU.push(segUnit[edgeSeg[e]]);
      linkV.push(v);
    }
  });

  const sources = g.input.layers.heat_sources;
  const roots: number[] = [];
  const selfFedNodes = new Set<number>();
  sources.forEach((src, i) => {
    const n = g.sourceNode[i];
    if (n < 0 || !sourceActive(src)) return;
    selfFedNodes.add(n);
    const v = nodeVertex[n];
    if (v >= 0) roots.push(v);
  });

  const loads = stationLoads(g.input);
  const stationVertices: number[][] = [];
  const stationSelfFed = new Uint8Array(g.stationNode.length);
  for (let i = 0; i < g.stationNode.length; i++) {
    const n = g.stationNode[i];
    if (n < 0) {
      stationVertices.push([]);
      continue;
    }
    if (selfFedNodes.has(n)) stationSelfFed[i] = 1;
    const v = nodeVertex[n];
    if (v >= 0) stationVertices.push([v]);
    else if (v === -2) {
      const units = new Set<number>();
      for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
        const e = g.adjEdge[k];
        if (g.edgeInService[e]) units.add(segUnit[edgeSeg[e]]);
      }
      stationVertices.push([...units]);
    } else stationVertices.push([]);
  }

  return {
    graph: g,
    edgeSeg,
    segCount,
    segUnit,
    segLengthM,
    segEdgeStart,
    segEdge,
    unitCount,
    unitLengthM,
    boundaryNodes,
    nodeVertex,
    linkUnit: Int32Array.from(linkU),
    linkVertex: Int32Array.from(linkV),
    rootVertices: Int32Array.from(roots),
    stationLoads: loads,
    stationVertices,
    stationSelfFed,
  };
}

/** A link added for a what-if: contracted-graph changes it makes. */
export interface ModelChange {
  /** Units merged into one (the new pipe's own unit joins them). */
  mergeUnits: number[];
  /** Boundary vertices the new unit touches. */
  linkVertices: number[];
  /** Length of the new pipe, m. */
  addedLengthM: number;
}

/** Per-unit losses from one articulation-point DFS over the contracted graph. */
export interface UnitLosses {
  /** Vertex of each unit after any merge (units merged by a change share one); index U is the new pipe's unit. */
  unitRep: Int32Array;
  vertexCount: number;
  /** Per contracted vertex (look units up through unitRep). */
  lossMW: Float64Array;
  households: Float64Array;
  heatedAreaM2: Float64Array;
  /** Length carried by each representative vertex, m. */
  repLengthM: Float64Array;
  /** Stations fed with nothing isolated. */
  stationFed: Uint8Array;
  /** Σ loss × length (km) over units: the network's load at risk, MW·km. */
  loadAtRiskMWkm: number;
}

/** Contracted graph in CSR form plus DFS buffers, built once per model and reused by every what-if. */
interface Workspace {
  V: number;
  start: Int32Array;
  adj: Int32Array;
  ownMW: Float64Array;
  ownHH: Float64Array;
  ownArea: Float64Array;
  multiStations: number[];
  alias: Int32Array;
  /** 1 for vertices with what-if links beyond the CSR (checked before the Map, which is slower). */
  hasExtra: Uint8Array;
  /**
   * 1 for vertices of load-free dangling trees (mostly secondary and courtyard
   * networks hanging at stations): they change no loss, so the what-if DFS
   * skips them. Vertices that touch a primary pipe are kept (a link may end there).
   */
  pruned: Uint8Array;
  disc: Int32Array;
  low: Int32Array;
  parent: Int32Array;
  it: Int32Array;
  itx: Int32Array;
  stack: Int32Array;
  sub: Float64Array[];
  cut: Float64Array[];
  own: Float64Array[];
  out: Float64Array[];
  len: Float64Array;
  unitRep: Int32Array;
}

/**
 * The contracted graph's adjacency (CSR): each unit–vertex link both ways,
 * and every root vertex joined to the super-source `root` (the last vertex).
 */
export function contractedAdjacency(m: SegmentModel, root: number): { start: Int32Array; adj: Int32Array } {
  const V = root + 1;
  const start = new Int32Array(V + 1);
  const L = m.linkUnit.length;
  for (let i = 0; i < L; i++) {
    start[m.linkUnit[i] + 1]++;
    start[m.linkVertex[i] + 1]++;
  }
  for (const v of m.rootVertices) {
    start[v + 1]++;
    start[root + 1]++;
  }
  for (let v = 0; v < V; v++) start[v + 1] += start[v];
  const adj = new Int32Array(start[V]);
  const fill = start.slice(0, V);
  for (let i = 0; i < L; i++) {
    adj[fill[m.linkUnit[i]]++] = m.linkVertex[i];
    adj[fill[m.linkVertex[i]]++] = m.linkUnit[i];
  }
  for (const v of m.rootVertices) {
    adj[fill[v]++] = root;
    adj[fill[root]++] = v;
  }
  return { start, adj };
}

const workspaces = new WeakMap<SegmentModel, Workspace>();

function workspace(m: SegmentModel): Workspace {
  const hit = workspaces.get(m);
  if (hit) return hit;
  const U = m.unitCount;
  const B = m.boundaryNodes.length;
  const fresh = U + B;
  const root = fresh + 1;
  const V = root + 1;
  const { start: degree, adj } = contractedAdjacency(m, root);
  const ownMW = new Float64Array(V);
  const ownHH = new Float64Array(V);
  const ownArea = new Float64Array(V);
  const multiStations: number[] = [];
  m.stationVertices.forEach((locs, i) => {
    if (m.stationSelfFed[i] && locs.length) return;
    if (locs.length > 1) multiStations.push(i);
    if (locs.length !== 1) return;
    ownMW[locs[0]] += m.stationLoads[i].loadMW;
    ownHH[locs[0]] += m.stationLoads[i].households;
    ownArea[locs[0]] += m.stationLoads[i].heatedAreaM2;
  });
  // Prune load-free dangling trees, leaves first.
  const pruned = new Uint8Array(V);
  const keep = new Uint8Array(V);
  keep[root] = 1;
  keep[fresh] = 1; // the what-if's new pipe when it joins no unit
  const g = m.graph;
  for (let v = 0; v < V; v++) if (ownMW[v] > 0 || ownHH[v] > 0) keep[v] = 1;
  for (const i of multiStations) for (const x of m.stationVertices[i]) keep[x] = 1;
  for (let e = 0; e < g.edgeCount; e++) {
    if (!g.edgeInService[e] || g.edgeLevel[e] !== LEVEL_PRIMARY) continue;
    keep[m.segUnit[m.edgeSeg[e]]] = 1;
    for (const n of [g.edgeFrom[e], g.edgeTo[e]]) if (m.nodeVertex[n] >= U) keep[m.nodeVertex[n]] = 1;
  }
  const danglingSide = (v: number): boolean => {
    let only = -1;
    for (let k = degree[v]; k < degree[v + 1]; k++) {
      const w = adj[k];
      if (pruned[w]) continue;
      if (only < 0) only = w;
      else if (w !== only) return false;
    }
    return true;
  };
  const queue: number[] = [];
  for (let v = 0; v < V; v++) if (!keep[v]) queue.push(v);
  while (queue.length) {
    const v = queue.pop()!;
    if (pruned[v] || keep[v] || !danglingSide(v)) continue;
    pruned[v] = 1;
    for (let k = degree[v]; k < degree[v + 1]; k++) if (!pruned[adj[k]] && !keep[adj[k]]) queue.push(adj[k]);
  }
  const f64 = () => new Float64Array(V);
  const ws: Workspace = {
    V,
    start: degree,
    adj,
    ownMW,
    ownHH,
    ownArea,
    multiStations,
    alias: new Int32Array(U + 1).fill(-1),
    hasExtra: new Uint8Array(V),
    pruned,
    disc: new Int32Array(V),
    low: new Int32Array(V),
    parent: new Int32Array(V),
    it: new Int32Array(V),
    itx: new Int32Array(V),
    stack: new Int32Array(V),
    sub: [f64(), f64(), f64()],
    cut: [f64(), f64(), f64()],
    own: [f64(), f64(), f64()],
    out: [f64(), f64(), f64()],
    len: f64(),
    unitRep: new Int32Array(U + 1),
  };
  workspaces.set(m, ws);
  return ws;
}

/**
 * Losses of isolating each unit. With `change`, the contracted graph is
 * edited on the fly as if a new in-service primary pipe had been added
 * (what-if for loop options), which is exact because the pipe only merges
 * units and adds unit ↔ boundary links. With `reuse`, the result lives in
 * buffers that the next call overwrites (no garbage per what-if).
 */
export function unitLosses(m: SegmentModel, change?: ModelChange, reuse = false): UnitLosses {
  const ws = workspace(m);
  const U = m.unitCount;
  const B = m.boundaryNodes.length;
  const fresh = U + B;
  const root = fresh + 1;
  const V = ws.V;
  const { start, adj, alias, disc, low, parent, it, itx, stack, pruned } = ws;
  const [subMW, subHH, subArea] = ws.sub;
  const [cutMW, cutHH, cutArea] = ws.cut;
  const [ownMW, ownHH, ownArea] = ws.own;
  ownMW.set(ws.ownMW);
  ownHH.set(ws.ownHH);
  ownArea.set(ws.ownArea);
  const len = ws.len;
  len.fill(0);
  len.set(m.unitLengthM);

  // The new pipe's unit: merged into the lowest of the units it joins, or a vertex of its own.
  let target = -1;
  const extra = new Map<number, number[]>();
  const aliases: number[] = [];
  if (change) {
    target = change.mergeUnits.length ? minOf(change.mergeUnits) : fresh;
    const list: number[] = [];
    for (const u of change.mergeUnits) {
      if (u === target) continue;
      alias[u] = target;
      aliases.push(u);
      for (let k = start[u]; k < start[u + 1]; k++) list.push(adj[k]);
      ownMW[target] += ownMW[u];
      ownHH[target] += ownHH[u];
      ownArea[target] += ownArea[u];
      ownMW[u] = ownHH[u] = ownArea[u] = 0;
      len[target] += len[u];
      len[u] = 0;
    }
    len[target] += change.addedLengthM;
    for (const b of change.linkVertices) {
      list.push(b);
      const back = extra.get(b);
      if (back) back.push(target);
      else extra.set(b, [target]);
    }
    const own = extra.get(target);
    extra.set(target, own ? own.concat(list) : list);
  }
  for (const v of extra.keys()) ws.hasExtra[v] = 1;
  const mapV = (w: number) => (w < U && alias[w] >= 0 ? alias[w] : w);

  disc.fill(-1);
  parent.fill(-1);
  let sp = 0;
  let time = 0;
  // Iterative DFS; neighbours come from the CSR, then from the what-if's extra links.
  disc[root] = low[root] = time++;
  it[root] = start[root];
  itx[root] = 0;
  stack[sp++] = root;
  while (sp > 0) {
    const v = stack[sp - 1];
    let w = -1;
    if (it[v] < start[v + 1]) w = adj[it[v]++];
    else if (ws.hasExtra[v]) {
      const ex = extra.get(v);
      if (ex && itx[v] < ex.length) w = ex[itx[v]++];
    }
    if (w >= 0) {
      if (w < U && alias[w] >= 0) w = alias[w];
      if (pruned[w]) continue;
      if (disc[w] < 0) {
        parent[w] = v;
        disc[w] = low[w] = time++;
        it[w] = start[w];
        itx[w] = 0;
        subMW[w] = ownMW[w];
        subHH[w] = ownHH[w];
        subArea[w] = ownArea[w];
        cutMW[w] = 0;
        cutHH[w] = 0;
        cutArea[w] = 0;
        stack[sp++] = w;
      } else if (w !== parent[v] && disc[w] < low[v]) low[v] = disc[w];
      continue;
    }
    sp--;
    const p = parent[v];
    if (p < 0) continue;
    if (low[v] < low[p]) low[p] = low[v];
    subMW[p] += subMW[v];
    subHH[p] += subHH[v];
    subArea[p] += subArea[v];
    if (low[v] >= disc[p]) {
      cutMW[p] += subMW[v];
      cutHH[p] += subHH[v];
      cutArea[p] += subArea[v];
    }
  }

  const [lossMW, households, heatedAreaM2] = reuse ? ws.out : [new Float64Array(V), new Float64Array(V), new Float64Array(V)];
  for (let v = 0; v < V; v++) {
    if (disc[v] < 0 || v === root) {
      lossMW[v] = households[v] = heatedAreaM2[v] = 0;
      continue;
    }
    lossMW[v] = ownMW[v] + cutMW[v];
    households[v] = ownHH[v] + cutHH[v];
    heatedAreaM2[v] = ownArea[v] + cutArea[v];
  }

  const S = m.stationVertices.length;
  const stationFed = new Uint8Array(S);
  for (let i = 0; i < S; i++) {
    const locs = m.stationVertices[i];
    if (!locs.length) continue;
    if (m.stationSelfFed[i]) stationFed[i] = 1;
    else if (locs.some((x) => disc[mapV(x)] >= 0)) stationFed[i] = 1;
  }
  const isUnitVertex = (u: number) => u < U || u === fresh;
  // A station on a closed valve is lost only when every side it can take
  // heat from is cut: intersect the cutting units of each side.
  for (const i of ws.multiStations) {
    const reached = [...new Set(m.stationVertices[i].map(mapV))].filter((v) => disc[v] >= 0);
    if (!reached.length) continue;
    let common: Set<number> | null = null;
    for (const x of reached) {
      const cutters = new Set<number>();
      if (isUnitVertex(x)) cutters.add(x);
      let cur = x;
      while (parent[cur] >= 0 && parent[cur] !== root) {
        const u = parent[cur];
        if (low[cur] >= disc[u] && isUnitVertex(u)) cutters.add(u);
        cur = u;
      }
      common = common === null ? cutters : new Set<number>([...(common as Set<number>)].filter((c) => cutters.has(c)));
    }
    for (const u of common ?? []) {
      lossMW[u] += m.stationLoads[i].loadMW;
      households[u] += m.stationLoads[i].households;
      heatedAreaM2[u] += m.stationLoads[i].heatedAreaM2;
    }
  }

  const unitRep = reuse ? ws.unitRep : new Int32Array(U + 1);
  for (let u = 0; u < U; u++) unitRep[u] = mapV(u);
  unitRep[U] = change ? target : fresh;
  let risk = 0;
  for (let u = 0; u < U; u++) if (alias[u] < 0) risk += lossMW[u] * (len[u] / 1000);
  if (change && target === fresh) risk += lossMW[fresh] * (len[fresh] / 1000);
  const repLengthM = reuse ? len : len.slice();
  for (const u of aliases) alias[u] = -1;
  for (const v of extra.keys()) ws.hasExtra[v] = 0;
  return { unitRep, vertexCount: V, lossMW, households, heatedAreaM2, repLengthM, stationFed, loadAtRiskMWkm: risk };
}

const baseLossCache = new WeakMap<SegmentModel, UnitLosses>();

/**
 * `unitLosses(m)` (no what-if), computed once per model and shared by the
 * analyses that read it (criticality, loop options); read only.
 */
export function baseLosses(m: SegmentModel): UnitLosses {
  let hit = baseLossCache.get(m);
  if (!hit) baseLossCache.set(m, (hit = unitLosses(m)));
  return hit;
}

/** The no-burst DFS tree of the contracted graph: lets one isolation read its losses off the tree. */
export interface BaseTree {
  disc: Int32Array;
  low: Int32Array;
  parent: Int32Array;
  /** Largest preorder number inside each vertex's subtree. */
  last: Int32Array;
  /** unit → its segments (CSR). */
  unitSegStart: Int32Array;
  unitSeg: Int32Array;
}

const trees = new WeakMap<SegmentModel, BaseTree>();

export function baseTree(m: SegmentModel): BaseTree {
  const hit = trees.get(m);
  if (hit) return hit;
  const ws = workspace(m);
  const { V, start, adj } = ws;
  const root = V - 1;
  const disc = new Int32Array(V).fill(-1);
  const low = new Int32Array(V);
  const parent = new Int32Array(V).fill(-1);
  const last = new Int32Array(V).fill(-1);
  const it = new Int32Array(V);
  const stack = new Int32Array(V);
  let sp = 0;
  let time = 0;
  disc[root] = low[root] = time++;
  it[root] = start[root];
  stack[sp++] = root;
  while (sp > 0) {
    const v = stack[sp - 1];
    if (it[v] < start[v + 1]) {
      const w = adj[it[v]++];
      if (disc[w] < 0) {
        parent[w] = v;
        disc[w] = low[w] = time++;
        it[w] = start[w];
        stack[sp++] = w;
      } else if (w !== parent[v] && disc[w] < low[v]) low[v] = disc[w];
      continue;
    }
    sp--;
    last[v] = time - 1;
    const p = parent[v];
    if (p >= 0 && low[v] < low[p]) low[p] = low[v];
  }
  const U = m.unitCount;
  const unitSegStart = new Int32Array(U + 1);
  for (let s = 0; s < m.segCount; s++) unitSegStart[m.segUnit[s] + 1]++;
  for (let u = 0; u < U; u++) unitSegStart[u + 1] += unitSegStart[u];
  const unitSeg = new Int32Array(m.segCount);
  const fill = unitSegStart.slice(0, U);
  for (let s = 0; s < m.segCount; s++) unitSeg[fill[m.segUnit[s]]++] = s;
  const tree = { disc, low, parent, last, unitSegStart, unitSeg };
  trees.set(m, tree);
  return tree;
}

/**
 * Stations (indices) that lose heat when unit `u` alone is isolated: those
 * fed now whose every feeding place is `u` itself or hangs below `u` in the
 * DFS tree through a child that cannot reach above `u`.
 */
export function stationsCutByUnit(m: SegmentModel, u: number): number[] {
  const t = baseTree(m);
  if (t.disc[u] < 0) return [];
  const ws = workspace(m);
  const intervals: number[] = [];
  for (let k = ws.start[u]; k < ws.start[u + 1]; k++) {
    const c = ws.adj[k];
    if (t.parent[c] === u && t.low[c] >= t.disc[u] && !intervals.includes(t.disc[c])) intervals.push(t.disc[c], t.last[c]);
  }
  const cut = (x: number) => {
    if (x === u) return true;
    const d = t.disc[x];
    for (let i = 0; i < intervals.length; i += 2) if (d >= intervals[i] && d <= intervals[i + 1]) return true;
    return false;
  };
  const out: number[] = [];
  for (let i = 0; i < m.stationVertices.length; i++) {
    const locs = m.stationVertices[i];
    if (!locs.length || m.stationSelfFed[i]) continue;
    let reached = 0;
    let allCut = true;
    for (const x of locs) {
      if (t.disc[x] < 0) continue;
      reached++;
      if (!cut(x)) {
        allCut = false;
        break;
      }
    }
    if (reached && allCut) out.push(i);
  }
  return out;
}

const bfsBuffers = new WeakMap<SegmentModel, { seen: Uint8Array; queue: Int32Array; removed: Uint8Array }>();

/** Stations (indices) fed now that lose heat when all the given units are isolated together. */
export function stationsCutByUnits(m: SegmentModel, units: number[]): number[] {
  if (units.length === 1) return stationsCutByUnit(m, units[0]);
  const t = baseTree(m);
  const ws = workspace(m);
  const { V, start, adj } = ws;
  let buf = bfsBuffers.get(m);
  if (!buf) bfsBuffers.set(m, (buf = { seen: new Uint8Array(V), queue: new Int32Array(V), removed: new Uint8Array(V) }));
  const { seen, queue, removed } = buf;
  seen.fill(0);
  for (const u of units) removed[u] = 1;
  const root = V - 1;
  let head = 0;
  let tail = 0;
  seen[root] = 1;
  queue[tail++] = root;
  while (head < tail) {
    const v = queue[head++];
    for (let k = start[v]; k < start[v + 1]; k++) {
      const w = adj[k];
      if (seen[w] || removed[w]) continue;
      seen[w] = 1;
      queue[tail++] = w;
    }
  }
  for (const u of units) removed[u] = 0;
  const out: number[] = [];
  for (let i = 0; i < m.stationVertices.length; i++) {
    const locs = m.stationVertices[i];
    if (!locs.length || m.stationSelfFed[i]) continue;
    if (!locs.some((x) => t.disc[x] >= 0)) continue; // had no heat before
    if (!locs.some((x) => seen[x])) out.push(i);
  }
  return out;
}

/**
 * The no-link contracted graph read as a DFS tree (same pruning as
 * `unitLosses`), with what a link's what-if needs to be valued from the tree
 * alone: subtree loads, the nearest cut edge above each vertex,
 * back edges by preorder, and where each multi-side station is lost.
 */
interface LinkBase {
  base: UnitLosses;
  root: number;
  disc: Int32Array;
  low: Int32Array;
  parent: Int32Array;
  last: Int32Array;
  /** Nearest vertex c on the way from x up (x itself included) whose tree edge to its parent is cut by the parent. */
  top: Int32Array;
  subMW: Float64Array;
  /** Tree children of each vertex, in preorder. */
  childStart: Int32Array;
  child: Int32Array;
  /** Vertex of each preorder number. */
  order: Int32Array;
  /** Back edges by the preorder number of their lower end (CSR): preorder numbers of their lower and upper ends. */
  backStart: Int32Array;
  backFrom: Int32Array;
  backTo: Int32Array;
  /** Multi-side stations: their reached places, their load, and per vertex those it cuts off (CSR). */
  msLocs: number[][];
  msLoadMW: Float64Array;
  msAtStart: Int32Array;
  msAt: Int32Array;
  /** Scratch, stamped per call. */
  mark: Int32Array;
  count: Int32Array;
  childMark: Int32Array;
  dec: Float64Array;
  stamp: number;
}

const linkBases = new WeakMap<SegmentModel, LinkBase>();

function linkBase(m: SegmentModel): LinkBase {
  const hit = linkBases.get(m);
  if (hit) return hit;
  const base = baseLosses(m);
  const ws = workspace(m);
  const { V, start, adj, pruned, ownMW } = ws;
  const U = m.unitCount;
  const root = V - 1;
  const disc = new Int32Array(V).fill(-1);
  const low = new Int32Array(V);
  const parent = new Int32Array(V).fill(-1);
  const last = new Int32Array(V).fill(-1);
  const it = new Int32Array(V);
  const stack = new Int32Array(V);
  const order = new Int32Array(V);
  const subMW = new Float64Array(V);
  const backFrom: number[] = [];
  const backTo: number[] = [];
  let sp = 0;
  let time = 0;
  order[time] = root;
  disc[root] = low[root] = time++;
  it[root] = start[root];
  stack[sp++] = root;
  while (sp > 0) {
    const v = stack[sp - 1];
    if (it[v] < start[v + 1]) {
      const w = adj[it[v]++];
      if (pruned[w]) continue;
      if (disc[w] < 0) {
        parent[w] = v;
        order[time] = w;
        disc[w] = low[w] = time++;
        it[w] = start[w];
        subMW[w] = ownMW[w];
        stack[sp++] = w;
      } else if (w !== parent[v] && disc[w] < disc[v]) {
        backFrom.push(disc[v]);
        backTo.push(disc[w]);
        if (disc[w] < low[v]) low[v] = disc[w];
      }
      continue;
    }
    sp--;
    last[v] = time - 1;
    const p = parent[v];
    if (p < 0) continue;
    if (low[v] < low[p]) low[p] = low[v];
    subMW[p] += subMW[v];
  }
  const reached = time;
  const top = new Int32Array(V).fill(-1);
  const childStart = new Int32Array(V + 1);
  for (let k = 1; k < reached; k++) {
    const x = order[k];
    const p = parent[x];
    top[x] = p === root || low[x] >= disc[p] ? x : top[p];
    childStart[p + 1]++;
  }
  for (let v = 0; v < V; v++) childStart[v + 1] += childStart[v];
  const child = new Int32Array(childStart[V]);
  {
    const fill = childStart.slice(0, V);
    for (let k = 1; k < reached; k++) child[fill[parent[order[k]]]++] = order[k];
  }
  const backStart = new Int32Array(V + 1);
  for (const f of backFrom) backStart[f + 1]++;
  for (let k = 0; k < V; k++) backStart[k + 1] += backStart[k];
  const backToArr = new Int32Array(backTo.length);
  const backFromArr = new Int32Array(backFrom.length);
  {
    const fill = backStart.slice(0, V);
    for (let i = 0; i < backFrom.length; i++) {
      const k = fill[backFrom[i]]++;
      backToArr[k] = backTo[i];
      backFromArr[k] = backFrom[i];
    }
  }

  // Multi-side stations: lost by a unit when every reached place is that unit or cut off by it.
  const msLocs: number[][] = [];
  const loads: number[] = [];
  const msAtCount = new Int32Array(V + 1);
  const msAtPairs: number[] = [];
  for (const i of ws.multiStations) {
    const locs = [...new Set(m.stationVertices[i])].filter((x) => disc[x] >= 0);
    if (!locs.length) continue;
    const k = msLocs.length;
    msLocs.push(locs);
    loads.push(m.stationLoads[i].loadMW);
    let common: number[] | null = null;
    for (const x of locs) {
      const cutters: number[] = [];
      if (x < U) cutters.push(x);
      for (let y = x; ; ) {
        const v = parent[top[y]];
        if (v === root || v < 0) break;
        if (v < U) cutters.push(v);
        y = v;
      }
      common = common === null ? cutters : common.filter((c) => cutters.includes(c));
    }
    for (const u of common ?? []) {
      msAtPairs.push(u, k);
      msAtCount[u + 1]++;
    }
  }
  for (let v = 0; v < V; v++) msAtCount[v + 1] += msAtCount[v];
  const msAt = new Int32Array(msAtCount[V]);
  {
    const fill = msAtCount.slice(0, V);
    for (let i = 0; i < msAtPairs.length; i += 2) msAt[fill[msAtPairs[i]]++] = msAtPairs[i + 1];
  }
  const lb: LinkBase = {
    base,
    root,
    disc,
    low,
    parent,
    last,
    top,
    subMW,
    childStart,
    child,
    order,
    backStart,
    backFrom: backFromArr,
    backTo: backToArr,
    msLocs,
    msLoadMW: Float64Array.from(loads),
    msAtStart: msAtCount,
    msAt,
    mark: new Int32Array(V),
    count: new Int32Array(V),
    childMark: new Int32Array(V),
    dec: new Float64Array(V),
    stamp: 0,
  };
  linkBases.set(m, lb);
  return lb;
}

/** The tree child of v whose subtree holds x (x a proper descendant of v). */
function childToward(t: LinkBase, v: number, x: number): number {
  const d = t.disc[x];
  let lo = t.childStart[v];
  let hi = t.childStart[v + 1] - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t.disc[t.child[mid]] <= d) lo = mid;
    else hi = mid - 1;
  }
  return t.child[lo];
}

const inSubtree = (t: LinkBase, x: number, c: number) => t.disc[c] <= t.disc[x] && t.disc[x] <= t.last[c];

/**
 * Load lost when the units `units` (two or more) are isolated together: their
 * own loads, the parts of the tree below them that no back edge joins to the
 * sources any more, and the multi-side stations left with no place fed. The
 * tree below the units falls into pieces (a child subtree of a unit less the
 * subtrees of units further down); back edges join pieces, and a piece is fed
 * when it is joined to the part above every unit.
 */
function isolatedTogetherMW(t: LinkBase, own: Float64Array, units: number[]): number {
  const { disc, last, order, root } = t;
  const M = [...units].sort((a, b) => disc[a] - disc[b]);
  const k = M.length;
  // Nearest unit above each unit (the subtrees nest).
  const above = new Int32Array(k).fill(-1);
  {
    const stack: number[] = [];
    for (let i = 0; i < k; i++) {
      while (stack.length && last[M[stack[stack.length - 1]]] < disc[M[i]]) stack.pop();
      if (stack.length) above[i] = stack[stack.length - 1];
      stack.push(i);
    }
  }
  const isUnit = (x: number) => M.includes(x);
  /** The piece holding x (not a unit): the head (a unit's child) of its piece, or the root for the part above every unit. */
  const pieceOf = (x: number): number => {
    const d = disc[x];
    for (let i = k - 1; i >= 0; i--) {
      const u = M[i];
      if (disc[u] < d && d <= last[u]) return childToward(t, u, x);
    }
    return root;
  };
  const link = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    for (let n = link.get(r); n !== undefined && n !== r; n = link.get(r)) r = n;
    for (let y = x; y !== r; ) {
      const n = link.get(y)!;
      link.set(y, r);
      y = n;
    }
    return r;
  };
  for (let i = 0; i < k; i++) {
    if (above[i] >= 0) continue;
    const u = M[i];
    for (let e = t.backStart[disc[u] + 1]; e < t.backStart[last[u] + 1]; e++) {
      const x = order[t.backFrom[e]];
      const y = order[t.backTo[e]];
      if (isUnit(x) || isUnit(y)) continue;
      const a = find(pieceOf(x));
      const b = find(pieceOf(y));
      if (a !== b) link.set(a, b);
    }
  }
  const fedRoot = find(root);
  const fed = (piece: number) => find(piece) === fedRoot;
  let loss = 0;
  for (let i = 0; i < k; i++) {
    const u = M[i];
    loss += own[u];
    for (let c = t.childStart[u]; c < t.childStart[u + 1]; c++) {
      const d = t.child[c];
      if (isUnit(d) || fed(d)) continue;
      let piece = t.subMW[d];
      for (let j = i + 1; j < k; j++) if (above[j] === i && disc[d] <= disc[M[j]] && disc[M[j]] <= last[d]) piece -= t.subMW[M[j]];
      loss += piece;
    }
  }
  for (let s = 0; s < t.msLocs.length; s++) {
    if (t.msLocs[s].every((x) => isUnit(x) || !fed(pieceOf(x)))) loss += t.msLoadMW[s];
  }
  return loss;
}

/**
 * The effect of a new link (a `ModelChange`) on the losses: the load at risk
 * it removes and the units whose loss changes, with the load each saves
 * (before − after, MW, ascending unit order; every other unit saves nothing).
 */
export interface LinkEffect {
  riskReducedMWkm: number;
  units: number[];
  savedMW: number[];
}

/**
 * `unitLosses` with and without the change compared, computed from the
 * no-link DFS tree instead of a whole-graph pass. The link joins its places P
 * (merged units and linked boundary vertices) into one, so with some vertex v
 * (not merged) removed, the parts that v cut off and that hold a place of P
 * come back when another place of P still reaches a source, and nothing else
 * changes; only the cut vertices above the places can change. The merged unit
 * loses what isolating its units together cuts off, read off the tree with
 * the back edges. A link to a place the sources do not reach (which would
 * bring new load in) takes the whole-graph pass.
 */
export function linkEffect(m: SegmentModel, change: ModelChange): LinkEffect {
  const t = linkBase(m);
  const { base, disc, parent, top, root } = t;
  const U = m.unitCount;
  const merged = [...new Set(change.mergeUnits)];
  const places = [...new Set([...merged, ...change.linkVertices])];
  if (places.length === 0 || places.some((p) => disc[p] < 0)) return wholePass(m, change);

  // The merged unit's loss: its own load and what isolating its units together cuts off.
  const lossT = merged.length === 0 ? 0 : merged.length === 1 ? base.lossMW[merged[0]] : isolatedTogetherMW(t, workspace(m).ownMW, merged);

  // Cut vertices above the places: count the places each cuts off, and the children it cuts them through.
  const stamp = ++t.stamp;
  const { mark, count, childMark, dec } = t;
  const hitV: number[] = [];
  const hitC: number[] = [];
  for (const p of places) {
    for (let y = p; ; ) {
      const c = top[y];
      const v = parent[c];
      if (v === root || v < 0) break;
      if (mark[v] !== stamp) {
        mark[v] = stamp;
        count[v] = 0;
        dec[v] = 0;
      }
      count[v]++;
      hitV.push(v);
      hitC.push(c);
      y = v;
    }
  }
  const isMerged = (v: number) => v < U && merged.includes(v);
  const isPlace = (v: number) => places.includes(v);
  // v changes when it cuts off some places but not all the others (those reach a source and bring the rest back).
  const mixed = (v: number) => !isMerged(v) && count[v] < places.length - (isPlace(v) ? 1 : 0);
  for (let i = 0; i < hitV.length; i++) {
    const v = hitV[i];
    const c = hitC[i];
    if (!mixed(v) || childMark[c] === stamp) continue;
    childMark[c] = stamp;
    dec[v] += t.subMW[c];
  }
  const changed: number[] = [];
  for (let i = 0; i < hitV.length; i++) {
    const v = hitV[i];
    if (mark[v] !== stamp || !mixed(v)) continue;
    mark[v] = stamp - 1; // listed once
    changed.push(v);
    // Multi-side stations v cut off come back when one of their places is in a part that comes back.
    for (let k = t.msAtStart[v]; k < t.msAtStart[v + 1]; k++) {
      const s = t.msAt[k];
      if (t.msLocs[s].some((x) => x !== v && inSubtree(t, x, v) && childMark[childToward(t, v, x)] === stamp)) dec[v] += t.msLoadMW[s];
    }
  }

  const units: number[] = [];
  const savedMW: number[] = [];
  let risk = 0;
  const saved = new Map<number, number>();
  for (const v of changed) {
    if (v >= U) continue;
    saved.set(v, dec[v]);
    risk += dec[v] * (m.unitLengthM[v] / 1000);
  }
  if (merged.length) {
    let lenT = change.addedLengthM;
    for (const u of merged) {
      saved.set(u, base.lossMW[u] - lossT);
      risk += base.lossMW[u] * (m.unitLengthM[u] / 1000);
      lenT += m.unitLengthM[u];
    }
    risk -= lossT * (lenT / 1000);
  }
  for (const u of [...saved.keys()].sort((a, b) => a - b)) {
    units.push(u);
    savedMW.push(saved.get(u)!);
  }
  return { riskReducedMWkm: risk, units, savedMW };
}

/** `linkEffect` by a whole-graph pass with the change (also the reference the tree reading is tested against). */
export function wholePass(m: SegmentModel, change: ModelChange): LinkEffect {
  const base = linkBase(m).base;
  const after = unitLosses(m, change, true);
  const units: number[] = [];
  const savedMW: number[] = [];
  for (let u = 0; u < m.unitCount; u++) {
    const s = base.lossMW[base.unitRep[u]] - after.lossMW[after.unitRep[u]];
    if (s !== 0) {
      units.push(u);
      savedMW.push(s);
    }
  }
  return { riskReducedMWkm: base.loadAtRiskMWkm - after.loadAtRiskMWkm, units, savedMW };
}

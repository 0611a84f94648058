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

class UnionFind {
  parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(a: number): number {
    const p = this.parent;
    while (p[a] !== a) {
      p[a] = p[p[a]];
      a = p[a];
    }
    return a;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
  }
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
  /** Vertex of each unit after any merge (units merged by a change share one). */
  unitRep: Int32Array;
  vertexCount: number;
  lossMW: Float64Array;
  households: Float64Array;
  heatedAreaM2: Float64Array;
  /** Length carried by each representative unit, m (index: representative). */
  repLengthM: Float64Array;
  /** Stations fed with nothing isolated. */
  stationFed: Uint8Array;
  /** Σ loss × length (km) over units: the network's load at risk, MW·km. */
  loadAtRiskMWkm: number;
}

/**
 * Losses of isolating each unit. With `change`, the contracted graph is first
 * edited as if a new in-service primary pipe had been added (what-if for
 * loop options), which is exact because the pipe only merges units and adds
 * unit ↔ boundary links.
 */
export function unitLosses(m: SegmentModel, change?: ModelChange): UnitLosses {
  const U = m.unitCount;
  const B = m.boundaryNodes.length;
  // The new pipe's unit: either merged into existing units or a fresh vertex U+B.
  const extraUnit = change ? 1 : 0;
  const root = U + B + extraUnit;
  const V = root + 1;
  const unitRep = new Int32Array(U + extraUnit);
  for (let u = 0; u < U + extraUnit; u++) unitRep[u] = u;
  let newUnitVertex = -1;
  if (change) {
    const target = change.mergeUnits.length ? Math.min(...change.mergeUnits) : U;
    for (const u of change.mergeUnits) unitRep[u] = target;
    unitRep[U] = target;
    newUnitVertex = target === U ? U + B : target;
  }
  const vertexOfUnit = (u: number) => (unitRep[u] === U ? U + B : unitRep[u]);
  // Shift boundary vertices by one when a fresh unit exists? No: keep boundary at U+k and the fresh unit at U+B.
  const L = m.linkUnit.length;
  const extraLinks = change ? change.linkVertices.length : 0;
  const degree = new Int32Array(V + 1);
  const R = m.rootVertices.length;
  const mapVertex = (v: number) => (v < U ? vertexOfUnit(v) : v);
  for (let i = 0; i < L; i++) {
    degree[mapVertex(m.linkUnit[i]) + 1]++;
    degree[m.linkVertex[i] + 1]++;
  }
  for (let i = 0; i < extraLinks; i++) {
    degree[newUnitVertex + 1]++;
    degree[change!.linkVertices[i] + 1]++;
  }
  for (let i = 0; i < R; i++) {
    degree[mapVertex(m.rootVertices[i]) + 1]++;
    degree[root + 1]++;
  }
  for (let v = 0; v < V; v++) degree[v + 1] += degree[v];
  const adj = new Int32Array(degree[V]);
  const fill = degree.slice(0, V);
  const addEdge = (a: number, b: number) => {
    adj[fill[a]++] = b;
    adj[fill[b]++] = a;
  };
  for (let i = 0; i < L; i++) addEdge(mapVertex(m.linkUnit[i]), m.linkVertex[i]);
  for (let i = 0; i < extraLinks; i++) addEdge(newUnitVertex, change!.linkVertices[i]);
  for (let i = 0; i < R; i++) addEdge(mapVertex(m.rootVertices[i]), root);

  // Loads sitting on each vertex (stations with a single place to take heat).
  const ownMW = new Float64Array(V);
  const ownHH = new Float64Array(V);
  const ownArea = new Float64Array(V);
  const S = m.stationVertices.length;
  for (let i = 0; i < S; i++) {
    const locs = m.stationVertices[i];
    if (locs.length !== 1 || m.stationSelfFed[i]) continue;
    const v = mapVertex(locs[0]);
    ownMW[v] += m.stationLoads[i].loadMW;
    ownHH[v] += m.stationLoads[i].households;
    ownArea[v] += m.stationLoads[i].heatedAreaM2;
  }

  // Iterative DFS from the root: disc/low, subtree sums, and the part of each
  // vertex's subtree that only reaches the root through it.
  const disc = new Int32Array(V).fill(-1);
  const low = new Int32Array(V);
  const parent = new Int32Array(V).fill(-1);
  const it = new Int32Array(V);
  const subMW = new Float64Array(V);
  const subHH = new Float64Array(V);
  const subArea = new Float64Array(V);
  const cutMW = new Float64Array(V);
  const cutHH = new Float64Array(V);
  const cutArea = new Float64Array(V);
  const stack = new Int32Array(V);
  let sp = 0;
  let time = 0;
  disc[root] = low[root] = time++;
  it[root] = degree[root];
  stack[sp++] = root;
  while (sp > 0) {
    const v = stack[sp - 1];
    if (it[v] < degree[v + 1]) {
      const w = adj[it[v]++];
      if (disc[w] < 0) {
        parent[w] = v;
        disc[w] = low[w] = time++;
        it[w] = degree[w];
        subMW[w] = ownMW[w];
        subHH[w] = ownHH[w];
        subArea[w] = ownArea[w];
        stack[sp++] = w;
      } else if (w !== parent[v] && disc[w] < low[v]) low[v] = disc[w];
    } else {
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
  }

  const nUnitsOut = U + extraUnit;
  const lossMW = new Float64Array(V);
  const households = new Float64Array(V);
  const heatedAreaM2 = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    if (disc[v] < 0 || v === root) continue;
    lossMW[v] = ownMW[v] + cutMW[v];
    households[v] = ownHH[v] + cutHH[v];
    heatedAreaM2[v] = ownArea[v] + cutArea[v];
  }

  const stationFed = new Uint8Array(S);
  for (let i = 0; i < S; i++) {
    const locs = m.stationVertices[i];
    if (m.stationSelfFed[i] && locs.length) {
      stationFed[i] = 1;
      continue;
    }
    const reached = locs.map(mapVertex).filter((v) => disc[v] >= 0);
    if (reached.length) stationFed[i] = 1;
    if (locs.length <= 1 || !reached.length) continue;
    // A station on a closed valve is lost only when every side it can take
    // heat from is cut: intersect the cutting units of each side.
    let common: Set<number> | null = null;
    for (const x of reached) {
      const cutters = new Set<number>();
      if (x < U + B + extraUnit && (x < U || x === U + B)) cutters.add(x);
      let cur = x;
      while (parent[cur] >= 0 && parent[cur] !== root) {
        const u = parent[cur];
        if (low[cur] >= disc[u] && (u < U || u === U + B)) cutters.add(u);
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

  // Lengths per representative vertex, and the load at risk.
  const repLengthM = new Float64Array(V);
  for (let u = 0; u < U; u++) repLengthM[vertexOfUnit(u)] += m.unitLengthM[u];
  if (change) repLengthM[newUnitVertex] += change.addedLengthM;
  let risk = 0;
  for (let u = 0; u < nUnitsOut; u++) {
    const v = vertexOfUnit(u);
    if (v !== (u === U ? U + B : u)) continue; // count each merged unit once, on its representative
    risk += lossMW[v] * (repLengthM[v] / 1000);
  }
  return {
    unitRep: Int32Array.from(unitRep, (_, u) => vertexOfUnit(u)),
    vertexCount: V,
    lossMW,
    households,
    heatedAreaM2,
    repLengthM,
    stationFed,
    loadAtRiskMWkm: risk,
  };
}

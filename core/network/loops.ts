/**
 * Loop-connection options, 联网方案 (DOMAIN.md §3 item 5).
 *
 * Candidates are straight new primary links between primary nodes:
 * - interconnect: nodes of two different source service areas (separate
 *   networks with their own sources); for each pair of areas the shortest
 *   links, spread out (a link whose two ends are both near a kept one's is a
 *   near-duplicate and dropped);
 * - loop: from a branch end (a primary node with one primary pipe) to a
 *   nearby node of the same area, closing a loop.
 * Length: along the streets where a street layer is there (the route
 * streetRoute.ts draws: a stub from each end to the nearest street, the
 * shortest way along the streets); straight geodesic × route factor where no
 * street is within the stub limit of an end; at most the maximum length (a
 * link the streets join only by a longer way is not offered).
 *
 * Each candidate is valued exactly: the what-if adds it to the segment graph
 * as an in-service primary pipe along its route (the pipe `optionPipe`
 * returns), so riskReducedMWkm is what criticality reports before minus after
 * adding that pipe. Only the losses that depend on the tree path between the
 * link's ends change, and they are read off the no-link DFS tree
 * (`linkEffect`, segments.ts) rather than recomputed over the whole graph. backupMW = what the other area can carry when one
 * area's sources fail: min(its spare capacity, the link's capacity, the
 * failed area's load), the larger of the two directions.
 *
 * Ranking: interconnects first (the plan's "one network, many sources"), by
 * backupMW per 万元; then loops by riskReducedMWkm per 万元; benefits within
 * 1 % count as equal and the larger risk reduction goes first. The chosen set
 * is greedy in rank order within the budget, one interconnect per pair of
 * areas and no two options sharing an end.
 */
import { segmentT } from '../geo/clamp';
import KDBush from 'kdbush';
import type { Feature, LineStringGeom } from '../model/types';
import type { ProjectData } from '../model/project';
import { unitCostWanPerKm } from '../model/settings';
import { distanceM } from '../geo/length';
import type { Position } from '../model/geojson';
import { streetRouter } from './streetRoute';
import {
  LEVEL_PRIMARY,
  NODE_SOURCE,
  NODE_STATION,
  NODE_VALVE,
  NODE_VALVE_CLOSED,
  NODE_VALVE_INOPERABLE,
  checkAborted,
  type AnalysisOptions,
  type NetworkGraph,
} from './graph';
import { baseLosses, baseTree, linkEffect, type ModelChange, type SegmentModel } from './segments';
import { supplyTrace } from './supply';
import { sizeLink } from './linkSizing';
import { pushAll } from '../arrays';
import { message, type Message } from '../i18n';
import { roundTo } from '../format/number';

export interface LoopEnd {
  lon: number;
  lat: number;
  /** The main source of the end's service area (largest capacity). */
  source: string;
  /** Every source of that area. */
  sources: string[];
  node: number;
}

export interface LoopOption {
  rank: number;
  kind: 'interconnect' | 'loop';
  from: LoopEnd;
  to: LoopEnd;
  lengthM: number;
  /** Straight geodesic length between the two ends, m. */
  straightM: number;
  /** How the length was measured: along the streets (stubs + streets) or straight × route factor. */
  route: 'streets' | 'straight';
  /** The pipe's line, lon/lat, from `from` to `to`. */
  geometry: Position[];
  dn: number;
  costWan: number;
  backupMW: number;
  riskReducedMWkm: number;
  benefitPerWan: number;
  /** Load the link is sized for, MW, and what that DN carries. */
  designLoadMW: number;
  capacityMW: number;
  /** What the option does and gains, as typed messages (sentences of `loops.explain.*`). */
  explanation: Message[];
}

export interface LoopsResult {
  options: LoopOption[];
  chosen: number[];
  loadAtRiskMWkm: number;
  budgetWan: number | null;
  totalCostWan: number;
}

export interface LoopsParams {
  maxLengthM?: number;
  budgetWan?: number;
  /** Interconnect candidates kept per pair of areas. */
  perAreaPair?: number;
  /** Loop candidates valued exactly (the most promising branch ends first). */
  maxLoopCandidates?: number;
}

/** The contracted-graph change made by a new primary pipe between nodes a and b. */
export function linkChange(m: SegmentModel, a: number, b: number, lengthM: number): ModelChange {
  const g = m.graph;
  const merge = new Set<number>();
  const vertices: number[] = [];
  for (const n of [a, b]) {
    const f = g.nodeFlags[n];
    const v = m.nodeVertex[n];
    const isValve = (f & NODE_VALVE) !== 0;
    const joinsSide = !isValve || ((f & NODE_VALVE_INOPERABLE) !== 0 && (f & NODE_VALVE_CLOSED) === 0);
    if (v >= 0 && v < m.unitCount) {
      merge.add(v);
      continue;
    }
    if (v >= m.unitCount) vertices.push(v);
    if (joinsSide) {
      // Primary-side pipes at a station node (or an inoperable valve) join the new pipe's segment / unit.
      for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
        const e = g.adjEdge[k];
        if (!g.edgeInService[e]) continue;
        if (f & NODE_STATION && g.edgeLevel[e] !== LEVEL_PRIMARY) continue;
        merge.add(m.segUnit[m.edgeSeg[e]]);
      }
    }
  }
  return { mergeUnits: [...merge], linkVertices: vertices, addedLengthM: lengthM };
}

/** The pipe feature an option stands for (what "add it to the network" writes): along its route. */
export function optionPipe(option: Pick<LoopOption, 'from' | 'to' | 'dn'> & { geometry?: Position[] }, id: string): Feature<LineStringGeom> {
  return {
    type: 'Feature',
    id,
    geometry: { type: 'LineString', coordinates: option.geometry?.length ? option.geometry.map((p) => [p[0], p[1]]) : [[option.from.lon, option.from.lat], [option.to.lon, option.to.lat]] },
    properties: { id, level: 'primary', dn: option.dn, status: 'in_service', renovation_status: 'planned' },
  };
}

/** A copy of the project with the option added as an in-service primary pipe. */
export function withOption(project: ProjectData, option: Pick<LoopOption, 'from' | 'to' | 'dn'> & { geometry?: Position[] }, id = 'LOOP-1'): ProjectData {
  return { ...project, layers: { ...project.layers, pipes: [...project.layers.pipes, optionPipe(option, id)] } };
}

/**
 * Whether some pipe end lies within `tol` of a point (local metres): the ends
 * hashed by cells the size of the tolerance, so a query looks at nine cells.
 */
function endNear(g: NetworkGraph, tol: number): (x: number, y: number) => boolean {
  const N = g.endNodeCount;
  if (!(tol >= 0) || N === 0) return () => false;
  // A little over the tolerance, so that rounding in x / cell never puts a point within it two cells away.
  const cell = tol > 0 ? tol * (1 + 1e-6) : 1;
  const r2 = tol * tol;
  let size = 1024;
  while (size < N * 2) size *= 2;
  const mask = size - 1;
  const keyX = new Int32Array(size);
  const keyY = new Int32Array(size);
  const head = new Int32Array(size).fill(-1);
  const next = new Int32Array(N);
  const slot = (ix: number, iy: number): number => {
    let h = Math.imul(ix, 0x9e3779b1) ^ Math.imul(iy ^ 0x5bd1e995, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let k = h & mask;
    while (head[k] >= 0 && (keyX[k] !== ix || keyY[k] !== iy)) k = (k + 1) & mask;
    return k;
  };
  for (let n = 0; n < N; n++) {
    const ix = Math.floor(g.nodeX[n] / cell);
    const iy = Math.floor(g.nodeY[n] / cell);
    const k = slot(ix, iy);
    if (head[k] < 0) {
      keyX[k] = ix;
      keyY[k] = iy;
    }
    next[n] = head[k];
    head[k] = n;
  }
  return (x, y) => {
    const ix = Math.floor(x / cell);
    const iy = Math.floor(y / cell);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let n = head[slot(ix + dx, iy + dy)]; n >= 0; n = next[n]) {
          const ex = g.nodeX[n] - x;
          const ey = g.nodeY[n] - y;
          if (ex * ex + ey * ey <= r2) return true;
        }
    return false;
  };
}

/**
 * A straight link passing within the attach tolerance of a valve well, station
 * or source that sits inside a pipe (not on a pipe end) could, by the topology
 * rules, take that facility into its own interior: it would no longer be the
 * link the option describes, so such links are not offered.
 */
function facilityGuard(g: NetworkGraph): (ax: number, ay: number, bx: number, by: number) => boolean {
  const tol = g.input.settings.attachToleranceM;
  const { lon0, lat0, kx, ky } = g.proj;
  // A facility within the tolerance of a pipe end sits on that node whatever is added, so only
  // those that would otherwise go to the nearest pipe interior can be taken by a new link.
  const nearEnd = endNear(g, tol);
  const xs: number[] = [];
  const ys: number[] = [];
  const L = g.input.layers;
  for (const layer of [L.valves, L.stations, L.heat_sources]) {
    for (const f of layer) {
      const c = f.geometry?.type === 'Point' ? f.geometry.coordinates : null;
      if (!c || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) continue;
      const x = (c[0] - lon0) * kx;
      const y = (c[1] - lat0) * ky;
      if (nearEnd(x, y)) continue;
      xs.push(x);
      ys.push(y);
    }
  }
  if (xs.length === 0) return () => false;
  const index = new KDBush(xs.length);
  for (let i = 0; i < xs.length; i++) index.add(xs[i], ys[i]);
  index.finish();
  return (ax: number, ay: number, bx: number, by: number) => {
    const dx = bx - ax, dy = by - ay;
    for (const i of index.range(Math.min(ax, bx) - tol, Math.min(ay, by) - tol, Math.max(ax, bx) + tol, Math.max(ay, by) + tol)) {
      const px = xs[i], py = ys[i];
      const t = segmentT(px, py, ax, ay, dx, dy);
      if (Math.hypot(ax + t * dx - px, ay + t * dy - py) <= tol) return true;
    }
    return false;
  };
}

interface Candidate {
  kind: 'interconnect' | 'loop';
  a: number;
  b: number;
  straightM: number;
  areaA: number;
  areaB: number;
  route?: { route: 'streets' | 'straight'; geometry: Position[]; lengthM: number; geometryM: number };
}

export function loopOptions(m: SegmentModel, params: LoopsParams = {}, opts?: AnalysisOptions): LoopsResult {
  const g = m.graph;
  const settings = g.input.settings;
  const maxLengthM = params.maxLengthM ?? settings.loopMaxLengthM;
  const rf = settings.routeFactor > 0 ? settings.routeFactor : 1;
  const perPair = params.perAreaPair ?? 5;
  const maxLoops = params.maxLoopCandidates ?? 25;
  opts?.onProgress?.(0);
  checkAborted(opts);

  const supply = supplyTrace(g, { pipeSources: false });
  const base = baseLosses(m);
  const srcLayer = g.input.layers.heat_sources;
  const capOf = (id: string) => Number(srcLayer.find((s) => String(s.id) === id)?.properties.capacity_mw) || 0;

  // Primary nodes that may carry a link: in service, in a sourced area, not behind a closed valve.
  const nodeArea = new Int32Array(g.nodeCount).fill(-1);
  const primaryDegree = new Int32Array(g.nodeCount);
  for (let n = 0; n < g.nodeCount; n++) {
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (!g.edgeInService[e] || g.edgeLevel[e] !== LEVEL_PRIMARY) continue;
      primaryDegree[n]++;
      if (nodeArea[n] < 0) nodeArea[n] = supply.edgeArea[e];
    }
    if (g.nodeFlags[n] & NODE_VALVE_CLOSED) nodeArea[n] = -1;
  }
  const eligible: number[] = [];
  // Only pipe ends: a new pipe ending inside an existing pipe (even at a valve there) would not join it (DOMAIN.md §2).
  for (let n = 0; n < g.endNodeCount; n++) if (nodeArea[n] >= 0) eligible.push(n);
  // One spatial index per area, so an interconnect search only looks at other areas' nodes.
  const areaNodes: number[][] = supply.areas.map(() => []);
  for (const n of eligible) areaNodes[nodeArea[n]].push(n);
  const areaIndex = areaNodes.map((list) => {
    const idx = new KDBush(Math.max(1, list.length));
    for (const n of list) idx.add(g.nodeX[n], g.nodeY[n]);
    if (!list.length) idx.add(1e12, 1e12);
    idx.finish();
    return idx;
  });
  const nearIn = (area: number, n: number, r: number) =>
    areaNodes[area].length ? areaIndex[area].within(g.nodeX[n], g.nodeY[n], r).map((i) => areaNodes[area][i]) : [];
  const planar = (a: number, b: number) => Math.hypot(g.nodeX[a] - g.nodeX[b], g.nodeY[a] - g.nodeY[b]);
  const guard = facilityGuard(g);
  const crossesFacility = (a: number, b: number) => guard(g.nodeX[a], g.nodeY[a], g.nodeX[b], g.nodeY[b]);
  const routeCrossesFacility = (coords: Position[]) => {
    for (let i = 1; i < coords.length; i++) {
      const p = coords[i - 1], q = coords[i];
      if (guard((p[0] - g.proj.lon0) * g.proj.kx, (p[1] - g.proj.lat0) * g.proj.ky, (q[0] - g.proj.lon0) * g.proj.kx, (q[1] - g.proj.lat0) * g.proj.ky)) return true;
    }
    return false;
  };
  const router = streetRouter(g.input.layers.streets, g.proj, settings.snapToleranceM, settings.routeStubMaxM);
  // With streets a route can be anything from the straight length up; without, straight × route factor.
  const pre = router ? 1 : rf;
  const maxStraight = maxLengthM / pre;
  /** Route of a link between nodes a and b: along the streets, else straight × route factor; null when the streets make it too long. */
  const routeOf = (a: number, b: number, straightM: number): { route: 'streets' | 'straight'; geometry: Position[]; lengthM: number; geometryM: number } | null => {
    const A: Position = [g.nodeLon[a], g.nodeLat[a]];
    const B: Position = [g.nodeLon[b], g.nodeLat[b]];
    const straight = straightM * rf <= maxLengthM ? { route: 'straight' as const, geometry: [A, B], lengthM: straightM * rf, geometryM: straightM } : null;
    if (!router) return straight;
    const r = router.route(A, B, maxLengthM);
    if (r === 'too-long') return null;
    if (r === 'no-street' || routeCrossesFacility(r.coordinates)) return straight;
    return { route: 'streets', geometry: r.coordinates, lengthM: r.lengthM, geometryM: r.lengthM };
  };

  // Interconnect candidates: shortest per pair of areas, spread out.
  const byPair = new Map<string, Candidate[]>();
  for (const a of eligible) {
    for (let other = nodeArea[a] + 1; other < supply.areas.length; other++) {
      for (const b of nearIn(other, a, maxStraight * 1.01)) {
        const straightM = distanceM([g.nodeLon[a], g.nodeLat[a]], [g.nodeLon[b], g.nodeLat[b]]);
        if (straightM * pre > maxLengthM || crossesFacility(a, b)) continue;
        const key = `${nodeArea[a]}:${other}`;
        const list = byPair.get(key) ?? [];
        list.push({ kind: 'interconnect', a, b, straightM, areaA: nodeArea[a], areaB: other });
        byPair.set(key, list);
      }
    }
  }
  const spread = Math.max(50, maxLengthM * 0.1);
  const candidates: Candidate[] = [];
  for (const list of byPair.values()) {
    list.sort((x, y) => x.straightM - y.straightM || x.a - y.a || x.b - y.b);
    const kept: Candidate[] = [];
    for (const c of list) {
      if (kept.length >= perPair) break;
      if (kept.some((k) => planar(k.a, c.a) < spread && planar(k.b, c.b) < spread)) continue;
      kept.push(c);
    }
    pushAll(candidates, kept);
  }

  // Loop candidates: branch ends whose own segment loses the most, to nearby nodes of the same area.
  const ends = eligible.filter((n) => primaryDegree[n] === 1 && !(g.nodeFlags[n] & NODE_SOURCE));
  const endLoss = (n: number) => {
    for (let k = g.adjStart[n]; k < g.adjStart[n + 1]; k++) {
      const e = g.adjEdge[k];
      if (g.edgeInService[e] && g.edgeLevel[e] === LEVEL_PRIMARY) return base.lossMW[base.unitRep[m.segUnit[m.edgeSeg[e]]]];
    }
    return 0;
  };
  const rankedEnds = ends.map((n) => ({ n, loss: endLoss(n) })).filter((x) => x.loss > 0);
  rankedEnds.sort((x, y) => y.loss - x.loss || x.n - y.n);
  const seenPair = new Set<string>();

  // A link from a branch end helps only if its far end is fed around whatever
  // cuts the branch end: outside the DFS subtree of the topmost segment whose
  // isolation cuts it (segment graph, segments.ts).
  const tree = baseTree(m);
  const topCutter = (x: number): number => {
    let top = -1;
    if (x < m.unitCount) top = x;
    let cur = x;
    while (tree.parent[cur] >= 0 && tree.parent[cur] !== tree.parent.length - 1) {
      const u = tree.parent[cur];
      if (u < m.unitCount && tree.low[cur] >= tree.disc[u]) top = u;
      cur = u;
    }
    return top;
  };
  let loopCount = 0;
  let endsTried = 0;
  for (const { n: a } of rankedEnds) {
    if (loopCount >= maxLoops || endsTried >= maxLoops * 4) break;
    endsTried++;
    const xa = m.nodeVertex[a];
    if (xa < 0 || tree.disc[xa] < 0) continue;
    const top = topCutter(xa);
    if (top < 0) continue;
    const lo = tree.disc[top];
    const hi = tree.last[top];
    const targets = nearIn(nodeArea[a], a, maxStraight * 1.01)
      .filter((b) => {
        const xb = m.nodeVertex[b];
        return b !== a && xb >= 0 && tree.disc[xb] >= 0 && (tree.disc[xb] < lo || tree.disc[xb] > hi);
      })
      .map((b) => ({ b, d: planar(a, b) }))
      .sort((x, y) => x.d - y.d || x.b - y.b);
    let perEnd = 0;
    for (const { b } of targets) {
      if (perEnd >= 2 || loopCount >= maxLoops) break;
      const key = a < b ? `${a}:${b}` : `${b}:${a}`;
      if (seenPair.has(key)) continue;
      const straightM = distanceM([g.nodeLon[a], g.nodeLat[a]], [g.nodeLon[b], g.nodeLat[b]]);
      if (straightM * pre > maxLengthM || crossesFacility(a, b)) continue;
      seenPair.add(key);
      candidates.push({ kind: 'loop', a, b, straightM, areaA: nodeArea[a], areaB: nodeArea[b] });
      perEnd++;
      loopCount++;
    }
  }
  opts?.onProgress?.(0.1);

  // Value each candidate exactly.
  const areaOut = (area: number, n: number): LoopEnd => {
    const srcs = [...supply.areas[area].sources].sort((x, y) => capOf(y) - capOf(x) || (x < y ? -1 : 1));
    return { lon: g.nodeLon[n], lat: g.nodeLat[n], source: srcs[0], sources: srcs, node: n };
  };
  const options: LoopOption[] = [];
  candidates.forEach((c, i) => {
    checkAborted(opts);
    const rt = routeOf(c.a, c.b, c.straightM);
    if (!rt) return;
    c.route = rt;
    const effect = linkEffect(m, linkChange(m, c.a, c.b, rt.geometryM));
    const riskReducedMWkm = effect.riskReducedMWkm;
    const lengthM = rt.lengthM;
    const A = supply.areas[c.areaA];
    const B = supply.areas[c.areaB];
    let designLoadMW: number;
    let backupMW: number;
    let backupAB: number;
    let backupBA: number;
    if (c.kind === 'interconnect') {
      const spareA = Math.max(0, A.capacityMW - A.loadMW);
      const spareB = Math.max(0, B.capacityMW - B.loadMW);
      designLoadMW = Math.max(Math.min(spareB, A.loadMW), Math.min(spareA, B.loadMW));
      const size = sizeLink(designLoadMW, settings);
      backupAB = Math.min(spareB, A.loadMW, size.capacityMW); // A's sources fail, B helps
      backupBA = Math.min(spareA, B.loadMW, size.capacityMW);
      backupMW = Math.max(backupAB, backupBA);
      const costWan = (lengthM / 1000) * unitCostWanPerKm(settings, size.dn);
      options.push(describe(c, size.dn, size.capacityMW, designLoadMW, lengthM, costWan, backupMW, riskReducedMWkm, backupAB, backupBA));
    } else {
      // The most load the link carries when some segment fails: what it saves there.
      designLoadMW = 0;
      for (const saved of effect.savedMW) if (saved > designLoadMW) designLoadMW = saved;
      const size = sizeLink(designLoadMW, settings);
      const costWan = (lengthM / 1000) * unitCostWanPerKm(settings, size.dn);
      if (riskReducedMWkm > 1e-9) options.push(describe(c, size.dn, size.capacityMW, designLoadMW, lengthM, costWan, 0, riskReducedMWkm, 0, 0));
    }
    if ((i & 7) === 0) opts?.onProgress?.(0.1 + (0.85 * i) / Math.max(1, candidates.length));
  });

  function describe(
    c: Candidate,
    dn: number,
    capacityMW: number,
    designLoadMW: number,
    lengthM: number,
    costWan: number,
    backupMW: number,
    riskReducedMWkm: number,
    backupAB: number,
    backupBA: number,
  ): LoopOption {
    const from = areaOut(c.areaA, c.a);
    const to = areaOut(c.areaB, c.b);
    const benefitPerWan = costWan > 0 ? (c.kind === 'interconnect' ? backupMW : riskReducedMWkm) / costWan : 0;
    const L = Math.round(lengthM);
    const cost = roundTo(costWan, 1);
    const along = c.route!.route === 'streets' ? 1 : 0;
    const explanation: Message[] =
      c.kind === 'interconnect'
        ? [
            message('loops.explain.interconnect', {
              a: from.sources.join('+'), b: to.sources.join('+'), dn, length: L, along, cost,
              backupAB: roundTo(backupAB, 2), backupBA: roundTo(backupBA, 2), perWan: roundTo(benefitPerWan, 3), risk: roundTo(riskReducedMWkm, 3),
            }),
          ]
        : [
            message('loops.explain.loop', {
              a: from.sources.join('+'), dn, length: L, along, cost,
              saved: roundTo(designLoadMW, 2), risk: roundTo(riskReducedMWkm, 3), perWan: roundTo(benefitPerWan, 4),
            }),
          ];
    return {
      rank: 0,
      kind: c.kind,
      from,
      to,
      lengthM,
      straightM: c.straightM,
      route: c.route!.route,
      geometry: c.route!.geometry,
      dn,
      costWan,
      backupMW,
      riskReducedMWkm,
      benefitPerWan,
      designLoadMW,
      capacityMW,
      explanation,
    };
  }

  opts?.onProgress?.(1);
  return rankOptions(options, params.budgetWan, base.loadAtRiskMWkm);
}

/**
 * Rank options (interconnects first, each kind by benefit per 万元) and choose
 * greedily within the budget: one interconnect per pair of areas, no two
 * options sharing an end.
 */
export function rankOptions(options: LoopOption[], budget: number | undefined, loadAtRiskMWkm: number): LoopsResult {
  const kindOrder = (o: LoopOption) => (o.kind === 'interconnect' ? 0 : 1);
  // Benefits within 1 % are a tie for a manager (parallel links differ by centimetres), settled by risk reduced;
  // risks equal to a millionth are a tie too (two ways of summing the same loads differ in the last bits), settled
  // by cost, then by the ends: the order never hangs on rounding.
  const within = (a: number, b: number, share: number) => (Math.abs(a - b) <= share * Math.max(Math.abs(a), Math.abs(b)) ? 0 : b - a);
  options.sort(
    (x, y) =>
      kindOrder(x) - kindOrder(y) ||
      within(x.benefitPerWan, y.benefitPerWan, 0.01) ||
      within(x.riskReducedMWkm, y.riskReducedMWkm, 1e-6) ||
      x.costWan - y.costWan ||
      x.from.node - y.from.node ||
      x.to.node - y.to.node,
  );
  options.forEach((o, i) => (o.rank = i + 1));

  // Greedy choice within the budget.
  let left = budget ?? Infinity;
  const chosen: number[] = [];
  const usedPairs = new Set<string>();
  const usedNodes = new Set<number>();
  let totalCostWan = 0;
  for (const o of options) {
    if (o.costWan > left) continue;
    if (usedNodes.has(o.from.node) || usedNodes.has(o.to.node)) continue;
    if (o.kind === 'interconnect') {
      const key = [o.from.sources.join('+'), o.to.sources.join('+')].sort().join('|');
      if (usedPairs.has(key)) continue;
      usedPairs.add(key);
    }
    chosen.push(o.rank);
    usedNodes.add(o.from.node).add(o.to.node);
    left -= o.costWan;
    totalCostWan += o.costWan;
  }
  return { options, chosen, loadAtRiskMWkm, budgetWan: budget ?? null, totalCostWan };
}

/**
 * N-1 criticality sweep (DOMAIN.md §3 item 4): the isolation loss of every
 * valve segment, the network's load at risk = Σ loss (MW) × segment length
 * (km), the worst segment, and the bridges of the primary network.
 *
 * Losses come from one articulation-point pass over the segment graph
 * (segments.ts), not one search per segment; tests check it against
 * `isolateEdges` segment by segment.
 */
import { leaveOutLongest } from '../arrays';
import { LEVEL_PRIMARY, checkAborted, otherEnd, type AnalysisOptions, type NetworkGraph } from './graph';
import { baseLosses, type SegmentModel } from './segments';

export interface SegmentRisk {
  pipes: string[];
  loadLostMW: number;
  households: number;
  lengthM: number;
  /** loadLostMW × lengthM / 1000. */
  riskMWkm: number;
}

export interface CriticalityResult {
  segments: SegmentRisk[];
  loadAtRiskMWkm: number;
  /** The segment with the largest loss × length; null when no segment loses any load. */
  worstSegment: SegmentRisk | null;
  bridges: string[];
}

export function criticality(m: SegmentModel, opts?: AnalysisOptions): CriticalityResult {
  const g = m.graph;
  opts?.onProgress?.(0);
  const losses = baseLosses(m);
  checkAborted(opts);
  opts?.onProgress?.(0.5);
  const pipes = g.input.layers.pipes;
  const segments: SegmentRisk[] = [];
  let worst: SegmentRisk | null = null;
  for (let s = 0; s < m.segCount; s++) {
    const v = losses.unitRep[m.segUnit[s]];
    // A segment's edges come in edge order, so the pieces of one pipe are side by side: no set needed.
    const ids: string[] = [];
    let lastPipe = -1;
    for (let k = m.segEdgeStart[s]; k < m.segEdgeStart[s + 1]; k++) {
      const p = g.edgePipe[m.segEdge[k]];
      if (p === lastPipe) continue;
      lastPipe = p;
      ids.push(String(pipes[p].id));
    }
    const lengthM = m.segLengthM[s];
    const seg: SegmentRisk = {
      pipes: ids.length > 1 ? [...new Set(ids)].sort() : ids,
      loadLostMW: losses.lossMW[v],
      households: losses.households[v],
      lengthM,
      riskMWkm: losses.lossMW[v] * (lengthM / 1000),
    };
    segments.push(seg);
    // Segments equal but for rounding in their lengths (micrometres) tie; the first keeps its place.
    if (seg.riskMWkm > (worst?.riskMWkm ?? 0) * (1 + 1e-9)) worst = seg;
  }
  checkAborted(opts);
  const bridges = primaryBridges(g);
  opts?.onProgress?.(1);
  // Σ over units (not segments) so that what-if results (loops.ts) add up the same way.
  return { segments, loadAtRiskMWkm: losses.loadAtRiskMWkm, worstSegment: worst, bridges };
}

/**
 * Edges whose removal disconnects the in-service primary network (iterative
 * Tarjan; parallel pipes are not bridges because the parent is skipped by edge, not by node).
 */
export function bridgeEdges(g: NetworkGraph, keep: (e: number) => boolean): Uint8Array {
  const N = g.nodeCount;
  const disc = new Int32Array(N).fill(-1);
  const low = new Int32Array(N);
  const parentEdge = new Int32Array(N).fill(-1);
  const it = new Int32Array(N);
  const stack = new Int32Array(N);
  const bridge = new Uint8Array(g.edgeCount);
  let time = 0;
  for (let s = 0; s < N; s++) {
    if (disc[s] >= 0) continue;
    let sp = 0;
    disc[s] = low[s] = time++;
    it[s] = g.adjStart[s];
    stack[sp++] = s;
    while (sp > 0) {
      const v = stack[sp - 1];
      if (it[v] < g.adjStart[v + 1]) {
        const e = g.adjEdge[it[v]++];
        if (e === parentEdge[v] || !keep(e)) continue;
        const w = otherEnd(g, e, v);
        if (w === v) continue;
        if (disc[w] < 0) {
          parentEdge[w] = e;
          disc[w] = low[w] = time++;
          it[w] = g.adjStart[w];
          stack[sp++] = w;
        } else if (disc[w] < low[v]) low[v] = disc[w];
      } else {
        sp--;
        const pe = parentEdge[v];
        if (pe < 0) continue;
        const p = otherEnd(g, pe, v);
        if (low[v] < low[p]) low[p] = low[v];
        if (low[v] > disc[p]) bridge[pe] = 1;
      }
    }
  }
  return bridge;
}

/** Pipe ids of the primary network's bridges, sorted. */
export function primaryBridges(g: NetworkGraph): string[] {
  const bridge = bridgeEdges(g, (e) => g.edgeInService[e] === 1 && g.edgeLevel[e] === LEVEL_PRIMARY);
  const ids = new Set<string>();
  for (let e = 0; e < g.edgeCount; e++) if (bridge[e]) ids.add(String(g.input.layers.pipes[g.edgePipe[e]].id));
  return [...ids].sort();
}

// ---------------------------------------------------------------- what the app shows of it

/** Upper bounds (MW lost when a segment is isolated) of the N-1 theme's classes, lowest first. */
export const RISK_CLASS_MAX_MW: readonly number[] = [0, 1, 3, 10, Infinity];
/** The N-1 class of a loss (index into RISK_CLASS_MAX_MW). */
export function riskClassOf(lossMW: number): number {
  let i = 0;
  while (lossMW > RISK_CLASS_MAX_MW[i]) i++;
  return i;
}

/** Segments the app's table lists (the highest MW·km first). */
export const CRITICALITY_ROWS_SHOWN = 20;
/** Bridges the app lists (their count is given whole). */
export const BRIDGES_SHOWN = 200;
/** Pipes of a listed segment the app names (their count is given whole). */
export const SEGMENT_PIPES_SHOWN = 12;

/** A segment as the app lists it: its first pipes (sorted, as the report's) and how many it has. */
export interface SegmentRow extends Omit<SegmentRisk, 'pipes'> {
  pipes: string[];
  pipeCount: number;
}

/**
 * The app's part of a criticality report (the command line's --json keeps every segment): a city
 * network has hundreds of thousands of segments, and the map needs one class per pipe, not a list
 * of segments with their pipes.
 */
export interface CriticalityAnswer {
  loadAtRiskMWkm: number;
  segmentCount: number;
  /** Per N-1 class (RISK_CLASS_MAX_MW): how many segments, and their length. */
  classes: { segments: number; lengthM: number }[];
  /** The CRITICALITY_ROWS_SHOWN segments of the highest MW·km, in the report's order among ties. */
  worst: SegmentRow[];
  worstSegment: SegmentRow | null;
  bridgeCount: number;
  /** The first BRIDGES_SHOWN bridges. */
  bridges: string[];
  /**
   * Codes of the pipes of each N-1 class (a pipe in two segments takes the larger loss), but those
   * of `rest`: the most numerous class, whose list is left empty (the map gives its colour to every
   * pipe not listed).
   */
  pipeClasses: string[][];
  rest: number;
}

const segmentRow = (s: SegmentRisk): SegmentRow => ({
  pipes: s.pipes.length > SEGMENT_PIPES_SHOWN ? s.pipes.slice(0, SEGMENT_PIPES_SHOWN) : s.pipes,
  pipeCount: s.pipes.length,
  loadLostMW: s.loadLostMW,
  households: s.households,
  lengthM: s.lengthM,
  riskMWkm: s.riskMWkm,
});

export function criticalityAnswer(r: CriticalityResult, rows: number = CRITICALITY_ROWS_SHOWN): CriticalityAnswer {
  const classes = RISK_CLASS_MAX_MW.map(() => ({ segments: 0, lengthM: 0 }));
  const pipeClass = new Map<string, number>();
  // the highest MW·km first, ties in the segments' order: a short list kept sorted as they come
  const top: SegmentRisk[] = [];
  for (const s of r.segments) {
    const k = riskClassOf(s.loadLostMW);
    classes[k].segments++;
    classes[k].lengthM += s.lengthM;
    for (const p of s.pipes) {
      const was = pipeClass.get(p);
      if (was === undefined || was < k) pipeClass.set(p, k);
    }
    if (rows <= 0 || (top.length === rows && !(s.riskMWkm > top[rows - 1].riskMWkm))) continue;
    let i = top.length;
    while (i > 0 && s.riskMWkm > top[i - 1].riskMWkm) i--;
    top.splice(i, 0, s);
    if (top.length > rows) top.pop();
  }
  const pipeClasses: string[][] = RISK_CLASS_MAX_MW.map(() => []);
  for (const [p, k] of pipeClass) pipeClasses[k].push(p);
  const rest = leaveOutLongest(pipeClasses);
  return {
    loadAtRiskMWkm: r.loadAtRiskMWkm,
    segmentCount: r.segments.length,
    classes,
    worst: top.map(segmentRow),
    worstSegment: r.worstSegment && segmentRow(r.worstSegment),
    bridgeCount: r.bridges.length,
    bridges: r.bridges.length > BRIDGES_SHOWN ? r.bridges.slice(0, BRIDGES_SHOWN) : r.bridges,
    pipeClasses,
    rest,
  };
}

/**
 * What the app shows of a hydraulic run (plain JSON data for the IPC and the
 * browser bridge): the command line's result plus what the map themes, the
 * 水压图 and the balancing table need, so a view only displays it.
 * - pipes: flow (signed, for width and arrows), velocity, R, head loss,
 *   supply temperatures and the lowest supply pressure along the pipe;
 * - stations: ΔP against their minimum (traffic light), flow, shortfall,
 *   before-balancing flow;
 * - sources with their share; the profile along the path to the unfavourable
 *   (or a chosen) station; the balancing rows; pressure-check findings.
 */
import type { HydraulicNetwork } from './network';
import { hydraulicProfile, type HydraulicProfile } from './profile';
import { pipeNumbersOfResult, type BalancingRow, type HydraulicResult, type PipePart, type PipeResult, type ResultPipeNumbers, type SourceResult, type StationResult } from './simulate';
import type { StaticFinding } from './statics';
import type { IterationRecord } from './solver';
import { sourceShares } from './report';

export interface HydraulicsPipeView extends PipeResult {
  dn: number | null;
  /** Lowest supply gauge pressure at the pipe's pieces' ends, kPa (null outside the solved networks). */
  supplyPressureKpa: number | null;
}

export interface HydraulicsStationView extends StationResult {
  lon: number | null;
  lat: number | null;
  /** 'ok' (ΔP ≥ minimum + 20 %), 'low' (within 20 % above the minimum), 'short' (below it), 'unserved'. */
  light: 'ok' | 'low' | 'short' | 'unserved';
}

export interface HydraulicsView {
  converged: boolean;
  iterations: number;
  reason?: string;
  /** The last iterations of the solver (all of them when it did not converge). */
  log: IterationRecord[];
  scenario: HydraulicResult['scenario'];
  settings: HydraulicResult['settings'];
  /**
   * Every pipe's numbers when the map draws the pipes from GeoJSON; none when it draws
   * them from tiles (`pipeTiles`): the numbers are then properties of the result's tiles
   * and a pipe's row is asked for by id (`analysis:hydraulicsPipe`).
   */
  pipes: HydraulicsPipeView[];
  /** How many pipes the run has numbers for. */
  pipeCount: number;
  /** What the legend and the map's themes need, over all pipes. */
  legend: HydraulicsLegend;
  /** The result's tiles of the pipes layer (`tiles/<key>/pipes~hyd-<token>/…`), when the map draws the pipes from tiles. */
  pipeTiles: { token: string } | null;
  stations: HydraulicsStationView[];
  sources: (SourceResult & { share: number })[];
  unfavourable: { station: string; path: string[] } | null;
  balancing: BalancingRow[];
  totals: HydraulicResult['totals'];
  pressure: { findings: StaticFinding[]; counts: Record<string, number> };
  elevationKnown: boolean;
  /** The 水压图 along the path to `profileStation` or the unfavourable station. */
  profile: HydraulicProfile | null;
  /** Pump heads the non-design scenarios keep, m. */
  designHeads: Record<string, number>;
}

/** The pipe themes with class breaks (the others colour by flow or by the stations' ΔP). */
export type ClassedTheme = 'velocity' | 'r' | 'pressure' | 'temp';
export const CLASSED_THEMES: readonly ClassedTheme[] = ['velocity', 'r', 'pressure', 'temp'];

export interface HydraulicsLegend {
  /** Class breaks of each classed theme, ascending (a value ≥ breaks[i] is past class i). */
  breaks: Record<ClassedTheme, number[]>;
  /** The largest |flow| of any pipe, m³/h (at least 1e-9): the flow theme's width and arrow threshold. */
  flowMaxM3h: number;
}

/** A pipe's flow counts for an arrow above this share of the largest flow. */
export const ARROW_FLOW_SHARE = 0.002;

/**
 * Class breaks of a theme: fixed where engineering practice has ranges, equal
 * "nice" steps over the data otherwise (non-finite values left out).
 */
export function themeBreaks(theme: ClassedTheme, values: ArrayLike<number>): number[] {
  if (theme === 'velocity') return [0.3, 1, 2, 3];
  if (theme === 'r') return [30, 80, 150, 300];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [];
  if (hi - lo < 1e-9) return [];
  const step = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(step));
  const nice = [1, 2, 2.5, 5, 10].map((x) => x * mag).find((x) => x >= step) ?? step;
  const start = Math.ceil(lo / nice) * nice;
  const out: number[] = [];
  for (let b = start; b < hi && out.length < 4; b += nice) if (b > lo) out.push(+b.toFixed(6));
  return out;
}

/**
 * A run's per-pipe numbers as columns (index i is pipe ids[i]; NaN where the
 * view says null): what the backend keeps of a run to cut the result's tiles
 * and answer one pipe, instead of an object per pipe.
 */
export interface HydraulicsPipeColumns {
  ids: string[];
  dn: Float64Array;
  flowM3h: Float64Array;
  velocityMs: Float64Array;
  rPam: Float64Array;
  headLossM: Float64Array;
  supplyInC: Float64Array;
  supplyOutC: Float64Array;
  supplyPressureKpa: Float64Array;
  /** The pieces of the pipes divided inside (few), by pipe index. */
  parts: Map<number, PipePart[]>;
}

/** The column of a classed theme's value. */
export function themeColumn(c: HydraulicsPipeColumns, theme: ClassedTheme): Float64Array {
  return theme === 'velocity' ? c.velocityMs : theme === 'r' ? c.rPam : theme === 'pressure' ? c.supplyPressureKpa : c.supplyInC;
}

/** The legend's breaks and the largest flow over all pipes of a run. */
export function hydraulicsLegend(c: HydraulicsPipeColumns): HydraulicsLegend {
  let qmax = -Infinity;
  for (let i = 0; i < c.flowM3h.length; i++) {
    const q = Math.abs(c.flowM3h[i]);
    if (q > qmax) qmax = q;
  }
  const breaks = {} as Record<ClassedTheme, number[]>;
  for (const t of CLASSED_THEMES) breaks[t] = themeBreaks(t, themeColumn(c, t));
  return { breaks, flowMaxM3h: Math.max(1e-9, qmax) };
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

/** Pipe i of the columns as the view's row. */
export function pipeViewAt(c: HydraulicsPipeColumns, i: number): HydraulicsPipeView {
  const parts = c.parts.get(i);
  return {
    id: c.ids[i],
    flowM3h: c.flowM3h[i],
    velocityMs: c.velocityMs[i],
    rPam: c.rPam[i],
    headLossM: c.headLossM[i],
    supplyInC: orNull(c.supplyInC[i]),
    supplyOutC: orNull(c.supplyOutC[i]),
    ...(parts ? { parts } : {}),
    dn: orNull(c.dn[i]),
    supplyPressureKpa: orNull(c.supplyPressureKpa[i]),
  };
}

/** Every pipe's row (a project small enough to draw its pipes from GeoJSON). */
export function pipeViews(c: HydraulicsPipeColumns): HydraulicsPipeView[] {
  const out: HydraulicsPipeView[] = [];
  for (let i = 0; i < c.ids.length; i++) out.push(pipeViewAt(c, i));
  return out;
}

/**
 * The buffers of a run's number columns, each made for this run alone (emptyColumns): a worker hands
 * them over with its answer instead of copying them (at a million pipes, 64 MB not copied at the
 * moment the process holds the most).
 */
export function columnBuffers(c: HydraulicsPipeColumns): ArrayBuffer[] {
  return Object.values(c).flatMap((v) => (v instanceof Float64Array ? [v.buffer as ArrayBuffer] : []));
}

/** What the worker answers of a run: the view less its per-pipe part, and the pipes' numbers as columns. */
export interface HydraulicsRun {
  view: Omit<HydraulicsView, 'pipes' | 'pipeTiles'>;
  columns: HydraulicsPipeColumns;
}

/** The app's answer of a run: every pipe's row, or (`tilesToken`) none and the token of the result's tiles. */
export function hydraulicsAnswer(run: HydraulicsRun, tilesToken: string | null): HydraulicsView {
  return { ...run.view, pipes: tilesToken === null ? pipeViews(run.columns) : [], pipeTiles: tilesToken === null ? null : { token: tilesToken } };
}

const nan = (x: number | null) => (x === null ? NaN : x);

/** Columns for n pipes. */
function emptyColumns(n: number): HydraulicsPipeColumns {
  return {
    ids: [],
    dn: new Float64Array(n),
    flowM3h: new Float64Array(n),
    velocityMs: new Float64Array(n),
    rPam: new Float64Array(n),
    headLossM: new Float64Array(n),
    supplyInC: new Float64Array(n),
    supplyOutC: new Float64Array(n),
    supplyPressureKpa: new Float64Array(n),
    parts: new Map(),
  };
}

/** Row j's id, DN and lowest supply pressure at the pieces' ends, of graph pipe i. */
function pipeOfGraph(c: HydraulicsPipeColumns, j: number, i: number, id: string, g: HydraulicNetwork['graph'], nodeKpa: (n: number) => number): void {
  let low = Infinity;
  for (let k = g.pipeEdgeStart[i]; k < g.pipeEdgeStart[i + 1]; k++) {
    const e = g.pipeEdge[k];
    const a = nodeKpa(g.edgeFrom[e]);
    if (Number.isFinite(a)) low = Math.min(low, a);
    const b = nodeKpa(g.edgeTo[e]);
    if (Number.isFinite(b)) low = Math.min(low, b);
  }
  const dn = Number(g.input.layers.pipes[i].properties.dn);
  c.ids.push(id);
  c.dn[j] = Number.isFinite(dn) ? dn : NaN;
  c.supplyPressureKpa[j] = Number.isFinite(low) ? low : NaN;
}

/** The columns from a result's pipe objects (in their order). */
export function columnsOfPipes(g: HydraulicNetwork['graph'], pipes: readonly PipeResult[], nodeKpa: (n: number) => number): HydraulicsPipeColumns {
  const c = emptyColumns(pipes.length);
  for (let j = 0; j < pipes.length; j++) {
    const p = pipes[j];
    pipeOfGraph(c, j, g.pipeIndex.get(p.id)!, p.id, g, nodeKpa);
    c.flowM3h[j] = p.flowM3h;
    c.velocityMs[j] = p.velocityMs;
    c.rPam[j] = p.rPam;
    c.headLossM[j] = p.headLossM;
    c.supplyInC[j] = nan(p.supplyInC);
    c.supplyOutC[j] = nan(p.supplyOutC);
    if (p.parts) c.parts.set(j, p.parts);
  }
  return c;
}

/**
 * The same columns from the numbers the pipe objects would be made of (the pipes of the graph
 * in the model, in graph order, as simulate.ts builds `pipes`), without making them.
 */
export function columnsOfNumbers(g: HydraulicNetwork['graph'], a: ResultPipeNumbers, nodeKpa: (n: number) => number): HydraulicsPipeColumns {
  let n = 0;
  for (let i = 0; i < a.pipeFlow.length; i++) if (!Number.isNaN(a.pipeFlow[i])) n++;
  const c = emptyColumns(n);
  const features = g.input.layers.pipes;
  let j = 0;
  for (let i = 0; i < a.pipeFlow.length; i++) {
    if (Number.isNaN(a.pipeFlow[i])) continue;
    const id = String(features[i].id);
    pipeOfGraph(c, j, i, id, g, nodeKpa);
    c.flowM3h[j] = a.pipeFlow[i] * 3600;
    c.velocityMs[j] = a.pipeV[i];
    c.rPam[j] = a.pipeRpm[i];
    c.headLossM[j] = a.pipeLoss[i];
    c.supplyInC[j] = Number.isFinite(a.pipeInC[i]) ? a.pipeInC[i] : NaN;
    c.supplyOutC[j] = Number.isFinite(a.pipeOutC[i]) ? a.pipeOutC[i] : NaN;
    const k0 = g.pipeEdgeStart[i], k1 = g.pipeEdgeStart[i + 1];
    if (k1 - k0 > 1) {
      const parts: PipePart[] = [];
      for (let k = k0; k < k1; k++) {
        const e = g.pipeEdge[k];
        parts.push({ id: `${id}:${k - k0 + 1}`, flowM3h: a.edgeFlowOf[e] * 3600, headLossM: a.edgeLossOf[e] });
      }
      c.parts.set(j, parts);
    }
    j++;
  }
  return c;
}

/** The supply gauge pressure at a node of a result, kPa. */
function nodeKpaOf(net: HydraulicNetwork, r: HydraulicResult): (n: number) => number {
  const s = net.graph.input.settings;
  const rg = s.waterDensityKgM3 * (r.scenario.friction === 'swamee-jain' ? s.crossCheckGravityMs2 : s.gravityMs2);
  return (n: number) => ((r.nodes.supplyHeadM[n] - r.nodes.groundM[n]) * rg) / 1000;
}

/** A result's pipe columns: from its numbers when its pipe objects were never built (no object per pipe), else from them. */
export function pipeColumns(net: HydraulicNetwork, r: HydraulicResult): HydraulicsPipeColumns {
  const numbers = pipeNumbersOfResult(r);
  return numbers ? columnsOfNumbers(net.graph, numbers, nodeKpaOf(net, r)) : columnsOfPipes(net.graph, r.pipes, nodeKpaOf(net, r));
}

export function hydraulicsView(net: HydraulicNetwork, r: HydraulicResult, designHeads: Record<string, number>, profileStation?: string): HydraulicsRun {
  const g = net.graph;
  const c = pipeColumns(net, r);
  const n = c.ids.length;
  const stations: HydraulicsStationView[] = r.stations.map((st, i) => {
    const c = (g.input.layers.stations[i].geometry as { coordinates?: number[] } | null)?.coordinates;
    const light: HydraulicsStationView['light'] = !st.served ? 'unserved' : st.dpKpa! < st.minDpKpa * (1 - 1e-9) ? 'short' : st.dpKpa! < st.minDpKpa * 1.2 ? 'low' : 'ok';
    return { ...st, lon: c ? c[0] : null, lat: c ? c[1] : null, light };
  });
  const shares = new Map(sourceShares(r).map((x) => [x.id, x.share]));
  const view: HydraulicsRun['view'] = {
    converged: r.converged,
    iterations: r.iterations,
    ...(r.reason ? { reason: r.reason } : {}),
    log: r.converged ? r.log.slice(-20) : r.log,
    scenario: r.scenario,
    settings: r.settings,
    pipeCount: n,
    legend: hydraulicsLegend(c),
    stations,
    sources: r.sources.map((x) => ({ ...x, share: shares.get(x.id) ?? 0 })),
    unfavourable: r.unfavourable ? { station: r.unfavourable.station, path: r.unfavourable.path } : null,
    balancing: r.balancing,
    totals: r.totals,
    pressure: r.pressure,
    elevationKnown: r.elevationKnown,
    profile: hydraulicProfile(net, r, profileStation),
    designHeads,
  };
  return { view, columns: c };
}

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
import type { BalancingRow, HydraulicResult, PipeResult, SourceResult, StationResult } from './simulate';
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
  pipes: HydraulicsPipeView[];
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

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function hydraulicsView(net: HydraulicNetwork, r: HydraulicResult, designHeads: Record<string, number>, profileStation?: string): HydraulicsView {
  const g = net.graph;
  const s = g.input.settings;
  const rg = s.waterDensityKgM3 * (r.scenario.friction === 'swamee-jain' ? s.crossCheckGravityMs2 : s.gravityMs2);
  const nodeKpa = (n: number) => ((r.nodes.supplyHeadM[n] - r.nodes.groundM[n]) * rg) / 1000;
  const pipes: HydraulicsPipeView[] = r.pipes.map((p) => {
    const i = g.pipeIndex.get(p.id)!;
    let low = Infinity;
    for (let k = g.pipeEdgeStart[i]; k < g.pipeEdgeStart[i + 1]; k++) {
      const e = g.pipeEdge[k];
      for (const n of [g.edgeFrom[e], g.edgeTo[e]]) {
        const v = nodeKpa(n);
        if (Number.isFinite(v)) low = Math.min(low, v);
      }
    }
    const dn = Number(g.input.layers.pipes[i].properties.dn);
    return { ...p, dn: Number.isFinite(dn) ? dn : null, supplyPressureKpa: finite(low) };
  });
  const stations: HydraulicsStationView[] = r.stations.map((st, i) => {
    const c = (g.input.layers.stations[i].geometry as { coordinates?: number[] } | null)?.coordinates;
    const light: HydraulicsStationView['light'] = !st.served ? 'unserved' : st.dpKpa! < st.minDpKpa * (1 - 1e-9) ? 'short' : st.dpKpa! < st.minDpKpa * 1.2 ? 'low' : 'ok';
    return { ...st, lon: c ? c[0] : null, lat: c ? c[1] : null, light };
  });
  const shares = new Map(sourceShares(r).map((x) => [x.id, x.share]));
  return {
    converged: r.converged,
    iterations: r.iterations,
    ...(r.reason ? { reason: r.reason } : {}),
    log: r.converged ? r.log.slice(-20) : r.log,
    scenario: r.scenario,
    settings: r.settings,
    pipes,
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
}

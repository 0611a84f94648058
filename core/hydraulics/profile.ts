/**
 * The 水压图 (hydraulic gradeline chart) along a path (DOMAIN.md §3 item 11):
 * from a source to a station, the supply and return heads, the ground line
 * and the static line, node by node with the distance along the path.
 *
 * The path is the way the water goes: from the station's supply node against
 * the flow, always through the pipe bringing the most water, until a running
 * source. Heads are potentials, so every such path from a source has the
 * same supply loss; this one is the main feeder a planner would draw.
 */
import type { HydraulicNetwork } from './network';
import type { HydraulicResult } from './simulate';
import { flowPathToPort } from './flowPath';

export { flowPathToPort, type FlowPath } from './flowPath';

export interface ProfilePoint {
  /** Distance from the source along the path, m. */
  distanceM: number;
  node: number;
  lon: number;
  lat: number;
  groundM: number;
  supplyHeadM: number;
  returnHeadM: number;
  staticHeadM: number;
  /** Gauge pressures, kPa. */
  supplyKpa: number;
  returnKpa: number;
  /** Pipe arriving at this point (null at the source). */
  pipe: string | null;
  /** Features sitting here (source, station, valve ids). */
  features: string[];
}

export interface HydraulicProfile {
  station: string;
  source: string | null;
  pipes: string[];
  points: ProfilePoint[];
  /** The station's ΔP and minimum at the end of the path, kPa. */
  dpKpa: number | null;
  minDpKpa: number;
  lengthM: number;
}

/** The 水压图 along the path from a source to `stationId` (default: the most unfavourable station). */
export function hydraulicProfile(net: HydraulicNetwork, result: HydraulicResult, stationId?: string): HydraulicProfile | null {
  const g = net.graph;
  const id = stationId ?? result.unfavourable?.station;
  if (!id) return null;
  const i = g.input.layers.stations.findIndex((s) => String(s.id) === id);
  const st = result.stations[i];
  if (i < 0 || !st) return null;
  const path = flowPathToPort(net, result, net.stationSupplyPort[i]);
  const s = g.input.settings;
  const rg = s.waterDensityKgM3 * (result.scenario.friction === 'swamee-jain' ? s.crossCheckGravityMs2 : s.gravityMs2);
  const featuresAt = new Map<number, string[]>();
  const put = (n: number, fid: string) => n >= 0 && featuresAt.set(n, [...(featuresAt.get(n) ?? []), fid]);
  g.input.layers.heat_sources.forEach((h, k) => put(g.sourceNode[k], String(h.id)));
  g.input.layers.stations.forEach((h, k) => put(g.stationNode[k], String(h.id)));
  g.input.layers.valves.forEach((h, k) => put(g.valveNode[k], String(h.id)));
  const points: ProfilePoint[] = [];
  let d = 0;
  path.nodes.forEach((n, k) => {
    const e = k > 0 ? path.edges[k - 1] : -1;
    if (e >= 0) d += g.edgeLengthM[e];
    const z = result.nodes.groundM[n];
    const hs = result.nodes.supplyHeadM[n];
    const hr = result.nodes.returnHeadM[n];
    points.push({
      distanceM: d,
      node: n,
      lon: g.nodeLon[n],
      lat: g.nodeLat[n],
      groundM: z,
      supplyHeadM: hs,
      returnHeadM: hr,
      staticHeadM: result.staticHeadM[n],
      supplyKpa: ((hs - z) * rg) / 1000,
      returnKpa: ((hr - z) * rg) / 1000,
      pipe: e >= 0 ? String(g.input.layers.pipes[g.edgePipe[e]].id) : null,
      features: featuresAt.get(n) ?? [],
    });
  });
  return { station: id, source: path.source, pipes: path.pipes, points, dpKpa: st.dpKpa, minDpKpa: st.minDpKpa, lengthM: d };
}

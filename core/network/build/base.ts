/**
 * What every phase of the graph build shares: level codes, node flag bits,
 * the local projection, the small readings of a feature's properties and the
 * running sums that turn counts into a CSR index.
 * (core/network/graph.ts re-exports them for the analyses.)
 */
import type { ProjectData } from '../../model/project';
import type { Settings } from '../../model/settings';
import type { Feature } from '../../model/types';

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

const WGS84_A = 6378137;
const WGS84_E2 = 0.00669437999014;

export function localProjection(lon0: number, lat0: number): LocalProjection {
  const phi = (lat0 * Math.PI) / 180;
  const s = Math.sin(phi);
  const w = 1 - WGS84_E2 * s * s;
  const meridional = (WGS84_A * (1 - WGS84_E2)) / Math.pow(w, 1.5);
  const normal = WGS84_A / Math.sqrt(w);
  return { lon0, lat0, kx: (normal * Math.cos(phi) * Math.PI) / 180, ky: (meridional * Math.PI) / 180 };
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

/** counts[0..n] turned into their running sums (a CSR index's starts from its counts, one slot up). */
export function runningSums(counts: Int32Array, n: number): void {
  for (let c = 0; c < n; c++) counts[c + 1] += counts[c];
}

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

/**
 * The pipes' vertices as the build's per-pipe code reads them (attaching, end
 * snapping), copied out of the columns object: that code then depends on this
 * class's shape only (a literal's shape can change when it is made a second
 * time, which throws away code compiled against the first one).
 */
export class Vertices {
  readonly start: Int32Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly lon0: number;
  readonly lat0: number;
  readonly kx: number;
  readonly ky: number;

  constructor(v: { proj: LocalProjection; start: Int32Array; lon: Float64Array; lat: Float64Array }) {
    this.start = v.start;
    this.lon = v.lon;
    this.lat = v.lat;
    this.lon0 = v.proj.lon0;
    this.lat0 = v.proj.lat0;
    this.kx = v.proj.kx;
    this.ky = v.proj.ky;
  }

  /** Vertex k's local x (m). */
  x(k: number): number {
    return (this.lon[k] - this.lon0) * this.kx;
  }

  /** Vertex k's local y (m). */
  y(k: number): number {
    return (this.lat[k] - this.lat0) * this.ky;
  }
}

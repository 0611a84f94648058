/**
 * Fixture builders for network tests and benchmarks (HOUSE-STYLE item 6):
 * `net().node('N1', 0, 0).source('S1', 'N1').pipe('P1', 'N1', 'N2')…build()`
 * with positions in metres east / north of Mingantu, and a seeded random
 * network generator for property tests and the benchmark. Pure data, no I/O.
 */
import { seededRandom } from '../random';
import { DEFAULT_SETTINGS, type Settings } from '../model/settings';
import { emptyLayers, type ProjectData } from '../model/project';
import type { Feature, LineStringGeom, PointGeom, PolygonGeom } from '../model/types';
import { localProjection } from './graph';

const ORIGIN = { lon: 115.03, lat: 42.287 };
const P = localProjection(ORIGIN.lon, ORIGIN.lat);

/** lon/lat of a point x metres east and y metres north of the origin. */
export function lonLatAt(x: number, y: number): [number, number] {
  return [ORIGIN.lon + x / P.kx, ORIGIN.lat + y / P.ky];
}

type Props = Record<string, unknown>;

export class NetBuilder {
  private nodes = new Map<string, [number, number]>();
  private layers = emptyLayers();
  private settings: Settings = JSON.parse(JSON.stringify(DEFAULT_SETTINGS));

  node(name: string, x: number, y: number): this {
    this.nodes.set(name, [x, y]);
    return this;
  }
  private at(name: string): [number, number] {
    const p = this.nodes.get(name);
    if (!p) throw new Error(`fixture: node ${name} not placed`);
    return lonLatAt(p[0], p[1]);
  }
  private point(id: string, name: string, props: Props): Feature<PointGeom> {
    return { type: 'Feature', id, geometry: { type: 'Point', coordinates: this.at(name) }, properties: { id, ...props } };
  }
  source(id: string, at: string, props: Props = {}): this {
    this.layers.heat_sources.push(this.point(id, at, { capacity_mw: 50, status: 'in_service', is_backup: false, ...props }));
    return this;
  }
  station(id: string, at: string, props: Props = {}): this {
    this.layers.stations.push(this.point(id, at, { design_capacity_mw: 5, ...props }));
    return this;
  }
  valve(id: string, at: string, props: Props = {}): this {
    this.layers.valves.push(this.point(id, at, { state: 'open', operable: 'yes', ...props }));
    return this;
  }
  /** A valve inside pipe `pipeId`, a fraction `t` of the way along its straight line. */
  valveOnPipe(id: string, pipeId: string, t: number, props: Props = {}): this {
    const pipe = this.layers.pipes.find((p) => p.id === pipeId);
    if (!pipe) throw new Error(`fixture: pipe ${pipeId} not built yet`);
    const [a, b] = [pipe.geometry.coordinates[0], pipe.geometry.coordinates[pipe.geometry.coordinates.length - 1]];
    const c = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    this.layers.valves.push({ type: 'Feature', id, geometry: { type: 'Point', coordinates: c }, properties: { id, state: 'open', operable: 'yes', ...props } });
    return this;
  }
  pipe(id: string, from: string, to: string, props: Props = {}, via: string[] = []): this {
    const coordinates = [from, ...via, to].map((n) => this.at(n));
    const geometry: LineStringGeom = { type: 'LineString', coordinates };
    this.layers.pipes.push({ type: 'Feature', id, geometry, properties: { id, level: 'primary', dn: 200, status: 'in_service', ...props } });
    return this;
  }
  /** A community fed by `stationId`: a 40 m square around node `at` (or the origin). */
  community(id: string, stationId: string, props: Props = {}, at?: string): this {
    const c = at ? this.nodes.get(at)! : [0, 0];
    const ring = [
      [c[0] - 20, c[1] - 20],
      [c[0] + 20, c[1] - 20],
      [c[0] + 20, c[1] + 20],
      [c[0] - 20, c[1] + 20],
      [c[0] - 20, c[1] - 20],
    ].map(([x, y]) => lonLatAt(x, y));
    const geometry: PolygonGeom = { type: 'Polygon', coordinates: [ring] };
    this.layers.communities.push({
      type: 'Feature',
      id,
      geometry,
      properties: { id, station_id: stationId, households: 100, heated_area_m2: 10000, energy_saving: 'no', ...props },
    });
    return this;
  }
  set(patch: Partial<Settings>): this {
    Object.assign(this.settings, patch);
    return this;
  }
  build(): ProjectData {
    // A deep copy so that builders are never shared mutably (structuredClone is not in the core lib).
    return JSON.parse(JSON.stringify({ layers: this.layers, projects: [], projectFeatures: [], settings: this.settings }));
  }
}

export function net(): NetBuilder {
  return new NetBuilder();
}

/**
 * Two separate primary networks 300 m apart, each with a source, a valve and
 * a station with one community: S1 ─ A(V1) ─ B(HS1)   and   S2 ─ C(V2) ─ D(HS2).
 */
export function twoNetworks(): NetBuilder {
  return net()
    .node('S1', 0, 0)
    .node('A', 200, 0)
    .node('B', 400, 0)
    .node('S2', 0, 300)
    .node('C', 200, 300)
    .node('D', 400, 300)
    .source('HS-S1', 'S1', { capacity_mw: 30 })
    .source('HS-S2', 'S2', { capacity_mw: 30 })
    .pipe('P1', 'S1', 'A')
    .pipe('P2', 'A', 'B')
    .pipe('P3', 'S2', 'C')
    .pipe('P4', 'C', 'D')
    .valve('V1', 'A')
    .valve('V2', 'C')
    .station('HS1', 'B')
    .station('HS2', 'D')
    .community('C1', 'HS1', { heated_area_m2: 100000, energy_saving: 'no', households: 300 }, 'B')
    .community('C2', 'HS2', { heated_area_m2: 50000, energy_saving: 'yes', households: 200 }, 'D');
}

/** Generated networks are reproducible from a seed. */
export const rng = seededRandom;

/** The abstract description of a generated network, for brute-force references. */
export interface GeneratedNetwork {
  project: ProjectData;
  /** Pipe id → [fromNode, toNode] names as generated (before interior valves split them). */
  pipeEnds: Map<string, [string, string]>;
}

export interface GenerateOptions {
  seed: number;
  /** Grid side: nodes = side² (some left unused). */
  side: number;
  /** Probability of each extra (loop-making) grid edge beyond the spanning tree. */
  loopProb?: number;
  valveProb?: number;
  interiorValveProb?: number;
  closedProb?: number;
  inoperableProb?: number;
  notInServiceProb?: number;
  sources?: number;
  stationProb?: number;
  /** Secondary pipes hung off stations. */
  secondary?: boolean;
  /** Split the grid into this many separate primary networks (vertical bands). */
  areas?: number;
  spacingM?: number;
  /** DN of each primary pipe drawn from this list (default: all DN 200). */
  dnChoices?: number[];
  /** Ground elevation (m) on pipe ends: a tilted plane plus noise (default: none, flat). */
  elevation?: { base: number; slopePerKm: number; noiseM: number };
}

/**
 * A grid-based primary network: a random spanning tree of a side×side grid
 * plus extra grid edges (loops), valves on nodes and inside pipes, stations
 * with a secondary pipe and a community each, and sources.
 */
export function generateNetwork(o: GenerateOptions): GeneratedNetwork {
  const r = rng(o.seed);
  const side = o.side;
  const spacing = o.spacingM ?? 100;
  const areas = Math.max(1, o.areas ?? 1);
  const b = net();
  const name = (i: number, j: number) => `N${i}_${j}`;
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) b.node(name(i, j), i * spacing, j * spacing);
  const band = (i: number) => Math.min(areas - 1, Math.floor((i * areas) / side));
  // Random spanning tree per band by randomized union-find over shuffled grid edges.
  const edges: [number, number, number, number][] = [];
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      if (i + 1 < side && band(i) === band(i + 1)) edges.push([i, j, i + 1, j]);
      if (j + 1 < side) edges.push([i, j, i, j + 1]);
    }
  for (let k = edges.length - 1; k > 0; k--) {
    const m = Math.floor(r() * (k + 1));
    [edges[k], edges[m]] = [edges[m], edges[k]];
  }
  const parent = new Int32Array(side * side).map((_, i) => i);
  const find = (a: number): number => (parent[a] === a ? a : (parent[a] = find(parent[a])));
  const pipeEnds = new Map<string, [string, string]>();
  const degree = new Map<string, number>();
  let pc = 0;
  const pipeIds: string[] = [];
  for (const [i, j, k, l] of edges) {
    const a = i * side + j;
    const c = k * side + l;
    const ra = find(a);
    const rc = find(c);
    const tree = ra !== rc;
    if (!tree && r() >= (o.loopProb ?? 0.1)) continue;
    if (tree) parent[ra] = rc;
    const id = `P${pc++}`;
    const status = r() < (o.notInServiceProb ?? 0) ? (r() < 0.5 ? 'planned' : 'abandoned') : 'in_service';
    const dn = o.dnChoices ? o.dnChoices[Math.floor(r() * o.dnChoices.length)] : 200;
    const z = (x: number, y: number) =>
      o.elevation ? { base: o.elevation.base + (o.elevation.slopePerKm * (x * spacing)) / 1000 + (((x * 7 + y * 13) % 5) / 4 - 0.5) * o.elevation.noiseM } : null;
    const za = z(i, j), zb = z(k, l);
    b.pipe(id, name(i, j), name(k, l), { level: 'primary', dn, status, ...(za && zb ? { elevation_start_m: za.base, elevation_end_m: zb.base } : {}) });
    pipeEnds.set(id, [name(i, j), name(k, l)]);
    pipeIds.push(id);
    degree.set(name(i, j), (degree.get(name(i, j)) ?? 0) + 1);
    degree.set(name(k, l), (degree.get(name(k, l)) ?? 0) + 1);
  }
  const valveProps = () => ({
    state: r() < (o.closedProb ?? 0.05) ? 'closed' : 'open',
    operable: r() < (o.inoperableProb ?? 0.1) ? 'no' : 'yes',
  });
  let vc = 0;
  const used = new Set<string>();
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      if (!degree.get(name(i, j))) continue;
      if (r() < (o.valveProb ?? 0.3)) {
        b.valve(`V${vc++}`, name(i, j), valveProps());
        used.add(name(i, j));
      }
    }
  for (const id of pipeIds) if (r() < (o.interiorValveProb ?? 0.1)) b.valveOnPipe(`V${vc++}`, id, 0.25 + 0.5 * r(), valveProps());
  // Sources on random used nodes in each band.
  const nodesByBand: string[][] = Array.from({ length: areas }, () => []);
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) if (degree.get(name(i, j))) nodesByBand[band(i)].push(name(i, j));
  let sc = 0;
  for (let a = 0; a < areas; a++) {
    const list = nodesByBand[a];
    for (let s = 0; s < Math.max(1, o.sources ?? 1) && list.length; s++) {
      const at = list[Math.floor(r() * list.length)];
      b.source(`S${sc++}`, at, { capacity_mw: 20 + Math.floor(r() * 40) });
    }
  }
  // Stations: on nodes, each with a secondary pipe and a community.
  let st = 0;
  for (let i = 0; i < side; i++)
    for (let j = 0; j < side; j++) {
      const n = name(i, j);
      if (!degree.get(n) || r() >= (o.stationProb ?? 0.2)) continue;
      const id = `HS${st++}`;
      b.station(id, n);
      if (o.secondary) {
        const s2 = `${n}_c`;
        b.node(s2, i * spacing + spacing * 0.3, j * spacing + spacing * 0.3);
        b.pipe(`${id}-2`, n, s2, { level: 'secondary', dn: 100 });
      }
      b.community(`C${id}`, id, {
        households: 50 + Math.floor(r() * 200),
        heated_area_m2: 5000 + Math.floor(r() * 20000),
        energy_saving: r() < 0.5 ? 'yes' : 'no',
      }, o.secondary ? `${n}_c` : n);
    }
  return { project: b.build(), pipeEnds };
}

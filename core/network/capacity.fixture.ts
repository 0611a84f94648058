/**
 * Small project builders for the engineering-check tests: positions in metres
 * east / north of a point in Mingantu, features with named ids.
 */
import type { ProjectData, ProjectRow } from '../model/project';
import { emptyLayers } from '../model/project';
import type { Position } from '../model/geojson';
import { DEFAULT_SETTINGS, type Settings } from '../model/settings';

const LON0 = 115.03;
const LAT0 = 42.287;
const M_LAT = 111_050;
const M_LON = 111_412.84 * Math.cos((LAT0 * Math.PI) / 180);

/** Metres east / north of the origin → lon/lat. */
export function ll(x: number, y: number): Position {
  return [LON0 + x / M_LON, LAT0 + y / M_LAT];
}

type Props = Record<string, unknown>;

export class NetBuilder {
  readonly data: ProjectData = { layers: emptyLayers(), projects: [], projectFeatures: [], settings: JSON.parse(JSON.stringify(DEFAULT_SETTINGS)) as Settings };

  source(id: string, x: number, y: number, props: Props = {}): this {
    this.data.layers.heat_sources.push({
      type: 'Feature', id, geometry: { type: 'Point', coordinates: ll(x, y) },
      properties: { id, name: id, kind: 'coal_boiler', capacity_mw: 20, is_backup: false, ...props },
    });
    return this;
  }
  station(id: string, x: number, y: number, props: Props = {}): this {
    this.data.layers.stations.push({
      type: 'Feature', id, geometry: { type: 'Point', coordinates: ll(x, y) },
      properties: { id, name: id, design_capacity_mw: 5, ...props },
    });
    return this;
  }
  pipe(id: string, level: string, points: [number, number][], props: Props = {}): this {
    this.data.layers.pipes.push({
      type: 'Feature', id, geometry: { type: 'LineString', coordinates: points.map(([x, y]) => ll(x, y)) },
      properties: { id, level, dn: 200, status: 'in_service', design_life_years: 30, leak_count_5y: 0, ...props },
    });
    return this;
  }
  valve(id: string, x: number, y: number, props: Props = {}): this {
    this.data.layers.valves.push({
      type: 'Feature', id, geometry: { type: 'Point', coordinates: ll(x, y) },
      properties: { id, kind: 'gate', state: 'open', operable: 'yes', ...props },
    });
    return this;
  }
  /** A rectangular community fed by `stationId`. */
  community(id: string, stationId: string | null, [x0, y0, x1, y1]: [number, number, number, number], props: Props = {}): this {
    this.data.layers.communities.push({
      type: 'Feature', id,
      geometry: { type: 'Polygon', coordinates: [[ll(x0, y0), ll(x1, y0), ll(x1, y1), ll(x0, y1), ll(x0, y0)]] },
      properties: { id, name: id, station_id: stationId, heated_area_m2: 10_000, energy_saving: 'no', households: 100, ...props },
    });
    return this;
  }
  incident(id: string, pipeId: string, date: string, kind = 'leak', x = 0, y = 0): this {
    this.data.layers.incidents.push({
      type: 'Feature', id, geometry: { type: 'Point', coordinates: ll(x, y) },
      properties: { id, pipe_id: pipeId, date, kind },
    });
    return this;
  }
  project(row: Partial<ProjectRow> & { id: string }, pipeIds: string[] = []): this {
    this.data.projects.push({ name: row.id, year: 2024, kind: 'pipe', problem: null, task: null, measure: null, responsible: null, deadline: null, status: 'planned', budget_wan: null, ...row });
    for (const f of pipeIds) this.data.projectFeatures.push({ project_id: row.id, layer: 'pipes', feature_id: f });
    return this;
  }
  settings(patch: Partial<Settings>): this {
    Object.assign(this.data.settings, patch);
    return this;
  }
  build(): ProjectData {
    return this.data;
  }
}

export const net = () => new NetBuilder();

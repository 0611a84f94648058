/**
 * A small hand-made project for tests of maps, charts and ledgers: one
 * source, a primary trunk to two stations, secondary and courtyard pipes in
 * two communities, incidents, complaints and two 2024 projects. Each call
 * builds fresh objects.
 */
import type { Feature, LineStringGeom, PointGeom, PolygonGeom } from '../model/types';
import { emptyLayers, type ProjectData } from '../model/project';
import { DEFAULT_SETTINGS } from '../model/settings';

const O: [number, number] = [115.03, 42.287];
/** lon/lat at (east, north) metres from the origin (fine for a test town). */
export function at(e: number, n: number): [number, number] {
  return [O[0] + e / (111320 * Math.cos((O[1] * Math.PI) / 180)), O[1] + n / 110950];
}

function pt(id: string, e: number, n: number, props: Record<string, unknown>): Feature<PointGeom> {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: at(e, n) }, properties: { id, ...props } };
}
function line(id: string, pts: [number, number][], props: Record<string, unknown>): Feature<LineStringGeom> {
  return { type: 'Feature', id, geometry: { type: 'LineString', coordinates: pts.map(([e, n]) => at(e, n)) }, properties: { id, status: 'in_service', renovation_status: 'none', leak_count_5y: 0, ...props } };
}
function box(id: string, e0: number, n0: number, e1: number, n1: number, props: Record<string, unknown>): Feature<PolygonGeom> {
  return { type: 'Feature', id, geometry: { type: 'Polygon', coordinates: [[at(e0, n0), at(e1, n0), at(e1, n1), at(e0, n1), at(e0, n0)]] }, properties: { id, ...props } };
}

export function fixtureProject(): ProjectData {
  const layers = emptyLayers();
  layers.heat_sources.push(pt('HS-1', 0, 0, { name: '城区热源厂', kind: 'coal_boiler', capacity_mw: 20, is_backup: false }));
  layers.stations.push(pt('ST-1', 600, 0, { name: '1号换热站', design_capacity_mw: 2.0 }));
  layers.stations.push(pt('ST-2', 600, 500, { name: '2号换热站', design_capacity_mw: 1.0 }));
  layers.pipes.push(line('P-001', [[0, 0], [600, 0]], { level: 'primary', dn: 300, install_year: 1990, project_id: 'PRJ-1', renovation_status: 'in_progress' }));
  layers.pipes.push(line('P-002', [[600, 0], [600, 500]], { level: 'primary', dn: 200, install_year: 2008, leak_count_5y: 2 }));
  layers.pipes.push(line('P-003', [[600, 0], [900, 0], [900, 200]], { level: 'secondary', dn: 150, install_year: 2018 }));
  layers.pipes.push(line('P-004', [[900, 200], [1000, 200]], { level: 'courtyard', dn: 80, install_year: 2000, leak_count_5y: 5, project_id: 'PRJ-2', renovation_status: 'completed' }));
  layers.pipes.push(line('P-005', [[600, 500], [900, 500], [900, 700]], { level: 'secondary', dn: 125, install_year: 1985, renovation_status: 'planned', project_id: 'PRJ-2' }));
  layers.pipes.push(line('P-006', [[900, 700], [1050, 700]], { level: 'courtyard', dn: 65, install_year: null }));
  layers.pipes.push(line('P-007', [[600, 500], [600, 900]], { level: 'secondary', dn: 100, install_year: 2024, status: 'planned' }));
  layers.valves.push(pt('V-01', 300, 0, { state: 'open', operable: 'yes' }));
  layers.valves.push(pt('V-02', 600, 250, { state: 'closed', operable: 'yes' }));
  layers.communities.push(box('C-01', 850, 120, 1100, 320, { name: '幸福小区', households: 240, buildings: 6, heated_area_m2: 21000, year_built: 1998, energy_saving: 'no', station_id: 'ST-1', low_temp_households: 12 }));
  layers.communities.push(box('C-02', 850, 620, 1100, 820, { name: '锦绣家园', households: 180, buildings: 4, heated_area_m2: 16000, year_built: 2012, energy_saving: 'yes', station_id: 'ST-2', low_temp_households: 0 }));
  layers.incidents.push(pt('I-01', 950, 200, { pipe_id: 'P-004', date: '2022-01-10', kind: 'leak', repair_hours: 6, water_lost_t: 30 }));
  layers.incidents.push(pt('I-02', 960, 200, { pipe_id: 'P-004', date: '2023-12-02', kind: 'burst', repair_hours: 14, water_lost_t: 120 }));
  layers.incidents.push(pt('I-03', 600, 300, { pipe_id: 'P-002', date: '2023-02-15', kind: 'leak', repair_hours: 4, water_lost_t: 15 }));
  layers.complaints.push(pt('Q-01', 1000, 250, { date: '2023-12-20', community_id: 'C-01', category: '室温低', indoor_temp_c: 15.5, status: 'open' }));
  layers.complaints.push(pt('Q-02', 1010, 260, { date: '2024-01-05', community_id: 'C-01', category: '室温低', indoor_temp_c: 16.8, status: 'closed' }));
  layers.streets.push(line('S-1', [[-100, -40], [1200, -40]], { name: '团结路', class: 'main' }));
  layers.streets.push(line('S-2', [[560, -100], [560, 1000]], { name: '建设街', class: 'minor' }));
  return {
    layers,
    projects: [
      { id: 'PRJ-1', name: '一级管网主干线改造', year: 2024, kind: 'pipe', problem: '主干线超期服役', task: '更换DN300主干线', measure: '直埋预制保温管', responsible: '供热公司', deadline: '2024-09-15', status: 'building', budget_wan: 160 },
      { id: 'PRJ-2', name: '老旧小区庭院管网改造', year: 2024, kind: 'pipe', problem: '庭院管网腐蚀泄漏', task: '更换庭院及二级管网', measure: '开挖更换', responsible: '住建局', deadline: '2024-08-31', status: 'completed', budget_wan: 85.5 },
    ],
    projectFeatures: [
      { project_id: 'PRJ-1', layer: 'pipes', feature_id: 'P-001' },
      { project_id: 'PRJ-2', layer: 'pipes', feature_id: 'P-004' },
      { project_id: 'PRJ-2', layer: 'pipes', feature_id: 'P-005' },
      { project_id: 'PRJ-2', layer: 'communities', feature_id: 'C-01' },
    ],
    settings: JSON.parse(JSON.stringify(DEFAULT_SETTINGS)),
  };
}

/**
 * A small WarmNet project built through the real store: one street grid,
 * two communities, a heat source, a station, valves (one closed), and one
 * thick, isolated DN500 pipe per age class so a test can read its colour.
 * Used by the handler tests and by the end-to-end tests until (and beside)
 * the Mingantu sample.
 */
import { ProjectStore } from '../../electron/backend/store/index';
import { emptyLayers, type ProjectData } from '../../core/model/project';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import type { Feature } from '../../core/model/types';

const X0 = 115.02;
const Y0 = 42.282;

function f(id: string, geometry: Feature['geometry'], properties: Record<string, unknown>): Feature {
  return { type: 'Feature', id, geometry, properties: { id, ...properties } } as Feature;
}
const line = (coords: number[][]) => ({ type: 'LineString' as const, coordinates: coords });
const pt = (x: number, y: number) => ({ type: 'Point' as const, coordinates: [x, y] });
const rect = (x: number, y: number, w: number, h: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]],
});

/** The pipe per age class (at `year`) the colour test reads: id → class. */
export function agePipes(year: number) {
  return [
    { id: 'P-AGE-NEW', install_year: year - 3, cls: 'lt10' },
    { id: 'P-AGE-MID', install_year: year - 15, cls: '10to20' },
    { id: 'P-AGE-OLD', install_year: year - 25, cls: '20to30' },
    { id: 'P-AGE-PAST', install_year: year - 40, cls: 'past_life' },
  ];
}

export function fixtureData(year = new Date().getFullYear()): ProjectData {
  const layers = emptyLayers() as unknown as Record<string, Feature[]>;
  layers.streets = [
    f('S-1', line([[X0, Y0], [X0 + 0.02, Y0]]), { name: '建设路', class: 'main' }),
    f('S-2', line([[X0 + 0.01, Y0 - 0.006], [X0 + 0.01, Y0 + 0.008]]), { name: '团结街', class: 'main' }),
  ];
  layers.communities = [
    f('C-1', rect(X0 + 0.0125, Y0 + 0.001, 0.004, 0.003), { name: '幸福小区', households: 320, heated_area_m2: 28000, station_id: 'ST-1' }),
    f('C-2', rect(X0 + 0.0125, Y0 - 0.0045, 0.004, 0.003), { name: '草原新村', households: 210, heated_area_m2: 19000, station_id: 'ST-1' }),
  ];
  layers.heat_sources = [f('HS-1', pt(X0 + 0.0005, Y0 + 0.0005), { name: '明安图热源厂', kind: 'coal_boiler', capacity_mw: 28, units: 2 })];
  layers.stations = [f('ST-1', pt(X0 + 0.011, Y0 + 0.0005), { name: '1号换热站', design_capacity_mw: 4, automation: 'local', install_year: 2012 })];
  const pipes: Feature[] = [
    f('P-0001', line([[X0 + 0.0005, Y0 + 0.0005], [X0 + 0.011, Y0 + 0.0005]]), {
      level: 'primary', dn: 300, install_year: 2008, material: '钢管', status: 'in_service', renovation_status: 'candidate', leak_count_5y: 2,
    }),
    f('P-0002', line([[X0 + 0.011, Y0 + 0.0005], [X0 + 0.0145, Y0 + 0.0025]]), {
      level: 'secondary', dn: 150, install_year: 1995, status: 'in_service', renovation_status: 'planned', leak_count_5y: 5,
    }),
    f('P-0003', line([[X0 + 0.011, Y0 + 0.0005], [X0 + 0.0145, Y0 - 0.003]]), {
      level: 'secondary', dn: 100, install_year: 2026 - 1, status: 'planned', renovation_status: 'none',
    }),
  ];
  // Thick isolated pipes, one per age class, far from everything else.
  agePipes(year).forEach((p, i) => {
    const y = Y0 - 0.006 + i * 0.0035;
    pipes.push(f(p.id, line([[X0 - 0.012, y], [X0 - 0.004, y]]), { level: 'primary', dn: 500, install_year: p.install_year, status: 'in_service', renovation_status: 'none' }));
  });
  layers.pipes = pipes;
  layers.valves = [
    f('V-001', pt(X0 + 0.005, Y0 + 0.0005), { kind: 'gate', dn: 300, state: 'open', operable: 'yes' }),
    f('V-002', pt(X0 + 0.0125, Y0 + 0.0014), { kind: 'butterfly', dn: 150, state: 'closed', operable: 'yes' }),
  ];
  layers.incidents = [
    f('I-001', pt(X0 + 0.013, Y0 + 0.0015), { pipe_id: 'P-0002', date: '2024-01-12', kind: 'leak', repair_hours: 6, water_lost_t: 12 }),
    f('I-002', pt(X0 + 0.0135, Y0 + 0.0018), { pipe_id: 'P-0002', date: '2025-02-03', kind: 'burst', repair_hours: 14, water_lost_t: 80 }),
  ];
  return {
    layers: layers as unknown as ProjectData['layers'],
    projects: [
      { id: 'PR-2024-01', name: '团结街二级管网改造', year: 2024, kind: 'pipe', problem: '漏损严重', task: '更换管道', measure: '直埋预制保温管', responsible: '热力公司', deadline: '2024-09-15', status: 'building', budget_wan: 150 },
    ],
    projectFeatures: [{ project_id: 'PR-2024-01', layer: 'pipes', feature_id: 'P-0002' }],
    settings: DEFAULT_SETTINGS,
  };
}

/** Writes the fixture project to `path` (which must not exist) and closes it. */
export function writeFixtureProject(path: string, year?: number): void {
  ProjectStore.createFromData(path, fixtureData(year)).close();
}

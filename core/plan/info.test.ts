import { describe, expect, it } from 'vitest';
import { projectInfo } from './info';
import { lineLengthM } from '../geo/length';
import { emptyLayers, type ProjectData } from '../model/project';
import { DEFAULT_SETTINGS } from '../model/settings';
import type { Feature, LineStringGeom } from '../model/types';

function pipe(id: string, coords: number[][], props: Record<string, unknown>): Feature<LineStringGeom> {
  return { type: 'Feature', id, geometry: { type: 'LineString', coordinates: coords }, properties: { id, ...props } };
}

const A = [[115.03, 42.287], [115.04, 42.287]];
const B = [[115.03, 42.287], [115.03, 42.297]];
const C = [[115.04, 42.287], [115.05, 42.29]];

function project(): ProjectData {
  return {
    layers: {
      ...emptyLayers(),
      pipes: [
        pipe('P-1', A, { level: 'primary', install_year: 1990, leak_count_5y: 5, renovation_status: 'planned', status: 'in_service' }),
        pipe('P-2', B, { level: 'secondary', install_year: 2020, leak_count_5y: 0, status: 'in_service', project_id: 'PRJ-2' }),
        pipe('P-3', C, { level: 'courtyard', install_year: null, water_loss_rate: 3, renovation_status: null, status: 'abandoned' }),
      ],
    },
    projects: [
      { id: 'PRJ-1', name: 'a', year: 2024, kind: 'pipe', problem: null, task: null, measure: null, responsible: null, deadline: null, status: 'planned', budget_wan: 300 },
      { id: 'PRJ-2', name: 'b', year: 2024, kind: 'boiler', problem: null, task: null, measure: null, responsible: null, deadline: null, status: 'planned', budget_wan: 100 },
      { id: 'PRJ-3', name: 'c', year: 2025, kind: 'pipe', problem: null, task: null, measure: null, responsible: null, deadline: null, status: 'planned', budget_wan: null },
    ],
    projectFeatures: [
      { project_id: 'PRJ-1', layer: 'pipes', feature_id: 'P-1' },
      { project_id: 'PRJ-2', layer: 'pipes', feature_id: 'P-2' },
      { project_id: 'PRJ-1', layer: 'pipes', feature_id: 'P-3' },
    ],
    settings: DEFAULT_SETTINGS,
  };
}

describe('projectInfo', () => {
  const km = (c: number[][]) => lineLengthM(c) / 1000;

  it('sums geodesic km per level, age class, status and theme', () => {
    const i = projectInfo(project(), 2024);
    expect(i.features.pipes).toBe(3);
    expect(i.pipes.km).toBeCloseTo(km(A) + km(B) + km(C), 12);
    expect(i.pipes.kmByLevel).toEqual({ primary: km(A), secondary: km(B), courtyard: km(C) });
    expect(i.themes.age.past_life).toEqual({ count: 1, km: km(A) });
    expect(i.themes.age.lt10).toEqual({ count: 1, km: km(B) });
    expect(i.themes.age.unknown).toEqual({ count: 1, km: km(C) });
    expect(i.themes.leakage.four_plus).toEqual({ count: 2, km: km(A) + km(C) });
    expect(i.themes.renovation).toMatchObject({ planned: { count: 1, km: km(A) }, none: { count: 2, km: km(B) + km(C) } });
    expect(i.themes.level.primary).toEqual({ count: 1, km: km(A) });
    expect(i.pipes.kmByStatus).toMatchObject({ in_service: km(A) + km(B), abandoned: km(C) });
    expect(i.bbox).toEqual([115.03, 42.287, 115.05, 42.297]);
  });

  it('gives plan totals per year, counting a pipe linked twice once', () => {
    const i = projectInfo(project(), 2024);
    expect(i.plan.map((p) => p.year)).toEqual([2024, 2025]);
    const p24 = i.plan[0];
    expect(p24).toMatchObject({ projects: 2, budgetWan: 400, budgetWanByKind: { pipe: 300, boiler: 100 }, pipes: 3 });
    expect(p24.km.primary).toBeCloseTo(km(A), 12);
    expect(p24.secondaryCourtyardKm).toBeCloseTo(km(B) + km(C), 12);
    expect(p24.target).toMatchObject({ primaryKm: 0.8, secondaryCourtyardKm: 10.5 });
    expect(i.plan[1]).toMatchObject({ projects: 1, budgetWan: 0, totalKm: 0 });
  });

  it('measures the geometry even when a stale length_m is stored', () => {
    const d = project();
    d.layers.pipes[0].properties.length_m = 2000;
    expect(projectInfo(d, 2024).pipes.kmByLevel.primary).toBe(km(A));
  });
});

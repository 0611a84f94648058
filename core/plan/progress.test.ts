import { describe, expect, it } from 'vitest';
import { planProgress, projectLengths, totalsPerYear, renovationStatusFor, overdueProjects } from './progress';
import { emptyLayers, type ProjectData, type ProjectRow } from '../model/project';
import { DEFAULT_SETTINGS } from '../model/settings';
import { lineLengthM } from '../geo/length';
import type { Feature } from '../model/types';

function pipe(id: string, level: string, lenDeg: number, extra: Record<string, unknown> = {}): Feature {
  return {
    type: 'Feature',
    id,
    geometry: { type: 'LineString', coordinates: [[115, 42.28], [115 + lenDeg, 42.28]] },
    properties: { id, level, dn: 100, ...extra },
  } as Feature;
}
function project(id: string, year: number, over: Partial<ProjectRow> = {}): ProjectRow {
  return { id, name: id, year, kind: 'pipe', problem: null, task: null, measure: null, responsible: null, deadline: null, status: 'planned', budget_wan: 0, ...over };
}
const km = (deg: number) => lineLengthM([[115, 42.28], [115 + deg, 42.28]]) / 1000;

function data(): ProjectData {
  const layers = emptyLayers();
  layers.pipes = [pipe('A', 'primary', 0.005), pipe('B', 'secondary', 0.01), pipe('C', 'courtyard', 0.002, { project_id: 'PR2' }), pipe('D', 'secondary', 0.003)] as never;
  return {
    layers,
    projects: [
      project('PR1', 2024, { budget_wan: 900, status: 'building', deadline: '2024-09-15' }),
      project('PR2', 2024, { budget_wan: 300, status: 'accepted', deadline: '2024-08-01' }),
      project('PR3', 2025, { budget_wan: 50 }),
    ],
    projectFeatures: [
      { project_id: 'PR1', layer: 'pipes', feature_id: 'A' },
      { project_id: 'PR1', layer: 'pipes', feature_id: 'B' },
      { project_id: 'PR2', layer: 'pipes', feature_id: 'B' },
      { project_id: 'PR3', layer: 'pipes', feature_id: 'D' },
      { project_id: 'PR3', layer: 'pipes', feature_id: 'GONE' },
    ],
    settings: DEFAULT_SETTINGS,
  };
}

describe('plan progress', () => {
  it('km per level per project from linked pipes (links and project_id), missing pipes ignored', () => {
    const l = Object.fromEntries(projectLengths(data()).map((p) => [p.id, p]));
    expect(l.PR1.km.primary).toBeCloseTo(km(0.005), 9);
    expect(l.PR1.km.secondary).toBeCloseTo(km(0.01), 9);
    expect(l.PR2.km.courtyard).toBeCloseTo(km(0.002), 9);
    expect(l.PR3.pipes).toEqual(['D']);
  });
  it('totals per year count a pipe in two projects once', () => {
    const [y24, y25] = totalsPerYear(data());
    expect(y24.year).toBe(2024);
    expect(y24.totalKm).toBeCloseTo(km(0.005) + km(0.01) + km(0.002), 9);
    expect(y24.budgetWan).toBe(1200);
    expect(y25.km.secondary).toBeCloseTo(km(0.003), 9);
  });
  it('2024 against the plan targets of settings (0.8 km primary, 10.5 km secondary+courtyard, 1,900 万元)', () => {
    const p = planProgress(data(), 2024, '2024-10-01');
    expect(p.target).toEqual({ primaryKm: 0.8, secondaryCourtyardKm: 10.5, budgetWan: 1900 });
    expect(p.ratio.primary).toBeCloseTo(km(0.005) / 0.8, 9);
    expect(p.ratio.secondaryCourtyard).toBeCloseTo((km(0.01) + km(0.002)) / 10.5, 9);
    expect(p.ratio.budget).toBeCloseTo(1200 / 1900, 9);
    // B is in a building and an accepted project: it counts once, as accepted.
    expect(p.kmByStatus.accepted).toBeCloseTo(km(0.01) + km(0.002), 9);
    expect(p.kmByStatus.building).toBeCloseTo(km(0.005), 9);
  });
  it('overdue: past deadline and not completed/accepted', () => {
    const p = planProgress(data(), 2024, '2024-10-01');
    expect(p.overdue.map((o) => o.id)).toEqual(['PR1']);
    expect(p.overdue[0].daysLate).toBe(16);
    expect(planProgress(data(), 2024, '2024-09-15').overdue).toEqual([]);
    expect(overdueProjects([project('X', 2025, { deadline: '2025-01-01', status: 'completed' })], '2026-01-01')).toEqual([]);
  });
  it('a year without a target has null ratios', () => {
    const p = planProgress(data(), 2025, '2025-01-01');
    expect(p.target).toBeNull();
    expect(p.ratio.primary).toBeNull();
  });
  it('project status maps to the renovation theme', () => {
    expect(renovationStatusFor('planned')).toBe('planned');
    expect(renovationStatusFor('approved')).toBe('planned');
    expect(renovationStatusFor('building')).toBe('in_progress');
    expect(renovationStatusFor('accepted')).toBe('completed');
  });
});

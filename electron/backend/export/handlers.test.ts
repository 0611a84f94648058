import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../store/index';
import { fixtureProject } from '../../../core/carto/fixture';
import { projectInfo } from '../../../core/plan/info';
import { bindPresentHandlers } from './handlers';

let dir: string;
let store: ProjectStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-present-'));
  const data = fixtureProject();
  // One overloaded station: 2号 carries 0.72 MW on a 0.6 MW design.
  data.layers.stations[1].properties.design_capacity_mw = 0.6;
  store = ProjectStore.createFromData(join(dir, 'p.gpkg'), data);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function progressKm(id: string): number {
  const p = store.snapshot().layers.pipes.find((q) => q.id === id)!;
  return projectInfo({ ...store.snapshot(), layers: { ...store.snapshot().layers, pipes: [p] } }, 2026).pipes.km;
}

describe('presentation channels', () => {
  it('returns the four charts and key figures that agree with projectInfo', () => {
    const h = bindPresentHandlers(store);
    const charts = h['present:charts']({ year: 2026, planYear: 2024 });
    expect(charts.map((c) => c.id)).toEqual(['pipe-age-level', 'incidents-per-year', 'renovation-progress', 'station-load']);
    const info = projectInfo(store.snapshot(), 2026);
    const f = h['present:figures']({ planYear: 2024, loops: false });
    expect(f.plannedKm).toBeCloseTo(info.plan[0].totalKm, 3);
    expect(f.budgetWan).toBeCloseTo(info.plan[0].budgetWan, 2);
    expect(f.targetKm).toBeCloseTo(11.3);
    expect(f.targetBudgetWan).toBe(1900);
    expect(f.stationsOverloaded).toBe(1);
    expect(f.loopOptions).toBeNull();
    // PRJ-2 (completed) holds P-004 and P-005; PRJ-1 (building) holds P-001.
    const len = progressKm;
    expect(f.completedKm).toBeCloseTo(len('P-004') + len('P-005'), 3);
  });
});

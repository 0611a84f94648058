import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, SAMPLE_NOTE, generateSample } from './index';
import { LAYERS, TABLES, STANDARD_DN } from '../../core/model/schema';
import { coerceFeature, coerceProperties } from '../../core/model/validate';
import { distanceM, lineLengthM } from '../../core/geo/length';
import type { ProjectData } from '../../core/model/project';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import type { Position } from '../../core/model/geojson';

const samples: [string, ProjectData][] = [
  ['default seed', generateSample()],
  ['seed 7', generateSample({ seed: 7 })],
];

const key = (p: Position) => `${p[0]},${p[1]}`;
const ends = (coords: Position[]) => [coords[0], coords[coords.length - 1]];
const km = (d: ProjectData, pred: (props: Record<string, unknown>) => boolean) =>
  d.layers.pipes.filter((p) => pred(p.properties)).reduce((a, p) => a + lineLengthM(p.geometry.coordinates), 0) / 1000;

class UnionFind {
  private parent = new Map<string, string>();
  find(a: string): string {
    let p = this.parent.get(a) ?? a;
    if (p !== a) {
      p = this.find(p);
      this.parent.set(a, p);
    }
    return p;
  }
  union(a: string, b: string) {
    this.parent.set(this.find(a), this.find(b));
  }
}

describe('generateSample determinism', () => {
  it('gives byte-identical data for the same seed', () => {
    expect(JSON.stringify(generateSample({ seed: DEFAULT_SEED }))).toBe(JSON.stringify(samples[0][1]));
    expect(JSON.stringify(generateSample({ seed: 7 }))).toBe(JSON.stringify(samples[1][1]));
  });
  it('gives different data for another seed', () => {
    expect(JSON.stringify(samples[0][1])).not.toBe(JSON.stringify(samples[1][1]));
  });
});

describe.each(samples)('Mingantu sample (%s)', (_label, data) => {
  const { layers } = data;
  const primary = layers.pipes.filter((p) => p.properties.level === 'primary' && p.properties.status === 'in_service');
  const lower = layers.pipes.filter((p) => p.properties.level !== 'primary');
  const stationKeys = new Set(layers.stations.map((s) => key(s.geometry.coordinates)));

  it('validates every feature and table row against schema.ts, with unique ids', () => {
    for (const def of LAYERS) {
      const list = layers[def.name];
      const ids = new Set<string>();
      list.forEach((f) => {
        const r = coerceFeature(def.name, f, { year: 2026 });
        expect(r.issues, `${def.name} ${f.id}`).toEqual([]);
        expect(f.properties.id).toBe(f.id);
        expect(ids.has(f.id)).toBe(false);
        ids.add(f.id);
        expect(Object.keys(r.extra)).toEqual(['note']);
        if (def.name === 'pipes') expect(STANDARD_DN).toContain(f.properties.dn);
      });
    }
    const projectDef = TABLES.find((t) => t.name === 'projects')!;
    for (const row of data.projects) expect(coerceProperties(projectDef, row as unknown as Record<string, unknown>, { year: 2026 }).issues).toEqual([]);
    expect(new Set(data.projects.map((p) => p.id)).size).toBe(data.projects.length);
  });

  it('marks everything as sample data', () => {
    for (const list of Object.values(layers)) for (const f of list) expect(f.properties.note).toBe(SAMPLE_NOTE);
    for (const p of data.projects) expect(p.name).toContain('示例');
    for (const s of layers.heat_sources) expect(s.properties.name).toContain('示例');
    for (const c of layers.communities) expect(c.properties.survey_note).toContain(SAMPLE_NOTE);
  });

  it('carries the default engineering settings', () => {
    expect(data.settings).toEqual(DEFAULT_SETTINGS);
    expect(data.settings).not.toBe(DEFAULT_SETTINGS);
  });

  it('lies at Mingantu', () => {
    for (const s of layers.stations) {
      const [lon, lat] = s.geometry.coordinates;
      expect(Math.abs(lon - 115.03)).toBeLessThan(0.05);
      expect(Math.abs(lat - 42.287)).toBeLessThan(0.03);
    }
  });

  it('has counts in range', () => {
    expect(layers.stations.length).toBeGreaterThanOrEqual(20);
    expect(layers.stations.length).toBeLessThanOrEqual(30);
    expect(layers.communities.length).toBeGreaterThanOrEqual(60);
    expect(layers.communities.length).toBeLessThanOrEqual(100);
    const area = layers.communities.reduce((a, c) => a + (c.properties.heated_area_m2 as number), 0);
    expect(area).toBeGreaterThanOrEqual(2e6);
    expect(area).toBeLessThanOrEqual(3e6);
    const sources = layers.heat_sources;
    expect(sources.filter((s) => s.properties.kind === 'coal_boiler' && !s.properties.is_backup)).toHaveLength(2);
    expect(sources.filter((s) => s.properties.is_backup)).toHaveLength(1);
    expect(layers.valves.filter((v) => v.properties.state === 'closed').length).toBeGreaterThanOrEqual(2);
    expect(layers.valves.filter((v) => v.properties.operable === 'no').length).toBeGreaterThanOrEqual(2);
    expect(layers.coal_areas.filter((c) => c.properties.status === 'burning')).toHaveLength(2);
    expect(layers.communities.filter((c) => (c.properties.low_temp_households as number) > 0).length).toBeGreaterThanOrEqual(3);
    expect(layers.complaints.some((c) => (c.properties.indoor_temp_c as number) < 18)).toBe(true);
    expect(new Set(layers.streets.map((s) => s.properties.class))).toEqual(new Set(['main', 'secondary', 'lane']));
  });

  it('has km per level in range (geodesic)', () => {
    const p = km(data, (x) => x.level === 'primary');
    const sc = km(data, (x) => x.level !== 'primary');
    expect(p).toBeGreaterThanOrEqual(15);
    expect(p).toBeLessThanOrEqual(25);
    expect(sc).toBeGreaterThanOrEqual(60);
    expect(sc).toBeLessThanOrEqual(100);
    for (const f of layers.pipes) expect(f.properties.length_m).toBeCloseTo(lineLengthM(f.geometry.coordinates), 2);
  });

  it('renews exactly 0.8 km primary and 10.5 km secondary + courtyard in 2024 for 1800 + 100 万元', () => {
    const ids2024 = new Set(data.projects.filter((p) => p.year === 2024).map((p) => p.id));
    const linked = new Set(data.projectFeatures.filter((l) => l.layer === 'pipes' && ids2024.has(l.project_id)).map((l) => l.feature_id));
    const in2024 = (x: Record<string, unknown>) => ids2024.has(x.project_id as string) && linked.has(x.id as string);
    expect(km(data, (x) => in2024(x) && x.level === 'primary')).toBeCloseTo(0.8, 2);
    expect(km(data, (x) => in2024(x) && x.level !== 'primary')).toBeGreaterThanOrEqual(10.5 * 0.99);
    expect(km(data, (x) => in2024(x) && x.level !== 'primary')).toBeLessThanOrEqual(10.5 * 1.01);
    // Every pipe that names a 2024 project is linked to it, and the other way round.
    for (const p of layers.pipes) if (ids2024.has(p.properties.project_id as string)) expect(linked.has(p.id)).toBe(true);
    for (const id of linked) expect(ids2024.has(layers.pipes.find((p) => p.id === id)!.properties.project_id as string)).toBe(true);
    for (const p of layers.pipes.filter((x) => linked.has(x.id))) expect(['planned', 'in_progress', 'completed']).toContain(p.properties.renovation_status);
    const pipeBudget = data.projects.filter((p) => p.year === 2024 && p.kind === 'pipe').reduce((a, p) => a + (p.budget_wan ?? 0), 0);
    expect(pipeBudget).toBe(1800);
    const boiler = data.projects.filter((p) => p.year === 2024 && p.kind === 'boiler');
    expect(boiler).toHaveLength(1);
    expect(boiler[0].budget_wan).toBe(100);
    const boilerLinks = data.projectFeatures.filter((l) => l.project_id === boiler[0].id);
    expect(boilerLinks.map((l) => l.layer)).toEqual(['heat_sources']);
    expect(layers.heat_sources.some((s) => s.id === boilerLinks[0].feature_id)).toBe(true);
    for (const p of data.projects) for (const f of ['problem', 'task', 'measure', 'responsible', 'deadline'] as const) expect(p[f]).toBeTruthy();
    expect(new Set(data.projects.map((p) => p.status)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(layers.pipes.map((p) => p.properties.renovation_status))).toEqual(new Set(['none', 'candidate', 'planned', 'in_progress', 'completed']));
  });

  it('keeps the two primary networks apart, each with exactly one main source', () => {
    const uf = new UnionFind();
    for (const p of primary) {
      const [a, b] = ends(p.geometry.coordinates);
      uf.union(key(a), key(b));
    }
    const mains = layers.heat_sources.filter((s) => !s.properties.is_backup);
    const roots = mains.map((s) => uf.find(key(s.geometry.coordinates)));
    expect(new Set(roots).size).toBe(2);
    const components = new Set(primary.map((p) => uf.find(key(p.geometry.coordinates[0]))));
    expect(components.size).toBe(2);
    for (const root of components) expect(roots.filter((r) => r === root)).toHaveLength(1);
    // The backup source sits on one of them.
    const backup = layers.heat_sources.find((s) => s.properties.is_backup)!;
    expect(roots).toContain(uf.find(key(backup.geometry.coordinates)));
    // Branch ends of the two networks come close enough for the loop-connection analysis to link them.
    const nodesOf = (root: string) => primary.flatMap((p) => ends(p.geometry.coordinates)).filter((c) => uf.find(key(c)) === root);
    const [w, e] = [nodesOf(roots[0]), nodesOf(roots[1])];
    let best = Infinity;
    for (const a of w) for (const b of e) best = Math.min(best, distanceM(a, b));
    expect(best).toBeGreaterThanOrEqual(200);
    expect(best).toBeLessThanOrEqual(700);
  });

  it('has a loop inside a primary network', () => {
    // A component with as many pipes as nodes or more contains a cycle.
    const nodes = new Set(primary.flatMap((p) => ends(p.geometry.coordinates).map(key)));
    expect(primary.length).toBeGreaterThanOrEqual(nodes.size);
  });

  it('joins primary and secondary only at stations', () => {
    const primaryEnds = new Set(primary.flatMap((p) => ends(p.geometry.coordinates).map(key)));
    for (const p of lower) for (const c of ends(p.geometry.coordinates)) if (primaryEnds.has(key(c))) expect(stationKeys.has(key(c))).toBe(true);
    for (const s of layers.stations) {
      const at = key(s.geometry.coordinates);
      expect(primary.some((p) => ends(p.geometry.coordinates).some((c) => key(c) === at))).toBe(true);
      expect(lower.some((p) => p.properties.level === 'secondary' && ends(p.geometry.coordinates).some((c) => key(c) === at))).toBe(true);
    }
  });

  it('puts valves, stations and sources exactly on pipe nodes', () => {
    const nodeCount = new Map<string, number>();
    for (const p of layers.pipes) for (const c of ends(p.geometry.coordinates)) nodeCount.set(key(c), (nodeCount.get(key(c)) ?? 0) + 1);
    // Valves divide two pipes, except the closed valves capping reserve outlets (预留接口).
    for (const v of layers.valves) expect(nodeCount.get(key(v.geometry.coordinates))).toBe(String(v.properties.name).includes('预留接口') ? 1 : 2);
    for (const s of [...layers.stations, ...layers.heat_sources]) expect(nodeCount.get(key(s.geometry.coordinates)) ?? 0).toBeGreaterThan(0);
  });

  it('links every community to an existing station and every incident to an existing pipe', () => {
    const stationIds = new Set(layers.stations.map((s) => s.id));
    for (const c of layers.communities) expect(stationIds.has(c.properties.station_id as string)).toBe(true);
    const communityIds = new Set(layers.communities.map((c) => c.id));
    for (const c of layers.complaints) expect(communityIds.has(c.properties.community_id as string)).toBe(true);
  });

  it('counts each pipe’s incidents of the last five years in leak_count_5y', () => {
    const perPipe = new Map<string, number>();
    const pipeIds = new Set(layers.pipes.map((p) => p.id));
    for (const i of layers.incidents) {
      expect(pipeIds.has(i.properties.pipe_id as string)).toBe(true);
      const date = i.properties.date as string;
      expect(date >= '2021-12-01' && date <= '2024-03-31').toBe(true);
      perPipe.set(i.properties.pipe_id as string, (perPipe.get(i.properties.pipe_id as string) ?? 0) + 1);
    }
    for (const p of layers.pipes) expect(p.properties.leak_count_5y).toBe(perPipe.get(p.id) ?? 0);
    // Incidents concentrate on old pipes.
    const old = layers.pipes.filter((p) => (p.properties.install_year as number) <= 2000);
    const oldIds = new Set(old.map((p) => p.id));
    const onOld = layers.incidents.filter((i) => oldIds.has(i.properties.pipe_id as string)).length;
    expect(onOld / layers.incidents.length).toBeGreaterThan(0.6);
  });

  it('has overloaded and near-limit stations', () => {
    const s = data.settings;
    const load = new Map<string, number>();
    for (const c of layers.communities) {
      const w = c.properties.energy_saving === 'yes' ? s.heatIndexEnergySavingWm2 : s.heatIndexOldWm2;
      const id = c.properties.station_id as string;
      load.set(id, (load.get(id) ?? 0) + ((c.properties.heated_area_m2 as number) * w) / 1e6);
    }
    const ratios = layers.stations.map((st) => (load.get(st.id)! * s.simultaneity) / (st.properties.design_capacity_mw as number));
    const over = ratios.filter((r) => r >= s.stationOverloadRatio).length;
    const near = ratios.filter((r) => r >= s.stationNearLimitRatio && r < s.stationOverloadRatio).length;
    expect(over).toBeGreaterThanOrEqual(2);
    expect(over).toBeLessThanOrEqual(3);
    expect(near).toBeGreaterThanOrEqual(2);
  });
});

import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from './contract';
import { ContractError } from './handlers';
import { useTestProject } from './testProject';
import { projectInfo } from '../../core/plan/info';
import { EDIT_MALFORMED } from './editing.malformed';
import { ANALYSIS_MALFORMED } from './analysis.malformed';
import { PRESENT_MALFORMED } from './export/malformed';
import { IMPORT_MALFORMED } from './import.malformed';
import { SHARED_MALFORMED } from './shared.malformed';
import { BASEMAP_MALFORMED } from './basemap.malformed';

const YEAR = 2026;
const project = useTestProject({ prefix: 'handlers', year: YEAR });

/** For each channel: arguments that break its schema, and the field the error must name. */
const MALFORMED: Record<Channel, { args: unknown; field: string }[]> = {
  'project:info': [{ args: { extra: 1 }, field: 'extra' }, { args: 'x', field: '(arguments)' }],
  'layer:get': [{ args: { layer: 'roads' }, field: 'layer' }, { args: {}, field: 'layer' }],
  'layer:since': [{ args: { layer: 'pipes' }, field: 'revision' }, { args: { layer: 'pipes', revision: -1 }, field: 'revision' }, { args: { layer: 'roads', revision: 0 }, field: 'layer' }],
  'layer:page': [
    { args: { layer: 'pipes', offset: -1, limit: 10 }, field: 'offset' },
    { args: { layer: 'pipes', offset: 0, limit: 5000 }, field: 'limit' },
    { args: { layer: 'pipes', offset: 0, limit: 10, sort: 'dn; DROP TABLE pipes' }, field: 'sort' },
  ],
  'layer:box': [
    { args: { layer: 'pipes', bbox: [115, 42, 114, 43] }, field: 'bbox' },
    { args: { layer: 'pipes', bbox: [115, 42, 116] }, field: 'bbox' },
    { args: { layer: 'pipes', bbox: [115, 42, 116, 43], limit: 0 }, field: 'limit' },
  ],
  'feature:get': [{ args: { layer: 'pipes', id: 42 }, field: 'id' }, { args: { layer: 'pipes', id: '' }, field: 'id' }, { args: { layer: 1, id: 'P-1' }, field: 'layer' }],
  'theme:stats': [{ args: { theme: 'rainbow' }, field: 'theme' }, { args: null, field: '(arguments)' }],
  'search:find': [{ args: { query: '' }, field: 'query' }, { args: { query: 'P', limit: -1 }, field: 'limit' }, { args: { query: 'P', limit: 'all' }, field: 'limit' }],
  'settings:get': [{ args: { year: 2024 }, field: 'year' }],
  ...EDIT_MALFORMED,
  ...ANALYSIS_MALFORMED,
  ...PRESENT_MALFORMED,
  ...IMPORT_MALFORMED,
  ...SHARED_MALFORMED,
  ...BASEMAP_MALFORMED,
};

describe('backend channels', () => {
  it('every channel of the contract has malformed-argument cases here', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual([...CHANNELS].sort());
  });

  for (const [channel, cases] of Object.entries(MALFORMED)) {
    it(`${channel} rejects malformed arguments naming the channel and the field`, async () => {
      const revision = project.store.revision();
      for (const c of cases) {
        const err = await project.dispatch(channel, c.args).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ContractError);
        expect((err as Error).message).toContain(channel);
        expect((err as Error).message).toContain(`"${c.field}"`);
      }
      expect(project.store.revision()).toBe(revision);
    });
  }

  it('an unknown channel is refused by name', async () => {
    await expect(project.dispatch('pipes:explode', {})).rejects.toThrow(/unknown channel "pipes:explode"/);
  });

  it('layer:get gives pipes with their age class and length', async () => {
    const fc = (await project.dispatch('layer:get', { layer: 'pipes' })) as { features: { id: string; properties: Record<string, unknown> }[] };
    const past = fc.features.find((f) => f.id === 'P-AGE-PAST')!;
    expect(past.properties._class_age).toBe('past_life');
    expect(past.properties.length_m).toBeGreaterThan(600);
  });

  it('layer:box gives the features whose extent meets the box, from the index, and says when it held more', async () => {
    const all = (await project.dispatch('layer:get', { layer: 'pipes' })) as { features: { id: string; geometry: { coordinates: number[][] } }[] };
    const pipe = all.features.find((f) => f.id === 'P-0002')!;
    const [a, b] = pipe.geometry.coordinates;
    const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const near = (await project.dispatch('layer:box', { layer: 'pipes', bbox: [mid[0] - 1e-6, mid[1] - 1e-6, mid[0] + 1e-6, mid[1] + 1e-6] })) as { features: { id: string }[]; complete: boolean };
    expect(near.complete).toBe(true);
    expect(near.features.map((f) => f.id)).toContain('P-0002');
    // every pipe whose envelope meets the box, and no other
    const box: [number, number, number, number] = [mid[0] - 1e-6, mid[1] - 1e-6, mid[0] + 1e-6, mid[1] + 1e-6];
    const meets = all.features.filter((f) => {
      const xs = f.geometry.coordinates.map((c) => c[0]), ys = f.geometry.coordinates.map((c) => c[1]);
      return Math.max(...xs) >= box[0] && Math.min(...xs) <= box[2] && Math.max(...ys) >= box[1] && Math.min(...ys) <= box[3];
    });
    expect(near.features.map((f) => f.id).sort()).toEqual(meets.map((f) => f.id).sort());
    const world = (await project.dispatch('layer:box', { layer: 'pipes', bbox: [-180, -90, 180, 90], limit: 2 })) as { features: unknown[]; complete: boolean };
    expect(world.features).toHaveLength(2);
    expect(world.complete).toBe(false);
    const whole = (await project.dispatch('layer:box', { layer: 'pipes', bbox: [-180, -90, 180, 90] })) as { features: unknown[]; complete: boolean };
    expect(whole.features).toHaveLength(all.features.length);
    expect(whole.complete).toBe(true);
  });

  it('theme:stats equals the totals of warmnet info', async () => {
    const info = projectInfo(project.store.snapshot(), YEAR);
    const rows = (await project.dispatch('theme:stats', { theme: 'leak' })) as { value: string; count: number; km: number }[];
    for (const r of rows) {
      expect(r.count).toBe(info.themes.leakage[r.value].count);
      expect(r.km).toBeCloseTo(info.themes.leakage[r.value].km, 9);
    }
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(7);
  });

  it('feature:get gives length, age, incidents and projects of a pipe', async () => {
    const d = (await project.dispatch('feature:get', { layer: 'pipes', id: 'P-0002' })) as {
      lengthM: number;
      ageYears: number;
      incidents: { id: string }[];
      projects: { id: string }[];
    };
    expect(d.ageYears).toBe(YEAR - 1995);
    expect(d.lengthM).toBeGreaterThan(300);
    expect(d.incidents.map((i) => i.id).sort()).toEqual(['I-001', 'I-002']);
    expect(d.projects.map((p) => p.id)).toEqual(['PR-2024-01']);
  });

  it('search:find matches ids and Chinese names', async () => {
    const byName = (await project.dispatch('search:find', { query: '幸福' })) as { layer: string; id: string }[];
    expect(byName).toEqual([{ layer: 'communities', id: 'C-1', name: '幸福小区' }]);
    const byId = (await project.dispatch('search:find', { query: 'p-age' })) as unknown[];
    expect(byId).toHaveLength(4);
    // an exact id comes before ids that merely contain the query; stations before pipes by name
    const exact = (await project.dispatch('search:find', { query: 'p-0002' })) as { id: string }[];
    expect(exact[0].id).toBe('P-0002');
    const station = (await project.dispatch('search:find', { query: 'ST' })) as { layer: string }[];
    expect(station[0].layer).toBe('stations');
  });
});

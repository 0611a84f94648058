/* eslint-disable @typescript-eslint/no-explicit-any -- channel results are read field by field; their shape is what the test checks */
/**
 * Edit operations through the real dispatcher on a temporary GeoPackage:
 * refusals that save nothing, undo/redo across a reopen, split, valve
 * placement, project linking by polygon and the renovation colours, and GDAL
 * reading the result.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from './store/index';
import { createDispatcher } from './handlers';
import { writeFixtureProject } from '../../tests/e2e/fixture';
import { lineLengthM } from '../../core/geo/length';

const X0 = 115.02;
const Y0 = 42.282;
const ST = [X0 + 0.011, Y0 + 0.0005];

let dir: string;
let path: string;
let store: ProjectStore;
let call: (channel: string, args: unknown) => Promise<any>;

function open() {
  store = ProjectStore.open(path);
  const d = createDispatcher(() => store, 2026);
  call = (c, a) => d(c, a) as Promise<any>;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-edit-'));
  path = join(dir, 'p.gpkg');
  writeFixtureProject(path, 2026);
  open();
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const newPipe = (props: Record<string, unknown>) => ({
  layer: 'pipes',
  geometry: { type: 'LineString', coordinates: [ST, [X0 + 0.0125, Y0 - 0.001], [X0 + 0.0145, Y0 - 0.003]] },
  properties: { level: 'secondary', dn: 150, install_year: 2025, ...props },
});

describe('refused edits save nothing', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['DN 123', { id: 'P-NEW', dn: 123 }, /field "dn": 123 is not one of 20, 25/],
    ['install year 2099', { id: 'P-NEW', install_year: 2099 }, /field "install_year": 2099 is above the maximum/],
    ['empty id', { id: '' }, /field "id": is required/],
    ['duplicate id', { id: 'P-0001' }, /id "P-0001" already exists in pipes/],
  ];
  for (const [what, props, reason] of cases) {
    it(`${what}: refused with the reason, file unchanged`, async () => {
      const before = { rev: store.revision(), pipes: store.listFeatures('pipes').length, journal: store.journal().undo.length };
      // The form asks first …
      const issues = await call('edit:validate', { layer: 'pipes', properties: newPipe(props).properties, geometry: newPipe(props).geometry });
      expect(issues.map((i: { field: string; message: string }) => `field "${i.field}": ${i.message}`).join('\n')).toMatch(reason);
      // … and the backend refuses a save all the same.
      await expect(call('edit:insert', newPipe(props))).rejects.toThrow(reason);
      // Changing an existing pipe to the bad value is refused too (empty id: the id field itself).
      if (what !== 'duplicate id') await expect(call('edit:update', { layer: 'pipes', id: 'P-0002', properties: props })).rejects.toThrow(reason);
      expect(store.revision()).toBe(before.rev);
      expect(store.listFeatures('pipes').length).toBe(before.pipes);
      expect(store.journal().undo.length).toBe(before.journal);
      expect(store.getFeature('pipes', 'P-0002')!.properties.dn).toBe(150);
    });
  }
  it('a valid pipe validates clean', async () => {
    expect(await call('edit:validate', { layer: 'pipes', properties: { id: 'P-NEW', level: 'primary', dn: 200 } })).toEqual([]);
  });
});

describe('a drawn pipe', () => {
  it('gets the next code and its computed length, joins the network, undoes, redoes, survives a reopen, and GDAL reads it', async () => {
    expect(await call('edit:nextId', { layer: 'pipes' })).toBe('P-0004');
    const req = newPipe({});
    const saved = await call('edit:insert', req);
    expect(saved.id).toBe('P-0004');
    expect(saved.properties.length_m).toBeCloseTo(lineLengthM(req.geometry.coordinates), 6);
    // Snapped to the station node: the source reaches it, as it reaches P-0001.
    const reach = await call('edit:trace', { pipeIds: ['P-0004', 'P-0001'] });
    expect(reach['P-0001']).toEqual(['HS-1']);
    expect(reach['P-0004']).toEqual(['HS-1']);
    // The same pipe 5 m short of the node is not joined: the trace sees the difference.
    const loose = newPipe({ id: 'P-LOOSE' });
    loose.geometry.coordinates = [[ST[0], ST[1] - 0.000045], [X0 + 0.0125, Y0 - 0.0012]];
    await call('edit:insert', loose);
    expect((await call('edit:trace', { pipeIds: ['P-LOOSE'] }))['P-LOOSE']).toEqual([]);
    await call('journal:undo', {});

    const undone = await call('journal:undo', {});
    expect(undone.done.label).toMatch(/P-0004/);
    expect(store.getFeature('pipes', 'P-0004')).toBeUndefined();
    const redone = await call('journal:redo', {});
    expect(redone.done.seq).toBe(undone.done.seq);
    expect(store.getFeature('pipes', 'P-0004')).toBeDefined();

    store.close();
    open();
    expect(store.getFeature('pipes', 'P-0004')?.properties.dn).toBe(150);
    // The journal is in the file: undo still works after the reopen.
    await call('journal:undo', {});
    expect(store.getFeature('pipes', 'P-0004')).toBeUndefined();
    await call('journal:redo', {});
    const out = execFileSync('ogrinfo', ['-ro', '-al', '-q', '-where', "id = 'P-0004'", path, 'pipes'], { encoding: 'utf8' });
    expect(out).toMatch(/id \(String\) = P-0004/);
    expect(out).toMatch(/LINESTRING \(115\.031 42\.2825/);
  });
});

describe('split, place, delete', () => {
  it('split = one undo step: two pipes sharing the cut point, lengths add up, links follow', async () => {
    const whole = store.getFeature('pipes', 'P-0002')!;
    const len = whole.properties.length_m as number;
    const [a, b] = await call('edit:split', { pipeId: 'P-0002', at: [X0 + 0.0128, Y0 + 0.0016] });
    expect([a.id, b.id]).toEqual(['P-0002-1', 'P-0002-2']);
    expect(a.geometry.coordinates.at(-1)).toEqual(b.geometry.coordinates[0]);
    expect(a.properties.length_m + b.properties.length_m).toBeCloseTo(len, 3);
    expect(a.properties.dn).toBe(150);
    const links = store.projectFeatures().filter((r) => r.project_id === 'PR-2024-01').map((r) => r.feature_id);
    expect(links.sort()).toEqual(['P-0002-1', 'P-0002-2']);
    await call('journal:undo', {});
    expect(store.getFeature('pipes', 'P-0002')).toBeDefined();
    expect(store.getFeature('pipes', 'P-0002-1')).toBeUndefined();
    expect(store.projectFeatures().filter((r) => r.project_id === 'PR-2024-01').map((r) => r.feature_id)).toEqual(['P-0002']);
  });
  it('a valve well placed near a pipe sits on it and takes its DN', async () => {
    const v = await call('edit:place', { layer: 'valves', at: [X0 + 0.008, Y0 + 0.00051] });
    expect(v.id).toBe('V-003');
    expect(v.geometry.coordinates[1]).toBeCloseTo(Y0 + 0.0005, 9);
    expect(v.properties.dn).toBe(300);
  });
  it('a valve well placed just beyond the attach tolerance stays where it was put; just within, it moves onto the pipe', async () => {
    const tol = store.getSettings().attachToleranceM;
    const mPerDegLat = 111_132;
    const far = await call('edit:place', { layer: 'valves', at: [X0 + 0.008, Y0 + 0.0005 + ((tol + 0.5) / mPerDegLat)] });
    expect(far.geometry.coordinates[1]).toBeCloseTo(Y0 + 0.0005 + (tol + 0.5) / mPerDegLat, 12);
    expect(far.properties.dn ?? null).toBeNull();
    const near = await call('edit:place', { layer: 'valves', at: [X0 + 0.008, Y0 + 0.0005 - ((tol - 0.5) / mPerDegLat)] });
    expect(near.geometry.coordinates[1]).toBeCloseTo(Y0 + 0.0005, 9);
  });
  it('delete removes features and their project links in one step', async () => {
    await call('edit:delete', { layer: 'pipes', ids: ['P-0002', 'P-0003'] });
    expect(store.getFeature('pipes', 'P-0002')).toBeUndefined();
    expect(store.projectFeatures()).toEqual([]);
    await call('journal:undo', {});
    expect(store.getFeature('pipes', 'P-0003')).toBeDefined();
    expect(store.projectFeatures()).toHaveLength(1);
  });
});

describe('renovation projects', () => {
  it('a 2025 project links pipes by box, they turn planned, follow its status, and the panel numbers add up', async () => {
    await call('project:save', { row: { id: 'PR-2025-01', name: '试点改造', year: 2025, kind: 'pipe', deadline: '2025-09-15', budget_wan: 120 } });
    // A box around the four isolated age pipes (west of the town).
    const box = [[X0 - 0.013, Y0 - 0.007], [X0 - 0.003, Y0 - 0.007], [X0 - 0.003, Y0 + 0.0055], [X0 - 0.013, Y0 + 0.0055]];
    const linked = await call('project:link', { projectId: 'PR-2025-01', polygon: box });
    expect(linked.sort()).toEqual(['P-AGE-MID', 'P-AGE-NEW', 'P-AGE-OLD', 'P-AGE-PAST']);
    for (const id of linked) expect(store.getFeature('pipes', id)!.properties.renovation_status).toBe('planned');
    const list = await call('project:list', {});
    const l = list.lengths.find((x: { id: string }) => x.id === 'PR-2025-01');
    const expectKm = linked.reduce((s: number, id: string) => s + (store.getFeature('pipes', id)!.properties.length_m as number), 0) / 1000;
    expect(l.km.primary).toBeCloseTo(expectKm, 9);
    expect(list.totals.find((t: { year: number }) => t.year === 2025).km.primary).toBeCloseTo(expectKm, 9);

    await call('project:save', { row: { id: 'PR-2025-01', status: 'building' } });
    expect(store.getFeature('pipes', 'P-AGE-NEW')!.properties.renovation_status).toBe('in_progress');
    await call('journal:undo', {});
    expect(store.getFeature('pipes', 'P-AGE-NEW')!.properties.renovation_status).toBe('planned');
    await call('journal:undo', {});
    expect(store.getFeature('pipes', 'P-AGE-NEW')!.properties.renovation_status).toBe('none');

    const progress = await call('plan:progress', { year: 2024, today: '2024-10-01' });
    expect(progress.target).toEqual({ primaryKm: 0.8, secondaryCourtyardKm: 10.5, budgetWan: 1900 });
    expect(progress.overdue.map((o: { id: string }) => o.id)).toEqual(['PR-2024-01']);
  });
  it('a pipe drawn into a project is linked and planned in the same undo step; deleting the project frees its pipes', async () => {
    await call('project:save', { row: { id: 'PR-2025-02', year: 2025, status: 'approved' } });
    const p = await call('edit:insert', { ...newPipe({}), projectId: 'PR-2025-02' });
    expect(p.properties.renovation_status).toBe('planned');
    expect(store.projectFeatures().filter((r) => r.project_id === 'PR-2025-02').map((r) => r.feature_id)).toEqual([p.id]);
    await call('project:link', { projectId: 'PR-2025-02', pipeIds: ['P-0001'] });
    const list = await call('project:delete', { id: 'PR-2025-02' });
    expect(list.projects.map((x: { id: string }) => x.id)).toEqual(['PR-2024-01']);
    expect(store.getFeature('pipes', 'P-0001')!.properties.renovation_status).toBe('none');
    await call('journal:undo', {});
    expect(store.getFeature('pipes', 'P-0001')!.properties.renovation_status).toBe('planned');
    await call('journal:undo', {});
    await call('journal:undo', {});
    expect(store.getFeature('pipes', p.id)).toBeUndefined();
    expect(store.projectFeatures().filter((r) => r.project_id === 'PR-2025-02')).toEqual([]);
  });
  it('an invalid project is refused with the reason', async () => {
    await expect(call('project:save', { row: { id: 'PR-X', year: 2025, status: 'dreaming' } })).rejects.toThrow(/field "status": "dreaming" is not one of/);
    expect(store.listProjects().map((p) => p.id)).toEqual(['PR-2024-01']);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- channel results are read field by field; their shape is what the test checks */
/**
 * One fact, one place: a pipe's project membership lives in project_features;
 * pipes.project_id (the inspector's 所属项目) is derived from it in the store
 * (migration 0009), so 所属项目 and 关联项目 agree after every kind of edit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from './store/index';
import { createDispatcher } from './handlers';

let dir: string;
let store: ProjectStore;
let call: (channel: string, args: unknown) => Promise<any>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-membership-'));
  store = ProjectStore.create(join(dir, 'p.gpkg'), { year: 2026 });
  const d = createDispatcher(() => store, 2026);
  call = (c, a) => d(c, a) as Promise<any>;
  store.upsertProject({ id: 'PRJ-1', year: 2026, name: '一期' });
  store.upsertProject({ id: 'PRJ-2', year: 2026, name: '二期' });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the inspector shows: 所属项目 (the pipe's project_id) and 关联项目 (the linked projects). */
async function inspector(id: string): Promise<{ own: unknown; linked: string[] }> {
  const d = await call('feature:get', { layer: 'pipes', id });
  return { own: d.feature.properties.project_id ?? null, linked: d.projects.map((p: { id: string }) => p.id).sort() };
}

const line = { type: 'LineString', coordinates: [[115.02, 42.28], [115.021, 42.28]] };

describe('project membership', () => {
  it('a pipe drawn into a project shows that project as 所属项目 and under 关联项目', async () => {
    const saved = await call('edit:insert', { layer: 'pipes', geometry: line, properties: { level: 'secondary', dn: 100 }, projectId: 'PRJ-1' });
    expect(await inspector(saved.id)).toEqual({ own: 'PRJ-1', linked: ['PRJ-1'] });
    await call('journal:undo', {});
    expect(store.projectFeatures()).toEqual([]);
    await call('journal:redo', {});
    expect(await inspector(saved.id)).toEqual({ own: 'PRJ-1', linked: ['PRJ-1'] });
  });

  it('writing 所属项目 links the project; moving the pipe moves the link; undo moves it back', async () => {
    store.insertFeature('pipes', { type: 'Feature', id: 'P-1', geometry: line as never, properties: { id: 'P-1', level: 'secondary', dn: 100, project_id: 'PRJ-1' } });
    expect(await inspector('P-1')).toEqual({ own: 'PRJ-1', linked: ['PRJ-1'] });
    store.updateFeature('pipes', 'P-1', { properties: { project_id: 'PRJ-2' } });
    expect(await inspector('P-1')).toEqual({ own: 'PRJ-2', linked: ['PRJ-2'] });
    store.undo();
    expect(await inspector('P-1')).toEqual({ own: 'PRJ-1', linked: ['PRJ-1'] });
  });

  it('linking a pipe of no project makes it its own; unlinking falls back to another link or none; deleting a project clears it', async () => {
    store.insertFeature('pipes', { type: 'Feature', id: 'P-1', geometry: line as never, properties: { id: 'P-1', level: 'secondary', dn: 100 } });
    expect(await inspector('P-1')).toEqual({ own: null, linked: [] });
    store.linkFeatures('PRJ-1', 'pipes', ['P-1']);
    store.linkFeatures('PRJ-2', 'pipes', ['P-1']);
    expect(await inspector('P-1')).toEqual({ own: 'PRJ-1', linked: ['PRJ-1', 'PRJ-2'] });
    store.unlinkFeatures('PRJ-1', 'pipes', ['P-1']);
    expect(await inspector('P-1')).toEqual({ own: 'PRJ-2', linked: ['PRJ-2'] });
    store.undo();
    expect((await inspector('P-1')).linked).toEqual(['PRJ-1', 'PRJ-2']);
    store.deleteProject('PRJ-2');
    store.deleteProject('PRJ-1');
    expect(await inspector('P-1')).toEqual({ own: null, linked: [] });
  });

  it('a deleted pipe leaves no link behind; splitting and undoing the split keep both records in step', async () => {
    store.insertFeature('pipes', { type: 'Feature', id: 'P-1', geometry: line as never, properties: { id: 'P-1', level: 'secondary', dn: 100, project_id: 'PRJ-1' } });
    await call('edit:split', { pipeId: 'P-1', at: [115.0205, 42.28] });
    expect(await inspector('P-1-1')).toEqual({ own: 'PRJ-1', linked: ['PRJ-1'] });
    expect(store.projectFeatures().map((r) => r.feature_id).sort()).toEqual(['P-1-1', 'P-1-2']);
    await call('journal:undo', {});
    expect(store.projectFeatures().map((r) => r.feature_id)).toEqual(['P-1']);
    expect(await inspector('P-1')).toEqual({ own: 'PRJ-1', linked: ['PRJ-1'] });
    store.deleteFeature('pipes', 'P-1');
    expect(store.projectFeatures()).toEqual([]);
  });
});

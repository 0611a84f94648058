/** The undo journal: undo/redo across a restart, imports, batches, renames, projects and settings. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ProjectStore, ValidationError } from './index';
import { gridPipes, pipe, useTempDir, valve } from './testkit';
import { Connection } from './connection';
import { Journal } from './journal';
import type { Op } from './ops';

const tmp = useTempDir();

describe('undo journal', () => {
  it('undoes and redoes edits, across a restart', () => {
    const path = join(tmp.path, 'p.gpkg');
    let s = ProjectStore.create(path);
    s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]], { dn: 100 }), 'draw P-1');
    s.updateFeature('pipes', 'P-1', { properties: { dn: 200 } }, 'resize P-1');
    s.deleteFeature('pipes', 'P-1', 'remove P-1');
    expect(s.journal().undo.map((e) => e.label)).toEqual(['remove P-1', 'resize P-1', 'draw P-1']);
    s.close();

    s = ProjectStore.open(path);
    expect(s.getFeature('pipes', 'P-1')).toBeUndefined();
    expect(s.undo()?.label).toBe('remove P-1');
    expect(s.getFeature('pipes', 'P-1')!.properties.dn).toBe(200);
    expect(s.undo()?.label).toBe('resize P-1');
    expect(s.getFeature('pipes', 'P-1')!.properties.dn).toBe(100);
    s.close();

    s = ProjectStore.open(path);
    expect(s.journal().redo.map((e) => e.label)).toEqual(['resize P-1', 'remove P-1']);
    expect(s.redo()?.label).toBe('resize P-1');
    expect(s.getFeature('pipes', 'P-1')!.properties.dn).toBe(200);
    expect(s.undo()?.label).toBe('resize P-1');
    expect(s.undo()?.label).toBe('draw P-1');
    expect(s.getFeature('pipes', 'P-1')).toBeUndefined();
    expect(s.undo()).toBeNull();
    expect(s.redo()?.label).toBe('draw P-1');
    expect(s.getFeature('pipes', 'P-1')!.properties.dn).toBe(100);
    // A new edit drops what could be redone.
    s.insertFeature('valves', valve('V-1', 115, 42));
    expect(s.journal().redo).toEqual([]);
    s.close();
  });

  it('undoes an import, and a replace brings back the old layer', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    const grid = gridPipes(20);
    s.importFeatures('pipes', grid.slice(0, 5), { fileName: 'a.geojson' });
    s.importFeatures('pipes', grid.slice(5), { fileName: 'b.geojson' });
    expect(s.journal().undo[0].label).toBe('import b.geojson → pipes');
    expect(s.undo()?.label).toBe('import b.geojson → pipes');
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(grid.slice(0, 5).map((f) => f.id));
    s.redo();
    expect(s.listFeatures('pipes')).toHaveLength(grid.length);
    s.importFeatures('pipes', [pipe('P-only', [[115, 42], [115.001, 42]])], { mode: 'replace' });
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-only']);
    s.undo();
    const back = s.listFeatures('pipes');
    expect(back.map((f) => f.id).sort()).toEqual(grid.map((f) => f.id).sort());
    expect(back.find((f) => f.id === 'P-3')!.properties.install_year).toBe(grid[3].properties.install_year);
    s.close();
    const db = new Database(join(tmp.path, 'p.gpkg'), { readonly: true });
    expect(db.prepare(`SELECT rtreecheck('rtree_pipes_geom')`).pluck().get()).toBe('ok');
    db.close();
  });

  it('groups a batch into one entry and rolls all of it back when it throws', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    s.batch('split P-1', () => {
      s.insertFeature('pipes', pipe('P-1a', [[115, 42], [115.001, 42]]));
      s.insertFeature('pipes', pipe('P-1b', [[115.001, 42], [115.002, 42]]));
      s.insertFeature('valves', valve('V-1', 115.001, 42));
    });
    expect(s.journal().undo.map((e) => e.label)).toEqual(['split P-1']);
    expect(() =>
      s.batch('half', () => {
        s.insertFeature('valves', valve('V-2', 115.002, 42));
        s.insertFeature('valves', valve('V-1', 115.002, 42)); // duplicate: the whole batch fails
      }),
    ).toThrow(ValidationError);
    expect(s.getFeature('valves', 'V-2')).toBeUndefined();
    expect(s.journal().undo).toHaveLength(1);
    s.undo();
    expect(s.listFeatures('pipes')).toEqual([]);
    expect(s.listFeatures('valves')).toEqual([]);
    s.redo();
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-1a', 'P-1b']);
    s.close();
  });

  it('undoes a rename, project edits and settings', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]]));
    s.updateFeature('pipes', 'P-1', { properties: { id: 'P-9' } });
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-9']);
    s.undo();
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-1']);

    s.upsertProject({ id: 'PRJ-1', year: 2024, name: '一级管网改造', budget_wan: 300 });
    s.linkFeatures('PRJ-1', 'pipes', ['P-1']);
    s.deleteProject('PRJ-1');
    expect(s.listProjects()).toEqual([]);
    expect(s.projectFeatures()).toEqual([]);
    s.undo();
    expect(s.listProjects()[0]).toMatchObject({ id: 'PRJ-1', year: 2024, kind: 'pipe', status: 'planned', budget_wan: 300 });
    expect(s.projectFeatures()).toEqual([{ project_id: 'PRJ-1', layer: 'pipes', feature_id: 'P-1' }]);

    s.setSettings({ heatIndexOldWm2: 70 });
    expect(s.getSettings().heatIndexOldWm2).toBe(70);
    s.undo();
    expect(s.getSettings().heatIndexOldWm2).toBe(62);
    expect(() => s.setSettings({ heatIndexOldWm2: 'hot' as unknown as number })).toThrow(ValidationError);
    s.close();
  });
});

describe('Journal alone', () => {
  it('records the inverse of each operation, undoes and redoes through the apply function it is given', () => {
    const conn = Connection.create(join(tmp.path, 'j.gpkg'));
    try {
      // A toy table of values: the journal knows nothing of features, only of operations and their inverses.
      const values = new Map<string, unknown>();
      const apply = (op: Op): Op[] => {
        if (op.t !== 'settings') return [];
        const before: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(op.values)) {
          before[k] = values.get(k) ?? null;
          values.set(k, v);
        }
        return [{ t: 'settings', values: before }];
      };
      const j = new Journal(conn, apply);
      const rev = conn.revision();
      j.edit('set a', () => j.exec({ t: 'settings', values: { a: 1 } }));
      j.edit('set a again', () => j.exec({ t: 'settings', values: { a: 2 } }));
      expect(conn.revision()).toBe(rev + 2);
      expect(j.list().undo.map((e) => e.label)).toEqual(['set a again', 'set a']);
      expect(j.undo()!.label).toBe('set a again');
      expect(values.get('a')).toBe(1);
      expect(j.redo()!.label).toBe('set a again');
      expect(values.get('a')).toBe(2);
      // An edit that throws leaves no entry behind.
      expect(() => j.edit('fails', () => { j.exec({ t: 'settings', values: { a: 3 } }); throw new Error('no'); })).toThrow('no');
      expect(j.list().undo.map((e) => e.label)).toEqual(['set a again', 'set a']);
      // Nothing recorded, nothing journaled.
      j.edit('nothing', () => undefined);
      expect(j.list().undo).toHaveLength(2);
    } finally {
      conn.close();
    }
  });
});

/** Bulk loads: whole-file validation naming file, feature and field; replace; whole projects. */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError, ProjectStore } from './index';
import { DEFAULT_SETTINGS } from '../../../core/model/settings';
import { emptyLayers, type ProjectData } from '../../../core/model/project';
import { gridPipes, pipe, useTempDir, valve } from './testkit';
import { Connection } from './connection';
import { FeatureTables } from './features';
import { BulkLoader } from './bulk';
import Database from 'better-sqlite3';

const tmp = useTempDir();

describe('import', () => {
  it('writes nothing and names file, feature and field when one feature is bad', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    const features = gridPipes(4);
    features[3] = pipe('P-0007', [[115, 42], [115.001, 42]], { level: 'tertiary' });
    let err: unknown;
    try {
      s.importFeatures('pipes', features, { fileName: 'bad.geojson' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toContain('bad.geojson: feature 4 (id "P-0007"): field "level": "tertiary" is not one of primary, secondary, courtyard');
    expect((err as ImportError).issues).toHaveLength(1);
    expect(s.listFeatures('pipes')).toEqual([]);
    expect(s.revision()).toBe(0);
    expect(s.journal().undo).toEqual([]);
    s.close();
  });

  it('collects every problem: geometry type, coordinates, duplicates, domains', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    s.insertFeature('pipes', pipe('P-old', [[115, 42], [115.001, 42]]));
    const bad = [
      pipe('P-1', [[115, 42], [115.001, 42]]),
      valve('P-2', 115, 42, { level: 'primary', dn: 100 }),
      pipe('P-3', [[115, 42], [200, 42]]),
      pipe('P-4', [[115, 42], [115, Number.NaN]]),
      pipe('P-1', [[115, 42], [115.001, 42]]),
      pipe('P-old', [[115, 42], [115.001, 42]]),
      pipe('P-7', [[115, 42], [115.001, 42]], { dn: 'abc' }),
      pipe('P-8', [[115, 42], [115.001, 42]], { dn: '200', is_backup: true, leak_count_5y: '3' }),
    ];
    try {
      s.importFeatures('pipes', bad, { fileName: 'x.geojson' });
      throw new Error('expected an ImportError');
    } catch (e) {
      const issues = (e as ImportError).issues;
      expect(issues.map((i) => [i.index, i.featureId, i.field])).toEqual([
        [1, 'P-2', 'geometry'],
        [2, 'P-3', 'geometry'],
        [3, 'P-4', 'geometry'],
        [4, 'P-1', 'id'],
        [5, 'P-old', 'id'],
        [6, 'P-7', 'dn'],
      ]);
      expect(issues[1].message).toMatch(/longitude 200 is outside -180..180/);
      expect(issues[3].message).toMatch(/duplicate id "P-1" \(also feature 1\)/);
    }
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-old']);
    s.close();
  });

  it('replaces a layer in one transaction when asked', () => {
    const s = ProjectStore.create(join(tmp.path, 'p.gpkg'));
    s.importFeatures('pipes', gridPipes(3));
    s.importFeatures('pipes', [pipe('P-0', [[115, 42], [115.001, 42]])], { mode: 'replace' });
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-0']);
    s.close();
  });
});

describe('whole projects', () => {
  it('createFromData writes every layer, the projects and their links; snapshot gives them back', () => {
    const data: ProjectData = {
      layers: { ...emptyLayers(), pipes: gridPipes(3) as ProjectData['layers']['pipes'], valves: [valve('V-1', 115.02, 42.28)] as ProjectData['layers']['valves'] },
      projects: [
        { id: 'PRJ-1', name: '管网更新', year: 2024, kind: 'pipe', problem: '老旧', task: '更新', measure: '换管', responsible: '热力公司', deadline: '2024-09-15', status: 'planned', budget_wan: 1800 },
      ],
      projectFeatures: [{ project_id: 'PRJ-1', layer: 'pipes', feature_id: 'P-0' }],
      settings: { ...DEFAULT_SETTINGS, outdoorDesignC: -27 },
    };
    const path = join(tmp.path, 'whole.gpkg');
    const s = ProjectStore.createFromData(path, data, { description: '示例数据，非实测' });
    const snap = s.snapshot();
    expect(snap.layers.pipes.map((f) => f.id)).toEqual(data.layers.pipes.map((f) => f.id));
    expect(snap.layers.valves[0].properties.operable).toBe('yes');
    expect(snap.projects).toEqual(data.projects);
    expect(snap.projectFeatures).toEqual(data.projectFeatures);
    expect(snap.settings.outdoorDesignC).toBe(-27);
    expect(s.description()).toBe('示例数据，非实测');
    const bbox = s.bbox()!;
    expect(bbox[0]).toBeLessThanOrEqual(115.02);
    expect(bbox[2]).toBeGreaterThanOrEqual(115.022);
    s.close();
  });

  it('createFromData with a bad feature leaves no file behind', () => {
    const path = join(tmp.path, 'bad.gpkg');
    const data: ProjectData = {
      layers: { ...emptyLayers(), pipes: [pipe('P-1', [[115, 42], [115.001, 42]], { dn: 'abc' })] as ProjectData['layers']['pipes'] },
      projects: [],
      projectFeatures: [],
      settings: DEFAULT_SETTINGS,
    };
    expect(() => ProjectStore.createFromData(path, data)).toThrow(/pipes: feature 1 \(id "P-1"\): field "dn"/);
    expect(existsSync(path)).toBe(false);
  });
});

describe('BulkLoader alone', () => {
  it('validates a whole list (duplicates, existing ids) and packs the spatial index for a large insert', () => {
    const conn = Connection.create(join(tmp.path, 'b.gpkg'));
    try {
      const features = new FeatureTables(conn, 2026);
      const bulk = new BulkLoader(conn, features, 2026);
      const bad = bulk.validateAll('pipes', [pipe('P-1', [[115.02, 42.28], [115.021, 42.28]]), pipe('P-1', [[115.02, 42.28], [115.021, 42.28]]), pipe('P-2', [[115.02, 42.28], [115.021, 42.28]])], 'f.geojson', new Set(['P-2']));
      expect(bad.issues.map((i) => [i.index, i.featureId, i.field])).toEqual([
        [1, 'P-1', 'id'],
        [2, 'P-2', 'id'],
      ]);
      const grid = gridPipes(20);
      const ok = bulk.validateAll('pipes', grid, 'grid', new Set());
      expect(ok.issues).toEqual([]);
      conn.write(() => bulk.insert('pipes', ok.coerced));
      expect(features.ids('pipes')).toHaveLength(grid.length);
      // The packed R-tree holds one box per row and passes SQLite's own check.
      expect(conn.db.prepare('SELECT count(*) FROM rtree_pipes_geom').pluck().get()).toBe(grid.length);
      expect(conn.db.prepare(`SELECT rtreecheck('rtree_pipes_geom')`).pluck().get()).toBe('ok');
    } finally {
      conn.close();
    }
  });
});

describe('project membership in a packed load', () => {
  it('lists the new pipes that name a project as the per-row trigger does, and puts the trigger back', () => {
    const grid = gridPipes(20).map((f, i) => (i % 7 === 3 ? { ...f, properties: { ...f.properties, project_id: i % 2 ? 'PRJ-1' : 'PRJ-2' } } : f));
    const read = (path: string) => {
      const db = new Database(path, { readonly: true });
      try {
        return {
          links: db.prepare('SELECT fid, project_id, layer, feature_id FROM project_features ORDER BY fid').raw(true).all(),
          trigger: db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'warmnet_pipe_project_insert'`).pluck().get(),
        };
      } finally {
        db.close();
      }
    };
    // row by row (small imports take the trigger) against one packed load
    const a = join(tmp.path, 'a.gpkg'), b = join(tmp.path, 'b.gpkg');
    const rowByRow = ProjectStore.create(a);
    for (let i = 0; i < grid.length; i += 100) rowByRow.importFeatures('pipes', grid.slice(i, i + 100));
    rowByRow.close();
    expect(grid.length).toBeGreaterThan(500);
    const packed = ProjectStore.create(b);
    packed.importFeatures('pipes', grid);
    packed.close();
    const [ra, rb] = [read(a), read(b)];
    expect(rb.links.length).toBe(grid.filter((f) => f.properties.project_id).length);
    expect(rb.links).toEqual(ra.links);
    expect(rb.trigger).toBe(ra.trigger);
    expect(typeof rb.trigger).toBe('string');
    // the trigger works again afterwards
    const again = ProjectStore.open(b);
    again.insertFeature('pipes', pipe('P-new', [[115.02, 42.28], [115.021, 42.28]], { project_id: 'PRJ-3' }));
    expect(again.projectFeatures().filter((l) => l.feature_id === 'P-new')).toEqual([{ project_id: 'PRJ-3', layer: 'pipes', feature_id: 'P-new' }]);
    again.close();
  });
});

describe('NULL columns in a packed load', () => {
  it('writes the rows the per-row INSERT writes, whatever columns each group of rows leaves empty', () => {
    // optional fields set or not, one pattern per group of 32 rows (a multi-row INSERT's), about 40 patterns: more than are kept prepared
    const optional: Record<string, unknown> = { name: 'n', material: 'steel', install_year: 1999, condition: 3, water_loss_rate: 0.5, project_id: 'PRJ-9', extra_note: 'x' };
    const keys = Object.keys(optional);
    const grid = gridPipes(24).map((f, i) => {
      const props: Record<string, unknown> = { ...f.properties };
      const pattern = (Math.floor(i / 32) * 37) % 128;
      for (let k = 0; k < keys.length; k++) if ((pattern >> k) & 1) props[keys[k]] = optional[keys[k]];
      return { ...f, properties: props };
    });
    const rows = (path: string) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare('SELECT * FROM pipes ORDER BY fid').raw(true).all();
      } finally {
        db.close();
      }
    };
    const a = join(tmp.path, 'rows.gpkg'), b = join(tmp.path, 'packed.gpkg');
    const rowByRow = ProjectStore.create(a);
    for (let i = 0; i < grid.length; i += 100) rowByRow.importFeatures('pipes', grid.slice(i, i + 100));
    rowByRow.close();
    const packed = ProjectStore.create(b);
    packed.importFeatures('pipes', grid);
    packed.close();
    expect(grid.length).toBeGreaterThan(1000);
    expect(rows(b)).toEqual(rows(a));
  });
});

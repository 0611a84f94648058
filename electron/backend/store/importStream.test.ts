import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectStore, ImportError } from './index';
import { gridPipes, pipe, useTempDir } from './testkit';
import { geoJsonBatches } from '../importer';
import { ImportRefused } from '../../../core/io/source';
import type { ImportBatch } from './api';
import { coerceFeature, type CoercedFeature } from '../../../core/model/validate';

const tmp = useTempDir();

function batchesOf(list: unknown[], size: number): ImportBatch[] {
  const out: ImportBatch[] = [];
  for (let i = 0; i < list.length; i += size) out.push({ features: list.slice(i, i + size) });
  return out;
}

function refusal(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('not refused');
}

describe('streamed import (batches, one transaction)', () => {
  it('writes every batch, packs one valid spatial index, and is one undo step', () => {
    const path = join(tmp.path, 'p.gpkg');
    const store = ProjectStore.create(path);
    try {
      store.importFeatures('pipes', [pipe('OLD', [[115, 42], [115.001, 42]])]);
      const pipes = gridPipes(30); // 1740
      const r = store.importStream('pipes', batchesOf(pipes, 100), { fileName: 'grid.geojson' });
      expect(r.inserted).toBe(pipes.length);
      expect(store.count('pipes')).toBe(pipes.length + 1);
      expect(store.getFeature('pipes', 'P-1700')!.properties.level).toBe(pipes[1700].properties.level);
      expect(store.featuresInBox('pipes', [114.99, 41.99, 115.0015, 42.001]).map((f) => f.id)).toEqual(['OLD']);
      expect(store.journal().undo[0].label).toBe('import grid.geojson → pipes');
      const db = new Database(path, { readonly: true });
      expect(db.prepare(`SELECT rtreecheck('rtree_pipes_geom')`).pluck().get()).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM rtree_pipes_geom').pluck().get()).toBe(pipes.length + 1);
      db.close();
      store.undo();
      expect(store.count('pipes')).toBe(1);
      // the insert trigger is back: a later single insert is indexed
      store.insertFeature('pipes', pipe('NEW', [[116, 43], [116.001, 43]]));
      expect(store.featuresInBox('pipes', [115.99, 42.99, 116.01, 43.01]).map((f) => f.id)).toEqual(['NEW']);
    } finally {
      store.close();
    }
  });

  it('a problem in a late batch: nothing is written, and every problem of every batch is listed with file, feature and field', () => {
    const path = join(tmp.path, 'p.gpkg');
    const store = ProjectStore.create(path);
    try {
      store.importFeatures('pipes', [pipe('P-5', [[115, 42], [115.001, 42]])]);
      const pipes: unknown[] = gridPipes(20);
      (pipes[3] as { properties: Record<string, unknown> }).properties.dn = 123; // not a standard DN
      pipes[500] = { ...(pipes[500] as object), properties: { ...(pipes[500] as { properties: object }).properties, id: 'P-0' } }; // duplicate across batches
      pipes[700] = 'not a feature';
      const before = store.journal().undo.length;
      const err = refusal(() =>
        store.importStream('pipes', [...batchesOf(pipes, 64), { features: [], issues: [{ file: 'grid.geojson', index: 760, message: 'not a GeoJSON Feature' }] }], { fileName: 'grid.geojson' }),
      );
      const where = err.issues.map((i) => [i.index, i.featureId ?? null, i.field ?? null]);
      expect(where).toEqual([
        [3, 'P-3', 'dn'],
        [5, 'P-5', 'id'],
        [500, 'P-0', 'id'],
        [700, null, null],
        [760, null, null],
      ]);
      expect(err.issues.every((i) => i.file === 'grid.geojson')).toBe(true);
      expect(err.issues[2].message).toMatch(/duplicate id "P-0" \(also feature 1\)/);
      expect(err.message).toMatch(/grid\.geojson: 5 problems, nothing was written/);
      expect(store.count('pipes')).toBe(1);
      expect(store.journal().undo.length).toBe(before);
      const db = new Database(path, { readonly: true });
      expect(db.prepare('SELECT count(*) FROM pipes').pluck().get()).toBe(1);
      expect(db.prepare(`SELECT rtreecheck('rtree_pipes_geom')`).pluck().get()).toBe('ok');
      expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'rtree_pipes_geom_insert'`).pluck().get()).toBe(1);
      db.close();
    } finally {
      store.close();
    }
  });

  it('a GeoJSON file read in pieces: imported whole, or refused naming the entry with nothing written', () => {
    const path = join(tmp.path, 'p.gpkg');
    const store = ProjectStore.create(path);
    try {
      const pipes = gridPipes(25);
      const file = join(tmp.path, 'pipes.geojson');
      writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: pipes }, null, 1));
      const batches = [...geoJsonBatches(file, 97)];
      expect(batches.length).toBeGreaterThan(5);
      expect(batches.flatMap((b) => b.indexes)).toEqual(pipes.map((_, i) => i));
      expect(store.importStream('pipes', geoJsonBatches(file, 97), { fileName: 'pipes.geojson' }).inserted).toBe(pipes.length);
      expect(store.getFeature('pipes', 'P-77')!.geometry).toEqual(pipes[77].geometry);

      // broken JSON half-way: the reader stops, the transaction rolls back
      const bad = join(tmp.path, 'bad.geojson');
      const text = JSON.stringify({ type: 'FeatureCollection', features: gridPipes(25).map((f) => ({ ...f, id: `B${f.id}`, properties: { ...f.properties, id: `B${f.id}` } })) });
      const cut = text.indexOf('"BP-900"');
      writeFileSync(bad, text.slice(0, cut) + '"BP-900",,' + text.slice(cut + 8));
      let refused: unknown;
      try {
        store.importStream('pipes', geoJsonBatches(bad, 50), { fileName: 'bad.geojson' });
      } catch (e) {
        refused = e;
      }
      expect(refused).toBeInstanceOf(ImportRefused);
      expect((refused as ImportRefused).message).toMatch(/^bad\.geojson, feature 901: not valid JSON/);
      expect(store.count('pipes')).toBe(pipes.length);
      expect(store.getFeature('pipes', 'BP-0')).toBeUndefined();
    } finally {
      store.close();
    }
  });
  it('batches the importer already validated: taken for this layer and year, still checked for ids and issues, else validated again', () => {
    const year = new Date().getFullYear();
    const pipes = gridPipes(12);
    const validated = (list: unknown[], y = year, layer: 'pipes' | 'valves' = 'pipes'): ImportBatch[] =>
      batchesOf(list, 50).map((b) => ({ features: [], validated: { layer, year: y, features: b.features.map((f) => coerceFeature('pipes', f, { year: y })) } }));
    const rows = (store: ProjectStore) => store.listFeatures('pipes');
    // the same rows as the store's own validation writes
    const a = ProjectStore.create(join(tmp.path, 'a.gpkg'));
    const b = ProjectStore.create(join(tmp.path, 'b.gpkg'));
    try {
      expect(a.importStream('pipes', batchesOf(pipes, 50), { fileName: 'g.geojson' }).inserted).toBe(pipes.length);
      expect(b.importStream('pipes', validated(pipes), { fileName: 'g.geojson' }).inserted).toBe(pipes.length);
      expect(rows(b)).toEqual(rows(a));
      // the store's own checks still run on them: an id already in the layer, an id twice in the import
      const again = refusal(() => b.importStream('pipes', validated(pipes.slice(0, 3)), { fileName: 'again.geojson' }));
      expect(again.issues.map((i) => [i.index, i.field, i.message])).toEqual(pipes.slice(0, 3).map((p, i) => [i, 'id', `id "${p.id}" already exists in layer pipes`]));
      const twice = ProjectStore.create(join(tmp.path, 't.gpkg'));
      try {
        const e = refusal(() => twice.importStream('pipes', validated([...pipes.slice(0, 60), pipes[7]]), { fileName: 'twice.geojson' }));
        expect(e.issues.map((i) => [i.index, i.field, i.message])).toEqual([[60, 'id', `duplicate id "${pipes[7].id}" (also feature 8)`]]);
        expect(twice.count('pipes')).toBe(0);
      } finally {
        twice.close();
      }
    } finally {
      a.close();
      b.close();
    }
    const c = ProjectStore.create(join(tmp.path, 'c.gpkg'));
    try {
      // a validated feature that carries an issue is refused all the same, named with file, feature and field
      const bad = { ...pipes[70], properties: { ...pipes[70].properties, dn: 123 } };
      const list = [...pipes.slice(0, 70), bad, ...pipes.slice(71)];
      const e = refusal(() => c.importStream('pipes', validated(list), { fileName: 'bad.geojson' }));
      expect(e.issues.map((i) => [i.file, i.index, i.featureId, i.field])).toEqual([['bad.geojson', 70, pipes[70].id, 'dn']]);
      expect(c.count('pipes')).toBe(0);
      // made under another year's rules, or for another layer: validated again here, from what was made of them
      const forged = (y: number, layer: 'pipes' | 'valves'): ImportBatch[] =>
        validated(pipes, y, layer).map((x) => ({
          ...x,
          validated: { ...x.validated!, features: x.validated!.features.map((f): CoercedFeature => (f.id === pipes[70].id ? { ...f, values: { ...f.values, dn: 123 } } : f)) },
        }));
      for (const [y, layer] of [[year + 1, 'pipes'], [year, 'valves']] as const) {
        const r = refusal(() => c.importStream('pipes', forged(y, layer), { fileName: 'bad.geojson' }));
        expect(r.issues.map((i) => [i.index, i.featureId, i.field])).toEqual([[70, pipes[70].id, 'dn']]);
      }
      expect(c.count('pipes')).toBe(0);
      // the same, taken as made (this layer, this year): the store does not look at values coerceFeature passed
      expect(c.importStream('pipes', validated(pipes), { fileName: 'g.geojson' }).inserted).toBe(pipes.length);
    } finally {
      c.close();
    }
  });
});

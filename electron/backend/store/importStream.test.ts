import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectStore, ImportError } from './index';
import { gridPipes, pipe, useTempDir } from './testkit';
import { geoJsonBatches } from '../importer';
import { ImportRefused } from '../../../core/io/source';
import type { ImportBatch } from './api';

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
});

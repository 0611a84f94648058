/**
 * Import limits (settings importMax…, importTimeLimitS, importView…): a zip
 * bomb is stopped while it inflates, naming the limit and its setting; a zip
 * of too many entries, a file of too many records, a GeoPackage whose view
 * never ends or grows without bound are refused within their limits, and a
 * GeoPackage view that does finish still imports.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportLimitExceeded } from '../../core/io/limits';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import { importFile, readSourceFile } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';
import { zipOf } from '../fixtures/import/zip';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * A deflate stream of ~`compressedMb` MB that inflates to about a thousand times as much zeros: one flushed
 * block of 64 MiB of zeros repeated (each refers only to zeros behind it), then an empty final block.
 */
export function zeroBomb(compressedMb: number): { data: Buffer; size: number } {
  const chunk = deflateRawSync(Buffer.alloc(64 * 1024 * 1024), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const copies = Math.max(1, Math.round((compressedMb * 1024 * 1024) / chunk.length));
  return { data: Buffer.concat([...Array(copies).fill(chunk), Buffer.from([0x03, 0x00])]), size: copies * 64 * 1024 * 1024 };
}

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

describe('zip limits, checked while inflating', () => {
  const bomb = zeroBomb(3);
  const path = join(tmp.dir, 'bomb.zip');
  writeFileSync(path, zipOf([{ name: 'net.shp', data: bomb.data, method: 8, size: 0xfffffff0 }, { name: 'net.dbf', data: new Uint8Array(40), method: 0, size: 40 }]));

  it('a 3 MB zip expanding to gigabytes is refused by its ratio, early, naming the setting', async () => {
    expect(readFileSync(path).length).toBeGreaterThan(2.5e6);
    expect(bomb.size).toBeGreaterThan(2.5e9);
    const before = rssMb();
    const t0 = Date.now();
    const err = await readSourceFile(path).catch((e) => e);
    expect(err).toBeInstanceOf(ImportLimitExceeded);
    expect(err.message).toContain('bomb.zip, zip entry net.shp');
    expect(err.message).toMatch(/compression ratio above 500:1/);
    expect(err.message).toContain('setting importMaxCompressionRatio');
    expect(Date.now() - t0).toBeLessThan(5000);
    // Stopped long before the expansion: memory grew by far less than the 1 GiB size limit.
    expect(rssMb() - before).toBeLessThan(300);
  });

  it('with the ratio allowed, the running total stops it at importMaxUncompressedBytes', async () => {
    const settings = { ...DEFAULT_SETTINGS, importMaxCompressionRatio: 5000, importMaxUncompressedBytes: 64 * 1024 * 1024 };
    const err = await readSourceFile(path, { settings }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportLimitExceeded);
    expect(err.message).toMatch(/bomb\.zip, zip entry net\.shp: the zip expands to more than 64 MiB \(stopped while inflating\) \(limit: setting importMaxUncompressedBytes\)/);
  });

  it('a zip listing more entries than importMaxZipEntries is refused before any is inflated', async () => {
    const many = join(tmp.dir, 'many.zip');
    writeFileSync(many, zipOf(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}.txt`, data: new Uint8Array(1), method: 0 as const, size: 1 }))));
    const err = await readSourceFile(many, { settings: { ...DEFAULT_SETTINGS, importMaxZipEntries: 20 } }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportLimitExceeded);
    expect(err.message).toBe('many.zip: the zip lists 30 entries, more than 20 (limit: setting importMaxZipEntries)');
  });

  it('a file larger than importMaxUncompressedBytes is refused before it is read', async () => {
    const csv = join(tmp.dir, 'big.csv');
    writeFileSync(csv, 'id,lon,lat\n' + 'V-1,115.03,42.28\n'.repeat(2000));
    const err = await readSourceFile(csv, { settings: { ...DEFAULT_SETTINGS, importMaxUncompressedBytes: 10_000 } }).catch((e) => e);
    expect(err.message).toMatch(/^big\.csv: the file is 33\.\d KiB, more than 9\.8 KiB \(limit: setting importMaxUncompressedBytes\)$/);
  });
});

describe('record limit', () => {
  it('CSV rows past importMaxRows are refused while splitting, naming the row', async () => {
    const csv = join(tmp.dir, 'rows.csv');
    writeFileSync(csv, 'id,lon,lat\n' + Array.from({ length: 30 }, (_, i) => `V-${i},115.03,42.28`).join('\n'));
    const err = await readSourceFile(csv, { settings: { ...DEFAULT_SETTINGS, importMaxRows: 10 } }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportLimitExceeded);
    expect(err.message).toBe('rows.csv, row 11: more than 10 records (limit: setting importMaxRows)');
  });

  it('a GeoJSON with more features than importMaxRows is refused', async () => {
    const p = writeJson(join(tmp.dir, 'many.geojson'), pipesGeoJson(12));
    const err = await readSourceFile(p, { settings: { ...DEFAULT_SETTINGS, importMaxRows: 5 } }).catch((e) => e);
    expect(err.message).toBe('many.geojson: the FeatureCollection declares 12 records, more than 5 (limit: setting importMaxRows)');
  });
});

describe('GeoPackage views of another tool', () => {
  const src = writeJson(join(tmp.dir, 'src.geojson'), pipesGeoJson(8));
  /** A GeoPackage by GDAL whose feature table is replaced, in gpkg_contents, by a view. */
  function withView(name: string, viewSql: string): string {
    const p = join(tmp.dir, `${name}.gpkg`);
    ogr2ogr('-f', 'GPKG', '-nln', 'src', p, src);
    const db = new Database(p);
    db.exec(`CREATE VIEW v AS ${viewSql}`);
    const srs = db.prepare(`SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'src'`).pluck().get();
    db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('v', 'features', 'v', ?)`).run(srs);
    db.prepare(`INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES ('v', 'geom', 'LINESTRING', ?, 0, 0)`).run(srs);
    db.close();
    return p;
  }
  const RECURSIVE = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS fid, (SELECT geom FROM src LIMIT 1) AS geom FROM c`;

  it('a recursive view that never ends is refused within importViewTimeLimitS, and the process is not held', async () => {
    const p = withView('recursive', `SELECT count(*) AS fid, NULL AS geom FROM (${RECURSIVE})`);
    const t0 = Date.now();
    const err = await readSourceFile(p, { sourceLayer: 'v', settings: { ...DEFAULT_SETTINGS, importViewTimeLimitS: 2 } }).catch((e) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(ImportLimitExceeded);
    expect(err.message).toBe('recursive.gpkg, view v: the view did not finish within 2 s (a recursive or runaway view?); refused (limit: setting importViewTimeLimitS)');
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(6000);
  });

  it('a view that sorts without end is stopped by importViewMemoryMb', async () => {
    const p = withView('sorting', `${RECURSIVE} ORDER BY x DESC`);
    const err = await readSourceFile(p, { sourceLayer: 'v', settings: { ...DEFAULT_SETTINGS, importViewMemoryMb: 32, importViewTimeLimitS: 60 } }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportLimitExceeded);
    expect(err.message).toBe('sorting.gpkg: a view needs more than 32 MiB (limit: setting importViewMemoryMb)');
  });

  it('a view that finishes imports as a table would', async () => {
    const p = withView('plain', `SELECT * FROM src WHERE fid <= 5`);
    const store = ProjectStore.create(join(tmp.dir, 'views-project.gpkg'));
    try {
      const { inserted } = await importFile(store, 'pipes', p, { sourceLayer: 'v', year: 2026 });
      expect(inserted).toBe(5);
    } finally {
      store.close();
    }
  });

  it('a table that gpkg_contents does not list is not offered', async () => {
    const p = join(tmp.dir, 'unlisted.gpkg');
    ogr2ogr('-f', 'GPKG', '-nln', 'src', p, src);
    const db = new Database(p);
    db.exec(`CREATE TABLE hidden AS SELECT * FROM src`);
    db.close();
    const data = await readSourceFile(p);
    expect(data.sourceLayers).toEqual(['src']);
    const err = await readSourceFile(p, { sourceLayer: 'hidden' }).catch((e) => e);
    expect(err.message).toBe('unlisted.gpkg: no feature table "hidden" (has src)');
  });
});

describe('cancelling an import in the app', () => {
  it('analysis:cancel with the import run id stops import:commit; nothing is written', async () => {
    const { createDispatcher } = await import('../../electron/backend/handlers');
    const { UploadStore } = await import('../../electron/backend/uploads');
    const { analysisEvents } = await import('../../electron/backend/analysis.handlers');
    const store = ProjectStore.create(join(tmp.dir, 'cancel-app.gpkg'));
    const uploads = new UploadStore({ tmp: tmp.dir });
    try {
      const dispatch = createDispatcher(() => store, 2026, { uploads });
      const bytes = Buffer.from(JSON.stringify(pipesGeoJson(20_000)));
      const up = (await dispatch('import:upload', { files: [{ name: 'many.geojson', base64: bytes.toString('base64') }] })) as { handle: string };
      const rev = store.revision();
      let cancelAnswer: unknown;
      // The user presses cancel as soon as the import has started.
      const onProgress = (p: { runId: string; fraction: number }) => {
        if (p.runId === 'import-run-1' && p.fraction < 0.1) void dispatch('analysis:cancel', { runId: 'import-run-1' }).then((a) => (cancelAnswer = a));
      };
      analysisEvents.on('analysis:progress', onProgress);
      const err = await dispatch('import:commit', { handle: up.handle, layer: 'pipes', runId: 'import-run-1' }).then(
        () => null,
        (e: Error) => e,
      );
      analysisEvents.off('analysis:progress', onProgress);
      expect(err?.message).toContain('many.geojson: import cancelled; nothing was written');
      expect(cancelAnswer).toBe(true);
      expect(store.featureIds('pipes')).toEqual([]);
      expect(store.revision()).toBe(rev);
    } finally {
      uploads.dispose();
      store.close();
    }
  }, 60_000);
});

describe('GeoPackage tables that must be tables', () => {
  it('gpkg_contents as a recursive view is refused before it runs, in the wizard too (no hang)', async () => {
    const p = join(tmp.dir, 'meta-view.gpkg');
    ogr2ogr('-f', 'GPKG', '-nln', 'src', p, writeJson(join(tmp.dir, 'meta-src.geojson'), pipesGeoJson(3)));
    const db = new Database(p);
    db.exec(`ALTER TABLE gpkg_contents RENAME TO contents_real`);
    db.exec(`CREATE VIEW gpkg_contents AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT r.* FROM contents_real r, c`);
    db.close();
    const t0 = Date.now();
    const err = await readSourceFile(p).catch((e) => e);
    expect(err.message).toBe('meta-view.gpkg: gpkg_contents is a view, not a table as the GeoPackage standard requires; refused');
    const { createDispatcher } = await import('../../electron/backend/handlers');
    const { UploadStore } = await import('../../electron/backend/uploads');
    const store = ProjectStore.create(join(tmp.dir, 'meta-view-project.gpkg'));
    const uploads = new UploadStore({ tmp: tmp.dir });
    try {
      const dispatch = createDispatcher(() => store, 2026, { uploads });
      const up = (await dispatch('import:upload', { files: [{ name: 'meta-view.gpkg', base64: readFileSync(p).toString('base64') }] })) as { handle: string };
      const preview = (await dispatch('import:preview', { handle: up.handle, layer: 'pipes' })) as { problems: { reason: string }[]; sourceLayers?: string[] };
      expect(preview.problems[0].reason).toContain('gpkg_contents is a view');
      expect(preview.sourceLayers ?? []).toEqual([]);
    } finally {
      uploads.dispose();
      store.close();
    }
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 30_000);
});

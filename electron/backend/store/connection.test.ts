/** The connection: a valid GeoPackage, what open refuses and upgrades, checkpoints, revisions. */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ProjectStore, StoreOpenError } from './index';
import { LATEST_VERSION } from './migrations/index';
import { registerGpkgFunctions } from './gpkg';
import { encodeGpkgGeometry } from '../../../core/geo/gpkgGeometry';
import { DEFAULT_SETTINGS } from '../../../core/model/settings';
import { LAYERS } from '../../../core/model/schema';
import { gridPipes, pipe, python, useTempDir, valve, VALIDATE_GPKG } from './testkit';

const tmp = useTempDir();

describe('GeoPackage file', () => {
  it('passes GDAL validate_gpkg.py and ogrinfo lists every layer in EPSG:4490 with a spatial index', () => {
    const path = join(tmp.path, 'p.gpkg');
    const s = ProjectStore.create(path);
    s.importFeatures('pipes', gridPipes(30)); // large enough for the packed rtree path
    s.insertFeature('valves', valve('V-1', 115.02, 42.28));
    s.importFeatures('communities', [
      {
        type: 'Feature',
        id: 'C-1',
        geometry: { type: 'Polygon', coordinates: [[[115.02, 42.28], [115.021, 42.28], [115.021, 42.281], [115.02, 42.28]]] },
        properties: { name: '明安小区', households: 120, energy_saving: true },
      },
    ]);
    s.close();

    const v = spawnSync(python(), [VALIDATE_GPKG, path], { encoding: 'utf8' });
    expect(v.stderr + v.stdout).toBe('');
    expect(v.status).toBe(0);

    const list = execFileSync('ogrinfo', ['-so', '-q', path], { encoding: 'utf8' });
    for (const l of LAYERS) expect(list).toContain(`${l.name} (`);
    for (const l of LAYERS) {
      const info = execFileSync('ogrinfo', ['-so', path, l.name], { encoding: 'utf8' });
      expect(info).toMatch(/ID\["EPSG",4490\]/);
      const idx = execFileSync('ogrinfo', ['-q', '-sql', `SELECT HasSpatialIndex('${l.name}','geom')`, path], { encoding: 'utf8' });
      expect(idx).toMatch(/HasSpatialIndex \(Integer\) = 1/);
    }
    const pipes = execFileSync('ogrinfo', ['-so', path, 'pipes'], { encoding: 'utf8' });
    expect(pipes).toMatch(/Feature Count: 1740/);
    expect(pipes).toMatch(/length_m: Real/);
    expect(pipes).toMatch(/extra_json: String/);
  });

  it('has GeoPackage ids, WAL, the required SRS rows, an empty settings table (defaults from core) and the store reads the defaults', () => {
    const path = join(tmp.path, 'p.gpkg');
    ProjectStore.create(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
    expect(db.pragma('user_version', { simple: true })).toBe(10300);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const srs = db.prepare('SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id').pluck().all();
    expect(srs).toEqual([-1, 0, 3857, 4326, 4490]);
    // Settings start empty: a key the file does not hold reads as its documented default.
    expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(0);
    const attrs = db.prepare(`SELECT table_name FROM gpkg_contents WHERE data_type = 'attributes' ORDER BY 1`).pluck().all();
    expect(attrs).toEqual(['basemaps', 'checkout', 'checkout_base', 'import_log', 'project_features', 'projects', 'settings', 'view_state']);
    const rtrees = db.prepare(`SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'`).pluck().get();
    expect(rtrees).toBe(LAYERS.length);
    db.close();
    const s = ProjectStore.open(path);
    expect(s.getSettings()).toEqual(DEFAULT_SETTINGS);
    s.close();
  });

  it('packs the spatial index so that rtreecheck passes and window queries match a brute-force scan', () => {
    const path = join(tmp.path, 'p.gpkg');
    const s = ProjectStore.create(path);
    const pipes = gridPipes(40); // 3120 boxes: leaves, one inner level and the root
    s.importFeatures('pipes', pipes.slice(0, 10)); // small: through the triggers
    s.importFeatures('pipes', pipes.slice(10)); // large: rebuilt packed over old + new
    s.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare(`SELECT rtreecheck('rtree_pipes_geom')`).pluck().get()).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM rtree_pipes_geom').pluck().get()).toBe(pipes.length);
    // Window edges off the grid lines: index boxes are float32, rounded outward.
    const win = [115.0253, 115.0317, 42.2833, 42.2871];
    const hits = db
      .prepare('SELECT p.id FROM rtree_pipes_geom r JOIN pipes p ON p.fid = r.id WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?')
      .pluck()
      .all(win[0], win[1], win[2], win[3]) as string[];
    const brute = pipes
      .filter((p) => {
        const c = p.geometry.coordinates as number[][];
        const xs = c.map((q) => q[0]);
        const ys = c.map((q) => q[1]);
        return Math.max(...xs) >= win[0] && Math.min(...xs) <= win[1] && Math.max(...ys) >= win[2] && Math.min(...ys) <= win[3];
      })
      .map((p) => p.id);
    expect(new Set(hits)).toEqual(new Set(brute));
    expect(brute.length).toBeGreaterThan(10);
    db.close();
  });

  it('keeps the spatial index in step with edits made after a bulk load', () => {
    const path = join(tmp.path, 'p.gpkg');
    const s = ProjectStore.create(path);
    s.importFeatures('pipes', gridPipes(20));
    s.updateFeature('pipes', 'P-0', { geometry: { type: 'LineString', coordinates: [[116, 43], [116.001, 43]] } });
    s.deleteFeature('pipes', 'P-1');
    s.insertFeature('pipes', pipe('P-new', [[117, 44], [117.001, 44]]));
    s.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare(`SELECT rtreecheck('rtree_pipes_geom')`).pluck().get()).toBe('ok');
    const ids = db.prepare('SELECT p.id FROM rtree_pipes_geom r JOIN pipes p ON p.fid = r.id WHERE r.minx >= 115.9').pluck().all();
    expect(ids.sort()).toEqual(['P-0', 'P-new']);
    expect(db.prepare('SELECT count(*) FROM rtree_pipes_geom').pluck().get()).toBe(db.prepare('SELECT count(*) FROM pipes').pluck().get());
    db.close();
  });
});

describe('open', () => {
  it('refuses a file that is not a GeoPackage, naming the file', () => {
    const path = join(tmp.path, 'notes.gpkg');
    writeFileSync(path, 'this is not a database, just text '.repeat(200));
    expect(() => ProjectStore.open(path)).toThrow(StoreOpenError);
    expect(() => ProjectStore.open(path)).toThrow(/notes\.gpkg: not a GeoPackage/);
  });

  it('refuses a damaged project file, naming it', () => {
    const path = join(tmp.path, 'cut.gpkg');
    const s = ProjectStore.create(path);
    s.importFeatures('pipes', gridPipes(12));
    s.close();
    truncateSync(path, 60_000);
    expect(() => ProjectStore.open(path)).toThrow(/cut\.gpkg: not a GeoPackage or the file is damaged/);
  });

  it('refuses a SQLite file without the GeoPackage id, and a missing file', () => {
    const path = join(tmp.path, 'plain.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE t (a)');
    db.close();
    expect(() => ProjectStore.open(path)).toThrow(/plain\.sqlite: not a GeoPackage/);
    expect(() => ProjectStore.open(join(tmp.path, 'nope.gpkg'))).toThrow(/nope\.gpkg: no such file/);
  });

  it('refuses a GeoPackage written by GDAL that is not a WarmNet project', () => {
    const src = join(tmp.path, 'a.geojson');
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: [valve('V-1', 115, 42)] }));
    const path = join(tmp.path, 'gdal.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', path, src]);
    expect(() => ProjectStore.open(path)).toThrow(/gdal\.gpkg: a GeoPackage, but not a WarmNet project/);
  });

  it('migrates an older file to the current schema and keeps its data', () => {
    const path = join(tmp.path, 'old.gpkg');
    const old = ProjectStore.create(path, { migrateTo: 1 });
    expect(old.schemaVersion()).toBe(1);
    old.close();
    // A row written by that older version (through SQL: it had no journal).
    const db = new Database(path);
    registerGpkgFunctions(db);
    db.prepare(`INSERT INTO valves (geom, id, state) VALUES (?, 'V-1', 'open')`).run(Buffer.from(encodeGpkgGeometry({ type: 'Point', coordinates: [115, 42] })));
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'warmnet_journal'`).pluck().get()).toBe(0);
    db.close();

    const s = ProjectStore.open(path);
    expect(s.schemaVersion()).toBe(LATEST_VERSION);
    expect(s.getFeature('valves', 'V-1')?.properties.state).toBe('open');
    s.insertFeature('valves', valve('V-2', 115.001, 42));
    expect(s.undo()?.label).toMatch(/V-2/);
    s.close();
  });

  it('0004: polygon layers become MULTIPOLYGON in place (same shapes, same index, valid GeoPackage) and the import log appears', () => {
    const path = join(tmp.path, 'before-0004.gpkg');
    ProjectStore.create(path, { migrateTo: 2 }).close();
    // Communities as files before 0004 hold them: Polygon blobs in a POLYGON column, indexed by the per-row trigger.
    const db = new Database(path);
    registerGpkgFunctions(db);
    const ring = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
    const shapes = [
      { id: 'C-1', g: { type: 'Polygon' as const, coordinates: [ring(115.02, 42.28, 0.002), ring(115.0205, 42.2805, 0.0005).reverse()] } },
      { id: 'C-2', g: { type: 'Polygon' as const, coordinates: [ring(115.03, 42.28, 0.001)] } },
    ];
    for (const c of shapes) db.prepare(`INSERT INTO communities (geom, id, households) VALUES (?, ?, 10)`).run(Buffer.from(encodeGpkgGeometry(c.g)), c.id);
    db.prepare(`INSERT INTO coal_areas (geom, id) VALUES (?, 'A-1')`).run(Buffer.from(encodeGpkgGeometry({ type: 'Polygon', coordinates: [ring(115.05, 42.28, 0.001)] })));
    expect(db.prepare(`SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'communities'`).pluck().get()).toBe('POLYGON');
    db.close();

    const s = ProjectStore.open(path);
    expect(s.schemaVersion()).toBe(LATEST_VERSION);
    expect(s.listFeatures('communities').map((f) => [f.id, f.geometry])).toEqual(shapes.map((c) => [c.id, c.g]));
    // A community of two parcels is one feature now.
    s.insertFeature('communities', { type: 'Feature', id: 'C-3', geometry: { type: 'MultiPolygon', coordinates: [[ring(115.04, 42.28, 0.001)], [ring(115.045, 42.28, 0.001)]] }, properties: { id: 'C-3' } });
    expect(s.getFeature('communities', 'C-3')?.geometry.type).toBe('MultiPolygon');
    expect(s.importLog()).toEqual([]);
    s.close();

    const check = new Database(path, { readonly: true });
    expect(check.prepare(`SELECT table_name, geometry_type_name FROM gpkg_geometry_columns WHERE table_name IN ('communities', 'coal_areas') ORDER BY 1`).raw(true).all()).toEqual([
      ['coal_areas', 'MULTIPOLYGON'],
      ['communities', 'MULTIPOLYGON'],
    ]);
    expect(check.prepare(`SELECT rtreecheck('rtree_communities_geom')`).pluck().get()).toBe('ok');
    expect(check.prepare(`SELECT count(*) FROM rtree_communities_geom`).pluck().get()).toBe(3);
    check.close();
    const v = spawnSync(python(), [VALIDATE_GPKG, path], { encoding: 'utf8' });
    expect(v.stderr + v.stdout).toBe('');
    expect(v.status).toBe(0);
    expect(execFileSync('ogrinfo', ['-ro', '-so', path, 'communities'], { encoding: 'utf8' })).toMatch(/Geometry: Multi Polygon[\s\S]*Feature Count: 3/);
  });

  it('migration 0006 adds the hydraulic fields to a file made before them, keeping its rows', () => {
    const path = join(tmp.path, 'pre6.gpkg');
    ProjectStore.create(path, { migrateTo: 2 }).close();
    // The file as schema 2 wrote it: without the columns 0006 adds.
    const db = new Database(path);
    registerGpkgFunctions(db);
    const cols: [string, string][] = [
      ['pipes', 'circuit'], ['pipes', 'elevation_start_m'], ['pipes', 'elevation_end_m'],
      ['heat_sources', 'hydraulic_role'], ['heat_sources', 'pump_head_m'], ['heat_sources', 'set_flow_m3h'], ['heat_sources', 'elevation_m'],
      ['stations', 'min_dp_kpa'], ['stations', 'elevation_m'],
    ];
    for (const [t, c] of cols) expect((db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).some((x) => x.name === c), `${t}.${c}`).toBe(false);
    db.prepare(`INSERT INTO heat_sources (geom, id, capacity_mw) VALUES (?, 'S-1', 40)`).run(Buffer.from(encodeGpkgGeometry({ type: 'Point', coordinates: [115, 42] })));
    db.close();
    const s = ProjectStore.open(path);
    expect(s.schemaVersion()).toBe(LATEST_VERSION);
    s.close();
    const check = new Database(path, { readonly: true });
    for (const [t, c] of cols) expect((check.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).some((x) => x.name === c), `${t}.${c}`).toBe(true);
    expect(check.prepare(`SELECT name FROM warmnet_migrations WHERE version = 6`).pluck().get()).toBe('0006_hydraulics');
    expect(check.prepare(`SELECT capacity_mw FROM heat_sources WHERE id = 'S-1'`).pluck().get()).toBe(40);
    check.close();
    const s2 = ProjectStore.open(path);
    s2.updateFeature('heat_sources', 'S-1', { properties: { hydraulic_role: 'pressure', pump_head_m: 80 } });
    expect(s2.getFeature('heat_sources', 'S-1')?.properties.pump_head_m).toBe(80);
    s2.close();
    const v = spawnSync('/usr/bin/python3', [VALIDATE_GPKG, path], { encoding: 'utf8' });
    expect(v.stdout + v.stderr).toBe('');
  });

  it('checkpoints the WAL on close', () => {
    const path = join(tmp.path, 'p.gpkg');
    const s = ProjectStore.create(path);
    s.importFeatures('pipes', gridPipes(5));
    s.close();
    const wal = `${path}-wal`;
    expect(!existsSync(wal) || Number(execFileSync('stat', ['-c', '%s', wal], { encoding: 'utf8' })) === 0).toBe(true);
  });

  it('leaves a file it only read byte-identical', () => {
    const path = join(tmp.path, 'p.gpkg');
    const s = ProjectStore.create(path);
    s.importFeatures('pipes', gridPipes(3));
    s.close();
    const before = readFileSync(path);
    const r = ProjectStore.open(path);
    r.snapshot();
    r.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('revision and external changes', () => {
  it('counts own writes and sees commits from another connection', () => {
    const path = join(tmp.path, 'p.gpkg');
    const s = ProjectStore.create(path);
    expect(s.changedExternally()).toBe(false);
    const r0 = s.revision();
    s.insertFeature('valves', valve('V-1', 115, 42));
    s.setSettings({ snapToleranceM: 1 });
    expect(s.revision()).toBe(r0 + 2);
    expect(s.changedExternally()).toBe(false);

    const other = new Database(path);
    other.prepare(`INSERT INTO settings (key, value) VALUES ('attachToleranceM', '3') ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run();
    other.close();
    expect(s.changedExternally()).toBe(true);
    expect(s.changedExternally()).toBe(false);
    expect(s.getSettings().attachToleranceM).toBe(3);
    s.close();
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ImportError, ProjectStore, StoreOpenError, ValidationError } from './index';
import { LATEST_VERSION } from './migrations/index';
import { registerGpkgFunctions } from './gpkg';
import { encodeGpkgGeometry } from '../../../core/geo/gpkgGeometry';
import { lineLengthM } from '../../../core/geo/length';
import { DEFAULT_SETTINGS } from '../../../core/model/settings';
import { LAYERS, STANDARD_DN } from '../../../core/model/schema';
import { emptyLayers, type ProjectData } from '../../../core/model/project';
import type { Feature } from '../../../core/model/types';

const VALIDATE_GPKG = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function pipe(id: string, coords: number[][], props: Record<string, unknown> = {}): Feature {
  return { type: 'Feature', id, geometry: { type: 'LineString', coordinates: coords }, properties: { level: 'secondary', dn: 100, ...props } };
}

function valve(id: string, lon: number, lat: number, props: Record<string, unknown> = {}): Feature {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props };
}

/** A small street-grid network: n×n nodes, about 80 m apart, near Mingantu. */
function gridPipes(n: number): Feature[] {
  const out: Feature[] = [];
  const d = 0.001;
  let k = 0;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const x = 115.02 + c * d;
      const y = 42.28 + r * d * 0.75;
      if (c < n - 1) out.push(pipe(`P-${k++}`, [[x, y], [x + d, y]], { level: k % 3 === 0 ? 'primary' : 'secondary', install_year: 1990 + (k % 30) }));
      if (r < n - 1) out.push(pipe(`P-${k++}`, [[x, y], [x, y + d * 0.75]], { level: 'courtyard', install_year: 2010 }));
    }
  return out;
}

function python(): string {
  // The Debian python carries GDAL's bindings; a pyenv python on PATH may not.
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

describe('GeoPackage file', () => {
  it('passes GDAL validate_gpkg.py and ogrinfo lists every layer in EPSG:4490 with a spatial index', () => {
    const path = join(dir, 'p.gpkg');
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

  it('has GeoPackage ids, WAL, the required SRS rows and settings for every default', () => {
    const path = join(dir, 'p.gpkg');
    ProjectStore.create(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
    expect(db.pragma('user_version', { simple: true })).toBe(10300);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const srs = db.prepare('SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id').pluck().all();
    expect(srs).toEqual([-1, 0, 3857, 4326, 4490]);
    const keys = db.prepare('SELECT key FROM settings').pluck().all();
    expect(new Set(keys)).toEqual(new Set(Object.keys(DEFAULT_SETTINGS)));
    const attrs = db.prepare(`SELECT table_name FROM gpkg_contents WHERE data_type = 'attributes' ORDER BY 1`).pluck().all();
    expect(attrs).toEqual(['basemaps', 'checkout', 'checkout_base', 'import_log', 'project_features', 'projects', 'settings', 'view_state']);
    const rtrees = db.prepare(`SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'`).pluck().get();
    expect(rtrees).toBe(LAYERS.length);
    db.close();
  });

  it('packs the spatial index so that rtreecheck passes and window queries match a brute-force scan', () => {
    const path = join(dir, 'p.gpkg');
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
    const path = join(dir, 'p.gpkg');
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
    const path = join(dir, 'notes.gpkg');
    writeFileSync(path, 'this is not a database, just text '.repeat(200));
    expect(() => ProjectStore.open(path)).toThrow(StoreOpenError);
    expect(() => ProjectStore.open(path)).toThrow(/notes\.gpkg: not a GeoPackage/);
  });

  it('refuses a damaged project file, naming it', () => {
    const path = join(dir, 'cut.gpkg');
    const s = ProjectStore.create(path);
    s.importFeatures('pipes', gridPipes(12));
    s.close();
    truncateSync(path, 60_000);
    expect(() => ProjectStore.open(path)).toThrow(/cut\.gpkg: not a GeoPackage or the file is damaged/);
  });

  it('refuses a SQLite file without the GeoPackage id, and a missing file', () => {
    const path = join(dir, 'plain.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE t (a)');
    db.close();
    expect(() => ProjectStore.open(path)).toThrow(/plain\.sqlite: not a GeoPackage/);
    expect(() => ProjectStore.open(join(dir, 'nope.gpkg'))).toThrow(/nope\.gpkg: no such file/);
  });

  it('refuses a GeoPackage written by GDAL that is not a WarmNet project', () => {
    const src = join(dir, 'a.geojson');
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: [valve('V-1', 115, 42)] }));
    const path = join(dir, 'gdal.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', path, src]);
    expect(() => ProjectStore.open(path)).toThrow(/gdal\.gpkg: a GeoPackage, but not a WarmNet project/);
  });

  it('migrates an older file to the current schema and keeps its data', () => {
    const path = join(dir, 'old.gpkg');
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
    const path = join(dir, 'before-0004.gpkg');
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
    const path = join(dir, 'pre6.gpkg');
    ProjectStore.create(path, { migrateTo: 2 }).close();
    // The file as schema 2 wrote it: without the columns 0006 adds.
    const db = new Database(path);
    registerGpkgFunctions(db);
    const cols: [string, string][] = [
      ['pipes', 'circuit'], ['pipes', 'elevation_start_m'], ['pipes', 'elevation_end_m'],
      ['heat_sources', 'hydraulic_role'], ['heat_sources', 'pump_head_m'], ['heat_sources', 'set_flow_m3h'], ['heat_sources', 'elevation_m'],
      ['stations', 'min_dp_kpa'], ['stations', 'elevation_m'],
    ];
    for (const [t, c] of cols) db.exec(`ALTER TABLE "${t}" DROP COLUMN "${c}"`);
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
    const path = join(dir, 'p.gpkg');
    const s = ProjectStore.create(path);
    s.importFeatures('pipes', gridPipes(5));
    s.close();
    const wal = `${path}-wal`;
    expect(!existsSync(wal) || Number(execFileSync('stat', ['-c', '%s', wal], { encoding: 'utf8' })) === 0).toBe(true);
  });

  it('leaves a file it only read byte-identical', () => {
    const path = join(dir, 'p.gpkg');
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

describe('features', () => {
  it('computes length_m geodesically on every write, ignoring the input value', () => {
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
    const coords = [[115.03, 42.287], [115.035, 42.29], [115.04, 42.29]];
    s.insertFeature('pipes', pipe('P-1', coords, { length_m: 1 }));
    expect(s.getFeature('pipes', 'P-1')!.properties.length_m).toBeCloseTo(lineLengthM(coords), 9);
    const moved = [[115.03, 42.287], [115.03, 42.297]];
    s.updateFeature('pipes', 'P-1', { geometry: { type: 'LineString', coordinates: moved }, properties: { length_m: 5 } });
    const l = s.getFeature('pipes', 'P-1')!.properties.length_m as number;
    expect(l).toBeCloseTo(lineLengthM(moved), 9);
    expect(l).toBeGreaterThan(1110);
    expect(l).toBeLessThan(1112);
    s.close();
  });

  it('stores defaults for omitted fields, keeps unknown properties, and returns booleans for bool fields', () => {
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
    s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]], { owner: '热力公司', tags: ['a', 1] }));
    const p = s.getFeature('pipes', 'P-1')!.properties;
    expect(p).toMatchObject({ id: 'P-1', status: 'in_service', renovation_status: 'none', design_life_years: 30, leak_count_5y: 0, material: null });
    expect(p.owner).toBe('热力公司');
    expect(p.tags).toEqual(['a', 1]);
    s.insertFeature('heat_sources', { type: 'Feature', id: 'HS-1', geometry: { type: 'Point', coordinates: [115, 42] }, properties: { is_backup: 'yes' } });
    expect(s.getFeature('heat_sources', 'HS-1')!.properties.is_backup).toBe(true);
    s.close();
  });

  it('rejects invalid edits with issues naming the field, and writes nothing', () => {
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
    s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]]));
    const issuesOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).issues;
      }
      throw new Error('expected a ValidationError');
    };
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-1', [[115, 42], [115.001, 42]])))[0]).toMatchObject({ field: 'id' });
    expect(issuesOf(() => s.insertFeature('pipes', pipe('', [[115, 42], [115.001, 42]])))[0]).toMatchObject({ field: 'id', message: 'is required' });
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-2', [[115, 42], [115.001, 42]], { level: 'tertiary' })))[0]).toMatchObject({ field: 'level' });
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-2', [[115, 42], [115.001, 42]], { dn: 123 })))[0].message).toMatch(
      new RegExp(`123 is not one of ${STANDARD_DN.slice(0, 3).join(', ')}`),
    );
    const year = new Date().getFullYear();
    expect(issuesOf(() => s.insertFeature('pipes', pipe('P-2', [[115, 42], [115.001, 42]], { install_year: year + 11 })))[0]).toMatchObject({
      field: 'install_year',
    });
    expect(issuesOf(() => s.updateFeature('pipes', 'P-1', { properties: { leak_count_5y: -1 } }))[0]).toMatchObject({ field: 'leak_count_5y' });
    expect(issuesOf(() => s.insertFeature('valves', pipe('V-1', [[115, 42], [115.001, 42]])))[0]).toMatchObject({ field: 'geometry' });
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-1']);
    expect(s.listFeatures('valves')).toEqual([]);
    expect(s.getFeature('pipes', 'P-1')!.properties.leak_count_5y).toBe(0);
    s.close();
  });
});

describe('import', () => {
  it('writes nothing and names file, feature and field when one feature is bad', () => {
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
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
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
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
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
    s.importFeatures('pipes', gridPipes(3));
    s.importFeatures('pipes', [pipe('P-0', [[115, 42], [115.001, 42]])], { mode: 'replace' });
    expect(s.listFeatures('pipes').map((f) => f.id)).toEqual(['P-0']);
    s.close();
  });
});

describe('undo journal', () => {
  it('undoes and redoes edits, across a restart', () => {
    const path = join(dir, 'p.gpkg');
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
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
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
    const db = new Database(join(dir, 'p.gpkg'), { readonly: true });
    expect(db.prepare(`SELECT rtreecheck('rtree_pipes_geom')`).pluck().get()).toBe('ok');
    db.close();
  });

  it('groups a batch into one entry and rolls all of it back when it throws', () => {
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
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
    const s = ProjectStore.create(join(dir, 'p.gpkg'));
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

describe('revision and external changes', () => {
  it('counts own writes and sees commits from another connection', () => {
    const path = join(dir, 'p.gpkg');
    const s = ProjectStore.create(path);
    expect(s.changedExternally()).toBe(false);
    const r0 = s.revision();
    s.insertFeature('valves', valve('V-1', 115, 42));
    s.setSettings({ snapToleranceM: 1 });
    expect(s.revision()).toBe(r0 + 2);
    expect(s.changedExternally()).toBe(false);

    const other = new Database(path);
    other.prepare(`UPDATE settings SET value = '3' WHERE key = 'attachToleranceM'`).run();
    other.close();
    expect(s.changedExternally()).toBe(true);
    expect(s.changedExternally()).toBe(false);
    expect(s.getSettings().attachToleranceM).toBe(3);
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
    const path = join(dir, 'whole.gpkg');
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
    const path = join(dir, 'bad.gpkg');
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

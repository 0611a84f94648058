/**
 * Frozen migrations: a file written at every earlier schema version opens
 * and upgrades to exactly the schema of a fresh file (tables and columns,
 * indexes, triggers, GeoPackage registrations), keeps its rows, and the
 * current schema has a column for every field of core/model/schema.ts — so a
 * field added without its numbered migration fails here, naming it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodeGpkgGeometry } from '../../../../core/geo/gpkgGeometry';
import { EXTRA_COLUMN, LAYERS, TABLES } from '../../../../core/model/schema';
import { ProjectStore } from '../index';
import { registerGpkgFunctions } from '../gpkg';
import { MIGRATIONS, LATEST_VERSION } from './index';
import { useTempDir, VALIDATE_GPKG } from '../testkit';

const tmp = useTempDir();

type Row = Record<string, unknown>;

/** The schema of a file, normalised: what must match between an upgraded and a fresh file. */
function schemaOf(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true });
  try {
    const ws = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
    const master = db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all() as Row[];
    const objects = master.map((m) => {
      if (m.type === 'table' && !/^CREATE VIRTUAL/i.test(String(m.sql))) {
        const cols = (db.prepare(`PRAGMA table_info("${String(m.name)}")`).all() as Row[])
          .map((c) => `${String(c.name)} ${String(c.type)}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}${c.dflt_value !== null ? ` DEFAULT ${String(c.dflt_value)}` : ''}`)
          .sort();
        const indexes = (db.prepare(`PRAGMA index_list("${String(m.name)}")`).all() as Row[])
          .map((i) => `${String(i.unique)}:${(db.prepare(`PRAGMA index_info("${String(i.name)}")`).all() as Row[]).map((c) => c.name).join(',')}`)
          .sort();
        return { type: m.type, name: m.name, cols, indexes };
      }
      return { type: m.type, name: m.name, on: m.tbl_name, sql: m.sql === null ? null : ws(String(m.sql)) };
    });
    const rows = (sql: string) => db.prepare(sql).all();
    return {
      applicationId: db.pragma('application_id', { simple: true }),
      userVersion: db.pragma('user_version', { simple: true }),
      objects,
      contents: rows(`SELECT table_name, data_type, identifier, description, srs_id FROM gpkg_contents ORDER BY table_name`),
      geometryColumns: rows(`SELECT * FROM gpkg_geometry_columns ORDER BY table_name`),
      extensions: rows(`SELECT * FROM gpkg_extensions ORDER BY table_name, column_name, extension_name`),
      srs: rows(`SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys ORDER BY srs_id`),
      dataColumns: db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'gpkg_data_columns'`).pluck().get() ? rows(`SELECT * FROM gpkg_data_columns ORDER BY table_name, column_name`) : [],
      migrations: rows(`SELECT version, name FROM warmnet_migrations ORDER BY version`),
    };
  } finally {
    db.close();
  }
}

const point = (lon: number, lat: number) => Buffer.from(encodeGpkgGeometry({ type: 'Point', coordinates: [lon, lat] }));
const line = (coords: number[][]) => Buffer.from(encodeGpkgGeometry({ type: 'LineString', coordinates: coords }));

/** Rows as a file of that version held them, written with plain SQL (the columns every version has). */
function plantRows(path: string, version: number): void {
  const db = new Database(path);
  registerGpkgFunctions(db);
  db.prepare(`INSERT INTO valves (geom, id, state) VALUES (?, 'V-1', 'open')`).run(point(115.02, 42.28));
  db.prepare(`INSERT INTO pipes (geom, id, level, dn, project_id) VALUES (?, 'P-1', 'primary', 300, 'PRJ-1')`).run(line([[115.02, 42.28], [115.03, 42.28]]));
  db.prepare(`INSERT INTO pipes (geom, id, level, dn) VALUES (?, 'P-2', 'secondary', 100)`).run(line([[115.03, 42.28], [115.03, 42.29]]));
  db.prepare(`INSERT INTO projects (id, year, kind, status) VALUES ('PRJ-1', 2026, 'pipe', 'planned')`).run();
  db.prepare(`INSERT INTO projects (id, year, kind, status) VALUES ('PRJ-2', 2026, 'pipe', 'planned')`).run();
  db.prepare(`INSERT INTO project_features (project_id, layer, feature_id) VALUES ('PRJ-2', 'pipes', 'P-2')`).run();
  const ring = [[[115.02, 42.28], [115.021, 42.28], [115.021, 42.281], [115.02, 42.28]]];
  db.prepare(`INSERT INTO communities (geom, id, households) VALUES (?, 'C-1', 120)`).run(
    // Polygon columns became MULTIPOLYGON in 0004.
    Buffer.from(encodeGpkgGeometry(version >= 4 ? { type: 'MultiPolygon', coordinates: [ring] } : { type: 'Polygon', coordinates: ring })),
  );
  db.close();
}

describe('frozen migrations', () => {
  const earlier = MIGRATIONS.map((m) => m.version).filter((v) => v < LATEST_VERSION);

  it('every migration number is used once and the list ends at the latest', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(Math.max(...versions)).toBe(LATEST_VERSION);
  });

  it.each(earlier)('a file written at schema %i upgrades to the schema of a fresh file and keeps its rows', (version) => {
    const fresh = join(tmp.path, 'fresh.gpkg');
    ProjectStore.create(fresh).close();
    const old = join(tmp.path, `v${version}.gpkg`);
    const s0 = ProjectStore.create(old, { migrateTo: version });
    expect(s0.schemaVersion()).toBe(version);
    s0.close();
    plantRows(old, version);

    const s = ProjectStore.open(old, { year: 2026 });
    expect(s.schemaVersion()).toBe(LATEST_VERSION);
    expect(s.getFeature('valves', 'V-1')?.properties.state).toBe('open');
    expect(s.getFeature('communities', 'C-1')?.properties.households).toBe(120);
    // 0009 reconciles membership both ways: P-1's own project is linked, P-2's link becomes its own project.
    expect(s.getFeature('pipes', 'P-1')?.properties.project_id).toBe('PRJ-1');
    expect(s.getFeature('pipes', 'P-2')?.properties.project_id).toBe('PRJ-2');
    expect(s.projectFeatures()).toEqual(expect.arrayContaining([
      { project_id: 'PRJ-1', layer: 'pipes', feature_id: 'P-1' },
      { project_id: 'PRJ-2', layer: 'pipes', feature_id: 'P-2' },
    ]));
    s.close();

    const a = schemaOf(old);
    const b = schemaOf(fresh);
    expect(a.objects).toEqual(b.objects);
    expect({ ...a, objects: null }).toEqual({ ...b, objects: null });
    const v = spawnSync('/usr/bin/python3', [VALIDATE_GPKG, old], { encoding: 'utf8' });
    expect(v.stdout + v.stderr).toBe('');
  });

  it('a fresh file has a column for every field of every layer and table in schema.ts (a field needs its migration)', () => {
    const path = join(tmp.path, 'fresh.gpkg');
    ProjectStore.create(path).close();
    const db = new Database(path, { readonly: true });
    const missing: string[] = [];
    for (const t of [...LAYERS, ...TABLES]) {
      const have = new Set((db.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[]).map((c) => c.name));
      for (const f of t.fields) if (!have.has(f.name)) missing.push(`${t.name}.${f.name}`);
      if ('geometry' in t && !have.has(EXTRA_COLUMN)) missing.push(`${t.name}.${EXTRA_COLUMN}`);
    }
    db.close();
    expect(missing, 'fields of schema.ts with no column: add a numbered migration that adds them').toEqual([]);
  });

  it('opening a current file changes nothing in it', () => {
    const path = join(tmp.path, 'cur.gpkg');
    ProjectStore.create(path).close();
    const before = schemaOf(path);
    ProjectStore.open(path).close();
    expect(schemaOf(path)).toEqual(before);
  });
});

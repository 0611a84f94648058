/**
 * GeoPackage 1.3 plumbing (OGC 12-128r18): core tables, spatial reference
 * systems, feature / attribute table DDL derived from core/model/schema.ts,
 * and the `gpkg_rtree_index` extension with its SQL functions and triggers.
 */
import type Database from 'better-sqlite3';
import { gpkgEnvelope, isEmptyGpkgGeometry } from '../../../core/geo/gpkgGeometry';
import { EXTRA_COLUMN, type FieldDef, type FieldType, type LayerDef } from '../../../core/model/schema';

type DB = Database.Database;

/** 'GPKG' as the SQLite application id. */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** GeoPackage 1.3.0; GDAL 3.6 warns on 10400. */
export const GPKG_USER_VERSION = 10300;
export const SRS_ID = 4490;

const CGCS2000_WKT =
  'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]';
const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

const SQL_TYPE: Record<FieldType, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  date: 'DATE',
  bool: 'BOOLEAN',
};

export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlType(f: FieldDef): string {
  return SQL_TYPE[f.type];
}

/** Schema fields of a layer or table in column order: `id` first, then the rest as the schema lists them. */
export function columnFields(fields: readonly FieldDef[]): FieldDef[] {
  const id = fields.find((f) => f.name === 'id');
  return id ? [id, ...fields.filter((f) => f !== id)] : [...fields];
}

export function rtreeName(table: string): string {
  return `rtree_${table}_geom`;
}

/**
 * ST_* functions the rtree triggers call. SQLite keeps functions per
 * connection, so they are registered on every connection that may write.
 */
export function registerGpkgFunctions(db: DB): void {
  const env = (g: unknown) => (g instanceof Uint8Array && g.length >= 8 ? gpkgEnvelope(g) : null);
  const opts = { deterministic: true };
  db.function('ST_MinX', opts, (g: unknown) => env(g)?.minX ?? null);
  db.function('ST_MaxX', opts, (g: unknown) => env(g)?.maxX ?? null);
  db.function('ST_MinY', opts, (g: unknown) => env(g)?.minY ?? null);
  db.function('ST_MaxY', opts, (g: unknown) => env(g)?.maxY ?? null);
  db.function('ST_IsEmpty', opts, (g: unknown) => (g instanceof Uint8Array && g.length >= 8 ? (isEmptyGpkgGeometry(g) ? 1 : 0) : null));
}

export function createCoreTables(db: DB): void {
  db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
  db.pragma(`user_version = ${GPKG_USER_VERSION}`);
  db.exec(`
    CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL PRIMARY KEY,
      organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL,
      definition TEXT NOT NULL,
      description TEXT
    );
    CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY,
      data_type TEXT NOT NULL,
      identifier TEXT UNIQUE,
      description TEXT DEFAULT '',
      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
      srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
    );
    CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL,
      column_name TEXT NOT NULL,
      geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL,
      z TINYINT NOT NULL,
      m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
    );
    CREATE TABLE gpkg_extensions (
      table_name TEXT,
      column_name TEXT,
      extension_name TEXT NOT NULL,
      definition TEXT NOT NULL,
      scope TEXT NOT NULL,
      CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
    );
  `);
  const srs = db.prepare(
    'INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)',
  );
  srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
  srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
  srs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
  srs.run('China Geodetic Coordinate System 2000', SRS_ID, 'EPSG', SRS_ID, CGCS2000_WKT, 'CGCS2000 geographic (lon/lat)');
}

/** CREATE TABLE for a feature layer: fid, geom, id, the schema fields, and the column for unknown properties. */
export function featureTableDdl(layer: LayerDef): string {
  const cols = columnFields(layer.fields).map((f) =>
    f.name === 'id' ? `${q('id')} TEXT NOT NULL UNIQUE` : `${q(f.name)} ${sqlType(f)}`,
  );
  return `CREATE TABLE ${q(layer.name)} (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom ${layer.geometry},
    ${cols.join(',\n    ')},
    ${q(EXTRA_COLUMN)} TEXT
  )`;
}

export function createFeatureLayer(db: DB, layer: LayerDef, description = ''): void {
  db.exec(featureTableDdl(layer));
  db.prepare(
    `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)`,
  ).run(layer.name, layer.name, description || `${layer.label.zh} ${layer.label.en}`, SRS_ID);
  db.prepare(
    `INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, 'geom', ?, ?, 0, 0)`,
  ).run(layer.name, layer.geometry, SRS_ID);
  createRtree(db, layer.name);
}

/** Register an attributes (non-spatial) table in gpkg_contents so GDAL and QGIS list it. */
export function registerAttributes(db: DB, table: string, description: string): void {
  db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)`).run(
    table,
    table,
    description,
  );
}

/** The insert trigger of a layer's rtree (dropped and recreated around bulk loads). */
export function rtreeInsertTriggerDdl(t: string): string {
  const r = rtreeName(t);
  return `CREATE TRIGGER ${q(`${r}_insert`)} AFTER INSERT ON ${q(t)}
    WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN
      INSERT OR REPLACE INTO ${q(r)} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
    END`;
}

function createRtree(db: DB, t: string): void {
  const r = rtreeName(t);
  const vals = `NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)`;
  db.exec(`
    CREATE VIRTUAL TABLE ${q(r)} USING rtree(id, minx, maxx, miny, maxy);
    ${rtreeInsertTriggerDdl(t)};
    CREATE TRIGGER ${q(`${r}_update1`)} AFTER UPDATE OF geom ON ${q(t)}
      WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO ${q(r)} VALUES (${vals}); END;
    CREATE TRIGGER ${q(`${r}_update2`)} AFTER UPDATE OF geom ON ${q(t)}
      WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM ${q(r)} WHERE id = OLD.fid; END;
    CREATE TRIGGER ${q(`${r}_update3`)} AFTER UPDATE ON ${q(t)}
      WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM ${q(r)} WHERE id = OLD.fid; INSERT OR REPLACE INTO ${q(r)} VALUES (${vals}); END;
    CREATE TRIGGER ${q(`${r}_update4`)} AFTER UPDATE ON ${q(t)}
      WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM ${q(r)} WHERE id IN (OLD.fid, NEW.fid); END;
    CREATE TRIGGER ${q(`${r}_delete`)} AFTER DELETE ON ${q(t)}
      WHEN old.geom NOT NULL
      BEGIN DELETE FROM ${q(r)} WHERE id = OLD.fid; END;
  `);
  db.prepare(
    `INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`,
  ).run(t);
}

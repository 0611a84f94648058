/**
 * GeoPackage 1.3 plumbing (OGC 12-128r18) the store needs at run time: quoting,
 * column order, the `gpkg_rtree_index` SQL functions and the insert trigger a
 * bulk load drops and recreates. The tables themselves are created by the
 * frozen numbered migrations (migrations/), never from today's definitions.
 */
import type Database from 'better-sqlite3';
import { gpkgEnvelope, isEmptyGpkgGeometry } from '../../../core/geo/gpkgGeometry';
import type { FieldDef } from '../../../core/model/schema';

type DB = Database.Database;

/** 'GPKG' as the SQLite application id. */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** GeoPackage 1.3.0; GDAL 3.6 warns on 10400. */
export const GPKG_USER_VERSION = 10300;
export const SRS_ID = 4490;

export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
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

/** Register an attributes (non-spatial) table in gpkg_contents so GDAL and QGIS list it. */
export function registerAttributes(db: DB, table: string, description: string): void {
  db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)`).run(table, table, description);
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

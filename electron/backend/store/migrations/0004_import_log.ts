/**
 * 0004: the import log, and polygon layers that hold several parcels.
 *
 * - `import_log`: one row per import (when, which file, which layer, how
 *   many records read / written / skipped, the CRS and datum shift used and
 *   why, the encoding and why, and the whole summary as JSON), registered as
 *   an attributes table so QGIS and GDAL list it beside the layers.
 * - `communities` and `coal_areas` become MULTIPOLYGON layers: a community
 *   of two separate parcels is one feature (its households counted once),
 *   not two. Every stored polygon is rewrapped as a one-part MultiPolygon in
 *   SQL (the GeoPackage header is kept, a MultiPolygon WKB header of one
 *   part is put in front of the polygon's WKB), and the column and
 *   gpkg_geometry_columns say MULTIPOLYGON, as GeoPackage requires. The
 *   spatial index does not change (the envelopes are the same); its
 *   triggers are recreated because they name the column.
 *
 * Frozen SQL: it says exactly what this change does, whatever schema.ts says later.
 */
import type { Migration } from './migration';

/** The rtree triggers of one polygon layer, as 0001 created them. */
const rtreeTriggers = (t: string) => `
CREATE TRIGGER "rtree_${t}_geom_insert" AFTER INSERT ON "${t}"
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
  BEGIN
    INSERT OR REPLACE INTO "rtree_${t}_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
  END;
CREATE TRIGGER "rtree_${t}_geom_update1" AFTER UPDATE OF geom ON "${t}"
  WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
  BEGIN INSERT OR REPLACE INTO "rtree_${t}_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_${t}_geom_update2" AFTER UPDATE OF geom ON "${t}"
  WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
  BEGIN DELETE FROM "rtree_${t}_geom" WHERE id = OLD.fid; END;
CREATE TRIGGER "rtree_${t}_geom_update3" AFTER UPDATE ON "${t}"
  WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
  BEGIN DELETE FROM "rtree_${t}_geom" WHERE id = OLD.fid; INSERT OR REPLACE INTO "rtree_${t}_geom" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER "rtree_${t}_geom_update4" AFTER UPDATE ON "${t}"
  WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
  BEGIN DELETE FROM "rtree_${t}_geom" WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER "rtree_${t}_geom_delete" AFTER DELETE ON "${t}"
  WHEN old.geom NOT NULL
  BEGIN DELETE FROM "rtree_${t}_geom" WHERE id = OLD.fid; END;`;

/**
 * Length of a blob's GeoPackage header: 8 bytes plus the envelope its flags
 * byte announces (bits 1–3: 0 none, 1 XY 32 bytes, 2–3 XYZ/XYM 48, 4 XYZM 64).
 */
const HEADER = `(8 + CASE ((((instr('0123456789ABCDEF', substr(hex(substr(geom, 4, 1)), 1, 1)) - 1) * 16 +
    (instr('0123456789ABCDEF', substr(hex(substr(geom, 4, 1)), 2, 1)) - 1)) >> 1) & 7)
  WHEN 0 THEN 0 WHEN 1 THEN 32 WHEN 4 THEN 64 ELSE 48 END)`;

const toMultiPolygon = (t: string) => `
DROP TRIGGER "rtree_${t}_geom_insert";
DROP TRIGGER "rtree_${t}_geom_update1";
DROP TRIGGER "rtree_${t}_geom_update2";
DROP TRIGGER "rtree_${t}_geom_update3";
DROP TRIGGER "rtree_${t}_geom_update4";
DROP TRIGGER "rtree_${t}_geom_delete";
ALTER TABLE "${t}" ADD COLUMN geom_multi MULTIPOLYGON;
UPDATE "${t}" SET geom_multi = CASE
  WHEN geom IS NULL THEN NULL
  WHEN hex(substr(geom, ${HEADER} + 1, 5)) IN ('0103000000', '0000000003')
    THEN unhex(hex(substr(geom, 1, ${HEADER})) || '010600000001000000' || hex(substr(geom, ${HEADER} + 1)))
  ELSE geom END;
ALTER TABLE "${t}" DROP COLUMN geom;
ALTER TABLE "${t}" RENAME COLUMN geom_multi TO geom;
UPDATE gpkg_geometry_columns SET geometry_type_name = 'MULTIPOLYGON' WHERE table_name = '${t}';
${rtreeTriggers(t)}`;

export const SQL_0004 = `
CREATE TABLE import_log (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  imported_at TEXT NOT NULL,
  layer TEXT NOT NULL,
  mode TEXT NOT NULL,
  source_file TEXT NOT NULL,
  format TEXT NOT NULL,
  records INTEGER NOT NULL,
  features_written INTEGER NOT NULL,
  records_skipped INTEGER NOT NULL,
  crs TEXT,
  crs_reason TEXT,
  datum_shift TEXT,
  encoding TEXT,
  encoding_reason TEXT,
  summary TEXT NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('import_log', 'attributes', 'import_log', '导入记录 Import log: where each layer came from (file, CRS, encoding, mapping, skipped records)');
${toMultiPolygon('communities')}
${toMultiPolygon('coal_areas')}
`;

export const migration0004: Migration = {
  version: 4,
  name: '0004_import_log',
  up(db) {
    db.exec(SQL_0004);
  },
};

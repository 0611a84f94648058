/**
 * 0008: offline check-out of a project shared on PostgreSQL/PostGIS.
 *
 * - `checkout`: at most one row in a file taken from a server — the check-out
 *   id the server recorded, the project's URL without password, the schema,
 *   the server's journal position the copy reflects, the area taken (or
 *   NULL for the whole project), who took it and when, and when it was
 *   checked back in (a copy is checked in once; then it is taken again).
 * - `checkout_base`: every feature as it was on the server at check-out
 *   (GeoJSON with exact coordinates) with its server version: the common
 *   ancestor that check-in compares the offline edits and the server's
 *   later edits against, field by field.
 *
 * Both are attributes tables, so QGIS and GDAL list them beside the layers.
 * Empty in a project that was never checked out. Frozen SQL.
 */
import type { Migration } from './migration';

export const migration0008: Migration = {
  version: 8,
  name: '0008_checkout',
  up(db) {
    db.exec(`
CREATE TABLE "checkout" (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  checkout_id TEXT NOT NULL UNIQUE,
  server_url TEXT NOT NULL,
  server_schema TEXT NOT NULL,
  server_seq INTEGER NOT NULL,
  bbox TEXT,
  checked_out_by TEXT NOT NULL,
  checked_out_at TEXT NOT NULL,
  checked_in_at TEXT
);
CREATE TABLE "checkout_base" (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  layer TEXT NOT NULL,
  feature_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  feature TEXT NOT NULL,
  UNIQUE (layer, feature_id)
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('checkout', 'attributes', 'checkout', '检出记录 Check-out: the server project this copy was taken from');
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('checkout_base', 'attributes', 'checkout_base', '检出基线 Check-out base: each feature as the server had it, with its version');
`);
  },
};

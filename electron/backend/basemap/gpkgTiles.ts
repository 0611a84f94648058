/**
 * GeoPackage tile pyramids (OGC 12-128r18 §2.2): a tiles table per basemap
 * in the Web Mercator tile matrix set of web maps (GDAL's
 * GoogleMapsCompatible: the whole world at zoom 0 in one 256-pixel tile, row 0
 * at the top), registered in gpkg_contents, gpkg_tile_matrix_set and one
 * gpkg_tile_matrix row per zoom level; and the project's `basemaps` list.
 */
import type Database from 'better-sqlite3';
import { MERCATOR_HALF, TILE_SIZE, mercatorResolution } from '../../../core/geo/webMercator';
import { q } from '../store/gpkg';
import { t, type MessageKey, type Params } from '../../../core/i18n';

/**
 * A tile table's description in gpkg_contents, in both of the app's
 * languages: the file outlives the session's language and is read by QGIS
 * and GDAL users of either.
 */
export function tableDescription(key: MessageKey, params: Params): string {
  return `${t('zh', key, params)} / ${t('en', key, params)}`;
}

type DB = Database.Database;

export const WEB_MERCATOR_SRS = 3857;

/** 'online': a user's XYZ / WMTS source, its tile URL template in `path` (never a key). */
export type BasemapKind = 'gpkg-tiles' | 'mbtiles' | 'pmtiles' | 'vector-sample' | 'online';

export interface BasemapRow {
  fid: number;
  name: string;
  kind: BasemapKind;
  /** The tiles table in this file (gpkg-tiles), else null. */
  tilesTable: string | null;
  /** MBTiles / PMTiles beside the project: the path as given (relative to the project's folder when it is there). */
  path: string | null;
  /** 'png', 'jpeg', 'png+jpeg', 'webp', 'pbf'. */
  tileFormat: string | null;
  minZoom: number | null;
  maxZoom: number | null;
  /** [west, south, east, north] degrees. */
  bounds: [number, number, number, number] | null;
  attribution: string | null;
  sourceFile: string | null;
  sourceCrs: string | null;
  sample: boolean;
  addedAt: string;
  details: Record<string, unknown> | null;
}

export function listBasemaps(db: DB): BasemapRow[] {
  const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'basemaps'`).get();
  if (!has) return [];
  const rows = db.prepare('SELECT * FROM basemaps ORDER BY fid').all() as Record<string, unknown>[];
  return rows.map((r) => ({
    fid: r.fid as number,
    name: r.name as string,
    kind: r.kind as BasemapKind,
    tilesTable: (r.tiles_table as string | null) ?? null,
    path: (r.path as string | null) ?? null,
    tileFormat: (r.tile_format as string | null) ?? null,
    minZoom: (r.min_zoom as number | null) ?? null,
    maxZoom: (r.max_zoom as number | null) ?? null,
    bounds: r.min_lon === null ? null : [r.min_lon as number, r.min_lat as number, r.max_lon as number, r.max_lat as number],
    attribution: (r.attribution as string | null) ?? null,
    sourceFile: (r.source_file as string | null) ?? null,
    sourceCrs: (r.source_crs as string | null) ?? null,
    sample: r.sample === 1,
    addedAt: r.added_at as string,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  }));
}

/**
 * A table name for a basemap: `basemap_` and the ASCII letters and digits of
 * its name (a Chinese name gives `basemap_1`, `basemap_2` …), unused in the file.
 */
export function tilesTableName(db: DB, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  const taken = new Set((db.prepare(`SELECT name FROM sqlite_master`).pluck().all() as string[]).map((n) => n.toLowerCase()));
  const base = `basemap_${slug || 'raster'}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Create the tiles table and its registration; zoom rows are added by `registerZoom`. */
export function createTilesTable(
  db: DB,
  table: string,
  identifier: string,
  description: string,
  mercatorBox: readonly [number, number, number, number],
): void {
  db.exec(`CREATE TABLE ${q(table)} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zoom_level INTEGER NOT NULL,
    tile_column INTEGER NOT NULL,
    tile_row INTEGER NOT NULL,
    tile_data BLOB NOT NULL,
    UNIQUE (zoom_level, tile_column, tile_row)
  )`);
  db.prepare(
    `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'tiles', ?, ?, ?, ?, ?, ?, ?)`,
  ).run(table, identifier, description, mercatorBox[0], mercatorBox[1], mercatorBox[2], mercatorBox[3], WEB_MERCATOR_SRS);
  db.prepare(`INSERT INTO gpkg_tile_matrix_set (table_name, srs_id, min_x, min_y, max_x, max_y) VALUES (?, ?, ?, ?, ?, ?)`).run(
    table,
    WEB_MERCATOR_SRS,
    -MERCATOR_HALF,
    -MERCATOR_HALF,
    MERCATOR_HALF,
    MERCATOR_HALF,
  );
}

export function registerZoom(db: DB, table: string, z: number): void {
  const res = mercatorResolution(z);
  db.prepare(
    `INSERT INTO gpkg_tile_matrix (table_name, zoom_level, matrix_width, matrix_height, tile_width, tile_height, pixel_x_size, pixel_y_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(table, z, 2 ** z, 2 ** z, TILE_SIZE, TILE_SIZE, res, res);
}

export interface BasemapInsert {
  name: string;
  kind: BasemapKind;
  tilesTable?: string | null;
  path?: string | null;
  tileFormat?: string | null;
  minZoom?: number | null;
  maxZoom?: number | null;
  bounds?: readonly [number, number, number, number] | null;
  attribution?: string | null;
  sourceFile?: string | null;
  sourceCrs?: string | null;
  sample?: boolean;
  details?: Record<string, unknown> | null;
}

export function insertBasemap(db: DB, b: BasemapInsert): number {
  const r = db
    .prepare(
      `INSERT INTO basemaps (name, kind, tiles_table, path, tile_format, min_zoom, max_zoom, min_lon, min_lat, max_lon, max_lat, attribution, source_file, source_crs, sample, added_at, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      b.name,
      b.kind,
      b.tilesTable ?? null,
      b.path ?? null,
      b.tileFormat ?? null,
      b.minZoom ?? null,
      b.maxZoom ?? null,
      b.bounds?.[0] ?? null,
      b.bounds?.[1] ?? null,
      b.bounds?.[2] ?? null,
      b.bounds?.[3] ?? null,
      b.attribution ?? null,
      b.sourceFile ?? null,
      b.sourceCrs ?? null,
      b.sample ? 1 : 0,
      new Date().toISOString(),
      b.details ? JSON.stringify(b.details) : null,
    );
  return Number(r.lastInsertRowid);
}

/** Drop a basemap (by name or fid): its row, and its tiles table with every registration of it. */
export function removeBasemap(db: DB, which: string | number): boolean {
  const row = db.prepare(`SELECT name, tiles_table FROM basemaps WHERE ${typeof which === 'number' ? 'fid' : 'name'} = ?`).get(which) as { name: string; tiles_table: string | null } | undefined;
  const name = row?.name;
  if (!row) return false;
  if (row.tiles_table) {
    const t = row.tiles_table;
    db.prepare('DELETE FROM gpkg_tile_matrix WHERE table_name = ?').run(t);
    db.prepare('DELETE FROM gpkg_tile_matrix_set WHERE table_name = ?').run(t);
    db.prepare('DELETE FROM gpkg_extensions WHERE table_name = ?').run(t);
    db.prepare('DELETE FROM gpkg_contents WHERE table_name = ?').run(t);
    db.exec(`DROP TABLE IF EXISTS ${q(t)}`);
  }
  db.prepare('DELETE FROM basemaps WHERE name = ?').run(name);
  return true;
}

/** One tile of a tiles table (XYZ numbering, row 0 at the top, as GeoPackage numbers rows too). */
export function readTile(db: DB, table: string, z: number, x: number, y: number): Buffer | undefined {
  const r = db.prepare(`SELECT tile_data FROM ${q(table)} WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`).get(z, x, y) as
    | { tile_data: Buffer }
    | undefined;
  return r?.tile_data;
}

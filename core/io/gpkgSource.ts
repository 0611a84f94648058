/**
 * Feature tables of a GeoPackage written by another tool (QGIS, GDAL). SQLite
 * is not pure code, so the caller hands in a read-only query function
 * (better-sqlite3 on the Node side, sql.js in a browser) and this module
 * stays in core.
 */
import { decodeWkb, isEmptyGpkgGeometry } from '../geo/gpkgGeometry';
import type { ReadGuard } from './limits';
import { ImportRefused, type SourceData, type SourceFeature, type SourceGeometry } from './source';
import { message, SaidError, type Message } from '../i18n';

/** Runs one read-only SELECT and returns its rows. */
export type SqlQuery = (sql: string, params?: unknown[]) => Record<string, unknown>[];

export interface GpkgLayerInfo {
  table: string;
  geometryColumn: string;
  geometryType: string;
  srsId: number;
}

/** Tables of other kinds (tiles, attributes), to say what a GeoPackage without feature tables holds. */
export function otherGpkgTables(query: SqlQuery): { table: string; dataType: string }[] {
  try {
    return query(`SELECT table_name AS t, data_type AS d FROM gpkg_contents WHERE data_type <> 'features' ORDER BY table_name`).map((r) => ({ table: String(r.t), dataType: String(r.d) }));
  } catch {
    return [];
  }
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];
const CURVES: Record<number, string> = { 8: 'CircularString', 9: 'CompoundCurve', 10: 'CurvePolygon', 11: 'MultiCurve', 12: 'MultiSurface', 13: 'Curve', 14: 'Surface', 15: 'PolyhedralSurface', 16: 'TIN', 17: 'Triangle' };

/**
 * A GeoPackage geometry blob as a source geometry: GeometryCollections
 * (which the store's codec does not hold) are read part by part; an empty
 * blob or point is null; curves are refused by name.
 */
export function decodeSourceGeometry(buf: Uint8Array): SourceGeometry | null {
  if (buf[0] !== 0x47 || buf[1] !== 0x50) throw new SaidError(message('io.gpkg.noMagic'));
  if (isEmptyGpkgGeometry(buf)) return null;
  const envCode = (buf[3] >> 1) & 0x07;
  if (envCode > 4) throw new SaidError(message('io.gpkg.envelope', { code: envCode }));
  return readWkbAt(buf, 8 + ENVELOPE_BYTES[envCode], 0).g;
}

function readWkbAt(buf: Uint8Array, o: number, depth: number): { g: SourceGeometry | null; end: number } {
  if (depth > 16) throw new SaidError(message('io.geojson.tooDeep'));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const le = view.getUint8(o) === 1;
  let type = view.getUint32(o + 1, le) & 0x0fffffff;
  if (type > 1000) type %= 1000;
  if (type === 7) {
    const n = view.getUint32(o + 5, le);
    let p = o + 9;
    const parts: SourceGeometry[] = [];
    for (let i = 0; i < n; i++) {
      const r = readWkbAt(buf, p, depth + 1);
      if (r.g) parts.push(r.g);
      p = r.end;
    }
    return { g: { type: 'GeometryCollection', geometries: parts }, end: p };
  }
  if (CURVES[type]) throw new SaidError(message('io.gpkg.curve', { type: CURVES[type] }));
  const r = decodeWkb(buf, o);
  const g = r.geometry;
  // An empty point is written as NaN coordinates.
  if (g.type === 'Point' && (!Number.isFinite(g.coordinates[0]) || !Number.isFinite(g.coordinates[1]))) return { g: null, end: r.end };
  if (g.type !== 'Point' && (g.coordinates as unknown[]).length === 0) return { g: null, end: r.end };
  return { g, end: r.end };
}

export function listGpkgLayers(query: SqlQuery, fileName: string): GpkgLayerInfo[] {
  let rows: Record<string, unknown>[];
  try {
    rows = query(
      `SELECT g.table_name AS t, g.column_name AS c, g.geometry_type_name AS gt, g.srs_id AS s
         FROM gpkg_geometry_columns g JOIN gpkg_contents c ON c.table_name = g.table_name
        WHERE c.data_type = 'features' ORDER BY g.table_name`,
    );
  } catch (err) {
    // A raster-only GeoPackage has gpkg_contents but no gpkg_geometry_columns.
    try {
      query('SELECT count(*) AS n FROM gpkg_contents');
      return [];
    } catch {
      throw new ImportRefused(fileName, undefined, message('io.gpkg.unreadable', { detail: (err as Error).message }));
    }
  }
  return rows.map((r) => ({ table: String(r.t), geometryColumn: String(r.c), geometryType: String(r.gt), srsId: Number(r.s) }));
}

/** Tables as a list: 'name (data type), …'. */
const listed = (ts: readonly { table: string; dataType: string }[]) => ts.map((o) => `${o.table} (${o.dataType})`).join(', ');

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The layer named `table` (or the only one). Its CRS comes from gpkg_spatial_ref_sys. */
export function readGpkgLayer(query: SqlQuery, fileName: string, table?: string, guard?: ReadGuard): SourceData {
  const refuse = (where: Message | undefined, reason: Message): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  const layers = listGpkgLayers(query, fileName);
  if (layers.length === 0) {
    const others = otherGpkgTables(query);
    const tiles = others.filter((o) => o.dataType === 'tiles' || o.dataType === '2d-gridded-coverage');
    if (tiles.length) {
      const rest = others.filter((o) => !tiles.includes(o));
      const tables = tiles.map((t) => t.table).join(', ');
      refuse(undefined, rest.length ? message('io.gpkg.onlyTilesAnd', { tables, others: listed(rest) }) : message('io.gpkg.onlyTiles', { tables }));
    }
    refuse(undefined, others.length ? message('io.gpkg.noFeatureTablesHas', { others: listed(others) }) : message('io.gpkg.noFeatureTables'));
  }
  let layer: GpkgLayerInfo | undefined;
  if (table) layer = layers.find((l) => l.table === table) ?? refuse(undefined, message('io.gpkg.noTable', { table, tables: layers.map((l) => l.table).join(', ') }));
  else if (layers.length === 1) layer = layers[0];
  else refuse(undefined, message('io.gpkg.several', { tables: layers.map((l) => l.table).join(', ') }));
  const l = layer!;
  let crsText: string | undefined;
  let crsWkt: string | undefined;
  try {
    const srs = query('SELECT organization AS o, organization_coordsys_id AS c, definition AS d FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [l.srsId])[0];
    if (srs && String(srs.o).toUpperCase() === 'EPSG' && Number(srs.c) > 0) crsText = `EPSG:${Number(srs.c)}`;
    else if (srs && typeof srs.d === 'string' && srs.d !== 'undefined') crsText = srs.d;
    if (srs && typeof srs.d === 'string' && srs.d !== 'undefined' && srs.d !== crsText) crsWkt = srs.d;
  } catch (err) {
    refuse(undefined, message('io.gpkg.srsUnreadable', { detail: (err as Error).message }));
  }
  let rows: Record<string, unknown>[];
  let columns: string[];
  try {
    columns = query(`SELECT name FROM pragma_table_info(?)`, [l.table]).map((r) => String(r.name));
    // One row past the limit says the table is too long without reading all of it.
    rows = guard ? query(`SELECT * FROM ${quoteIdent(l.table)} LIMIT ?`, [guard.limits.importMaxRows + 1]) : query(`SELECT * FROM ${quoteIdent(l.table)}`);
  } catch (err) {
    return refuse(message('io.where.table', { table: l.table }), message('io.gpkg.tableUnreadable', { detail: (err as Error).message }));
  }
  if (guard) {
    guard.declared(rows.length, message('io.where.table', { table: l.table }));
    guard.check();
  }
  const pk = query(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`, [l.table]).map((r) => String(r.name))[0];
  const fields = columns.filter((c) => c !== l.geometryColumn && c !== pk);
  const features: SourceFeature[] = rows.map((row, i) => {
    const pkValue = pk !== undefined ? row[pk] : undefined;
    const fid = typeof pkValue === 'number' && Number.isInteger(pkValue) ? pkValue : i + 1;
    const where = message('io.where.tableRow', { table: l.table, row: pk !== undefined ? `${pk}=${String(pkValue)}` : i + 1 });
    const properties: Record<string, unknown> = {};
    for (const f of fields) {
      const v = row[f];
      properties[f] = v instanceof Uint8Array ? null : (v ?? null);
    }
    const blob = row[l.geometryColumn];
    if (!(blob instanceof Uint8Array) || blob.length === 0) return { geometry: null, properties, fid, where, problem: message('io.gpkg.nullGeometry') };
    try {
      const geometry = decodeSourceGeometry(blob);
      return geometry ? { geometry, properties, fid, where } : { geometry: null, properties, fid, where, problem: message('io.gpkg.emptyGeometry') };
    } catch (err) {
      return { geometry: null, properties, fid, where, problem: message('io.gpkg.damaged', { reason: err instanceof SaidError ? err.said : message('io.detail', { detail: (err as Error).message }) }) };
    }
  });
  return {
    format: 'gpkg',
    fileName,
    fields,
    features,
    ...(crsText ? { crsText, crsOrigin: message('io.origin.gpkgSrs', { file: fileName, id: l.srsId }) } : {}),
    ...(crsWkt ? { crsWkt } : {}),
    encoding: 'utf-8',
    notes: layers.length > 1 ? [message('io.gpkg.note.table', { table: l.table, others: layers.filter((x) => x !== l).map((x) => x.table).join(', ') })] : [],
  };
}

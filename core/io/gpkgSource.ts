/**
 * Feature tables of a GeoPackage written by another tool (QGIS, GDAL). SQLite
 * is not pure code, so the caller hands in a read-only query function
 * (better-sqlite3 on the Node side, sql.js in a browser) and this module
 * stays in core.
 */
import { decodeGpkgGeometry } from '../geo/gpkgGeometry';
import { ImportRefused, type SourceData, type SourceFeature } from './source';

/** Runs one read-only SELECT and returns its rows. */
export type SqlQuery = (sql: string, params?: unknown[]) => Record<string, unknown>[];

export interface GpkgLayerInfo {
  table: string;
  geometryColumn: string;
  geometryType: string;
  srsId: number;
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
    throw new ImportRefused(fileName, undefined, `not a readable GeoPackage (${(err as Error).message})`);
  }
  return rows.map((r) => ({ table: String(r.t), geometryColumn: String(r.c), geometryType: String(r.gt), srsId: Number(r.s) }));
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The layer named `table` (or the only one). Its CRS comes from gpkg_spatial_ref_sys. */
export function readGpkgLayer(query: SqlQuery, fileName: string, table?: string): SourceData {
  const refuse = (where: string | undefined, reason: string): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  const layers = listGpkgLayers(query, fileName);
  if (layers.length === 0) refuse(undefined, 'the GeoPackage has no feature tables');
  let layer: GpkgLayerInfo | undefined;
  if (table) layer = layers.find((l) => l.table === table) ?? refuse(undefined, `no feature table "${table}" (has ${layers.map((l) => l.table).join(', ')})`);
  else if (layers.length === 1) layer = layers[0];
  else refuse(undefined, `several feature tables (${layers.map((l) => l.table).join(', ')}); choose one`);
  const l = layer!;
  let crsText: string | undefined;
  try {
    const srs = query('SELECT organization AS o, organization_coordsys_id AS c, definition AS d FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [l.srsId])[0];
    if (srs && String(srs.o).toUpperCase() === 'EPSG' && Number(srs.c) > 0) crsText = `EPSG:${Number(srs.c)}`;
    else if (srs && typeof srs.d === 'string' && srs.d !== 'undefined') crsText = srs.d;
  } catch (err) {
    refuse(undefined, `gpkg_spatial_ref_sys unreadable (${(err as Error).message})`);
  }
  let rows: Record<string, unknown>[];
  let columns: string[];
  try {
    columns = query(`SELECT name FROM pragma_table_info(?)`, [l.table]).map((r) => String(r.name));
    rows = query(`SELECT * FROM ${quoteIdent(l.table)}`);
  } catch (err) {
    return refuse(`table ${l.table}`, `cannot be read (${(err as Error).message})`);
  }
  const pk = query(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`, [l.table]).map((r) => String(r.name))[0];
  const fields = columns.filter((c) => c !== l.geometryColumn && c !== pk);
  const features: SourceFeature[] = rows.map((row, i) => {
    const where = `${l.table} row ${pk !== undefined ? `${pk}=${String(row[pk])}` : i + 1}`;
    const blob = row[l.geometryColumn];
    if (!(blob instanceof Uint8Array) || blob.length === 0) return refuse(where, 'the feature has no geometry');
    let geometry;
    try {
      geometry = decodeGpkgGeometry(blob);
    } catch (err) {
      return refuse(where, `damaged geometry (${(err as Error).message})`);
    }
    const properties: Record<string, unknown> = {};
    for (const f of fields) {
      const v = row[f];
      properties[f] = v instanceof Uint8Array ? null : (v ?? null);
    }
    return { geometry, properties, where };
  });
  return {
    format: 'gpkg',
    fileName,
    fields,
    features,
    ...(crsText ? { crsText, crsOrigin: `${fileName} (srs_id ${l.srsId})` } : {}),
    encoding: 'utf-8',
    notes: layers.length > 1 ? [`read table ${l.table}; the file also has ${layers.filter((x) => x !== l).map((x) => x.table).join(', ')}`] : [],
  };
}

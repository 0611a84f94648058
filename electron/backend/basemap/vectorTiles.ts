/**
 * Vector tiles (MVT) inside the project: a table of the same shape as a
 * GeoPackage tiles table, registered as an attributes table (GeoPackage's own
 * tiles tables are for PNG/JPEG/WebP images; GDAL's validator refuses MVT in
 * them unless an extension GDAL itself does not validate is declared), so the
 * file stays a valid GeoPackage and QGIS lists the table.
 */
import type Database from 'better-sqlite3';
import { q, registerAttributes } from '../store/gpkg';

export function createVectorTilesTable(db: Database.Database, table: string, name: string): void {
  db.exec(`CREATE TABLE ${q(table)} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zoom_level INTEGER NOT NULL,
    tile_column INTEGER NOT NULL,
    tile_row INTEGER NOT NULL,
    tile_data BLOB NOT NULL,
    UNIQUE (zoom_level, tile_column, tile_row)
  )`);
  registerAttributes(db, table, `矢量底图瓦片 ${name} (Mapbox Vector Tiles, XYZ rows from the top)`);
}

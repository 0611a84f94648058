/**
 * 0010: basemaps (底图).
 *
 * - EPSG:3857 (Web Mercator) in gpkg_spatial_ref_sys, and the GeoPackage
 *   tile tables gpkg_tile_matrix_set and gpkg_tile_matrix (OGC 12-128r18
 *   §2.2.7–8): an orthophoto added to a project is a raster tile pyramid in
 *   the Web Mercator tile matrix set, which QGIS and GDAL open as a raster
 *   layer of the file.
 * - `basemaps`: the project's basemap list — a tile pyramid of this file, an
 *   MBTiles or PMTiles file beside it (by path) or copied in, with its
 *   attribution, zoom range and extent. Registered as an attributes table.
 * - `view_state`: what the project shows and how (the chosen basemap,
 *   opacity, the muted meeting look, the saved presentation views), as JSON
 *   by key, so it travels with the file. Online keys (Tianditu) are never
 *   written here: they belong to the user, not the shared file.
 *
 * Frozen SQL.
 */
import type { Migration } from './migration';

const WEB_MERCATOR_WKT =
  'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]';

export const SQL_0010 = `
INSERT OR IGNORE INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
  VALUES ('WGS 84 / Pseudo-Mercator', 3857, 'EPSG', 3857, '${WEB_MERCATOR_WKT}', 'Web Mercator, the tile grid of web maps');
CREATE TABLE IF NOT EXISTS gpkg_tile_matrix_set (
  table_name TEXT NOT NULL PRIMARY KEY,
  srs_id INTEGER NOT NULL,
  min_x DOUBLE NOT NULL,
  min_y DOUBLE NOT NULL,
  max_x DOUBLE NOT NULL,
  max_y DOUBLE NOT NULL,
  CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE IF NOT EXISTS gpkg_tile_matrix (
  table_name TEXT NOT NULL,
  zoom_level INTEGER NOT NULL,
  matrix_width INTEGER NOT NULL,
  matrix_height INTEGER NOT NULL,
  tile_width INTEGER NOT NULL,
  tile_height INTEGER NOT NULL,
  pixel_x_size DOUBLE NOT NULL,
  pixel_y_size DOUBLE NOT NULL,
  CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level),
  CONSTRAINT fk_tmm_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name)
);
CREATE TABLE basemaps (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  tiles_table TEXT,
  path TEXT,
  tile_format TEXT,
  min_zoom INTEGER,
  max_zoom INTEGER,
  min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
  attribution TEXT,
  source_file TEXT,
  source_crs TEXT,
  sample INTEGER NOT NULL DEFAULT 0,
  added_at TEXT NOT NULL,
  details TEXT
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('basemaps', 'attributes', 'basemaps', '底图 Basemaps: tile pyramids in this file, MBTiles/PMTiles beside it, with attribution and extent');
CREATE TABLE view_state (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  value TEXT NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('view_state', 'attributes', 'view_state', '视图 View: chosen basemap, opacity, muted look, saved presentation views (JSON)');
`;

export const migration0010: Migration = {
  version: 10,
  name: '0010_basemaps',
  up(db) {
    db.exec(SQL_0010);
  },
};

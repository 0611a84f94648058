/**
 * Vector tiles (MVT) inside the project: a table of the same shape as a
 * GeoPackage tiles table, registered as an attributes table (GeoPackage's own
 * tiles tables are for PNG/JPEG/WebP images; GDAL's validator refuses MVT in
 * them unless an extension GDAL itself does not validate is declared), so the
 * file stays a valid GeoPackage and QGIS lists the table.
 */
import type Database from 'better-sqlite3';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import type { FeatureCollection } from '../../../core/model/geojson';
import { lonLatToMercator, tileRange } from '../../../core/geo/webMercator';
import { q, registerAttributes } from '../store/gpkg';
import { tableDescription } from './gpkgTiles';

export function createVectorTilesTable(db: Database.Database, table: string, name: string): void {
  db.exec(`CREATE TABLE ${q(table)} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zoom_level INTEGER NOT NULL,
    tile_column INTEGER NOT NULL,
    tile_row INTEGER NOT NULL,
    tile_data BLOB NOT NULL,
    UNIQUE (zoom_level, tile_column, tile_row)
  )`);
  registerAttributes(db, table, tableDescription('basemap.fileVector', { name }));
}

/**
 * Cut GeoJSON layers into vector tiles (geojson-vt) from `minZoom` to
 * `maxZoom` over their extent, encode them as MVT (vt-pbf) and store every
 * tile that holds something. Returns the number of tiles written.
 */
export function writeVectorTiles(
  db: Database.Database,
  table: string,
  layers: Record<string, FeatureCollection>,
  minZoom: number,
  maxZoom: number,
): { tiles: number; bounds: [number, number, number, number] } {
  const indexes = Object.entries(layers)
    .filter(([, fc]) => fc.features.length > 0)
    .map(([name, fc]) => [name, new GeoJSONVT(fc as never, { maxZoom, indexMaxZoom: maxZoom, tolerance: 2, extent: 4096, buffer: 64 })] as const);
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      west = Math.min(west, c[0] as number);
      east = Math.max(east, c[0] as number);
      south = Math.min(south, c[1] as number);
      north = Math.max(north, c[1] as number);
    } else if (Array.isArray(c)) for (const x of c) visit(x);
  };
  for (const fc of Object.values(layers)) for (const f of fc.features) visit((f.geometry as { coordinates: unknown }).coordinates);
  const m0 = lonLatToMercator(west, south), m1 = lonLatToMercator(east, north);
  const insert = db.prepare(`INSERT INTO ${q(table)} (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`);
  let tiles = 0;
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(z, [m0[0], m0[1], m1[0], m1[1]]);
    for (let y = r.minY; y <= r.maxY; y++) {
      for (let x = r.minX; x <= r.maxX; x++) {
        const parts: Record<string, unknown> = {};
        for (const [name, index] of indexes) {
          const t = index.getTile(z, x, y);
          if (t && t.features.length) parts[name] = t;
        }
        if (Object.keys(parts).length === 0) continue;
        insert.run(z, x, y, Buffer.from(fromGeojsonVt(parts, { version: 2, extent: 4096 })));
        tiles++;
      }
    }
  }
  return { tiles, bounds: [west, south, east, north] };
}

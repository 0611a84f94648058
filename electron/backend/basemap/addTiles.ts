/**
 * `basemap add` of ready-made tiles: an MBTiles or PMTiles file, raster
 * (PNG/JPEG/WebP) or vector (MVT). By default the project references it by
 * path — relative when it sits in the project's folder, so the pair can be
 * moved together — and `copy` brings it inside the project: raster tiles into
 * a GeoPackage tiles table (MBTiles rows flipped from their TMS order; a
 * PMTiles archive's tiles found by walking its directories), vector tiles
 * into a vector tile table of the project.
 */
import Database from 'better-sqlite3';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { PMTiles, TileType, tileIdToZxy, type Entry, type Header, type RangeResponse, type Source } from 'pmtiles';
import { MERCATOR_HALF, lonLatToMercator } from '../../../core/geo/webMercator';
import type { ProjectStore } from '../store/index';
import { q } from '../store/gpkg';
import { createTilesTable, insertBasemap, registerZoom, tableDescription, tilesTableName } from './gpkgTiles';
import { RasterRefused } from './geotiff';
import { createVectorTilesTable } from './vectorTiles';
import { clamp } from '../../../core/format/number';

export interface AddTilesOptions {
  name?: string;
  copy?: boolean;
  attribution?: string;
}

export interface AddTilesResult {
  name: string;
  kind: 'mbtiles' | 'pmtiles' | 'gpkg-tiles' | 'vector-sample';
  format: string;
  minZoom: number;
  maxZoom: number;
  tiles?: number;
  table?: string;
  path?: string;
}

/** The path stored for a referenced file: relative when it is inside the project's folder. */
function storedPath(projectPath: string, file: string): string {
  const dir = dirname(resolve(projectPath));
  const abs = resolve(file);
  return abs.startsWith(dir + sep) ? relative(dir, abs) : abs;
}

function mbtilesMeta(file: string): { db: Database.Database; meta: Record<string, string> } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const meta = Object.fromEntries((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
    db.prepare('SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1').all();
    return { db, meta };
  } catch (err) {
    throw new RasterRefused(`${basename(file)}: not an MBTiles file (${(err as Error).message})`);
  }
}

export async function addTileFileBasemap(store: ProjectStore, file: string, opts: AddTilesOptions = {}): Promise<AddTilesResult> {
  const lower = file.toLowerCase();
  if (lower.endsWith('.pmtiles')) return addPmtiles(store, file, opts);
  const { db: src, meta } = mbtilesMeta(file);
  try {
    const name = opts.name ?? meta.name ?? basename(file).replace(/\.[^.]+$/, '');
    const format = (meta.format ?? 'png').toLowerCase();
    if (!['png', 'jpg', 'jpeg', 'webp', 'pbf'].includes(format)) throw new RasterRefused(`${basename(file)}: tile format "${format}" in its metadata is not one a basemap can show (png, jpg, webp, pbf)`);
    const zooms = src.prepare('SELECT DISTINCT zoom_level FROM tiles ORDER BY 1').pluck().all() as number[];
    if (zooms.length === 0) throw new RasterRefused(`${basename(file)}: holds no tiles`);
    const bounds = (meta.bounds ?? '-180,-85.0511,180,85.0511').split(',').map(Number) as [number, number, number, number];
    const attribution = opts.attribution ?? meta.attribution ?? null;
    const minZoom = zooms[0], maxZoom = zooms[zooms.length - 1];
    return await store.writeAsync(async (db) => {
      if (db.prepare('SELECT 1 FROM basemaps WHERE name = ?').get(name)) throw new RasterRefused(`a basemap named "${name}" is already in the project (choose another --name or remove it first)`);
      if (!opts.copy) {
        const path = storedPath(store.path, file);
        insertBasemap(db, { name, kind: 'mbtiles', path, tileFormat: format, minZoom, maxZoom, bounds, attribution, sourceFile: basename(file), details: meta });
        return { name, kind: 'mbtiles' as const, format, minZoom, maxZoom, path };
      }
      const table = tilesTableName(db, name);
      let count = 0;
      if (format === 'pbf') {
        createVectorTilesTable(db, table, name);
      } else {
        const m0 = lonLatToMercator(bounds[0], bounds[1]);
        const m1 = lonLatToMercator(bounds[2], bounds[3]);
        createTilesTable(db, table, name, tableDescription('basemap.fileTiles', { name, file: basename(file) }), [
          Math.max(-MERCATOR_HALF, m0[0]),
          Math.max(-MERCATOR_HALF, m0[1]),
          Math.min(MERCATOR_HALF, m1[0]),
          Math.min(MERCATOR_HALF, m1[1]),
        ]);
        for (const z of zooms) registerZoom(db, table, z);
      }
      const insert = db.prepare(`INSERT INTO ${q(table)} (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`);
      for (const r of src.prepare('SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles').iterate() as IterableIterator<{
        zoom_level: number;
        tile_column: number;
        tile_row: number;
        tile_data: Buffer;
      }>) {
        insert.run(r.zoom_level, r.tile_column, 2 ** r.zoom_level - 1 - r.tile_row, r.tile_data);
        count++;
      }
      const kind = format === 'pbf' ? ('vector-sample' as const) : ('gpkg-tiles' as const);
      insertBasemap(db, { name, kind, tilesTable: table, tileFormat: format, minZoom, maxZoom, bounds, attribution, sourceFile: basename(file), details: meta });
      return { name, kind, format, minZoom, maxZoom, tiles: count, table };
    });
  } finally {
    src.close();
  }
}

class NodeFileSource implements Source {
  constructor(private readonly fd: number, private readonly key: string) {}
  getKey(): string {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const n = clamp(fstatSync(this.fd).size - offset, 0, length);
    const buf = Buffer.alloc(n);
    readSync(this.fd, buf, 0, n, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) as ArrayBuffer };
  }
}

const PM_FORMAT: Partial<Record<TileType, string>> = { [TileType.Mvt]: 'pbf', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpeg', [TileType.Webp]: 'webp' };

/** Every tile of a PMTiles archive as (z, x, y), found by walking its root and leaf directories. */
async function* pmtilesTiles(pm: PMTiles, header: Header): AsyncGenerator<[number, number, number]> {
  async function* walk(offset: number, length: number): AsyncGenerator<[number, number, number]> {
    const entries: Entry[] = await pm.cache.getDirectory(pm.source, offset, length, header);
    for (const e of entries) {
      if (e.runLength === 0) yield* walk(header.leafDirectoryOffset + e.offset, e.length);
      else for (let i = 0; i < e.runLength; i++) yield tileIdToZxy(e.tileId + i);
    }
  }
  yield* walk(header.rootDirectoryOffset, header.rootDirectoryLength);
}

async function addPmtiles(store: ProjectStore, file: string, opts: AddTilesOptions): Promise<AddTilesResult> {
  const fd = openSync(file, 'r');
  try {
    let header: Header;
    let meta: Record<string, unknown> = {};
    let pm: PMTiles;
    try {
      pm = new PMTiles(new NodeFileSource(fd, file));
      header = await pm.getHeader();
      meta = ((await pm.getMetadata()) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new RasterRefused(`${basename(file)}: not a PMTiles archive (${(err as Error).message})`);
    }
    const format = PM_FORMAT[header.tileType];
    if (!format) throw new RasterRefused(`${basename(file)}: tile type ${header.tileType} is not one a basemap can show`);
    const name = opts.name ?? (typeof meta.name === 'string' ? meta.name : basename(file).replace(/\.[^.]+$/, ''));
    const attribution = opts.attribution ?? (typeof meta.attribution === 'string' ? meta.attribution : null);
    const bounds: [number, number, number, number] = [header.minLon, header.minLat, header.maxLon, header.maxLat];
    const common = { tileFormat: format, minZoom: header.minZoom, maxZoom: header.maxZoom, bounds, attribution, sourceFile: basename(file) };
    return await store.writeAsync(async (db) => {
      if (db.prepare('SELECT 1 FROM basemaps WHERE name = ?').get(name)) throw new RasterRefused(`a basemap named "${name}" is already in the project (choose another --name or remove it first)`);
      if (!opts.copy) {
        const path = storedPath(store.path, file);
        insertBasemap(db, { name, kind: 'pmtiles', path, ...common });
        return { name, kind: 'pmtiles' as const, format, minZoom: header.minZoom, maxZoom: header.maxZoom, path };
      }
      const table = tilesTableName(db, name);
      const zooms = new Set<number>();
      if (format === 'pbf') createVectorTilesTable(db, table, name);
      else {
        const m0 = lonLatToMercator(bounds[0], Math.max(-85.0511, bounds[1]));
        const m1 = lonLatToMercator(bounds[2], Math.min(85.0511, bounds[3]));
        createTilesTable(db, table, name, tableDescription('basemap.fileTiles', { name, file: basename(file) }), [
          Math.max(-MERCATOR_HALF, m0[0]),
          Math.max(-MERCATOR_HALF, m0[1]),
          Math.min(MERCATOR_HALF, m1[0]),
          Math.min(MERCATOR_HALF, m1[1]),
        ]);
      }
      const insert = db.prepare(`INSERT INTO ${q(table)} (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`);
      let count = 0;
      try {
        for await (const [z, x, y] of pmtilesTiles(pm, header)) {
          // getZxy undoes the archive's tile compression; PMTiles rows count from the top, as GeoPackage's do.
          const t = await pm.getZxy(z, x, y);
          if (!t || t.data.byteLength === 0) continue;
          insert.run(z, x, y, Buffer.from(t.data));
          zooms.add(z);
          count++;
        }
      } catch (err) {
        if (err instanceof RasterRefused) throw err;
        throw new RasterRefused(`${basename(file)}: its tiles cannot be read (${(err as Error).message})`);
      }
      if (count === 0) throw new RasterRefused(`${basename(file)}: holds no tiles`);
      if (format !== 'pbf') for (const z of [...zooms].sort((a, b) => a - b)) registerZoom(db, table, z);
      const kind = format === 'pbf' ? ('vector-sample' as const) : ('gpkg-tiles' as const);
      insertBasemap(db, { name, kind, tilesTable: table, ...common, details: meta });
      return { name, kind, format, minZoom: header.minZoom, maxZoom: header.maxZoom, tiles: count, table };
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * `basemap add`: a GeoTIFF (orthophoto, scanned plan) in any coordinate
 * system the importer knows becomes a Web Mercator tile pyramid inside the
 * project GeoPackage.
 *
 * - The finest zoom is the one whose ground resolution is closest to the
 *   raster's (as GDAL picks it), capped by the basemapMaxZoom setting.
 * - Tiles of that zoom are made by inverse mapping (core/raster/warp.ts):
 *   output pixel → Web Mercator → CGCS2000 lon/lat → the raster's CRS (with
 *   the datum shift the importer would use) → source pixel, bilinear.
 * - The source is read one row of output tiles at a time (the window those
 *   tiles need), so memory stays bounded whatever the raster's size.
 * - Each coarser zoom is made from the finer one as its rows complete
 *   (2 × 2 average), holding at most two rows of tiles per zoom; zooms stop
 *   when the raster fits one tile.
 * - Opaque tiles are JPEG (quality from the settings), tiles with
 *   transparency PNG, fully transparent tiles are not stored; libvips (sharp)
 *   encodes them on its worker threads while the next tiles are resampled.
 * - Everything is one transaction: an error or a cancel (AbortSignal) leaves
 *   the project as it was.
 */
import { say } from '../../../core/i18n';
import sharp from 'sharp';
import { basename } from 'node:path';
import { fromProjectTransform, resolveDatumShift, toProjectTransform, type DatumShift } from '../../../core/geo/crs';
import {
  TILE_SIZE,
  lonLatToMercator,
  mercatorResolution,
  mercatorToLonLat,
  tileRange,
  zoomForResolution,
} from '../../../core/geo/webMercator';
import { downsampleTile, tileGrid, warpTile, type RasterWindow, type TileCoverage } from '../../../core/raster/warp';
import type { Settings } from '../../../core/model/settings';
import type { ProjectStore } from '../store/index';
import { createTilesTable, insertBasemap, registerZoom, tableDescription, tilesTableName } from './gpkgTiles';
import { RasterRefused, openGeoTiff, type GeoTiffSource } from './geotiff';
import { clamp } from '../../../core/format/number';

export { RasterRefused } from './geotiff';

/** A cancelled add (the project is unchanged). */
export class BasemapCancelled extends Error {
  constructor() {
    super('cancelled; the project is unchanged');
  }
}

export interface AddRasterOptions {
  /** Name in the basemap list (default: the file name without extension). */
  name?: string;
  /** The raster's CRS when its keys do not say or say wrong ('EPSG:4547', a PROJ string). */
  crs?: string;
  /** Datum shift to CGCS2000 for Beijing 1954 / Xi'an 1980 rasters (over the settings' defaults). */
  towgs84?: number[];
  attribution?: string;
  /** Tiles written so far and the total expected (an upper bound: empty tiles are not written). */
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Encodes in flight at once (default: libvips' thread count). */
  concurrency?: number;
}

export interface AddRasterResult {
  name: string;
  table: string;
  minZoom: number;
  maxZoom: number;
  tiles: number;
  jpegTiles: number;
  pngTiles: number;
  /** [west, south, east, north] degrees (CGCS2000 ≈ WGS 84). */
  bounds: [number, number, number, number];
  /** [minX, minY, maxX, maxY] in EPSG:3857. */
  mercatorBounds: [number, number, number, number];
  crs: string;
  crsReason: string;
  datumShift?: string;
  sourceWidth: number;
  sourceHeight: number;
}

/** Positions along the raster's outline (every `step` pixels), as [lon, lat]. */
function outline(src: GeoTiffSource, toLonLat: (p: number[]) => number[]): number[][] {
  const pts: number[][] = [];
  const n = 64;
  const at = (u: number, v: number) => toLonLat([src.originX + u * src.resX, src.originY + v * src.resY]);
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    pts.push(at(t * src.width, 0), at(t * src.width, src.height), at(0, t * src.height), at(src.width, t * src.height));
  }
  return pts;
}

export async function addGeoTiffBasemap(store: ProjectStore, file: string, opts: AddRasterOptions = {}): Promise<AddRasterResult> {
  const settings: Settings = store.getSettings();
  const src = await openGeoTiff(file, opts.crs);
  try {
    return await tileRaster(store, src, settings, opts);
  } finally {
    await src.close();
  }
}

async function tileRaster(store: ProjectStore, src: GeoTiffSource, settings: Settings, opts: AddRasterOptions): Promise<AddRasterResult> {
  const name = opts.name ?? basename(src.file).replace(/\.[^.]+$/, '');
  const fileName = basename(src.file);
  const shiftOrError = resolveDatumShift(
    src.crs,
    { beijing1954: settings.datumShiftBeijing1954, xian1980: settings.datumShiftXian1980 },
    opts.towgs84,
  );
  if (!('from' in shiftOrError)) throw new RasterRefused(`${fileName}: ${say('en', shiftOrError)}`);
  const shift: DatumShift = shiftOrError;
  const toLonLat = toProjectTransform(src.crs, shift);
  const fromLonLat = fromProjectTransform(src.crs, shift);

  // Extent and resolution on the ground.
  const pts = outline(src, (p) => toLonLat(p));
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  for (const [lon, lat] of pts) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw new RasterRefused(`${fileName}: its corners do not transform to longitude/latitude in ${src.crs.code} (wrong --crs?)`);
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  if (west < -180 || east > 180 || south < -85 || north > 85) {
    throw new RasterRefused(`${fileName}: extent ${west.toFixed(4)}, ${south.toFixed(4)} – ${east.toFixed(4)}, ${north.toFixed(4)} is not on the Web Mercator map (wrong --crs?)`);
  }
  const m0 = lonLatToMercator(west, south);
  const m1 = lonLatToMercator(east, north);
  const mercatorBounds: [number, number, number, number] = [m0[0], m0[1], m1[0], m1[1]];
  const cu = src.width / 2, cv = src.height / 2;
  const c0 = toLonLat([src.originX + cu * src.resX, src.originY + cv * src.resY]);
  const c1 = toLonLat([src.originX + (cu + 1) * src.resX, src.originY + cv * src.resY]);
  const c2 = toLonLat([src.originX + cu * src.resX, src.originY + (cv + 1) * src.resY]);
  const mc0 = lonLatToMercator(c0[0], c0[1]), mc1 = lonLatToMercator(c1[0], c1[1]), mc2 = lonLatToMercator(c2[0], c2[1]);
  const cosLat = Math.cos((c0[1] * Math.PI) / 180);
  const pixelMerc = Math.sqrt(Math.hypot(mc1[0] - mc0[0], mc1[1] - mc0[1]) * Math.hypot(mc2[0] - mc0[0], mc2[1] - mc0[1]));
  const maxZoom = zoomForResolution(pixelMerc * cosLat, c0[1], Math.min(30, settings.basemapMaxZoom));
  let minZoom = maxZoom;
  while (minZoom > 0) {
    const r = tileRange(minZoom, mercatorBounds);
    if (r.minX === r.maxX && r.minY === r.maxY) break;
    minZoom--;
  }

  // Web Mercator position → source pixel/line (GDAL convention: pixel (0,0) covers [0,1)²).
  const ll = [0, 0];
  const sp = [0, 0];
  const toSource = (mx: number, my: number, out: number[]) => {
    mercatorToLonLat(mx, my, ll);
    fromLonLat.into(ll, sp);
    out[0] = (sp[0] - src.originX) / src.resX;
    out[1] = (sp[1] - src.originY) / src.resY;
  };

  const quality = clamp(Math.round(settings.basemapJpegQuality), 1, 100);
  const concurrency = opts.concurrency ?? Math.max(2, sharp.concurrency());
  let total = 0;
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(z, mercatorBounds);
    total += (r.maxX - r.minX + 1) * (r.maxY - r.minY + 1);
  }

  return store.writeAsync(async (db) => {
    const table = tilesTableName(db, name);
    if (db.prepare('SELECT 1 FROM basemaps WHERE name = ?').get(name)) throw new RasterRefused(`a basemap named "${name}" is already in the project (choose another --name or remove it first)`);
    createTilesTable(db, table, name, tableDescription('basemap.fileRaster', { name, file: fileName, crs: src.crs.code }), mercatorBounds);
    for (let z = minZoom; z <= maxZoom; z++) registerZoom(db, table, z);
    const insert = db.prepare(`INSERT INTO "${table.replace(/"/g, '""')}" (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`);
    let written = 0, jpeg = 0, png = 0, done = 0;
    const inflight = new Set<Promise<void>>();
    let failure: unknown;
    const checkCancel = () => {
      if (opts.signal?.aborted) throw new BasemapCancelled();
      if (failure) throw failure;
    };
    const emit = async (z: number, x: number, y: number, rgba: Uint8Array, cov: TileCoverage) => {
      done++;
      if (cov === 'empty') return;
      while (inflight.size >= concurrency) await Promise.race(inflight);
      checkCancel();
      const img = sharp(rgba, { raw: { width: TILE_SIZE, height: TILE_SIZE, channels: 4 } });
      const isJpeg = cov === 'opaque';
      const job = (isJpeg ? img.removeAlpha().jpeg({ quality, mozjpeg: false }) : img.png({ compressionLevel: 6, adaptiveFiltering: false }))
        .toBuffer()
        .then((buf) => {
          insert.run(z, x, y, buf);
          written++;
          if (isJpeg) jpeg++;
          else png++;
          opts.onProgress?.(done, total);
        })
        .catch((err) => {
          failure ??= err;
        })
        .finally(() => inflight.delete(job));
      inflight.add(job);
    };

    // Per zoom below the finest: the finer rows waiting for their partner row.
    const pending = new Map<number, { parentRow: number; tiles: Map<string, Uint8Array> }>();
    const flushParent = async (zChild: number) => {
      const p = pending.get(zChild);
      if (!p) return;
      pending.delete(zChild);
      const z = zChild - 1;
      if (z < minZoom) return;
      const r = tileRange(z, mercatorBounds);
      const row = new Map<number, Uint8Array>();
      for (let x = r.minX; x <= r.maxX; x++) {
        const kids = [0, 1, 2, 3].map((q) => p.tiles.get(`${2 * x + (q & 1)},${2 * p.parentRow + (q >> 1)}`) ?? null);
        if (kids.every((k) => k === null)) {
          done++;
          continue;
        }
        const out = new Uint8Array(TILE_SIZE * TILE_SIZE * 4);
        const cov = downsampleTile(kids, out);
        await emit(z, x, p.parentRow, out, cov);
        if (cov !== 'empty') row.set(x, out);
      }
      await rowDone(z, p.parentRow, row);
    };
    const rowDone = async (z: number, y: number, row: Map<number, Uint8Array>) => {
      if (z <= minZoom) return;
      const parentRow = y >> 1;
      const p = pending.get(z);
      if (p && p.parentRow !== parentRow) await flushParent(z);
      const q = pending.get(z) ?? { parentRow, tiles: new Map<string, Uint8Array>() };
      for (const [x, t] of row) q.tiles.set(`${x},${y}`, t);
      pending.set(z, q);
      if (y & 1) await flushParent(z);
    };

    const r = tileRange(maxZoom, mercatorBounds);
    const CHUNK = 64;
    for (let y = r.minY; y <= r.maxY; y++) {
      const row = new Map<number, Uint8Array>();
      for (let cx = r.minX; cx <= r.maxX; cx += CHUNK) {
        checkCancel();
        const xs: number[] = [];
        for (let x = cx; x <= Math.min(r.maxX, cx + CHUNK - 1); x++) xs.push(x);
        const grids = xs.map((x) => tileGrid(maxZoom, x, y, toSource));
        let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
        for (const g of grids) {
          minU = Math.min(minU, g.minU);
          maxU = Math.max(maxU, g.maxU);
          minV = Math.min(minV, g.minV);
          maxV = Math.max(maxV, g.maxV);
        }
        const u0 = Math.max(0, Math.floor(minU) - 1), v0 = Math.max(0, Math.floor(minV) - 1);
        const u1 = Math.min(src.width, Math.ceil(maxU) + 2), v1 = Math.min(src.height, Math.ceil(maxV) + 2);
        if (u1 <= u0 || v1 <= v0) {
          done += xs.length;
          continue;
        }
        const win: RasterWindow = await src.read(u0, v0, u1 - u0, v1 - v0);
        for (let i = 0; i < xs.length; i++) {
          const out = new Uint8Array(TILE_SIZE * TILE_SIZE * 4);
          const cov = warpTile(grids[i], win, src.width, src.height, out);
          await emit(maxZoom, xs[i], y, out, cov);
          if (cov !== 'empty') row.set(xs[i], out);
        }
      }
      await rowDone(maxZoom, y, row);
    }
    // The last rows of every zoom, finest first.
    for (let z = maxZoom; z > minZoom; z--) await flushParent(z);
    await Promise.all(inflight);
    checkCancel();
    if (written === 0) throw new RasterRefused(`${fileName}: every tile came out empty (the raster is all no-data?)`);

    insertBasemap(db, {
      name,
      kind: 'gpkg-tiles',
      tilesTable: table,
      tileFormat: jpeg && png ? 'png+jpeg' : jpeg ? 'jpeg' : 'png',
      minZoom,
      maxZoom,
      bounds: [west, south, east, north],
      attribution: opts.attribution ?? null,
      sourceFile: fileName,
      sourceCrs: src.crs.code,
      details: { width: src.width, height: src.height, crsReason: src.crsReason, datumShift: say('en', shift.note), tiles: written, resolutionM: pixelMerc * cosLat, zoomResolutionM: mercatorResolution(maxZoom) * cosLat },
    });
    return {
      name,
      table,
      minZoom,
      maxZoom,
      tiles: written,
      jpegTiles: jpeg,
      pngTiles: png,
      bounds: [west, south, east, north],
      mercatorBounds,
      crs: src.crs.code,
      crsReason: src.crsReason,
      ...(shift.from !== 'none' ? { datumShift: say('en', shift.note) } : {}),
      sourceWidth: src.width,
      sourceHeight: src.height,
    };
  });
}

/**
 * `warmnet basemap add|list|remove`: basemaps of a project.
 *
 *   warmnet basemap add ortho.tif --into P.gpkg [--name 影像2024] [--crs EPSG:4547] [--towgs84 …] [--attribution "…"] [--json]
 *   warmnet basemap add 'https://…/{z}/{x}/{y}.png' --into P.gpkg --name N [--gcj02] [--attribution "…"]
 *   warmnet basemap add 'https://…/wmts?SERVICE=WMTS&REQUEST=GetCapabilities' --into P.gpkg --name N [--layer L]
 *   warmnet basemap list P.gpkg [--json]
 *   warmnet basemap remove P.gpkg --name 影像2024
 *
 * `add` of a GeoTIFF writes a tile pyramid into the project in one
 * transaction, printing progress on stderr; Ctrl-C or SIGTERM stops it and
 * leaves the project unchanged.
 */
import { existsSync } from 'node:fs';
import type { Command } from './command';
import { CliError, UsageError, flag, positional, printJson, str } from './args';
import { ProjectStore } from '../backend/store/index';
import { BasemapCancelled, RasterRefused, addGeoTiffBasemap } from '../backend/basemap/addRaster';
import { listBasemaps, removeBasemap } from '../backend/basemap/gpkgTiles';
import { addTileFileBasemap } from '../backend/basemap/addTiles';
import { parseTowgs84 } from '../../core/geo/crs';
import type { ParsedArgs } from './args';
import { BasemapRefusal, addOnlineBasemap } from '../backend/basemap/addOnline';
import { say } from '../../core/i18n';
import { one, oneLang } from './lang';

export const basemapCommand: Command = {
  usage:
    'add <file.tif|.mbtiles|.pmtiles|XYZ template|WMTS capabilities URL> --into <file.gpkg> [--name N] [--crs EPSG:4547] [--towgs84 dx,dy,dz] [--attribution T] [--copy] [--layer L] [--gcj02] [--progress] [--json] | list <file.gpkg> [--json] | remove <file.gpkg> --name N',
  options: {
    into: { value: true },
    name: { value: true },
    crs: { value: true },
    towgs84: { value: true },
    attribution: { value: true },
    copy: {},
    layer: { value: true },
    gcj02: {},
    json: {},
    progress: {},
  },
  run: (args) => {
    const sub = positional(args, 0, 'a subcommand (add, list or remove)');
    if (sub === 'add') return add(args);
    if (sub === 'list') return list(args);
    if (sub === 'remove') return remove(args);
    throw new UsageError(`unknown subcommand "${sub}" (add, list or remove)`);
  },
};

function openProject(path: string): ProjectStore {
  if (!existsSync(path)) throw new CliError(`${path}: no such file`);
  return ProjectStore.open(path);
}

async function add(args: ParsedArgs): Promise<void> {
  const file = positional(args, 1, 'the raster or tile file to add');
  const into = str(args, 'into');
  if (!into) throw new UsageError('missing --into <file.gpkg>');
  if (/^https?:\/\//i.test(file)) return addOnline(file, into, args);
  if (!existsSync(file)) throw new CliError(`${file}: no such file`);
  const towgs84Text = str(args, 'towgs84');
  let towgs84: number[] | undefined;
  if (towgs84Text !== undefined) {
    const t = parseTowgs84(towgs84Text);
    if (typeof t === 'string') throw new UsageError(`--towgs84: ${t}`);
    towgs84 = t;
  }
  if (/\.(mbtiles|pmtiles)$/i.test(file)) return addTiles(file, into, args);
  const store = openProject(into);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const json = flag(args, 'json');
  const progress = flag(args, 'progress');
  let lastPct = -1;
  try {
    const crs = str(args, 'crs');
    const name = str(args, 'name');
    const attribution = str(args, 'attribution');
    const r = await addGeoTiffBasemap(store, file, {
      ...(name ? { name } : {}),
      ...(crs ? { crs } : {}),
      ...(towgs84 ? { towgs84 } : {}),
      ...(attribution ? { attribution } : {}),
      signal: abort.signal,
      onProgress: (done, total) => {
        const pct = Math.floor((100 * done) / Math.max(1, total));
        if (pct === lastPct) return;
        lastPct = pct;
        // --progress: one line per percent for scripts; a terminal gets a counter in place.
        if (progress) process.stderr.write(`progress ${done}/${total}\n`);
        else if (process.stderr.isTTY) process.stderr.write(`\r  ${pct}%`);
      },
    });
    if (!progress && process.stderr.isTTY && lastPct >= 0) process.stderr.write('\n');
    if (json) printJson({ file: into, source: file, ...r });
    else {
      process.stdout.write(
        `${into}: basemap "${r.name}" added from ${file} (${r.crs}, ${r.crsReason}): ${r.tiles} tiles (${r.jpegTiles} JPEG, ${r.pngTiles} PNG), zoom ${r.minZoom}–${r.maxZoom}, table ${r.table}\n`,
      );
      if (r.datumShift) process.stdout.write(`  datum: ${r.datumShift}\n`);
    }
  } catch (err) {
    if (err instanceof BasemapCancelled) throw new CliError(`${file}: ${err.message}`);
    if (err instanceof RasterRefused) throw new CliError(`${err.message}\nnothing was written`);
    throw err;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    store.close();
  }
}

async function addTiles(file: string, into: string, args: ParsedArgs): Promise<void> {
  const store = openProject(into);
  try {
    const name = str(args, 'name');
    const attribution = str(args, 'attribution');
    const r = await addTileFileBasemap(store, file, { ...(name ? { name } : {}), ...(attribution ? { attribution } : {}), copy: flag(args, 'copy') });
    if (flag(args, 'json')) printJson({ file: into, source: file, ...r });
    else
      process.stdout.write(
        `${into}: basemap "${r.name}" (${r.format}, zoom ${r.minZoom}–${r.maxZoom}) ${r.table ? `copied in: ${r.tiles} tiles in table ${r.table}` : `referenced at ${r.path}`}\n`,
      );
  } catch (err) {
    if (err instanceof RasterRefused) throw new CliError(`${err.message}\nnothing was written`);
    throw err;
  } finally {
    store.close();
  }
}

/** An online source kept in the project: an XYZ template or a WMTS layer from its capabilities. */
async function addOnline(url: string, into: string, args: ParsedArgs): Promise<void> {
  const name = str(args, 'name');
  if (!name) throw new UsageError('an online source needs --name');
  const store = openProject(into);
  try {
    const layer = str(args, 'layer');
    const attribution = str(args, 'attribution');
    const r = await addOnlineBasemap(store, { url, name, ...(layer ? { layer } : {}), ...(attribution ? { attribution } : {}), gcj02: flag(args, 'gcj02') });
    if (flag(args, 'json')) printJson({ file: into, source: url, ...r });
    else {
      const w = r.wmts ? ` (WMTS layer ${r.wmts.layer}, ${r.wmts.tileMatrixSet}, ${r.wmts.format}, ${r.wmts.encoding === 'rest' ? 'REST' : 'KVP'})` : '';
      process.stdout.write(`${into}: online basemap "${r.name}"${w}, zoom ${r.minZoom}–${r.maxZoom}, ${r.id}\n`);
    }
  } catch (err) {
    if (err instanceof BasemapRefusal) throw new CliError(`${say(oneLang(), { code: err.code, params: err.params })}\nnothing was written`);
    throw err;
  } finally {
    store.close();
  }
}

function list(args: ParsedArgs): void {
  const path = positional(args, 1, 'the project file');
  const store = openProject(path);
  try {
    const rows = listBasemaps(store.reader());
    if (flag(args, 'json')) return printJson(rows);
    if (rows.length === 0) process.stdout.write(`${path}: no basemaps\n`);
    for (const b of rows) {
      const where = b.tilesTable ? `table ${b.tilesTable}` : (b.path ?? '');
      process.stdout.write(`${b.name}\t${b.kind}\t${where}\tzoom ${b.minZoom ?? '?'}–${b.maxZoom ?? '?'}${b.sample ? `\t${one('cli.sampleData')}` : ''}\n`);
    }
  } finally {
    store.close();
  }
}

async function remove(args: ParsedArgs): Promise<void> {
  const path = positional(args, 1, 'the project file');
  const name = str(args, 'name');
  if (!name) throw new UsageError('missing --name <basemap>');
  const store = openProject(path);
  try {
    const removed = await store.writeAsync(async (db) => removeBasemap(db, name));
    if (!removed) throw new CliError(`${path}: no basemap named "${name}"`);
    process.stdout.write(`${path}: basemap "${name}" removed\n`);
  } finally {
    store.close();
  }
}

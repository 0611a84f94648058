/**
 * Basemap tiles for MapLibre, from the same origin as the app (the app://
 * protocol in Electron, the loopback bridge in browser mode, so the bridge's
 * cookie travels with every tile request):
 *
 *   basemap/<project key>/<basemap fid>/<z>/<x>/<y>
 *
 * The project key (a hash of the file's path) tells the Electron main process
 * which window's project a tile belongs to. Tiles come from a tiles table of
 * the project, an MBTiles file (SQLite, rows counted from the bottom: TMS)
 * or a PMTiles archive; MBTiles and PMTiles referenced by path are opened
 * once, read-only, and kept open while the project is.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, fstatSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PMTiles, type Source, type RangeResponse } from 'pmtiles';
import { listBasemaps, readTile, type BasemapRow } from './gpkgTiles';
import { q } from '../store/gpkg';
import type Sqlite from 'better-sqlite3';
import { clamp } from '../../../core/format/number';

export interface TileAnswer {
  status: number;
  body: Buffer;
  type: string;
  /** Content-Encoding of the body (gzip for some vector tiles). */
  encoding?: string;
}

export function projectKey(path: string): string {
  return createHash('sha256').update(resolve(path)).digest('hex').slice(0, 16);
}

/** The MIME type of a tile from its first bytes. */
export function tileMime(b: Buffer): string {
  if (b.length > 3 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e) return 'image/png';
  if (b.length > 2 && b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b.length > 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  return 'application/x-protobuf';
}

/** A PMTiles source over a local file (positioned reads). */
class LocalFileSource implements Source {
  private fd: number;
  constructor(private readonly path: string) {
    this.fd = openSync(path, 'r');
  }
  getKey(): string {
    return this.path;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const size = fstatSync(this.fd).size;
    const n = clamp(size - offset, 0, length);
    const buf = Buffer.alloc(n);
    readSync(this.fd, buf, 0, n, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) as ArrayBuffer };
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** Where a basemap's file is: an absolute path as it is, a relative one beside the project. */
export function resolveBasemapPath(projectPath: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(projectPath), path);
}

export class BasemapTiles {
  private readonly mbtiles = new Map<number, Database.Database>();
  private readonly pmtiles = new Map<number, { pm: PMTiles; src: LocalFileSource }>();
  private rows: { at: number; list: BasemapRow[] } | null = null;

  constructor(
    private readonly db: () => Sqlite.Database,
    private readonly projectPath: string,
  ) {}

  private basemap(fid: number): BasemapRow | undefined {
    // The list is re-read at most once a second (a basemap added in another window shows up), and at
    // once for a basemap it does not hold (one just added: its first tiles are asked for right away).
    if (!this.rows || Date.now() - this.rows.at > 1000) this.rows = { at: Date.now(), list: listBasemaps(this.db()) };
    let b = this.rows.list.find((r) => r.fid === fid);
    if (!b) {
      this.rows = { at: Date.now(), list: listBasemaps(this.db()) };
      b = this.rows.list.find((r) => r.fid === fid);
    }
    return b;
  }

  async tile(fid: number, z: number, x: number, y: number): Promise<TileAnswer> {
    const none: TileAnswer = { status: 204, body: Buffer.alloc(0), type: 'application/octet-stream' };
    const b = this.basemap(fid);
    if (!b) return { status: 404, body: Buffer.from(`no basemap ${fid}`), type: 'text/plain' };
    if (z < 0 || z > 30 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) return { status: 400, body: Buffer.from('bad tile address'), type: 'text/plain' };
    let data: Buffer | undefined;
    if (b.kind === 'gpkg-tiles' || b.kind === 'vector-sample') {
      data = b.tilesTable ? readTile(this.db(), b.tilesTable, z, x, y) : undefined;
    } else if (b.kind === 'mbtiles') {
      const db = this.openMbtiles(b);
      const r = db.prepare(`SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`).get(z, x, 2 ** z - 1 - y) as
        | { tile_data: Buffer }
        | undefined;
      data = r?.tile_data;
    } else if (b.kind === 'pmtiles') {
      const pm = this.openPmtiles(b);
      const r = await pm.getZxy(z, x, y);
      data = r ? Buffer.from(r.data) : undefined;
    }
    if (!data || data.length === 0) return none;
    // Vector tiles are often stored gzipped (MBTiles from tippecanoe, GDAL); hand them over plain.
    if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
    return { status: 200, body: data, type: tileMime(data) };
  }

  private openMbtiles(b: BasemapRow): Database.Database {
    let db = this.mbtiles.get(b.fid);
    if (!db) {
      const path = resolveBasemapPath(this.projectPath, b.path ?? '');
      if (!existsSync(path)) throw new Error(`basemap "${b.name}": ${path} is missing`);
      db = new Database(path, { readonly: true, fileMustExist: true });
      this.mbtiles.set(b.fid, db);
    }
    return db;
  }

  private openPmtiles(b: BasemapRow): PMTiles {
    let p = this.pmtiles.get(b.fid);
    if (!p) {
      const path = resolveBasemapPath(this.projectPath, b.path ?? '');
      if (!existsSync(path)) throw new Error(`basemap "${b.name}": ${path} is missing`);
      const src = new LocalFileSource(path);
      p = { pm: new PMTiles(src), src };
      this.pmtiles.set(b.fid, p);
    }
    return p.pm;
  }

  close(): void {
    for (const db of this.mbtiles.values()) db.close();
    for (const p of this.pmtiles.values()) p.src.close();
    this.mbtiles.clear();
    this.pmtiles.clear();
  }
}

/** Parse `basemap/<key>/<fid>/<z>/<x>/<y>` (with or without a leading slash and an extension). */
export function parseTilePath(pathname: string): { key: string; fid: number; z: number; x: number; y: number } | null {
  const m = /^\/?basemap\/([0-9a-f]{16})\/(\d+)\/(\d+)\/(\d+)\/(\d+)(?:\.\w+)?$/.exec(pathname);
  if (!m) return null;
  return { key: m[1], fid: Number(m[2]), z: Number(m[3]), x: Number(m[4]), y: Number(m[5]) };
}

export { q };

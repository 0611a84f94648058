/**
 * The basemap an export draws: the one named (`--basemap NAME`), or the
 * project's saved choice (`saved`, the default), as a PrintBasemap over the
 * same tile readers the app uses. Vector basemaps (the sample's own, an
 * MBTiles/PMTiles of MVT) are drawn with the bundled style (renderVector.ts).
 */
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseViewState } from '../../../core/basemap/view';
import { DEFAULT_SETTINGS, resolveSettings } from '../../../core/model/settings';
import { listBasemaps } from './gpkgTiles';
import { BasemapTiles, type TileAnswer } from './serve';
import { OnlineTiles, fileSecrets, onlineTiles, registerProjectSources, setOnlineTiles, xyzSourceId } from './online';
import type { PrintBasemap } from './render';

export interface PrintBasemapChoice {
  basemap?: PrintBasemap;
  /** Why there is none (for the progress line). */
  note: string;
  close(): void;
}

function online(): OnlineTiles {
  let o = onlineTiles();
  if (!o) {
    o = new OnlineTiles({
      cacheDir: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'warmnet', 'tiles'),
      cacheMb: () => DEFAULT_SETTINGS.basemapCacheMb,
      timeoutMs: () => DEFAULT_SETTINGS.basemapTimeoutMs,
      secrets: fileSecrets(),
    });
    setOnlineTiles(o);
  }
  return o;
}

/** `which`: a basemap name, 'gpkg:<fid>', 'online:<id>', 'saved' or 'none'. */
export function printBasemapOf(projectPath: string, which = 'saved'): PrintBasemapChoice {
  const db = new Database(projectPath, { readonly: true, fileMustExist: true });
  const tiles = new BasemapTiles(() => db, projectPath);
  const close = () => {
    tiles.close();
    db.close();
  };
  const none = (note: string): PrintBasemapChoice => ({ note, close });
  try {
    const hasTables = db.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('basemaps', 'view_state')`).pluck().get() === 2;
    if (!hasTables || which === 'none') return none('no basemap');
    const settings = resolveSettings(
      Object.fromEntries((db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]).map((r) => [r.key, JSON.parse(r.value)])),
    );
    const view = parseViewState(JSON.parse((db.prepare(`SELECT value FROM view_state WHERE key = 'view'`).pluck().get() as string | undefined) ?? 'null'));
    let id = which === 'saved' ? view.basemap : which;
    // A source the user added to the project, named: its online id.
    const named = listBasemaps(db).find((r) => r.kind === 'online' && r.path && (r.name === id || `gpkg:${r.fid}` === id));
    if (named) id = `online:${xyzSourceId(named.path!)}`;
    const look = which === 'saved' ? { muted: view.muted, opacity: view.opacity } : {};
    if (id === 'none') return none('no basemap chosen');
    if (id.startsWith('online:')) {
      const o = online();
      // The project's own XYZ / WMTS sources, besides Tianditu's.
      registerProjectSources(o, listBasemaps(db));
      const src = o.list().find((s) => `online:${s.id}` === id);
      if (!src) return none(`no online source ${id}`);
      const tile = async (z: number, x: number, y: number): Promise<TileAnswer> => {
        const layers = await Promise.all(src.layers.map((_, i) => o.tile(src.id, i, z, x, y)));
        const ok = layers.filter((t) => t.status === 200);
        if (ok.length <= 1) return ok[0] ?? layers[0];
        const body = await sharp(ok[0].body).composite(ok.slice(1).map((t) => ({ input: t.body }))).png().toBuffer();
        return { status: 200, body, type: 'image/png' };
      };
      return {
        basemap: {
          tile,
          minZoom: 0,
          maxZoom: src.maxZoom,
          attribution: src.attribution,
          ...(src.approvalNumber ? { approvalNumber: settings.tiandituApprovalNumber } : {}),
          ...look,
        },
        note: `basemap ${src.name.zh}`,
        close,
      };
    }
    const rows = listBasemaps(db);
    const b = rows.find((r) => `gpkg:${r.fid}` === id || r.name === id);
    if (!b) return none(`no basemap "${id}" in the project`);
    const vector = b.kind === 'vector-sample' || b.tileFormat === 'pbf';
    return {
      basemap: {
        tile: (z, x, y) => tiles.tile(b.fid, z, x, y),
        minZoom: b.minZoom ?? 0,
        maxZoom: b.maxZoom ?? 22,
        attribution: b.attribution ?? b.name,
        ...(vector ? { vector: true } : {}),
        ...look,
      },
      note: `basemap ${b.name}${vector ? ' (vector tiles)' : ''}`,
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}

/** The print resolution setting of a project (dpi of the basemap in PDFs). */
export function printDpiOf(projectPath: string): number {
  const db = new Database(projectPath, { readonly: true, fileMustExist: true });
  try {
    const v = db.prepare(`SELECT value FROM settings WHERE key = 'basemapPrintDpi'`).pluck().get() as string | undefined;
    const n = v === undefined ? NaN : Number(JSON.parse(v));
    return Number.isFinite(n) && n > 0 ? n : DEFAULT_SETTINGS.basemapPrintDpi;
  } finally {
    db.close();
  }
}

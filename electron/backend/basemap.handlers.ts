/**
 * Implementations of the basemap channels (basemap.contract.ts). A file comes
 * by handle only (uploads.ts), as in the import wizard: bytes uploaded in
 * browser mode, or a file picked in the desktop app's own dialog. Adding a
 * GeoTIFF reports progress as `analysis:progress` under the caller's runId
 * and stops on `analysis:cancel` with the project unchanged.
 */
import { basename, extname } from 'node:path';
import type { z } from 'zod';
import type { StoreApi } from './store/api';
import { ProjectStore } from './store/index';
import type { BasemapAdded, BasemapContract, BasemapView, OnlineSourceView } from './basemap.contract';
import { removeBasemap, type BasemapRow } from './basemap/gpkgTiles';
import { projectKey } from './basemap/serve';
import { onlineTiles, registerProjectSources, xyzSourceId } from './basemap/online';
import { BasemapCancelled, RasterRefused, addGeoTiffBasemap } from './basemap/addRaster';
import { addTileFileBasemap } from './basemap/addTiles';
import { addOnlineBasemap, refuse } from './basemap/addOnline';
import { analysisEvents } from './analysis.handlers';
import type { AnalysisProgress } from './analysis.contract';
import { registerCancel } from './cancel';
import { uploads as defaultUploads, type UploadStore } from './uploads';

type BasemapImpl = { [K in keyof BasemapContract]: (args: z.output<BasemapContract[K]['args']>) => z.output<BasemapContract[K]['result']> | Promise<z.output<BasemapContract[K]['result']>> };

/** What the process around the handlers offers: the desktop app's open dialog for basemap files. */
export interface BasemapHost {
  /** The path the user picked in the main process's dialog (GeoTIFF, MBTiles, PMTiles), or null when cancelled. */
  chooseBasemapFile?: () => Promise<string | null>;
  uploads?: UploadStore;
}

const FILE_KINDS = new Set(['.tif', '.tiff', '.mbtiles', '.pmtiles']);

export function basemapView(b: BasemapRow, key: string): BasemapView {
  const vector = b.kind === 'vector-sample' || b.tileFormat === 'pbf';
  return {
    id: `gpkg:${b.fid}`,
    fid: b.fid,
    name: b.name,
    kind: b.kind as BasemapView['kind'],
    format: vector ? 'vector' : 'raster',
    tiles: `basemap/${key}/${b.fid}/{z}/{x}/{y}`,
    minZoom: b.minZoom ?? 0,
    maxZoom: b.maxZoom ?? 22,
    bounds: b.bounds,
    attribution: b.attribution ?? '',
    sample: b.sample,
    sourceFile: b.sourceFile,
  };
}

/** The local project store (basemaps live in the project's GeoPackage; a shared project has none). */
function local(store: StoreApi): ProjectStore {
  if (!(store instanceof ProjectStore)) throw refuse('basemap.sharedProject', {});
  return store;
}

export { BasemapRefusal } from './basemap/addOnline';

export function bindBasemapHandlers(store: StoreApi, host: BasemapHost = {}): BasemapImpl {
  const uploads = host.uploads ?? defaultUploads;
  const progress = (runId: string | undefined, fraction: number) => {
    if (!runId) return;
    const p: AnalysisProgress = { runId, channel: 'basemap:add', fraction };
    analysisEvents.emit('analysis:progress', p);
  };
  const nameTaken = (name: string) => {
    if (store.basemaps().some((b) => b.name === name)) throw refuse('basemap.nameTaken', { name });
  };

  return {
    'basemap:list': () => {
      const key = projectKey(store.path);
      const online = onlineTiles();
      const rows = store.basemaps();
      const mine = new Map(registerProjectSources(online, rows).map((s) => [s.id, s.fid]));
      const sources: OnlineSourceView[] = (online?.list() ?? [])
        // Sources of other projects this process has seen stay out of this project's list.
        .filter((s) => !s.id.startsWith('xyz-') || mine.has(s.id))
        .map((s) => ({
          id: `online:${s.id}`,
          name: s.name,
          tiles: s.layers.map((_, i) => `online/${s.id}/${i}/{z}/{x}/{y}`),
          attribution: s.attribution,
          maxZoom: s.maxZoom,
          gcj02: !!s.gcj02,
          ready: online!.ready(s),
          approvalNumber: !!s.approvalNumber,
          fid: mine.get(s.id) ?? null,
        }));
      return {
        basemaps: rows.filter((b) => b.kind !== 'online').map((b) => basemapView(b, key)),
        online: sources,
        view: store.viewState(),
        failures: online?.takeFailures() ?? [],
      };
    },
    'view:set': (args) => store.setViewState(args),
    'basemap:key': (args) => {
      const online = onlineTiles();
      if (!online) return { stored: false, protection: 'none' };
      online.setKey('tianditu', args.tianditu);
      return { stored: true, protection: online.protection };
    },
    'basemap:choose': async () => {
      if (!host.chooseBasemapFile) throw refuse('basemap.noDialog', {});
      const path = await host.chooseBasemapFile();
      return path ? uploads.addPicked([path]) : null;
    },
    'basemap:add': async (args): Promise<BasemapAdded> => {
      const project = local(store);
      const entry = uploads.resolve(args.handle);
      const file = entry.info.fileName;
      const ext = extname(file).toLowerCase();
      if (!FILE_KINDS.has(ext)) throw refuse('basemap.unsupportedFile', { file });
      if (args.name) nameTaken(args.name);
      const abort = new AbortController();
      const unregister = args.runId ? registerCancel(args.runId, () => abort.abort()) : () => undefined;
      const scrub = (m: string) => uploads.scrub(m, args.handle);
      progress(args.runId, 0);
      try {
        if (ext === '.mbtiles' || ext === '.pmtiles') {
          // Uploaded bytes sit in a temporary folder that goes away: they can only be copied in.
          const copy = !!entry.dir || !!args.copy;
          const r = await addTileFileBasemap(project, entry.path, { copy, ...(args.name ? { name: args.name } : {}), ...(args.attribution ? { attribution: args.attribution } : {}) });
          const fid = project.basemaps().find((b) => b.name === r.name)!.fid;
          uploads.release(args.handle);
          return { id: `gpkg:${fid}`, name: r.name, minZoom: r.minZoom, maxZoom: r.maxZoom, ...(r.tiles !== undefined ? { tiles: r.tiles } : {}), ...(r.path ? { path: basename(r.path) } : {}) };
        }
        const r = await addGeoTiffBasemap(project, entry.path, {
          name: args.name ?? basename(file).replace(/\.[^.]+$/, ''),
          ...(args.crs ? { crs: args.crs } : {}),
          ...(args.attribution ? { attribution: args.attribution } : {}),
          signal: abort.signal,
          onProgress: (done, total) => progress(args.runId, Math.min(0.99, done / Math.max(1, total))),
        });
        const fid = project.basemaps().find((b) => b.name === r.name)!.fid;
        uploads.release(args.handle);
        return { id: `gpkg:${fid}`, name: r.name, tiles: r.tiles, minZoom: r.minZoom, maxZoom: r.maxZoom };
      } catch (err) {
        if (err instanceof BasemapCancelled) throw refuse('basemap.cancelled', { file });
        if (err instanceof RasterRefused) {
          const m = scrub(err.message);
          throw refuse('basemap.refused', { file, reason: m.startsWith(`${file}: `) ? m.slice(file.length + 2) : m });
        }
        if (err instanceof Error) err.message = scrub(err.message);
        throw err;
      } finally {
        progress(args.runId, 1);
        unregister();
      }
    },
    'basemap:online': async (args): Promise<BasemapAdded> => {
      const added = await addOnlineBasemap(local(store), args);
      registerProjectSources(onlineTiles(), store.basemaps());
      return added;
    },
    'basemap:remove': async ({ id }) => {
      const project = local(store);
      const rows = project.basemaps();
      const row = id.startsWith('gpkg:')
        ? rows.find((b) => b.kind !== 'online' && `gpkg:${b.fid}` === id)
        : rows.find((b) => b.kind === 'online' && b.path && `online:${xyzSourceId(b.path)}` === id);
      if (!row) return false;
      const removed = await project.writeAsync(async (db) => removeBasemap(db, row.fid));
      // A basemap no longer in the project is no longer shown.
      if (removed && project.viewState().basemap === id) project.setViewState({ basemap: 'none' });
      return removed;
    },
  };
}

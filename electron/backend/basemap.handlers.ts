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
import { listBasemaps, removeBasemap, insertBasemap, type BasemapRow } from './basemap/gpkgTiles';
import { projectKey } from './basemap/serve';
import { onlineTiles, registerProjectSources, xyzSourceId } from './basemap/online';
import { BasemapCancelled, RasterRefused, addGeoTiffBasemap } from './basemap/addRaster';
import { addTileFileBasemap } from './basemap/addTiles';
import { checkUrlTemplate } from '../../core/basemap/online';
import { isWmtsCapabilitiesUrl, wmtsSource } from '../../core/basemap/wmts';
import { say, type Message, type MessageKey } from '../../core/i18n';
import { analysisEvents } from './analysis.handlers';
import type { AnalysisProgress } from './analysis.contract';
import { registerCancel } from './cancel';
import { uploads as defaultUploads, type UploadStore } from './uploads';

type BasemapImpl = { [K in keyof BasemapContract]: (args: z.output<BasemapContract[K]['args']>) => BasemapContract[K]['result'] | Promise<BasemapContract[K]['result']> };

/** What the process around the handlers offers: the desktop app's open dialog for basemap files. */
export interface BasemapHost {
  /** The path the user picked in the main process's dialog (GeoTIFF, MBTiles, PMTiles), or null when cancelled. */
  chooseBasemapFile?: () => Promise<string | null>;
  uploads?: UploadStore;
}

/** A refusal the dialog shows from the catalogue (`code`, `params`); the message says the same for logs and the CLI. */
export class BasemapRefusal extends Error {
  readonly code: MessageKey;
  readonly params: Record<string, string | number>;
  constructor(m: Message) {
    super(say('en', m) + ' / ' + say('zh', m));
    this.name = 'BasemapRefusal';
    this.code = m.code;
    this.params = (m.params ?? {}) as Record<string, string | number>;
  }
}

const refuse = (code: MessageKey, params: Record<string, string | number>) => new BasemapRefusal({ code, params });

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
    attribution: b.attribution ?? (b.sample ? '示例数据' : ''),
    sample: b.sample,
    sourceFile: b.sourceFile,
  };
}

/** The local project store (basemaps live in the project's GeoPackage; a shared project has none). */
function local(store: StoreApi): ProjectStore {
  if (!(store instanceof ProjectStore)) throw refuse('basemap.sharedProject', {});
  return store;
}

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
      const project = local(store);
      nameTaken(args.name);
      let url = args.url;
      let wmts: BasemapAdded['wmts'];
      let minZoom = 0, maxZoom = 19;
      let bounds: [number, number, number, number] | null = null;
      if (!/^https?:\/\//i.test(url)) throw refuse('basemap.badUrl', { url, reason: checkUrlTemplate(url) ?? 'http(s)' });
      if (isWmtsCapabilitiesUrl(url)) {
        let xml: string;
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, project.getSettings().basemapTimeoutMs)), redirect: 'follow' });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          xml = await res.text();
        } catch (err) {
          const e = err as Error;
          throw refuse('basemap.fetchFailed', { url, reason: e.name === 'TimeoutError' ? `timeout after ${project.getSettings().basemapTimeoutMs} ms` : e.message });
        }
        const r = wmtsSource(xml, url, args.layer);
        if (!r.ok) throw new BasemapRefusal(r.error);
        ({ url, minZoom, maxZoom, bounds } = r.source);
        wmts = { layer: r.source.layer, tileMatrixSet: r.source.tileMatrixSet, format: r.source.format, style: r.source.style, encoding: r.source.encoding };
      } else {
        const bad = checkUrlTemplate(url);
        if (bad) throw refuse('basemap.badUrl', { url, reason: bad });
      }
      await project.writeAsync(async (db) => {
        if (listBasemaps(db).some((b) => b.name === args.name)) throw refuse('basemap.nameTaken', { name: args.name });
        insertBasemap(db, {
          name: args.name,
          kind: 'online',
          path: url,
          minZoom,
          maxZoom,
          bounds,
          attribution: args.attribution ?? null,
          sourceFile: args.url,
          details: { gcj02: !!args.gcj02, ...(wmts ? { wmts } : {}) },
        });
      });
      registerProjectSources(onlineTiles(), project.basemaps());
      return { id: `online:${xyzSourceId(url)}`, name: args.name, minZoom, maxZoom, ...(wmts ? { wmts } : {}) };
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

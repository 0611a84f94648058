/** Implementations of the basemap channels (basemap.contract.ts). */
import type { z } from 'zod';
import type { StoreApi } from './store/api';
import type { BasemapContract, BasemapView, OnlineSourceView } from './basemap.contract';
import type { BasemapRow } from './basemap/gpkgTiles';
import { projectKey } from './basemap/serve';
import { onlineTiles } from './basemap/online';

type BasemapImpl = { [K in keyof BasemapContract]: (args: z.output<BasemapContract[K]['args']>) => z.output<BasemapContract[K]['result']> };

export function basemapView(b: BasemapRow, key: string): BasemapView {
  const vector = b.kind === 'vector-sample' || b.tileFormat === 'pbf';
  return {
    id: `gpkg:${b.fid}`,
    fid: b.fid,
    name: b.name,
    kind: b.kind,
    format: vector ? 'vector' : 'raster',
    tiles: `basemap/${key}/${b.fid}/{z}/{x}/{y}`,
    minZoom: b.minZoom ?? 0,
    maxZoom: b.maxZoom ?? 22,
    bounds: b.bounds,
    attribution: b.attribution ?? (b.sample ? '示例数据' : ''),
    sample: b.sample,
  };
}

export function bindBasemapHandlers(store: StoreApi): BasemapImpl {
  return {
    'basemap:list': () => {
      const key = projectKey(store.path);
      const online = onlineTiles();
      const sources: OnlineSourceView[] = (online?.list() ?? []).map((s) => ({
        id: `online:${s.id}`,
        name: s.name,
        tiles: s.layers.map((_, i) => `online/${s.id}/${i}/{z}/{x}/{y}`),
        attribution: s.attribution,
        maxZoom: s.maxZoom,
        gcj02: !!s.gcj02,
        ready: online!.ready(s),
        approvalNumber: !!s.approvalNumber,
      }));
      return { basemaps: store.basemaps().map((b) => basemapView(b, key)), online: sources, view: store.viewState(), failures: online?.takeFailures() ?? [] };
    },
    'view:set': (args) => store.setViewState(args),
    'basemap:key': (args) => {
      const online = onlineTiles();
      if (!online) return { stored: false, protection: 'none' };
      online.setKey('tianditu', args.tianditu);
      return { stored: true, protection: online.protection };
    },
  };
}

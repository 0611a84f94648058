/**
 * Basemap channels (spread into `contract` in contract.ts): the project's
 * basemaps with the same-origin tile URLs MapLibre loads, the online sources,
 * and the view state saved in the project (chosen basemap, opacity, muted
 * look, presentation views).
 */
import { z } from 'zod';
import type { ViewState } from '../../core/basemap/view';
import type { ImportUpload } from './import.contract';

export interface BasemapView {
  /** 'gpkg:<fid>'. */
  id: string;
  fid: number;
  name: string;
  kind: 'gpkg-tiles' | 'mbtiles' | 'pmtiles' | 'vector-sample';
  /** The file it was made from or refers to. */
  sourceFile: string | null;
  /** Raster tiles (PNG/JPEG/WebP) or vector tiles (drawn with the bundled style, Chinese labels). */
  format: 'raster' | 'vector';
  /** Same-origin template: basemap/<project key>/<fid>/{z}/{x}/{y}, relative to the app's page. */
  tiles: string;
  minZoom: number;
  maxZoom: number;
  bounds: [number, number, number, number] | null;
  attribution: string;
  /** 示例数据: generated with the sample project. */
  sample: boolean;
}

export interface OnlineSourceView {
  /** 'online:<id>'. */
  id: string;
  name: { zh: string; en: string };
  /** Same-origin templates, one per layer (map, then annotation): online/<id>/<layer>/{z}/{x}/{y}. */
  tiles: string[];
  attribution: string;
  maxZoom: number;
  gcj02: boolean;
  /** False while a Tianditu source has no key in the user's settings. */
  ready: boolean;
  approvalNumber: boolean;
  /** A source the user added to this project (XYZ template or WMTS layer): its row, so it can be removed; null for the built-in ones. */
  fid: number | null;
}

/** What an added basemap became. */
export interface BasemapAdded {
  /** The id to choose it by: 'gpkg:<fid>' or 'online:<source id>'. */
  id: string;
  name: string;
  /** Tiles written into the project (a GeoTIFF's pyramid, a copied MBTiles/PMTiles); absent when referenced by path or online. */
  tiles?: number;
  /** Referenced by path (desktop app) rather than copied in. */
  path?: string;
  minZoom: number;
  maxZoom: number;
  /** For a WMTS source: the layer, tile matrix set and format taken from its capabilities. */
  wmts?: { layer: string; tileMatrixSet: string; format: string; style: string; encoding: 'rest' | 'kvp' };
}

export interface BasemapList {
  basemaps: BasemapView[];
  online: OnlineSourceView[];
  view: ViewState;
  /** Online failures since the last call, once each (for the status bar). */
  failures: { source: string; message: string; at: string }[];
}

/** A handle issued by import:upload or basemap:choose (32 hex digits); a path is refused. */
const handle = z.string().regex(/^[0-9a-f]{32}$/, 'a file handle from import:upload / basemap:choose, not a path');
const name = z.string().trim().min(1).max(100);

const view = z
  .object({
    name: z.string().min(1).max(200),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    theme: z.string().min(1).max(50),
  })
  .strict();

export const basemapContract = {
  /** Basemaps of the project and online sources, with the saved view state. */
  'basemap:list': { args: z.object({}).strict(), result: null as unknown as BasemapList },
  /** Change the saved view state (any subset); returns the whole state. */
  'view:set': {
    args: z
      .object({
        basemap: z.string().regex(/^(none|gpkg:\d+|online:[a-z0-9-]+)$/).optional(),
        opacity: z.number().min(0).max(1).optional(),
        muted: z.boolean().optional(),
        views: z.array(view).max(200).optional(),
      })
      .strict(),
    result: null as unknown as ViewState,
  },
  /** Store the user's Tianditu key in the user's secrets (OS keychain where there is one), never in the project. */
  'basemap:key': {
    args: z.object({ tianditu: z.string().regex(/^[0-9a-zA-Z]{16,64}$/) }).strict(),
    result: null as unknown as { stored: boolean; protection: 'keychain' | 'file' | 'none' },
  },
  /** Desktop app: the main process's open dialog for a GeoTIFF / MBTiles / PMTiles; null when cancelled. Browser mode refuses (upload with import:upload instead). */
  'basemap:choose': { args: z.object({}).strict(), result: null as unknown as ImportUpload | null },
  /**
   * A GeoTIFF (tiled into the project, progress as analysis:progress under runId, analysis:cancel
   * stops it with the project unchanged), an MBTiles or a PMTiles (by path when picked in the
   * desktop app's dialog, copied in when `copy` or when uploaded) by handle. One transaction.
   */
  'basemap:add': {
    args: z
      .object({
        handle,
        name: name.optional(),
        copy: z.boolean().optional(),
        attribution: z.string().trim().min(1).max(300).optional(),
        /** The raster's CRS when its keys do not say ('EPSG:4547'). */
        crs: z.string().min(1).max(100).optional(),
        runId: z.string().min(1).max(100).optional(),
      })
      .strict(),
    result: null as unknown as BasemapAdded,
  },
  /** An online source kept in the project: an XYZ template ({z} {x} {y}) or a WMTS GetCapabilities address (its Web Mercator layer). */
  'basemap:online': {
    args: z
      .object({
        url: z.string().trim().min(8).max(2000),
        name,
        /** WMTS: which layer (default: the first in Web Mercator). */
        layer: z.string().min(1).max(200).optional(),
        attribution: z.string().trim().min(1).max(300).optional(),
        /** Tiles in GCJ-02 offset coordinates: the data layers are shifted on screen to match. */
        gcj02: z.boolean().optional(),
      })
      .strict(),
    result: null as unknown as BasemapAdded,
  },
  /** Take a basemap out of the project ('gpkg:<fid>', or 'online:<id>' of a source the user added); its tiles table goes with it. */
  'basemap:remove': {
    args: z.object({ id: z.string().regex(/^(gpkg:\d+|online:xyz-[0-9a-f]{10})$/) }).strict(),
    result: null as unknown as boolean,
  },
} as const;

export type BasemapContract = typeof basemapContract;

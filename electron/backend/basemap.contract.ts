/**
 * Basemap channels (spread into `contract` in contract.ts): the project's
 * basemaps with the same-origin tile URLs MapLibre loads, the online sources,
 * and the view state saved in the project (chosen basemap, opacity, muted
 * look, presentation views).
 */
import { z } from 'zod';
import { bboxSchema } from './results/geojson';
import { labelSchema, messageSchema, viewStateSchema } from './results/model';
import { importUploadSchema } from './import.contract';

const basemapViewSchema = z.strictObject({
  /** 'gpkg:<fid>'. */
  id: z.string(),
  fid: z.number(),
  name: z.string(),
  kind: z.enum(['gpkg-tiles', 'mbtiles', 'pmtiles', 'vector-sample']),
  /** The file it was made from or refers to. */
  sourceFile: z.string().nullable(),
  /** Raster tiles (PNG/JPEG/WebP) or vector tiles (drawn with the bundled style, Chinese labels). */
  format: z.enum(['raster', 'vector']),
  /** Same-origin template: basemap/<project key>/<fid>/{z}/{x}/{y}, relative to the app's page. */
  tiles: z.string(),
  minZoom: z.number(),
  maxZoom: z.number(),
  bounds: bboxSchema.nullable(),
  attribution: z.string(),
  /** 示例数据: generated with the sample project. */
  sample: z.boolean(),
});
export type BasemapView = z.infer<typeof basemapViewSchema>;

const onlineSourceViewSchema = z.strictObject({
  /** 'online:<id>'. */
  id: z.string(),
  name: labelSchema,
  /** Same-origin templates, one per layer (map, then annotation): online/<id>/<layer>/{z}/{x}/{y}. */
  tiles: z.array(z.string()),
  attribution: z.string(),
  maxZoom: z.number(),
  gcj02: z.boolean(),
  /** False while a Tianditu source has no key in the user's settings. */
  ready: z.boolean(),
  approvalNumber: z.boolean(),
  /** A source the user added to this project (XYZ template or WMTS layer): its row, so it can be removed; null for the built-in ones. */
  fid: z.number().nullable(),
});
export type OnlineSourceView = z.infer<typeof onlineSourceViewSchema>;

const basemapListSchema = z.strictObject({
  basemaps: z.array(basemapViewSchema),
  online: z.array(onlineSourceViewSchema),
  view: viewStateSchema,
  /** Online failures since the last call, once each (for the status bar). */
  failures: z.array(z.strictObject({ source: z.string(), name: labelSchema, said: messageSchema, at: z.string() })),
});
export type BasemapList = z.infer<typeof basemapListSchema>;

/** What an added basemap became. */
const basemapAddedSchema = z.strictObject({
  /** The id to choose it by: 'gpkg:<fid>' or 'online:<source id>'. */
  id: z.string(),
  name: z.string(),
  /** Tiles written into the project (a GeoTIFF's pyramid, a copied MBTiles/PMTiles); absent when referenced by path or online. */
  tiles: z.number().optional(),
  /** Referenced by path (desktop app) rather than copied in. */
  path: z.string().optional(),
  minZoom: z.number(),
  maxZoom: z.number(),
  /** For a WMTS source: the layer, tile matrix set and format taken from its capabilities. */
  wmts: z
    .strictObject({ layer: z.string(), tileMatrixSet: z.string(), format: z.string(), style: z.string(), encoding: z.enum(['rest', 'kvp']) })
    .optional(),
});
export type BasemapAdded = z.infer<typeof basemapAddedSchema>;

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
  'basemap:list': { args: z.object({}).strict(), result: basemapListSchema },
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
    result: viewStateSchema,
  },
  /** Store the user's Tianditu key in the user's secrets (OS keychain where there is one), never in the project. */
  'basemap:key': {
    args: z.object({ tianditu: z.string().regex(/^[0-9a-zA-Z]{16,64}$/) }).strict(),
    result: z.strictObject({ stored: z.boolean(), protection: z.enum(['keychain', 'file', 'none']) }),
  },
  /** Desktop app: the main process's open dialog for a GeoTIFF / MBTiles / PMTiles; null when cancelled. Browser mode refuses (upload with import:upload instead). */
  'basemap:choose': { args: z.object({}).strict(), result: importUploadSchema.nullable() },
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
    result: basemapAddedSchema,
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
    result: basemapAddedSchema,
  },
  /** Take a basemap out of the project ('gpkg:<fid>', or 'online:<id>' of a source the user added); its tiles table goes with it. */
  'basemap:remove': {
    args: z.object({ id: z.string().regex(/^(gpkg:\d+|online:xyz-[0-9a-f]{10})$/) }).strict(),
    result: z.boolean(),
  },
} as const;

export type BasemapContract = typeof basemapContract;

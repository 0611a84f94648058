/**
 * Basemap channels (spread into `contract` in contract.ts): the project's
 * basemaps with the same-origin tile URLs MapLibre loads, the online sources,
 * and the view state saved in the project (chosen basemap, opacity, muted
 * look, presentation views).
 */
import { z } from 'zod';
import { bboxSchema } from './results/geojson';
import { labelSchema, viewStateSchema } from './results/model';

const basemapViewSchema = z.strictObject({
  /** 'gpkg:<fid>'. */
  id: z.string(),
  fid: z.number(),
  name: z.string(),
  kind: z.enum(['gpkg-tiles', 'mbtiles', 'pmtiles', 'vector-sample']),
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
});
export type OnlineSourceView = z.infer<typeof onlineSourceViewSchema>;

const basemapListSchema = z.strictObject({
  basemaps: z.array(basemapViewSchema),
  online: z.array(onlineSourceViewSchema),
  view: viewStateSchema,
  /** Online failures since the last call, once each (for the status bar). */
  failures: z.array(z.strictObject({ source: z.string(), message: z.string(), at: z.string() })),
});
export type BasemapList = z.infer<typeof basemapListSchema>;

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
} as const;

export type BasemapContract = typeof basemapContract;

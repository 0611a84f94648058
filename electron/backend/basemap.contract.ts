/**
 * Basemap channels (spread into `contract` in contract.ts): the project's
 * basemaps with the same-origin tile URLs MapLibre loads, the online sources,
 * and the view state saved in the project (chosen basemap, opacity, muted
 * look, presentation views).
 */
import { z } from 'zod';
import type { ViewState } from '../../core/basemap/view';

export interface BasemapView {
  /** 'gpkg:<fid>'. */
  id: string;
  fid: number;
  name: string;
  kind: 'gpkg-tiles' | 'mbtiles' | 'pmtiles' | 'vector-sample';
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
}

export interface BasemapList {
  basemaps: BasemapView[];
  online: OnlineSourceView[];
  view: ViewState;
  /** Online failures since the last call, once each (for the status bar). */
  failures: { source: string; message: string; at: string }[];
}

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
} as const;

export type BasemapContract = typeof basemapContract;

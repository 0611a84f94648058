/**
 * The one contract between the renderer and the backend. Every call is a
 * channel `area:verb` with a zod schema for its arguments and a zod schema
 * for its result; the result types are inferred from those schemas (or, for a
 * core type, checked against them at compile time in results/).
 * Electron's preload and the browser-mode HTTP bridge both carry exactly
 * these calls; the renderer imports only the types of this file.
 */
import { z } from 'zod';
import type { ValidationIssue } from '../../core/model/validate';
import { THEME_IDS } from '../../core/style/themes';
import { bboxSchema, featureCollectionSchema, featureSchema, geoFeatureSchema } from './results/geojson';
import { layerNameSchema, perLayer, projectRowSchema, settingsSchema, themeClassStatsSchema } from './results/model';
import { editContract } from './editing.contract';
import { analysisContract, type AnalysisProgress } from './analysis.contract';
import { presentContract } from './export/contract';
import { exportContract } from './export/exportContract';
import { importContract } from './import.contract';
import { sharedContract } from './shared.contract';
import { liveInfoSchema } from './results/shared';
import { basemapContract } from './basemap.contract';

const layer = layerNameSchema;
const featureId = z.string().min(1).max(200);
const none = z.object({}).strict();
const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

/** What the title bar and status bar show about the open project. */
const projectInfoSchema = z.strictObject({
  path: z.string(),
  fileName: z.string(),
  revision: z.number(),
  bbox: bboxSchema.nullable(),
  counts: perLayer(z.number()),
  /** The year the age classes are computed for. */
  year: z.number(),
  /**
   * Layers the map draws from vector tiles (at or above the mapTileMinFeatures
   * setting) and where: `tiles/<key>/<layer>/{z}/{x}/{y}.pbf` below the page's
   * own origin (the app protocol or the loopback bridge). Other layers come by layer:get.
   */
  tiles: z.strictObject({ key: z.string(), layers: z.array(layerNameSchema), minzoom: z.number(), maxzoom: z.number() }),
  /** Per layer, a number that moves whenever its features may have changed (a reload fetches only the layers whose number moved). */
  layerVersions: perLayer(z.number()),
  /**
   * The latest changes, oldest first, each with the layer version it made and the boxes it touched
   * (null: anywhere): a map drawing a layer from tiles reloads only the tiles those boxes meet.
   */
  tileChanges: z.array(z.strictObject({ layer: layerNameSchema, version: z.number(), boxes: z.array(bboxSchema).nullable() })).optional(),
  /** A shared project opened live: the server (no password), the user and the role it gives; null for a GeoPackage. */
  shared: liveInfoSchema.nullable().optional(),
});
export type ProjectInfo = z.infer<typeof projectInfoSchema>;

/** A feature with what the inspector computes around it. */
const featureDetailSchema = z.strictObject({
  layer: layerNameSchema,
  feature: featureSchema,
  /** Geodesic length (pipes, streets) or perimeter-free null for points. */
  lengthM: z.number().nullable(),
  /** Age in years from install_year (or commissioned / year_built), null when unknown. */
  ageYears: z.number().nullable(),
  incidents: z.array(featureSchema),
  projects: z.array(projectRowSchema),
});
export type FeatureDetail = z.infer<typeof featureDetailSchema>;

const layerPageSchema = z.strictObject({
  /** Rows matching the filter. */
  total: z.number(),
  /** The page's rows: schema fields and extras, `id` first. */
  rows: z.array(z.record(z.string(), z.unknown())),
});
export type LayerPage = z.infer<typeof layerPageSchema>;

/** Answer of `layer:box`: features as stored (lon/lat GeoJSON, `id` = the feature's code). */
const layerBoxSchema = z.strictObject({
  features: z.array(featureSchema),
  /** False when the box held more than the limit (the largest were given). */
  complete: z.boolean(),
});
export type LayerBox = z.infer<typeof layerBoxSchema>;

const searchHitSchema = z.strictObject({ layer: layerNameSchema, id: z.string(), name: z.string().nullable() });
export type SearchHit = z.infer<typeof searchHitSchema>;

export const contract = {
  /** The open project's path, extent and layer counts. */
  'project:info': { args: none, result: projectInfoSchema },
  /** One layer as GeoJSON; pipes carry their computed theme classes (`_class_age`, `_class_leak`) and `length_m`. */
  'layer:get': { args: z.object({ layer }).strict(), result: featureCollectionSchema },
  /**
   * What a reader holding one layer as `layer:get` gave it at `revision` (or later) needs to
   * catch up: each feature written since as `layer:get` gives it now, and the codes of those
   * gone. Null when the store cannot tell feature by feature (too long ago, too many, a
   * settings change, another program's write): then read the layer whole.
   */
  'layer:since': {
    args: z.object({ layer, revision: z.number().int().nonnegative() }).strict(),
    result: z.strictObject({ features: z.array(geoFeatureSchema), removed: z.array(z.string()) }).nullable(),
  },
  /**
   * One page of a layer's attribute rows, sorted and filtered in the store (the
   * table of a layer drawn from tiles, which the renderer does not hold).
   */
  'layer:page': {
    args: z
      .object({
        layer,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
        sort: z.string().regex(/^[a-z_][a-z0-9_]*$/).max(64).optional(),
        desc: z.boolean().optional(),
        filter: z.string().max(200).optional(),
      })
      .strict(),
    result: layerPageSchema,
  },
  /**
   * The features of a layer whose extent meets a box (lon/lat), from its spatial index: what a
   * tool on a layer drawn from tiles snaps to and picks from near the cursor or in the view.
   * At most `limit`; `complete` is false when the box held more (the largest are given).
   */
  'layer:box': {
    args: z
      .object({
        layer,
        bbox: z.tuple([lon, lat, lon, lat]).refine((b) => b[0] <= b[2] && b[1] <= b[3], { message: 'west ≤ east and south ≤ north' }),
        limit: z.number().int().min(1).max(20_000).optional(),
      })
      .strict(),
    result: layerBoxSchema,
  },
  /** A feature with its length, age, incidents and projects. */
  'feature:get': { args: z.object({ layer, id: featureId }).strict(), result: featureDetailSchema },
  /** Count and km of pipes per class of a theme, as `warmnet info` reports them. */
  'theme:stats': {
    args: z.object({ theme: z.enum(THEME_IDS) }).strict(),
    result: z.array(themeClassStatsSchema),
  },
  /** Features whose id or name contains the query (case-insensitive). */
  'search:find': {
    args: z.object({ query: z.string().min(1).max(200), limit: z.number().int().min(1).max(500).optional() }).strict(),
    result: z.array(searchHitSchema),
  },
  /** The project's engineering settings. */
  'settings:get': { args: none, result: settingsSchema },
  /** Editing, undo/redo journal, renovation projects and plan progress (issue 5). */
  ...editContract,
  /** Network analyses, engineering checks and settings writes (issues 4, 7). */
  ...analysisContract,
  /** Presentation mode, charts and the export dialog (issue 6). */
  ...presentContract,
  ...exportContract,
  /** The import wizard (issue 8). */
  ...importContract,
  /** A project shared on PostgreSQL/PostGIS: connections, check-out, check-in (issue 18). */
  ...sharedContract,
  /** Basemaps and the saved view state (issue 16). */
  ...basemapContract,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ArgsOf<K extends Channel> = z.input<Contract[K]['args']>;
export type ResultOf<K extends Channel> = z.output<Contract[K]['result']>;

/** The typed call the renderer makes; preload and the HTTP bridge both implement it. */
export type Invoke = <K extends Channel>(channel: K, args: ArgsOf<K>) => Promise<ResultOf<K>>;

/** Backend → renderer events. */
export interface BackendEvents {
  /** The file changed (our write or another program's); payload is the new revision. */
  'project:changed': { revision: number; external?: boolean };
  /** A running analysis moved on (`runId` as given in its call). */
  'analysis:progress': AnalysisProgress;
}
export type BackendEvent = keyof BackendEvents;

/**
 * A refusal as it crosses the bridge (IPC or HTTP): a code the renderer
 * switches on, its parameters, the validation issues when there are any, and
 * the English text for logs. No caller reads the code back out of the text.
 */
export interface BackendFailure {
  /** `cancelled`, `no_source`, `unknown_pipe`, `stale`, `bad_input` (analyses), `invalid` (an edit or row against the schema), `import_refused`, `bad_call`, `cannot_open`, `failed`. */
  code: string;
  message: string;
  params?: Record<string, unknown>;
  issues?: ValidationIssue[];
}

/** One call's answer as the bridge carries it. */
export type Envelope = { ok: true; result: unknown } | { ok: false; error: BackendFailure };

/** What the renderer calls: answers, or a rejection with a `BackendError` (renderer/api.ts) carrying the failure. */
export interface RuntimeApi {
  invoke: Invoke;
  on<E extends BackendEvent>(event: E, cb: (payload: BackendEvents[E]) => void): () => void;
}

/** What preload exposes on `window.warmnet`: the same calls answering with envelopes, so failures keep their code. */
export interface BridgeApi {
  invoke(channel: Channel, args: unknown): Promise<Envelope>;
  on<E extends BackendEvent>(event: E, cb: (payload: BackendEvents[E]) => void): () => void;
}

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/**
 * Vector tiles (MVT) of the project's own layers, cut on demand from the
 * store: the features of a tile come from the layer's GeoPackage R-tree (no
 * scan of the table), geojson-vt clips and simplifies them into the tile and
 * vt-pbf writes the protocol buffer. One layer per tile, named as the project
 * layer, carrying the same properties the GeoJSON path hands out (pipes with
 * their theme classes), so the style's expressions, picking (`id` property,
 * MapLibre's promoteId) and highlight work the same on either path.
 *
 * Tiles are cached (least recently used go first); a write drops only the
 * cached tiles whose extent meets the envelope of what it changed, before or
 * after; an import or another program's write drops the layer (or all).
 *
 * Both transports serve the same URLs, `tiles/<key>/<layer>/<z>/<x>/<y>.pbf`:
 * the Electron app protocol and the browser-mode bridge. `key` is a random
 * name of one open project's tile service (several windows, several projects).
 * `tiles/<key>/<layer>~gcj02/…` cuts the same features shifted into GCJ-02
 * offset coordinates, to lie over a GCJ-02 basemap on screen; the stored data
 * never moves.
 *
 * A hydraulic run's numbers travel in tiles too: the service keeps the latest
 * run's per-pipe columns (`holdHydraulics`) under a token, and
 * `tiles/<key>/pipes~hyd-<token>/…` (or `pipes~gcj02~hyd-<token>/…`) cuts the
 * pipes with their usual properties plus `hyd_q` (flow, m³/h, signed),
 * `hyd_v` (velocity, m/s), `hyd_r` (R, Pa/m), `hyd_p` (lowest supply
 * pressure, kPa) and `hyd_t` (supply temperature in, ℃), each left out where
 * the run has none. Those tiles are cached and dropped with the base layer's;
 * a new run drops the last one's. The same columns answer one pipe by id
 * (`analysis:hydraulicsPipe`, the inspector's row).
 */
import { randomBytes } from 'node:crypto';
import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import { LAYER_NAMES, isLayerName, type LayerName } from '../../core/model/schema';
import type { BBox } from '../../core/model/geojson';
import type { Settings } from '../../core/model/settings';
import type { Feature as ModelFeature } from '../../core/model/types';
import type { StoreApi, StoreChange } from './store/api';
import { mapProperties } from './mapFeatures';
import { wgs84ToGcj02 } from '../../core/geo/gcj02';
import { IdIndex } from '../../core/network/idIndex';
import { pipeViewAt, type HydraulicsPipeColumns, type HydraulicsPipeView } from '../../core/hydraulics/view';

/** Degrees around a GCJ-02 tile searched for the features shifted into it (the offset stays under 0.01° in China). */
const GCJ02_REACH = 0.01;

/** A geometry's positions moved into GCJ-02 (a copy). */
function toGcj02<G>(g: G): G {
  const walk = (c: unknown): unknown => (Array.isArray(c) && typeof c[0] === 'number' ? wgs84ToGcj02(c[0] as number, c[1] as number) : Array.isArray(c) ? c.map(walk) : c);
  const o = g as unknown as { type: string; coordinates?: unknown; geometries?: unknown[] };
  if (o.type === 'GeometryCollection') return { ...o, geometries: (o.geometries ?? []).map(toGcj02) } as G;
  return { ...o, coordinates: walk(o.coordinates) } as G;
}

/** Tile edge in MVT units and the margin around it (as MapLibre's GeoJSON sources use). */
const EXTENT = 4096;
const BUFFER = 64;
/** Deepest zoom cut; MapLibre over-zooms beyond it (4096 units over ~600 m at z16: 15 cm). */
export const TILE_MAX_ZOOM = 16;

/** Which layers the map draws from tiles, and from which zoom. */
export interface TilePlan {
  /** Name of this project's tile service in the URL. */
  key: string;
  layers: LayerName[];
  minzoom: number;
  maxzoom: number;
}

/** [west, south, east, north] of a tile in degrees. */
export function tileBBox(z: number, x: number, y: number): BBox {
  const n = 2 ** z;
  const lon = (i: number) => (i / n) * 360 - 180;
  const lat = (j: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

function meets(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

/** One change of a layer as the tile service saw it (see TileService.recentChanges). */
export interface TileChange {
  layer: LayerName;
  /** The layer's version after this change (layerVersions). */
  version: number;
  /** Envelopes of what changed, before and after; null: the whole layer. */
  boxes: BBox[] | null;
}

/** How many of the latest changes project:info lists (older ones make the map reload the whole layer). */
const CHANGE_HISTORY = 64;

interface Cached {
  layer: LayerName;
  z: number;
  x: number;
  y: number;
  gcj02: boolean;
  /** The hydraulic run whose numbers the tile carries (null: the plain layer). */
  hyd: string | null;
  box: BBox;
  body: Buffer;
}

/** Cache id of a tile. */
const tileId = (t: Pick<Cached, 'layer' | 'z' | 'x' | 'y' | 'gcj02' | 'hyd'>) => `${t.layer}${t.gcj02 ? '~gcj02' : ''}${t.hyd ? `~hyd-${t.hyd}` : ''}/${t.z}/${t.x}/${t.y}`;

/** The hydraulic numbers a result tile gives each pipe, by property name. */
const HYD_PROPERTIES = [
  ['hyd_q', 'flowM3h'],
  ['hyd_v', 'velocityMs'],
  ['hyd_r', 'rPam'],
  ['hyd_p', 'supplyPressureKpa'],
  ['hyd_t', 'supplyInC'],
] as const satisfies readonly (readonly [string, keyof HydraulicsPipeColumns])[];

/** The hydraulic run a service holds: its columns, a pipe id's index into them, and its token. */
interface HeldHydraulics {
  token: string;
  columns: HydraulicsPipeColumns;
  index: IdIndex;
}

export class TileService {
  readonly key = randomBytes(12).toString('hex');
  private readonly cache = new Map<string, Cached>();
  private readonly unsubscribe: () => void;
  private countsAt = -1;
  private counts = new Map<LayerName, number>();
  /** Tiles cut (not served from the cache) since the service started; tests read it. */
  cuts = 0;
  /** Per layer, how many changes it has seen since the service started (the renderer refetches a layer only when its number moves). */
  private readonly changes = new Map<LayerName, number>();
  /** The latest changes, oldest first: the version each gave its layer and the boxes it touched (null: anywhere). */
  private readonly history: TileChange[] = [];
  /** Per layer, the zoom of the tile the map asked for last (the zoom it shows). */
  private readonly lastZoom = new Map<LayerName, number>();
  /** Touched tiles to cut again before the map asks for them, the next first; and the pending turn that cuts one. */
  private ahead: Omit<Cached, 'box' | 'body'>[] = [];
  private aheadTask: ReturnType<typeof setImmediate> | null = null;
  /** Tiles cut ahead of the map's request since the service started; tests read it. */
  cutAhead = 0;
  /** The latest hydraulic run of the project, whose numbers the `~hyd-<token>` tiles carry. */
  private hydraulics: HeldHydraulics | null = null;
  /** The token each run's columns were held under (a run answered again from the runner's cache keeps its token). */
  private readonly tokens = new WeakMap<HydraulicsPipeColumns, string>();

  constructor(
    private readonly store: StoreApi,
    private readonly year: number,
  ) {
    this.unsubscribe = store.onChange((c) => this.invalidate(c));
    services.set(this.key, this);
  }

  close(): void {
    if (this.aheadTask) clearImmediate(this.aheadTask);
    this.aheadTask = null;
    this.ahead = [];
    this.unsubscribe();
    services.delete(this.key);
    this.cache.clear();
    this.hydraulics = null;
  }

  /**
   * Keeps a hydraulic run's per-pipe numbers for the result's tiles and answers their token
   * (the same columns always get the same token); other columns replace the run held, whose
   * tiles are dropped.
   */
  holdHydraulics(columns: HydraulicsPipeColumns): string {
    if (this.hydraulics?.columns === columns) return this.hydraulics.token;
    for (const [id, t] of this.cache) if (t.hyd !== null) this.cache.delete(id);
    this.ahead = this.ahead.filter((t) => t.hyd === null);
    let token = this.tokens.get(columns);
    if (!token) this.tokens.set(columns, (token = randomBytes(8).toString('hex')));
    // the index reads only the ids given (and the features' count)
    this.hydraulics = { token, columns, index: new IdIndex(columns.ids as never, columns.ids) };
    return token;
  }

  /** One pipe's numbers of the hydraulic run held under `token` (null: no such pipe, or that run is no longer held). */
  hydraulicsPipe(token: string, pipeId: string): HydraulicsPipeView | null {
    const h = this.hydraulics;
    if (!h || h.token !== token) return null;
    const i = h.index.get(pipeId);
    return i === undefined ? null : pipeViewAt(h.columns, i);
  }

  private settings(): Settings {
    return this.store.getSettings();
  }

  /** Layers at or above the setting's size go to the map as tiles. */
  plan(): TilePlan {
    const s = this.settings();
    const rev = this.store.revision();
    if (rev !== this.countsAt) {
      this.counts = new Map(LAYER_NAMES.map((l) => [l, this.store.count(l)]));
      this.countsAt = rev;
    }
    const layers = LAYER_NAMES.filter((l) => (this.counts.get(l) ?? 0) >= s.mapTileMinFeatures);
    return { key: this.key, layers, minzoom: s.mapTileMinZoom, maxzoom: TILE_MAX_ZOOM };
  }

  /** The tile's MVT bytes (an empty tile is a valid answer), from the cache when it holds it; `gcj02`: shifted into GCJ-02 for a GCJ-02 basemap. */
  tile(layer: LayerName, z: number, x: number, y: number, gcj02 = false, hyd: string | null = null): Buffer {
    if (!Number.isInteger(z) || z < 0 || z > 24 || !Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) {
      throw new RangeError(`no tile ${z}/${x}/${y}`);
    }
    if (hyd !== null && (layer !== 'pipes' || this.hydraulics?.token !== hyd)) throw new RangeError(`no hydraulic result ${hyd} of ${layer} (replaced by a later run?)`);
    // the zoom the map shows is that of the plain layer's requests
    if (hyd === null) this.lastZoom.set(layer, z);
    const id = tileId({ layer, z, x, y, gcj02, hyd });
    const hit = this.cache.get(id);
    if (hit) {
      // most recently used last
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit.body;
    }
    const tileBox = tileBBox(z, x, y);
    // A shifted tile holds features stored up to the offset away: its box (for invalidation) reaches that far.
    const box: BBox = gcj02 ? [tileBox[0] - GCJ02_REACH, tileBox[1] - GCJ02_REACH, tileBox[2] + GCJ02_REACH, tileBox[3] + GCJ02_REACH] : tileBox;
    const body = this.cut(layer, z, x, y, tileBox, gcj02 ? box : null, hyd === null ? null : this.hydraulics);
    this.cache.set(id, { layer, z, x, y, gcj02, hyd, box, body });
    const max = this.settings().mapTileCacheSize;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value as string);
    return body;
  }

  private cut(layer: LayerName, z: number, x: number, y: number, box: BBox, gcj02Box: BBox | null, hyd: HeldHydraulics | null): Buffer {
    this.cuts++;
    const s = this.settings();
    const w = box[2] - box[0];
    const m = (w * BUFFER) / EXTENT;
    // a feature smaller than the setting (in 512-px tile pixels) in both directions cannot be seen at this zoom
    const cosLat = Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180);
    const minSize = (w / 512) * s.mapTileMinFeaturePx * cosLat;
    const query: BBox = gcj02Box ? [gcj02Box[0] - m, gcj02Box[1] - m, gcj02Box[2] + m, gcj02Box[3] + m] : [box[0] - m, box[1] - m, box[2] + m, box[3] + m];
    const found = this.store.featuresInBox(layer, query, minSize, s.mapTileMaxFeatures);
    const features = [];
    for (const f of found) {
      if (!f.geometry) continue;
      const props: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(mapProperties(layer, f as ModelFeature, s, this.year))) if (v !== null && v !== undefined) props[k] = v;
      if (hyd) addHydraulics(props, hyd, String(f.id));
      features.push({ type: 'Feature' as const, geometry: gcj02Box ? toGcj02(f.geometry) : f.geometry, properties: props });
    }
    if (features.length === 0) return Buffer.from(vtpbf.fromGeojsonVt({ [layer]: { features: [] } }, { version: 2, extent: EXTENT }));
    const index = new GeoJSONVT({ type: 'FeatureCollection', features } as never, {
      maxZoom: 24,
      indexMaxZoom: 0,
      indexMaxPoints: 0,
      extent: EXTENT,
      buffer: BUFFER,
      tolerance: 3,
    });
    const tile = index.getTile(z, x, y) ?? { features: [] };
    return Buffer.from(vtpbf.fromGeojsonVt({ [layer]: tile }, { version: 2, extent: EXTENT }));
  }

  /** Per layer: a number that moves whenever the layer's features may have changed. */
  layerVersions(): Record<LayerName, number> {
    return Object.fromEntries(LAYER_NAMES.map((l) => [l, this.changes.get(l) ?? 0])) as Record<LayerName, number>;
  }

  /**
   * The latest changes (at most CHANGE_HISTORY), oldest first: with the version it had before,
   * a map that draws a layer from tiles reloads only the tiles its boxes meet — or, when a
   * version in between is missing here or a change has no boxes, the whole layer.
   */
  recentChanges(): TileChange[] {
    return this.history.slice();
  }

  /** Drops the cached tiles a change may have made wrong. */
  private invalidate(c: StoreChange): void {
    for (const l of c.layer === null ? LAYER_NAMES : [c.layer]) {
      const version = (this.changes.get(l) ?? 0) + 1;
      this.changes.set(l, version);
      this.history.push({ layer: l, version, boxes: c.layer === null ? null : c.boxes });
    }
    if (this.history.length > CHANGE_HISTORY) this.history.splice(0, this.history.length - CHANGE_HISTORY);
    if (c.layer === null) {
      this.cache.clear();
      this.ahead = [];
      return;
    }
    const shown = this.lastZoom.get(c.layer);
    const again: Omit<Cached, 'box' | 'body'>[] = [];
    for (const [id, t] of this.cache) {
      if (t.layer !== c.layer) continue;
      if (c.boxes === null || c.boxes.some((b) => meets(b, this.margined(t.box)))) {
        this.cache.delete(id);
        // a result's tiles are cut again when the map asks (after an edit its result is stale)
        if (c.boxes !== null && t.z === shown && t.hyd === null) again.push({ layer: t.layer, z: t.z, x: t.x, y: t.y, gcj02: t.gcj02, hyd: null });
      }
    }
    this.cutAheadOf(again.reverse());
  }

  /**
   * After an edit the map asks again for the touched tiles it shows, once its reload has run
   * (a round trip or two later): the touched tiles it asked for last (at the zoom it shows,
   * most recently used first, at most the setting's number) are cut meanwhile, one per turn of
   * the event loop so that calls and tile requests arriving in between are answered first.
   * A tile asked for before its turn is cut then and served; its turn then finds it cached.
   */
  private cutAheadOf(tiles: Omit<Cached, 'box' | 'body'>[]): void {
    const max = this.settings().mapTileRecutAhead;
    const key = tileId;
    const fresh = new Set(tiles.map(key));
    this.ahead = [...tiles, ...this.ahead.filter((t) => !fresh.has(key(t)))].slice(0, Math.max(0, max));
    if (this.ahead.length === 0 || this.aheadTask) return;
    const turn = () => {
      this.aheadTask = null;
      const t = this.ahead.shift();
      if (!t) return;
      if (!this.cache.has(key(t))) {
        const zoom = this.lastZoom.get(t.layer);
        this.tile(t.layer, t.z, t.x, t.y, t.gcj02);
        this.cutAhead++;
        // cutting ahead is not the map asking: the zoom it shows stays as it was
        if (zoom !== undefined) this.lastZoom.set(t.layer, zoom);
      }
      if (this.ahead.length) this.aheadTask = setImmediate(turn);
    };
    this.aheadTask = setImmediate(turn);
  }

  private margined(b: BBox): BBox {
    const m = ((b[2] - b[0]) * BUFFER) / EXTENT;
    return [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
  }

  /** Number of tiles in the cache (tests). */
  cachedTiles(): string[] {
    return [...this.cache.keys()];
  }
}

/** The run's numbers of pipe `id` as the result tile's properties (none where the run has no number). */
function addHydraulics(props: Record<string, unknown>, hyd: HeldHydraulics, id: string): void {
  const i = hyd.index.get(id);
  if (i === undefined) return;
  for (const [name, column] of HYD_PROPERTIES) {
    const v = hyd.columns[column][i];
    if (Number.isFinite(v)) props[name] = v;
  }
}

const services = new Map<string, TileService>();

/** Path of a tile request below the server root: `tiles/<key>/<layer>[~gcj02][~hyd-<token>]/<z>/<x>/<y>.pbf`. */
const TILE_PATH = /^\/?tiles\/([0-9a-f]{24})\/([a-z_]+)(~gcj02)?(?:~hyd-([0-9a-f]{16}))?\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.pbf$/;

/**
 * Answers a tile request of either transport: null when the path is not a
 * tile path (the caller serves its files), else status and body.
 */
export function serveTile(pathname: string): { status: number; body: Buffer | string; type: string } | null {
  if (!pathname.replace(/^\/+/, '').startsWith('tiles/')) return null;
  const m = TILE_PATH.exec(pathname.replace(/^\/+/, '/'));
  if (!m) return { status: 404, body: 'no such tile', type: 'text/plain' };
  const service = services.get(m[1]);
  if (!service) return { status: 404, body: 'no such tile service (project closed?)', type: 'text/plain' };
  if (!isLayerName(m[2])) return { status: 404, body: `no layer ${m[2]}`, type: 'text/plain' };
  try {
    return { status: 200, body: service.tile(m[2], Number(m[5]), Number(m[6]), Number(m[7]), !!m[3], m[4] ?? null), type: 'application/x-protobuf' };
  } catch (e) {
    if (e instanceof RangeError) return { status: 404, body: e.message, type: 'text/plain' };
    throw e;
  }
}

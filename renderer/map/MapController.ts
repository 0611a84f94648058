/**
 * The one owner of the maplibregl.Map. React tells it what to show (data,
 * theme, visibility, selection); it sends a layer's data to the map only when
 * it changed — the features that changed when they are few (an edit), the
 * whole collection otherwise — and paints hover/selection through
 * feature-state. On the map every feature is known by its code (P-0123), the
 * id the rest of the app uses: each source promotes the `id` property.
 */
import { homeView } from '../../core/carto/home';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection, BBox } from '../../core/model/geojson';
import type { LayerName } from '../../core/model/schema';
import type { ThemeId } from '../../core/style/themes';
import { buildStyle, MAP_LAYERS, PICKABLE, pipeColor } from './style';
import { facilityIcons, ICON_PIXEL_RATIO } from './icons';
import { BASEMAP_PREFIX, basemapStyle, type BasemapChoice, type BasemapLook } from './basemapStyle';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../core/geo/gcj02';
import { overlayDiff, type MapOverlay } from './overlays';
import { bboxOf } from './bbox';
import { changedBoxes, tilesMeeting, type TileChange } from './tileRefresh';
import { clamp } from '../../core/format/number';
import { featureCode } from '../../core/model/collection';

export { bboxOf };

maplibregl.setWorkerUrl(workerUrl);

/** System fonts that carry the Chinese glyphs (fonts-noto-cjk on Linux, YaHei on Windows, PingFang on macOS). */
export const CJK_FONTS = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/** A data tile's address below the page: layer, z, x, y. */
const TILE_URL = /\/tiles\/[0-9a-f]+\/([a-z_]+)\/(\d+)\/(\d+)\/(\d+)\.pbf\?v=\d+$/;

export interface FeatureRef {
  layer: LayerName;
  id: string;
}

type Feature = FeatureCollection['features'][number];

interface LayerIndex {
  data: FeatureCollection;
  byCode: Map<string, Feature>;
}

/**
 * Above this share of a layer's features changed at once (and this many), the layer's whole
 * collection is sent again rather than the changes: MapLibre applies a diff feature by feature.
 */
const DIFF_MAX_SHARE = 0.2;
const DIFF_MIN = 200;

/** Which layers are drawn from the backend's vector tiles (project:info's `tiles`). */
export interface TilePlan {
  key: string;
  layers: LayerName[];
  minzoom: number;
  maxzoom: number;
}

export interface MapControllerOptions {
  container: HTMLElement;
  theme: ThemeId;
  visible: Record<LayerName, boolean>;
  onPick?(ref: FeatureRef | null): void;
  onHover?(ref: FeatureRef | null): void;
  onCursor?(lngLat: { lng: number; lat: number } | null): void;
}

export class MapController {
  readonly map: maplibregl.Map;
  private readonly layers = new Map<LayerName, LayerIndex>();
  private selected: FeatureRef | null = null;
  private hovered: FeatureRef | null = null;
  private loaded: Promise<void>;
  private styleLoaded = false;
  /** Registered overlays by key, and the JSON of each overlay layer as added (a changed spec is re-added). */
  private readonly overlays = new Map<string, MapOverlay>();
  private readonly overlaySpecs = new Map<string, string>();
  private readonly overlaysDrawn = new Set<string>();
  /** Layers drawn from tiles, with the tile URL they use now. */
  private readonly tiled = new Map<LayerName, string>();

  constructor(private readonly opts: MapControllerOptions) {
    const base = new URL('.', window.location.href).href;
    this.map = new maplibregl.Map({
      container: opts.container,
      style: buildStyle({ theme: opts.theme, glyphsUrl: `${base}glyphs/{fontstack}/{range}.pbf`, visible: opts.visible }) as maplibregl.StyleSpecification,
      // Until the project's extent is known: the empty-project view of the default settings (no town written in here).
      center: homeView(DEFAULT_SETTINGS).center,
      zoom: homeView(DEFAULT_SETTINGS).zoom,
      attributionControl: false,
      localIdeographFontFamily: CJK_FONTS,
      // no MSAA: MapLibre already smooths line and text edges in its shaders, and multisampling
      // multiplies every frame's cost under software WebGL (the first idle draws many frames)
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
      fadeDuration: 0,
      // A tile reloaded after an edit is asked for under its own address (…&e=N), so that no
      // cache on the way — MapLibre's worker keeps the slices it cuts beyond the source's deepest
      // zoom by address — hands back the tile as it was.
      transformRequest: (url, type) => {
        if (type !== 'Tile' || !this.tileEdits.size) return { url };
        const m = TILE_URL.exec(url);
        const e = m && this.tileEdits.get(`${m[1]}/${m[2]}/${m[3]}/${m[4]}`);
        return { url: e ? `${url}&e=${e}` : url };
      },
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-left');
    // The basemap's credit (Tianditu's terms ask for it on screen too); empty without a basemap.
    this.map.addControl(new maplibregl.AttributionControl({ compact: false }), 'bottom-right');
    // The attribution is the basemap provider's own text (data), shown as written in every language.
    this.map.getContainer().querySelector('.maplibregl-ctrl-attrib')?.setAttribute('data-value', '');
    for (const [name, img] of Object.entries(facilityIcons())) this.map.addImage(name, img, { pixelRatio: ICON_PIXEL_RATIO });
    this.loaded = new Promise((ok) => this.map.once('load', () => (performance.mark('wn:style-load'), (this.styleLoaded = true), ok())));
    this.bindPointer();
  }

  /** True once the style has loaded (whenLoaded has resolved). */
  get isLoaded(): boolean {
    return this.styleLoaded;
  }

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  /** Resolves at the next `idle` (all tiles drawn, no transition running). */
  whenIdle(): Promise<void> {
    return new Promise((ok) => {
      if (this.map.loaded() && !this.map.isMoving() && this.map.areTilesLoaded() && !this.map._sourcesDirty) {
        // still wait one frame so a pending repaint lands first
        this.map.once('idle', () => ok());
        this.map.triggerRepaint();
      } else this.map.once('idle', () => ok());
    });
  }

  private gcj02 = false;
  private basemapKey = '';
  /** The tile plan last drawn, to redraw tiled layers shifted (or not) when a GCJ-02 basemap comes or goes. */
  private tilePlan: { plan: TilePlan; versions: Partial<Record<LayerName, number>> | number } | null = null;

  /**
   * The basemap under the data (null: none), replacing the one drawn. A GCJ-02
   * source shifts the data layers on screen to match it; the stored data never moves.
   */
  setBasemap(choice: (BasemapChoice & { gcj02?: boolean }) | null, look: BasemapLook): void {
    const key = JSON.stringify([choice, look]);
    if (key === this.basemapKey) return;
    this.basemapKey = key;
    const style = this.map.getStyle();
    for (const l of style.layers) if (l.id.startsWith(BASEMAP_PREFIX)) this.map.removeLayer(l.id);
    for (const id of Object.keys(style.sources)) if (id.startsWith(BASEMAP_PREFIX)) this.map.removeSource(id);
    const { sources, layers } = basemapStyle(choice, look);
    for (const [id, src] of Object.entries(sources)) this.map.addSource(id, src as maplibregl.SourceSpecification);
    // Under everything of the project: right above the plain background.
    const first = this.map.getStyle().layers.find((l) => l.id !== 'background' && !l.id.startsWith(BASEMAP_PREFIX))?.id;
    for (const l of layers) this.map.addLayer(l as maplibregl.LayerSpecification, first);
    const shift = !!choice?.gcj02;
    if (shift !== this.gcj02) {
      this.gcj02 = shift;
      for (const [layer, idx] of [...this.layers]) {
        this.layers.delete(layer);
        this.setLayerData(layer, idx.data);
      }
      // Layers drawn from tiles: the backend cuts them shifted (`<layer>~gcj02`).
      if (this.tilePlan) this.setTiles(this.tilePlan.plan, this.tilePlan.versions);
      // Analysis overlays (results drawn over the network) move with it.
      for (const ov of this.overlays.values()) {
        for (const [id, data] of Object.entries(ov.sources)) void (this.map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(this.shiftedCollection(data) as never);
        // and their tiles are cut shifted
        for (const [id, t] of Object.entries(ov.tiles ?? {})) if (this.map.getSource(id)) this.setOverlayTiles(id, t);
      }
    }
  }

  /** True while the data is drawn shifted into GCJ-02 (over a GCJ-02 basemap). */
  get shifted(): boolean {
    return this.gcj02;
  }

  /** Where a stored position (CGCS2000 ≈ WGS 84 lon/lat) is drawn on the map now. */
  screenPosition(p: readonly number[]): [number, number] {
    return this.gcj02 ? wgs84ToGcj02(p[0], p[1]) : [p[0], p[1]];
  }

  /** The stored position of a place on the map (a click, a drawn vertex): screen positions over a GCJ-02 basemap are moved back, so what is written never carries the offset. */
  storedPosition(p: readonly number[]): [number, number] {
    return this.gcj02 ? gcj02ToWgs84(p[0], p[1]) : [p[0], p[1]];
  }

  /** A stored box as drawn (its corners moved where the data is drawn). */
  screenBox(b: BBox): BBox {
    if (!this.gcj02) return b;
    const [w, s] = this.screenPosition([b[0], b[1]]);
    const [e, n] = this.screenPosition([b[2], b[3]]);
    return [w, s, e, n];
  }

  /** A box on the map as a stored box. */
  storedBox(b: BBox): BBox {
    if (!this.gcj02) return b;
    const [w, s] = this.storedPosition([b[0], b[1]]);
    const [e, n] = this.storedPosition([b[2], b[3]]);
    return [w, s, e, n];
  }

  /** A collection as drawn (overlays, the import preview): shifted over a GCJ-02 basemap. */
  shiftedCollection(fc: FeatureCollection): FeatureCollection {
    if (!this.gcj02) return fc;
    return { ...fc, features: fc.features.map((f) => (f.geometry ? { ...f, geometry: shiftGeometry(f.geometry) } : f)) } as FeatureCollection;
  }

  /** The basemap's attribution as drawn (for the map corner and exports). */
  basemapAttribution(): string {
    const style = this.map.getStyle();
    return Object.entries(style.sources)
      .filter(([id]) => id.startsWith(BASEMAP_PREFIX))
      .map(([, s]) => (s as { attribution?: string }).attribution ?? '')
      .filter(Boolean)
      .join(' · ');
  }

  /** Tiles reloaded after an edit (`layer/z/x/y`) and the layer version they were reloaded at. */
  private readonly tileEdits = new Map<string, number>();
  /** The version of each tiled layer the map shows (its tiles may still carry an older one in their URL). */
  private readonly tiledVersion = new Map<LayerName, number>();
  /** Tile ids asked to reload by the last partial refresh of each layer (tests and the benchmark read it). */
  readonly lastRefresh = new Map<LayerName, number>();

  /**
   * Draws the plan's layers from vector tiles (`tiles/<key>/<layer>/{z}/{x}/{y}.pbf` below
   * the page's origin) and the others from GeoJSON. A source changes type by being replaced
   * with its style layers as they stand (theme, visibility). When a tiled layer's version
   * moves and `changes` lists every change in between with its boxes, only the tiles those
   * boxes meet are reloaded (the backend recut exactly those); otherwise the tile URL is
   * swapped and the layer's visible tiles all reload. Returns true when anything changed.
   */
  setTiles(plan: TilePlan | undefined, versions: Partial<Record<LayerName, number>> | number, changes: readonly TileChange[] = []): boolean {
    this.tilePlan = plan ? { plan, versions } : null;
    const suffix = this.gcj02 ? '~gcj02' : '';
    let changed = false;
    const want = new Set(plan?.layers ?? []);
    for (const l of Object.keys(MAP_LAYERS) as LayerName[]) {
      const version = typeof versions === 'number' ? versions : (versions[l] ?? 0);
      const base = plan ? new URL(`tiles/${plan.key}/${l}${suffix}/{z}/{x}/{y}.pbf`, window.location.href).href.replace(/%7B/g, '{').replace(/%7D/g, '}') : null;
      const now = this.tiled.get(l) ?? null;
      if (plan && want.has(l) && now && now.startsWith(`${base}?v=`) && typeof versions !== 'number') {
        const shown = this.tiledVersion.get(l) ?? version;
        if (shown === version) continue;
        changed = true;
        this.tiledVersion.set(l, version);
        const boxes = changedBoxes(changes, l, shown, version);
        if (boxes && this.refreshTilesMeeting(l, boxes, plan)) continue;
        const url = `${base}?v=${version}`;
        this.forgetTileEdits(l);
        (this.map.getSource(l) as maplibregl.VectorTileSource).setTiles([url]);
        this.tiled.set(l, url);
        continue;
      }
      const url = plan && want.has(l) ? `${base}?v=${version}` : null;
      if (url === now) continue;
      changed = true;
      if (url) this.tiledVersion.set(l, version);
      if (url && now) {
        (this.map.getSource(l) as maplibregl.VectorTileSource).setTiles([url]);
        this.tiled.set(l, url);
        continue;
      }
      const source: maplibregl.SourceSpecification = url
        ? { type: 'vector', tiles: [url], minzoom: plan!.minzoom, maxzoom: plan!.maxzoom, promoteId: 'id' }
        : { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
      this.replaceSource(l, source, url !== null);
      if (url) {
        this.tiled.set(l, url);
        this.layers.delete(l);
      } else this.tiled.delete(l);
    }
    if (changed && this.selected && this.tiled.has(this.selected.layer)) this.paintState(this.selected, 'selected', true);
    return changed;
  }

  /**
   * Reloads the layer's tiles that `boxes` meet (with the tile's buffer), at every zoom the
   * map can show, and forgets cached tiles out of view that they meet; false when the map
   * cannot do so (then the caller reloads the layer).
   */
  private refreshTilesMeeting(layer: LayerName, boxes: BBox[], plan: TilePlan): boolean {
    const manager = (this.map.style as unknown as { tileManagers?: Record<string, { _outOfViewCache?: { filter(keep: (t: { tileID: { canonical: { z: number; x: number; y: number } } }) => boolean): void } }> })
      .tileManagers?.[layer];
    const cache = manager?._outOfViewCache;
    if (!manager || !cache) return false;
    // beyond the source's deepest zoom MapLibre cuts its own tiles from the deepest ones: those count too
    const ids = tilesMeeting(boxes, plan.minzoom, clamp(Math.ceil(this.map.getMaxZoom()), plan.maxzoom, Math.max(plan.maxzoom, 24)), plan.maxzoom);
    const keys = new Set(ids.map((t) => `${t.z}/${t.x}/${t.y}`));
    const version = this.tiledVersion.get(layer) ?? 0;
    for (const k of keys) this.tileEdits.set(`${layer}/${k}`, version);
    cache.filter((t) => !keys.has(`${t.tileID.canonical.z}/${t.tileID.canonical.x}/${t.tileID.canonical.y}`));
    this.map.refreshTiles(layer, ids);
    performance.mark('wn:tiles-refresh');
    this.lastRefresh.set(layer, ids.length);
    return true;
  }

  private forgetTileEdits(layer: LayerName): void {
    for (const k of [...this.tileEdits.keys()]) if (k.startsWith(`${layer}/`)) this.tileEdits.delete(k);
  }

  /** True when the layer is drawn from tiles (no GeoJSON of it in the renderer). */
  isTiled(layer: LayerName): boolean {
    return this.tiled.has(layer);
  }

  private replaceSource(name: LayerName, source: maplibregl.SourceSpecification, vector: boolean): void {
    const all = this.map.getStyle().layers;
    const mine = all.filter((l) => 'source' in l && l.source === name);
    const before = mine.map((l) => {
      // the first layer after this one in the style that stays
      const i = all.indexOf(l);
      return all.slice(i + 1).find((x) => !('source' in x) || x.source !== name)?.id;
    });
    for (const l of mine) this.map.removeLayer(l.id);
    this.map.removeSource(name);
    this.map.addSource(name, source);
    mine.forEach((l, i) => {
      const spec = { ...l } as maplibregl.LayerSpecification & { 'source-layer'?: string };
      if (vector) spec['source-layer'] = name;
      else delete spec['source-layer'];
      this.map.addLayer(spec, before[i]);
    });
  }

  /**
   * Replaces a layer's data, but only if it is a different collection than the one drawn. A
   * collection that differs from the one drawn in a few features (an edit's reload keeps every
   * other feature object as it was) goes to the map as those changes: MapLibre then re-cuts
   * only the tiles they touch, instead of indexing the whole layer again.
   */
  setLayerData(layer: LayerName, data: FeatureCollection): boolean {
    if (this.tiled.has(layer)) return false;
    const prev = this.layers.get(layer);
    if (prev && prev.data === data) return false;
    const byCode = new Map<string, Feature>();
    for (const f of data.features) byCode.set(featureCode(f), f);
    this.layers.set(layer, { data, byCode });
    const src = this.map.getSource(layer) as maplibregl.GeoJSONSource | undefined;
    if (!src) return true;
    const diff = prev ? this.layerDiff(prev.byCode, byCode) : null;
    if (diff) {
      void src.updateData(diff as never);
      performance.mark('wn:layer-diff');
    } else void src.setData({ type: 'FeatureCollection', features: data.features.map((f) => this.drawn(f)) } as never);
    if (this.selected?.layer === layer) this.paintState(this.selected, 'selected', true);
    return true;
  }

  /** A feature as the map draws it: its code as the `id` property, shifted over a GCJ-02 basemap. */
  private drawn(f: Feature): Feature {
    const geometry = this.gcj02 && f.geometry ? shiftGeometry(f.geometry) : f.geometry;
    const { id: _id, ...rest } = f;
    return { ...rest, geometry, properties: { ...f.properties, id: featureCode(f) } } as Feature;
  }

  /** The features to add (or replace) and the codes to remove between two states of a layer; null when too many changed. */
  private layerDiff(before: Map<string, Feature>, after: Map<string, Feature>): { add: Feature[]; remove: string[] } | null {
    const max = Math.max(DIFF_MIN, Math.ceil(after.size * DIFF_MAX_SHARE));
    const add: Feature[] = [];
    const remove: string[] = [];
    for (const [code, f] of after) {
      if (before.get(code) === f) continue;
      if (add.push(this.drawn(f)) > max) return null;
    }
    for (const code of before.keys()) {
      if (after.has(code)) continue;
      if (remove.push(code) + add.length > max) return null;
    }
    return { add, remove };
  }

  setTheme(theme: ThemeId): void {
    const color = pipeColor(theme) as maplibregl.ExpressionSpecification;
    this.map.setPaintProperty('pipes-line', 'line-color', color);
    this.map.setPaintProperty('pipes-planned', 'line-color', color);
  }

  setVisible(layer: LayerName, visible: boolean): void {
    for (const id of MAP_LAYERS[layer]) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  setSelection(ref: FeatureRef | null): void {
    if (sameRef(ref, this.selected)) return;
    if (this.selected) this.paintState(this.selected, 'selected', false);
    this.selected = ref;
    if (ref) this.paintState(ref, 'selected', true);
  }

  setHover(ref: FeatureRef | null): void {
    if (sameRef(ref, this.hovered)) return;
    if (this.hovered) this.paintState(this.hovered, 'hover', false);
    this.hovered = ref;
    if (ref) this.paintState(ref, 'hover', true);
  }

  /** Moves the view so a feature fills a comfortable part of it. */
  frame(ref: FeatureRef, geometry?: { coordinates: unknown }): void {
    const g = geometry ?? this.feature(ref)?.geometry;
    if (!g) return;
    const b = bboxOf(g.coordinates as unknown);
    if (!b) return;
    const [w, s, e, nn] = this.screenBox(b);
    if (w === e && s === nn) this.map.easeTo({ center: [w, s], zoom: Math.max(this.map.getZoom(), 17), duration: 300 });
    else this.map.fitBounds([[w, s], [e, nn]], { padding: 80, maxZoom: 17.5, duration: 300 });
  }

  zoomTo(stored: BBox, animate = true): void {
    const bbox = this.screenBox(stored);
    if (!animate) {
      // usable before the style has loaded (fitBounds animates through the event loop)
      const cam = this.map.cameraForBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 40 });
      if (cam) this.map.jumpTo(cam);
      return;
    }
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 40, duration: animate ? 300 : 0 });
  }

  /** The feature as drawn (from the data last given), by code. */
  feature(ref: FeatureRef): Feature | undefined {
    return this.layers.get(ref.layer)?.byCode.get(ref.id);
  }

  /** Every feature of a layer as drawn. */
  features(layer: LayerName): FeatureCollection['features'] {
    return this.layers.get(layer)?.data.features ?? [];
  }

  /**
   * Registers (or replaces, or with null removes) the overlay under `key`: its
   * sources get their data, its layers are added in order (under `before`
   * where that app layer exists), layers and sources it no longer declares go.
   * Safe before the style has loaded: it applies once the map can take it.
   */
  setOverlay(key: string, overlay: MapOverlay | null): void {
    const prev = this.overlays.get(key) ?? null;
    if (overlay) this.overlays.set(key, overlay);
    else this.overlays.delete(key);
    const apply = () => {
      if (this.overlays.get(key) !== (overlay ?? undefined)) return; // a later call replaced this one
      const map = this.map;
      const d = overlayDiff(prev, overlay);
      for (const id of d.removeLayers) {
        if (map.getLayer(id)) map.removeLayer(id);
        this.overlaySpecs.delete(id);
      }
      for (const id of d.removeSources) if (map.getSource(id)) map.removeSource(id);
      for (const [name, img] of Object.entries(overlay?.images ?? {}))
        if (!map.hasImage(name)) map.addImage(name, { width: img.width, height: img.height, data: img.data }, { pixelRatio: img.pixelRatio ?? 1 });
      for (const id of d.sources) {
        const data = this.shiftedCollection(overlay!.sources[id]);
        const src = map.getSource(id) as maplibregl.GeoJSONSource | undefined;
        if (src) void src.setData(data as never);
        else map.addSource(id, { type: 'geojson', data: data as never });
      }
      // vector sources of the project's tiles: drawn while the map has a tile plan
      const absent = new Set<string>();
      for (const id of d.tiles) if (!this.setOverlayTiles(id, overlay!.tiles![id])) absent.add(id);
      for (const { before, ...layer } of d.layers) {
        if ('source' in layer && absent.has(layer.source as string)) continue;
        const json = JSON.stringify(layer);
        if (map.getLayer(layer.id)) {
          if (this.overlaySpecs.get(layer.id) === json) continue;
          map.removeLayer(layer.id);
        }
        map.addLayer(layer as maplibregl.LayerSpecification, before && map.getLayer(before) ? before : undefined);
        this.overlaySpecs.set(layer.id, json);
      }
      this.overlaysDrawn.add(key);
    };
    // An overlay already drawn takes new data at any time (isStyleLoaded is false while tiles load).
    if (this.map.isStyleLoaded() || this.overlaysDrawn.has(key)) apply();
    else void this.whenLoaded().then(() => (this.map.isStyleLoaded() ? apply() : this.map.once('idle', apply)));
  }

  /** The URL of a layer's tiles in a variant of the tile service's (null: no tile plan). */
  private overlayTileUrl(t: { layer: LayerName; variant: string }): string | null {
    const plan = this.tilePlan?.plan;
    if (!plan) return null;
    return new URL(`tiles/${plan.key}/${t.layer}${this.gcj02 ? '~gcj02' : ''}~${t.variant}/{z}/{x}/{y}.pbf`, window.location.href).href.replace(/%7B/g, '{').replace(/%7D/g, '}');
  }

  /** Adds, or points at new tiles, an overlay's vector source; false when the map has no tile plan. */
  private setOverlayTiles(id: string, t: { layer: LayerName; variant: string }): boolean {
    const url = this.overlayTileUrl(t);
    if (!url) return false;
    const src = this.map.getSource(id) as maplibregl.VectorTileSource | undefined;
    if (src) {
      if (src.tiles?.[0] !== url) src.setTiles([url]);
    } else {
      const plan = this.tilePlan!.plan;
      this.map.addSource(id, { type: 'vector', tiles: [url], minzoom: plan.minzoom, maxzoom: plan.maxzoom, promoteId: 'id' });
    }
    return true;
  }

  /** The overlay registered under a key (tests and tools). */
  overlay(key: string): MapOverlay | null {
    return this.overlays.get(key) ?? null;
  }

  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.map.remove();
  }

  private paintState(ref: FeatureRef, key: 'selected' | 'hover', on: boolean) {
    // tiles and collections alike carry the code as `id`, which the source promotes to the feature id
    if (this.tiled.has(ref.layer)) this.map.setFeatureState({ source: ref.layer, sourceLayer: ref.layer, id: ref.id }, { [key]: on });
    else if (this.layers.get(ref.layer)?.byCode.has(ref.id) && this.map.getSource(ref.layer)) this.map.setFeatureState({ source: ref.layer, id: ref.id }, { [key]: on });
  }

  private pick(point: maplibregl.PointLike): FeatureRef | null {
    const pad = 4; // a thin pipe is hard to hit exactly
    const p = maplibregl.Point.convert(point);
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [
      [p.x - pad, p.y - pad],
      [p.x + pad, p.y + pad],
    ];
    const layers = PICKABLE.map((x) => x.mapLayer).filter((l) => this.map.getLayer(l) && this.map.getLayoutProperty(l, 'visibility') !== 'none');
    const hits = this.map.queryRenderedFeatures(box, { layers });
    if (!hits.length) return null;
    // queryRenderedFeatures lists topmost first; prefer points over lines over areas.
    const order = (l: string) => PICKABLE.findIndex((x) => x.mapLayer === l);
    hits.sort((a, b) => order(a.layer.id) - order(b.layer.id));
    const hit = hits[0];
    const layer = PICKABLE[order(hit.layer.id)].layer;
    return hit.properties?.id === undefined ? null : { layer, id: String(hit.properties.id) };
  }

  private bindPointer() {
    this.map.on('click', (e) => this.opts.onPick?.(this.pick(e.point)));
    let raf = 0;
    this.map.on('mousemove', (e) => {
      const [lng, lat] = this.storedPosition([e.lngLat.lng, e.lngLat.lat]);
      this.opts.onCursor?.({ lng, lat });
      if (raf) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        const ref = this.pick(e.point);
        this.map.getCanvas().style.cursor = ref ? 'pointer' : '';
        this.opts.onHover?.(ref);
      });
    });
    this.map.on('mouseout', () => {
      this.opts.onCursor?.(null);
      this.opts.onHover?.(null);
    });
  }
}

function sameRef(a: FeatureRef | null, b: FeatureRef | null) {
  return a === b || (!!a && !!b && a.layer === b.layer && a.id === b.id);
}

/** A geometry in GCJ-02 offset coordinates, for drawing over a GCJ-02 basemap (a copy; the data is not touched). */
function shiftGeometry<G extends { type: string }>(g: G): G {
  const walk = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? wgs84ToGcj02(c[0] as number, c[1] as number) : Array.isArray(c) ? c.map(walk) : c;
  if (g.type === 'GeometryCollection') return { ...g, geometries: (g as unknown as { geometries: { type: string }[] }).geometries.map(shiftGeometry) };
  return { ...g, coordinates: walk((g as unknown as { coordinates: unknown }).coordinates) };
}

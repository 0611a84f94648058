/**
 * The editing modes on the map. Terra Draw (through its MapLibre adapter)
 * draws new pipes with our network snapping, box and lasso selections, and
 * moves / deletes the vertices of one pipe; split and placement are single
 * clicks snapped to the network with the same pixel tolerance. The
 * controller only turns gestures into geometry and hands it to callbacks;
 * what is saved is decided in actions.ts.
 */
import * as maplibregl from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawFreehandMode,
  TerraDrawLineStringMode,
  TerraDrawRectangleMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { FeatureCollection, Position } from '../../core/model/geojson';
import type { LayerName } from '../../core/model/schema';
import { invoke } from '../api';
import { snapAt, type SnapTarget } from '../../core/geo/snap';
import type { MapController } from '../map/MapController';
import { candidatesFrom, DEFAULT_SNAP_PX, networkSnapper } from './snapping';
import type { Tool } from './editStore';
import { roundTo } from '../../core/format/number';

export interface EditCallbacks {
  /** A pipe was drawn (Enter or a click on its last point). */
  onPipeDrawn(coordinates: Position[]): void;
  /** A box or lasso was closed: its outer ring. */
  onArea(ring: Position[]): void;
  /**
   * A click in split / place / click-link mode, snapped to the network (null: nothing within
   * tolerance); `onPipe` when what it snapped to belongs to a pipe (not a valve or a station).
   */
  onNetworkClick(target: SnapTarget | null, at: Position, onPipe: boolean): void;
}

/** The layers the tools snap to: pipes (ends, vertices, lines) and the point features that are network nodes. */
const SNAP_LAYERS = ['pipes', 'valves', 'stations', 'heat_sources'] as const satisfies readonly LayerName[];
type SnapLayer = (typeof SNAP_LAYERS)[number];
type MapFeatures = FeatureCollection['features'];
/** Most features of one layer a tool asks the backend for around the view (the largest first when there are more). */
const NEARBY_LIMIT = 10_000;

/** Decimals of the coordinates Terra Draw works with (1e-9° ≈ 0.1 mm). */
const COORDINATE_PRECISION = 9;

const MODE_OF: Partial<Record<Tool['kind'], string>> = { drawPipe: 'linestring', vertices: 'select' };

export class EditController {
  readonly draw: TerraDraw;
  private tool: Tool = { kind: 'select' };
  private editedId: string | number | null = null;
  private candidatesCache: { pipes: unknown; points: unknown[]; value: ReturnType<typeof candidatesFrom> } | null = null;
  /** Screen-pixel snap tolerance (a user preference, not an engineering number). */
  snapPx = DEFAULT_SNAP_PX;
  /** What the last cursor position snapped to while drawing (the e2e test and the hint read it). */
  lastSnap: SnapTarget | null = null;

  constructor(
    private readonly ctl: MapController,
    private readonly cb: EditCallbacks,
  ) {
    const map = ctl.map;
    const snapper = networkSnapper(
      () => this.candidates(),
      () => this.snapPx,
      (t) => {
        this.lastSnap = t;
        // A vertex snapped onto the network keeps the stored position it snapped to (not one moved back from the drawn one).
        if (t) this.remember(this.ctl.screenPosition(t.position), t.position);
      },
      (p) => this.ctl.screenPosition(p),
    );
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: COORDINATE_PRECISION }),
      modes: [
        new TerraDrawLineStringMode({
          snapping: { toCustom: snapper as never },
          keyEvents: { cancel: 'Escape', finish: 'Enter' },
          styles: { lineStringColor: '#d7263d', lineStringWidth: 3, closingPointColor: '#ffffff', snappingPointColor: '#ffcc00', snappingPointWidth: 7 },
        }),
        new TerraDrawRectangleMode({ keyEvents: { cancel: 'Escape', finish: 'Enter' }, styles: { fillColor: '#1f78b4', fillOpacity: 0.12, outlineColor: '#1f78b4', outlineWidth: 2 } }),
        new TerraDrawFreehandMode({ keyEvents: { cancel: 'Escape', finish: 'Enter' }, styles: { fillColor: '#1f78b4', fillOpacity: 0.12, outlineColor: '#1f78b4', outlineWidth: 2 } }),
        new TerraDrawSelectMode({
          flags: {
            linestring: { feature: { draggable: false, coordinates: { draggable: true, deletable: true, midpoints: true, snappable: { toCustom: snapper as never } } } },
          },
          keyEvents: { deselect: 'Escape', delete: null, rotate: null, scale: null },
        }),
      ],
    });
    this.draw.start();
    this.draw.on('finish', (id) => this.finished(id));
    map.on('click', (e) => this.click(e));
    map.on('moveend', () => this.refreshNearby());
  }

  /**
   * A snap layer's features: the GeoJSON the map draws, or — for a layer drawn from tiles,
   * which the renderer does not hold — those the backend gave for the view (`layer:box`).
   */
  private snapFeatures(l: SnapLayer, nearby = this.nearby): MapFeatures {
    return this.ctl.isTiled(l) ? (nearby.get(l) ?? []) : this.ctl.features(l);
  }

  /** Snap candidates from what the map shows (rebuilt only when a layer's data changed). */
  private candidates() {
    const pipes = this.snapFeatures('pipes');
    const points = [this.snapFeatures('valves'), this.snapFeatures('stations'), this.snapFeatures('heat_sources')];
    const c = this.candidatesCache;
    if (c && c.pipes === pipes && c.points.every((p, i) => p === points[i])) return c.value;
    const value = candidatesFrom(pipes as never, points.flat() as never);
    this.candidatesCache = { pipes, points, value };
    return value;
  }

  /** Snap a screen point to the network with the current tolerance. */
  snapScreen(x: number, y: number): SnapTarget | null {
    return snapAt({ x, y }, this.candidates(), (p) => this.ctl.map.project(this.ctl.screenPosition(p)), this.snapPx);
  }

  /** A drawn position as Terra Draw holds it (rounded) → the stored one it stands for. */
  private remember(drawn: readonly number[], stored: Position): void {
    this.originalOf.set(`${roundTo(drawn[0], COORDINATE_PRECISION)},${roundTo(drawn[1], COORDINATE_PRECISION)}`, stored);
  }

  /** Positions drawn on the map → stored positions: the ones it stood for, else moved back from GCJ-02 when the map is shifted. */
  private stored(cs: Position[]): Position[] {
    return cs.map((c) => this.originalOf.get(`${c[0]},${c[1]}`) ?? this.ctl.storedPosition(c));
  }

  /** Features of the tiled snap layers around the view, from the backend (drawing snaps to these). */
  private nearby = new Map<SnapLayer, MapFeatures>();
  private nearbyAsked = 0;

  /**
   * Asks the backend for the tiled snap layers' features in (and a little around) the view,
   * when a tool that snaps is on. Called on tool change, after the map moved and after an edit.
   */
  refreshNearby(): void {
    const tiled = SNAP_LAYERS.filter((l) => this.ctl.isTiled(l));
    if (!tiled.length || this.tool.kind === 'select') return;
    const b = this.ctl.map.getBounds();
    const dx = (b.getEast() - b.getWest()) * 0.1, dy = (b.getNorth() - b.getSouth()) * 0.1;
    const bbox = this.ctl.storedBox([b.getWest() - dx, b.getSouth() - dy, b.getEast() + dx, b.getNorth() + dy]) as [number, number, number, number];
    const asked = ++this.nearbyAsked;
    void this.fetchBox(tiled, bbox, NEARBY_LIMIT).then(
      (found) => {
        if (asked !== this.nearbyAsked) return; // a later view asked again
        this.nearby = found;
        this.candidatesCache = null;
      },
      () => undefined, // the next move asks again
    );
  }

  private async fetchBox(layers: readonly SnapLayer[], bbox: [number, number, number, number], limit: number): Promise<Map<SnapLayer, MapFeatures>> {
    const answers = await Promise.all(layers.map((layer) => invoke('layer:box', { layer, bbox, limit })));
    return new Map(layers.map((l, i) => [l, answers[i].features]));
  }

  /**
   * A click of the split / place / link tools: snapped to the network as it is in the store
   * now. On layers drawn from tiles the features within the tolerance of the click are asked
   * for (by box) at the click, so the tool never depends on what an earlier view fetched.
   */
  private async snapClick(x: number, y: number): Promise<{ target: SnapTarget | null; onPipe: boolean }> {
    const tiled = SNAP_LAYERS.filter((l) => this.ctl.isTiled(l));
    let pipes = this.snapFeatures('pipes');
    let points = [this.snapFeatures('valves'), this.snapFeatures('stations'), this.snapFeatures('heat_sources')];
    if (tiled.length) {
      const r = this.snapPx + 1;
      const map = this.ctl.map;
      // the box in stored coordinates (the map may be drawn shifted to GCJ-02)
      const corners = [map.unproject([x - r, y - r]), map.unproject([x + r, y + r])].map((c) => this.ctl.storedPosition([c.lng, c.lat]));
      const bbox: [number, number, number, number] = [
        Math.min(corners[0][0], corners[1][0]),
        Math.min(corners[0][1], corners[1][1]),
        Math.max(corners[0][0], corners[1][0]),
        Math.max(corners[0][1], corners[1][1]),
      ];
      const near = await this.fetchBox(tiled, bbox, NEARBY_LIMIT);
      pipes = this.snapFeatures('pipes', near);
      points = [this.snapFeatures('valves', near), this.snapFeatures('stations', near), this.snapFeatures('heat_sources', near)];
    }
    const target = snapAt({ x, y }, candidatesFrom(pipes as never, points.flat() as never), (p) => this.ctl.map.project(this.ctl.screenPosition(p)), this.snapPx);
    const onPipe = !!target && pipes.some((f) => String(f.properties?.id ?? f.id) === target.featureId);
    return { target, onPipe };
  }

  setTool(tool: Tool): void {
    this.tool = tool;
    this.draw.clear();
    this.editedId = null;
    const mode = tool.kind === 'link' && tool.how !== 'click' ? (tool.how === 'box' ? 'rectangle' : 'freehand') : MODE_OF[tool.kind];
    this.draw.setMode(mode ?? 'static');
    if (tool.kind === 'vertices') void this.loadForVertexEdit(tool.pipeId);
    this.ctl.map.getCanvas().style.cursor = tool.kind === 'select' ? '' : 'crosshair';
    this.refreshNearby();
  }

  /**
   * The pipe's current line as Terra Draw holds it during vertex editing;
   * vertices the user left alone keep their full-precision coordinates, so
   * a saved shape still meets its neighbours exactly.
   */
  editedGeometry(): Position[] | null {
    if (this.editedId === null) return null;
    const f = this.draw.getSnapshotFeature(this.editedId);
    if (!f || f.geometry.type !== 'LineString') return null;
    return this.stored(f.geometry.coordinates as Position[]);
  }

  /** Rounded coordinate (as Terra Draw holds it) → the stored one. */
  private originalOf = new Map<string, Position>();

  private async loadForVertexEdit(pipeId: string): Promise<void> {
    const tool = this.tool;
    // a pipe drawn from tiles is not in the renderer: the backend gives it by id
    const f = this.ctl.isTiled('pipes')
      ? await invoke('feature:get', { layer: 'pipes', id: pipeId }).then((d) => d.feature, () => undefined)
      : this.ctl.feature({ layer: 'pipes', id: pipeId });
    if (tool !== this.tool) return; // the tool changed meanwhile
    if (!f || f.geometry.type !== 'LineString') return;
    const id = this.draw.getFeatureId();
    // Terra Draw refuses coordinates finer than its precision (a vertex snapped onto a line has
    // more decimals): it edits rounded ones (1e-9° ≈ 0.1 mm) and editedGeometry maps them back.
    this.originalOf.clear();
    const rounded = (f.geometry.coordinates as Position[]).map((c) => {
      // Where the vertex is drawn (shifted over a GCJ-02 basemap), rounded to Terra Draw's precision.
      const d = this.ctl.screenPosition(c);
      const r: [number, number] = [roundTo(d[0], COORDINATE_PRECISION), roundTo(d[1], COORDINATE_PRECISION)];
      this.originalOf.set(`${r[0]},${r[1]}`, c);
      return r;
    });
    const r = this.draw.addFeatures([
      { type: 'Feature', id, geometry: { type: 'LineString', coordinates: rounded }, properties: { mode: 'linestring' } } as GeoJSONStoreFeatures,
    ]);
    if (r[0]?.valid) {
      this.editedId = id;
      this.draw.selectFeature(id);
    }
  }

  private finished(id: string | number): void {
    const f = this.draw.getSnapshotFeature(id);
    if (!f) return;
    if (this.tool.kind === 'drawPipe' && f.geometry.type === 'LineString') {
      this.draw.clear();
      this.cb.onPipeDrawn(this.stored(f.geometry.coordinates as Position[]));
    } else if (this.tool.kind === 'link' && f.geometry.type === 'Polygon') {
      this.draw.clear();
      this.cb.onArea(this.stored(f.geometry.coordinates[0] as Position[]));
    }
  }

  private click(e: maplibregl.MapMouseEvent): void {
    const k = this.tool.kind;
    if (k !== 'split' && k !== 'place' && !(k === 'link' && this.tool.kind === 'link' && this.tool.how === 'click')) return;
    const tool = this.tool;
    const at: Position = this.ctl.storedPosition([e.lngLat.lng, e.lngLat.lat]);
    void this.snapClick(e.point.x, e.point.y).then(
      ({ target, onPipe }) => tool === this.tool && this.cb.onNetworkClick(target, at, onPipe),
      () => tool === this.tool && this.cb.onNetworkClick(null, at, false),
    );
  }

  destroy(): void {
    this.draw.stop();
  }
}

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
import type { Position } from '../../core/model/geojson';
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
  /** A click in split / place / click-link mode, snapped to the network (null: nothing within tolerance). */
  onNetworkClick(target: SnapTarget | null, at: Position): void;
}

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
    const snapper = networkSnapper(() => this.candidates(), () => this.snapPx, (t) => (this.lastSnap = t));
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
  }

  /** Snap candidates from what the map shows (rebuilt only when a layer's data changed). */
  private candidates() {
    const pipes = this.ctl.features('pipes');
    const points = [this.ctl.features('valves'), this.ctl.features('stations'), this.ctl.features('heat_sources')];
    const c = this.candidatesCache;
    if (c && c.pipes === pipes && c.points.every((p, i) => p === points[i])) return c.value;
    const value = candidatesFrom(pipes as never, points.flat() as never);
    this.candidatesCache = { pipes, points, value };
    return value;
  }

  /** Snap a screen point to the network with the current tolerance. */
  snapScreen(x: number, y: number): SnapTarget | null {
    return snapAt({ x, y }, this.candidates(), (p) => this.ctl.map.project(p as [number, number]), this.snapPx);
  }

  setTool(tool: Tool): void {
    this.tool = tool;
    this.draw.clear();
    this.editedId = null;
    const mode = tool.kind === 'link' && tool.how !== 'click' ? (tool.how === 'box' ? 'rectangle' : 'freehand') : MODE_OF[tool.kind];
    this.draw.setMode(mode ?? 'static');
    if (tool.kind === 'vertices') this.loadForVertexEdit(tool.pipeId);
    this.ctl.map.getCanvas().style.cursor = tool.kind === 'select' ? '' : 'crosshair';
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
    return (f.geometry.coordinates as Position[]).map((c) => this.originalOf.get(`${c[0]},${c[1]}`) ?? c);
  }

  /** Rounded coordinate (as Terra Draw holds it) → the stored one. */
  private originalOf = new Map<string, Position>();

  private loadForVertexEdit(pipeId: string): void {
    const f = this.ctl.feature({ layer: 'pipes', id: pipeId });
    if (!f || f.geometry.type !== 'LineString') return;
    const id = this.draw.getFeatureId();
    // Terra Draw refuses coordinates finer than its precision (a vertex snapped onto a line has
    // more decimals): it edits rounded ones (1e-9° ≈ 0.1 mm) and editedGeometry maps them back.
    this.originalOf.clear();
    const rounded = (f.geometry.coordinates as Position[]).map((c) => {
      const r: [number, number] = [roundTo(c[0], COORDINATE_PRECISION), roundTo(c[1], COORDINATE_PRECISION)];
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
      this.cb.onPipeDrawn(f.geometry.coordinates as Position[]);
    } else if (this.tool.kind === 'link' && f.geometry.type === 'Polygon') {
      this.draw.clear();
      this.cb.onArea(f.geometry.coordinates[0] as Position[]);
    }
  }

  private click(e: maplibregl.MapMouseEvent): void {
    const k = this.tool.kind;
    if (k !== 'split' && k !== 'place' && !(k === 'link' && this.tool.kind === 'link' && this.tool.how === 'click')) return;
    this.cb.onNetworkClick(this.snapScreen(e.point.x, e.point.y), [e.lngLat.lng, e.lngLat.lat]);
  }

  destroy(): void {
    this.draw.stop();
  }
}

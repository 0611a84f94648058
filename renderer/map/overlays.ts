/**
 * Overlays as data: what an analysis draws on the map is a set of GeoJSON
 * sources, the layers that style them and any images those layers use. The
 * map controller owns the map and registers them (`setOverlay`); no panel
 * calls `addSource` or `addLayer` itself.
 */
import type * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from '../../core/model/geojson';
import type { LayerName } from '../../core/model/schema';

/** A style layer of an overlay; `before` names the app layer it goes under (when that layer exists). */
export type OverlayLayer = maplibregl.LayerSpecification & { before?: string };

/** A raster image a symbol layer refers to by name (RGBA, `pixelRatio` 2 for crisp lines). */
export interface OverlayImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
  pixelRatio?: number;
}

/**
 * A vector source cut by the project's tile service: a layer's tiles in a variant of the
 * backend's (`tiles/<key>/<layer>[~gcj02]~<variant>/…`, e.g. a hydraulic run's numbers).
 */
export interface OverlayTiles {
  layer: LayerName;
  variant: string;
}

export interface MapOverlay {
  sources: Record<string, FeatureCollection>;
  /** Vector sources from the project's tiles (drawn only while the map has a tile plan). */
  tiles?: Record<string, OverlayTiles>;
  layers: OverlayLayer[];
  images?: Record<string, OverlayImage>;
}

/** What registering `next` over `prev` (same key) adds, updates and removes. */
export function overlayDiff(prev: MapOverlay | null, next: MapOverlay | null) {
  const prevLayers = new Set(prev?.layers.map((l) => l.id) ?? []);
  const nextLayers = new Set(next?.layers.map((l) => l.id) ?? []);
  const prevSources = new Set([...Object.keys(prev?.sources ?? {}), ...Object.keys(prev?.tiles ?? {})]);
  const nextSources = Object.keys(next?.sources ?? {});
  const nextTiles = Object.keys(next?.tiles ?? {});
  return {
    removeLayers: [...prevLayers].filter((id) => !nextLayers.has(id)),
    removeSources: [...prevSources].filter((id) => !nextSources.includes(id) && !nextTiles.includes(id)),
    sources: nextSources,
    tiles: nextTiles,
    layers: next?.layers ?? [],
  };
}

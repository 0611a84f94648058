/**
 * Basemap layers under the project's data: raster tiles (orthophotos,
 * MBTiles/PMTiles images, online sources) or vector tiles drawn with the
 * bundled style (OpenMapTiles layer names; labels in Chinese: `name:zh`,
 * then `name`). Opacity applies to the whole basemap; the muted look for
 * meetings turns it grey and lighter so the pipe colours stay readable.
 * Pure: a unit test validates the layers against the style spec.
 */
import type { LayerSpecification, SourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import { FONT } from './style';
import { BASEMAP_PALETTE, ROAD_WIDTHS } from '../../core/basemap/palette';

export interface BasemapChoice {
  id: string;
  format: 'raster' | 'vector';
  /** Absolute tile URL templates (one per layer for online sources: map, then annotation). */
  tiles: string[];
  minZoom: number;
  maxZoom: number;
  bounds?: [number, number, number, number] | null;
  attribution: string;
}

export interface BasemapLook {
  opacity: number;
  muted: boolean;
}

export const BASEMAP_PREFIX = 'basemap-';

const PALETTE = BASEMAP_PALETTE;
const W = ROAD_WIDTHS;

const nameExpr = ['coalesce', ['get', 'name:zh'], ['get', 'name']];

function vectorLayers(src: string, look: BasemapLook): LayerSpecification[] {
  const c = look.muted ? PALETTE.muted : PALETTE.normal;
  const o = look.opacity;
  const id = (s: string) => `${src}-${s}`;
  const halo = { 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.2 };
  return [
    { id: id('land'), type: 'background', paint: { 'background-color': c.land, 'background-opacity': o } },
    {
      id: id('landuse'), type: 'fill', source: src, 'source-layer': 'landuse',
      paint: {
        'fill-color': ['match', ['get', 'class'], 'school', c.school, 'retail', c.retail, 'commercial', c.retail, 'government', c.government, 'stadium', c.stadium, 'residential', c.residential, c.residential],
        'fill-opacity': o,
      },
    },
    { id: id('park'), type: 'fill', source: src, 'source-layer': 'park', paint: { 'fill-color': c.park, 'fill-opacity': o } },
    { id: id('water'), type: 'fill', source: src, 'source-layer': 'water', paint: { 'fill-color': c.water, 'fill-outline-color': c.waterLine, 'fill-opacity': o } },
    {
      id: id('road-casing'), type: 'line', source: src, 'source-layer': 'transportation', layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': c.roadCasing, 'line-opacity': o, 'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 12, ['match', ['get', 'class'], 'primary', W.primary.z12[0], 'service', W.service.z12[0], W.other.z12[0]], 17, ['match', ['get', 'class'], 'primary', W.primary.z17[0], 'service', W.service.z17[0], W.other.z17[0]]] },
    },
    {
      id: id('road'), type: 'line', source: src, 'source-layer': 'transportation', layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], 'primary', c.primary, c.road],
        'line-opacity': o,
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 12, ['match', ['get', 'class'], 'primary', W.primary.z12[1], 'service', W.service.z12[1], W.other.z12[1]], 17, ['match', ['get', 'class'], 'primary', W.primary.z17[1], 'service', W.service.z17[1], W.other.z17[1]]],
      },
    },
    {
      id: id('water-name'), type: 'symbol', source: src, 'source-layer': 'water_name', minzoom: 13,
      layout: { 'symbol-placement': 'line', 'text-field': nameExpr, 'text-font': [FONT], 'text-size': 13, 'text-letter-spacing': 0.3 },
      paint: { 'text-color': c.waterLabel, 'text-opacity': o, ...halo },
    },
    {
      id: id('road-name'), type: 'symbol', source: src, 'source-layer': 'transportation_name', minzoom: 14,
      layout: { 'symbol-placement': 'line', 'text-field': nameExpr, 'text-font': [FONT], 'text-size': ['match', ['get', 'class'], 'primary', 13, 11], 'symbol-spacing': 320 },
      paint: { 'text-color': c.label, 'text-opacity': o, ...halo },
    },
    {
      id: id('poi'), type: 'symbol', source: src, 'source-layer': 'poi', minzoom: 14,
      layout: { 'text-field': nameExpr, 'text-font': [FONT], 'text-size': 12, 'text-max-width': 8 },
      paint: { 'text-color': c.label, 'text-opacity': o, ...halo },
    },
    {
      id: id('place'), type: 'symbol', source: src, 'source-layer': 'place', maxzoom: 15,
      layout: { 'text-field': nameExpr, 'text-font': [FONT], 'text-size': ['interpolate', ['linear'], ['zoom'], 10, 14, 14, 20] },
      paint: { 'text-color': c.label, 'text-opacity': o, ...halo },
    },
  ] as LayerSpecification[];
}

/** Sources and layers of a basemap, ids starting with `basemap-`; none for 'none'. */
export function basemapStyle(choice: BasemapChoice | null, look: BasemapLook): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  if (!choice) return { sources: {}, layers: [] };
  const sources: Record<string, SourceSpecification> = {};
  const layers: LayerSpecification[] = [];
  const bounds = choice.bounds ? { bounds: choice.bounds } : {};
  if (choice.format === 'vector') {
    const src = `${BASEMAP_PREFIX}v`;
    sources[src] = { type: 'vector', tiles: choice.tiles.slice(0, 1), minzoom: choice.minZoom, maxzoom: choice.maxZoom, attribution: choice.attribution, ...bounds };
    for (const l of vectorLayers(src, look)) layers.push(l);
    return { sources, layers };
  }
  choice.tiles.forEach((t, i) => {
    const src = `${BASEMAP_PREFIX}r${i}`;
    sources[src] = { type: 'raster', tiles: [t], tileSize: 256, minzoom: choice.minZoom, maxzoom: choice.maxZoom, attribution: i === 0 ? choice.attribution : '', ...bounds };
    layers.push({
      id: `${src}-layer`,
      type: 'raster',
      source: src,
      paint: look.muted
        ? { 'raster-opacity': look.opacity, 'raster-saturation': -1, 'raster-brightness-min': 0.38, 'raster-contrast': -0.25, 'raster-fade-duration': 0 }
        : { 'raster-opacity': look.opacity, 'raster-fade-duration': 0 },
    } as LayerSpecification);
  });
  return { sources, layers };
}

/**
 * The bundled vector basemap's look, shared by the map (renderer/map/basemapStyle.ts,
 * MapLibre layers) and the printed sheets (electron/backend/basemap/renderVector.ts):
 * colours of the OpenMapTiles classes, their muted (grey, lighter) versions for
 * meetings, and road widths in screen pixels at zoom 12 and 17 (exponential, base 1.6).
 */
import { clamp } from '../format/number';
export const BASEMAP_PALETTE = {
  normal: { land: '#f2efe6', residential: '#ebe4d6', school: '#f3e3c3', retail: '#f5dcd6', government: '#e4dcec', stadium: '#dcecd2', park: '#cfe7bf', water: '#a9d1ee', waterLine: '#7fb3da', road: '#ffffff', roadCasing: '#cfc6b4', primary: '#fde7a6', label: '#4b4b4b', waterLabel: '#2f6d9c' },
  muted: { land: '#f6f6f6', residential: '#eeeeee', school: '#ececec', retail: '#ededed', government: '#ebebeb', stadium: '#eaeaea', park: '#e6e9e4', water: '#dde5ea', waterLine: '#cfd8de', road: '#ffffff', roadCasing: '#dddddd', primary: '#f3f3f3', label: '#8a8a8a', waterLabel: '#8a9aa6' },
};

export type BasemapColours = (typeof BASEMAP_PALETTE)['normal'];

/** Land-use class → colour key (OpenMapTiles `landuse.class`); anything else is drawn as housing. */
export const LANDUSE_COLOUR: Record<string, keyof BasemapColours> = {
  school: 'school',
  retail: 'retail',
  commercial: 'retail',
  government: 'government',
  stadium: 'stadium',
  residential: 'residential',
};

/** Road widths (screen px) at zoom 12 and 17 by class: [casing, road]. */
export const ROAD_WIDTHS: Record<'primary' | 'service' | 'other', { z12: [number, number]; z17: [number, number] }> = {
  primary: { z12: [3, 2], z17: [26, 22] },
  service: { z12: [0.8, 0.5], z17: [8, 6] },
  other: { z12: [2, 1.2], z17: [18, 15] },
};

/** MapLibre's exponential interpolation between zoom 12 and 17 (base 1.6), clamped outside. */
export function roadWidth(z: number, at12: number, at17: number): number {
  const t = clamp((1.6 ** (clamp(z, 12, 17) - 12) - 1) / (1.6 ** 5 - 1), 0, 1);
  return at12 + (at17 - at12) * t;
}

/**
 * Where a project with no features is shown: the map centres on the
 * project's settings (mapHomeLon/Lat/Zoom), never on a town written into the
 * code. A project with features frames its own extent instead.
 */
import type { BBox } from '../model/geojson';
import type { Settings } from '../model/settings';
import { clamp } from '../format/number';

type Home = Pick<Settings, 'mapHomeLon' | 'mapHomeLat' | 'mapHomeZoom'>;

/** The centre [lon, lat] and zoom of the empty-project view. */
export function homeView(s: Home): { center: [number, number]; zoom: number } {
  return { center: [s.mapHomeLon, s.mapHomeLat], zoom: s.mapHomeZoom };
}

/** The box a map sheet of an empty project covers: about one 512-pixel tile's width at the home zoom. */
export function homeBBox(s: Home): BBox {
  const halfLon = 180 / 2 ** Math.max(0, s.mapHomeZoom);
  const halfLat = Math.min(80, halfLon * 0.7);
  const lat = clamp(s.mapHomeLat, -85 + halfLat, 85 - halfLat);
  return [s.mapHomeLon - halfLon, lat - halfLat, s.mapHomeLon + halfLon, lat + halfLat];
}

/**
 * The wizard's preview on the map: the first features of the file, already
 * in project coordinates, as a GeoJSON source of our own drawn dashed magenta
 * on top of everything, so a wrong zone or a swapped x/y shows at a glance
 * before anything is written.
 */
import { applyWhenReady } from '../../map/applyWhenReady';
import type * as maplibregl from 'maplibre-gl';
import type { BBox, FeatureCollection } from '../../../core/model/geojson';
import { bboxOf } from '../../map/MapController';

export const PREVIEW_SOURCE = 'import-preview';
// Magenta: no theme class, symbol or analysis mark of the app uses it.
export const PREVIEW_COLOR = '#c026d3';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function ensure(map: maplibregl.Map): void {
  if (map.getSource(PREVIEW_SOURCE)) return;
  map.addSource(PREVIEW_SOURCE, { type: 'geojson', data: EMPTY as never });
  map.addLayer({
    id: 'import-preview-fill', type: 'fill', source: PREVIEW_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': PREVIEW_COLOR, 'fill-opacity': 0.2 },
  });
  map.addLayer({
    id: 'import-preview-halo', type: 'line', source: PREVIEW_SOURCE, filter: ['!=', ['geometry-type'], 'Point'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#ffffff', 'line-width': 6, 'line-opacity': 0.85 },
  });
  map.addLayer({
    id: 'import-preview-line', type: 'line', source: PREVIEW_SOURCE, filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': PREVIEW_COLOR, 'line-width': 3, 'line-dasharray': [2, 1] },
  });
  map.addLayer({
    id: 'import-preview-point', type: 'circle', source: PREVIEW_SOURCE, filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-color': PREVIEW_COLOR, 'circle-radius': 5, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  });
}

/** Draw (or with null clear) the preview; returns the extent drawn. */
export function drawPreview(map: maplibregl.Map | undefined, fc: FeatureCollection | null): BBox | null {
  if (!map) return null;
  const apply = () => {
    if (!fc && !map.getSource(PREVIEW_SOURCE)) return;
    ensure(map);
    void (map.getSource(PREVIEW_SOURCE) as maplibregl.GeoJSONSource).setData((fc ?? EMPTY) as never);
  };
  applyWhenReady(map, PREVIEW_SOURCE, apply);
  return fc && fc.features.length ? bboxOf(fc.features.map((f) => f.geometry.coordinates)) : null;
}

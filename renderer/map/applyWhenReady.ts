import type * as maplibregl from 'maplibre-gl';

/**
 * Runs `apply` (which adds or updates an overlay source) now when the map can
 * take it, else once the map settles. An existing source takes new data at
 * any time; `isStyleLoaded()` is false while any tile is loading, and `load`
 * fires only once per map, so waiting for `load` could drop the update for good.
 */
export function applyWhenReady(map: maplibregl.Map, sourceId: string, apply: () => void): void {
  if (map.getSource(sourceId) || map.isStyleLoaded()) apply();
  else map.once('idle', apply);
}

/** Feature types of WarmNet layers: GeoJSON features whose `id` is the feature code (P-0123). */
import type { Feature as GFeature, Geometry } from './geojson';

export type PointGeom = Extract<Geometry, { type: 'Point' }>;
export type LineStringGeom = Extract<Geometry, { type: 'LineString' }>;
export type PolygonGeom = Extract<Geometry, { type: 'Polygon' }>;

/**
 * A feature as the store hands it out: `id` is the feature's code, and
 * `properties` holds every schema field (null where unset) plus `id` and any
 * extra properties kept from imports.
 */
export type Feature<G extends Geometry = Geometry> = GFeature<G, Record<string, unknown>> & { id: string };

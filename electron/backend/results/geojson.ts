/** Result schemas of GeoJSON as WarmNet carries it (core/model/geojson.ts, core/model/types.ts). */
import { z } from 'zod';
import type { BBox, FeatureCollection, Feature as GFeature, Geometry, Position } from '../../../core/model/geojson';
import type { Feature } from '../../../core/model/types';
import { agree } from './agree';

export const positionSchema = z.array(z.number());
export const bboxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const geometrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Point'), coordinates: positionSchema }),
  z.strictObject({ type: z.literal('LineString'), coordinates: z.array(positionSchema) }),
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(z.array(positionSchema)) }),
  z.strictObject({ type: z.literal('MultiPoint'), coordinates: z.array(positionSchema) }),
  z.strictObject({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(positionSchema)) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(positionSchema))) }),
]);

export const propertiesSchema = z.record(z.string(), z.unknown());

/** Any GeoJSON feature (a layer's features: `id` is the feature code, but GeoJSON allows a number or none). */
export const geoFeatureSchema = z.strictObject({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: geometrySchema,
  properties: propertiesSchema,
});

/** A feature as the store hands it out: `id` is the feature code. */
export const featureSchema = z.strictObject({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: geometrySchema,
  properties: propertiesSchema,
});

export const featureCollectionSchema = z.strictObject({
  type: z.literal('FeatureCollection'),
  name: z.string().optional(),
  features: z.array(geoFeatureSchema),
});

agree<z.infer<typeof positionSchema>, Position>(true);
agree<z.infer<typeof bboxSchema>, BBox>(true);
agree<z.infer<typeof geometrySchema>, Geometry>(true);
agree<z.infer<typeof geoFeatureSchema>, GFeature>(true);
agree<z.infer<typeof featureSchema>, Feature>(true);
agree<z.infer<typeof featureCollectionSchema>, FeatureCollection>(true);

/** Minimal GeoJSON types used across WarmNet (RFC 7946, 2-D positions). */
export type Position = [number, number] | number[];

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export type Properties = Record<string, unknown>;

export interface Feature<G extends Geometry = Geometry, P extends Properties = Properties> {
  type: 'Feature';
  id?: string | number;
  geometry: G;
  properties: P;
}

export interface FeatureCollection<G extends Geometry = Geometry, P extends Properties = Properties> {
  type: 'FeatureCollection';
  name?: string;
  features: Feature<G, P>[];
}

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

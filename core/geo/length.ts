/**
 * Lengths on the GRS80/WGS84 ellipsoid. CGCS2000 uses GRS80; the difference
 * from WGS84's flattening is far below a millimetre over a town, so the
 * WGS84 geodesic is used for both.
 */
import geodesicPkg from 'geographiclib-geodesic';
import type { Position } from '../model/geojson';

const { Geodesic } = geodesicPkg as unknown as { Geodesic: { WGS84: GeodesicT } };

interface GeodesicT {
  Inverse(lat1: number, lon1: number, lat2: number, lon2: number, outmask?: number): { s12?: number; azi1?: number };
  Direct(lat1: number, lon1: number, azi1: number, s12: number): { lat2?: number; lon2?: number };
}

const geod = Geodesic.WGS84;

/** Geodesic distance in metres between two lon/lat positions. */
export function distanceM(a: Position, b: Position): number {
  if (a[0] === b[0] && a[1] === b[1]) return 0;
  return geod.Inverse(a[1], a[0], b[1], b[0]).s12 ?? 0;
}

/** Geodesic length in metres of a polyline of lon/lat positions. */
export function lineLengthM(coords: readonly Position[]): number {
  let s = 0;
  for (let i = 1; i < coords.length; i++) s += distanceM(coords[i - 1], coords[i]);
  return s;
}

/** Initial azimuth (degrees clockwise from north) of the geodesic a→b. */
export function azimuthDeg(a: Position, b: Position): number {
  return geod.Inverse(a[1], a[0], b[1], b[0]).azi1 ?? 0;
}

/** The point reached from `a` going `distance` metres at `azimuth` degrees. */
export function destination(a: Position, azimuth: number, distance: number): [number, number] {
  const r = geod.Direct(a[1], a[0], azimuth, distance);
  return [r.lon2 ?? a[0], r.lat2 ?? a[1]];
}

interface PolygonAreaT {
  AddPoint(lat: number, lon: number): void;
  Compute(reverse: boolean, sign: boolean): { area: number };
}

function ringAreaM2(ring: readonly Position[]): number {
  const p = (geod as unknown as { Polygon(polyline: boolean): PolygonAreaT }).Polygon(false);
  const n = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.length - 1 : ring.length;
  for (let i = 0; i < n; i++) p.AddPoint(ring[i][1], ring[i][0]);
  return Math.abs(p.Compute(false, true).area);
}

/** Geodesic area in m² of a polygon's rings (outer minus holes), or of a MultiPolygon's polygons. */
export function polygonAreaM2(coords: readonly Position[][] | readonly Position[][][]): number {
  if (coords.length === 0) return 0;
  if (typeof (coords as Position[][])[0][0]?.[0] === 'number') {
    const rings = coords as Position[][];
    return Math.max(0, ringAreaM2(rings[0]) - rings.slice(1).reduce((s, r) => s + ringAreaM2(r), 0));
  }
  return (coords as Position[][][]).reduce((s, p) => s + polygonAreaM2(p), 0);
}

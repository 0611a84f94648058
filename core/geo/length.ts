/**
 * Lengths on the GRS80/WGS84 ellipsoid. CGCS2000 uses GRS80; the difference
 * from WGS84's flattening is far below a millimetre over a town, so the
 * WGS84 geodesic is used for both.
 */
import geodesicPkg from 'geographiclib-geodesic';
import type { Position } from '../model/geojson';

const { Geodesic } = geodesicPkg as unknown as { Geodesic: { WGS84: GeodesicT; DISTANCE: number } };

interface GeodesicT {
  Inverse(lat1: number, lon1: number, lat2: number, lon2: number, outmask?: number): { s12?: number; azi1?: number };
  Direct(lat1: number, lon1: number, azi1: number, s12: number): { lat2?: number; lon2?: number };
}

const geod = Geodesic.WGS84;

/** Only the distance is asked for: GeographicLib then skips the azimuths (about 40 % less work, the same metres). */
const DISTANCE_ONLY = Geodesic.DISTANCE;

// WGS84 / GRS80 (the same to well under a millimetre over a town).
const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const RAD = Math.PI / 180;
/** Below this separation (degrees, either axis) the chord method below is exact to well under a micrometre. */
const SHORT_DEG = 0.05;

/**
 * Distance of two nearby points from their straight 3-D chord through the
 * ellipsoid, lengthened to the arc: s = c + c³ / (24 R²), R the radius of
 * curvature along the line's azimuth (Euler). For lines up to ~5 km the
 * neglected terms are below 10⁻⁷ m; it needs a handful of sines where
 * GeographicLib's exact inverse iterates, and pipe segments are short.
 */
function shortDistanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const p1 = lat1 * RAD, l1 = lon1 * RAD, p2 = lat2 * RAD, l2 = lon2 * RAD;
  const s1 = Math.sin(p1), c1 = Math.cos(p1), s2 = Math.sin(p2), c2 = Math.cos(p2);
  const n1 = A / Math.sqrt(1 - E2 * s1 * s1);
  const n2 = A / Math.sqrt(1 - E2 * s2 * s2);
  const cl1 = Math.cos(l1), sl1 = Math.sin(l1), cl2 = Math.cos(l2), sl2 = Math.sin(l2);
  const dx = n2 * c2 * cl2 - n1 * c1 * cl1;
  const dy = n2 * c2 * sl2 - n1 * c1 * sl1;
  const dz = n2 * (1 - E2) * s2 - n1 * (1 - E2) * s1;
  const c = Math.hypot(dx, dy, dz);
  if (c === 0) return 0;
  // Azimuth of the chord in the local frame at the middle, for the radius of curvature along it.
  const pm = (p1 + p2) / 2, lm = (l1 + l2) / 2;
  const sp = Math.sin(pm), cp = Math.cos(pm), sl = Math.sin(lm), cl = Math.cos(lm);
  const east = -sl * dx + cl * dy;
  const north = -sp * cl * dx - sp * sl * dy + cp * dz;
  const w2 = 1 - E2 * sp * sp;
  const m = (A * (1 - E2)) / (w2 * Math.sqrt(w2));
  const n = A / Math.sqrt(w2);
  const h2 = east * east + north * north || 1;
  const inverseR = (north * north) / h2 / m + (east * east) / h2 / n;
  return c + (c * c * c * inverseR * inverseR) / 24;
}

/** Geodesic distance in metres between two lon/lat positions. */
export function distanceM(a: Position, b: Position): number {
  return lonLatDistanceM(a[0], a[1], b[0], b[1]);
}

/** distanceM from the four numbers (no position arrays). */
export function lonLatDistanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  if (lon1 === lon2 && lat1 === lat2) return 0;
  if (Math.abs(lon1 - lon2) < SHORT_DEG && Math.abs(lat1 - lat2) < SHORT_DEG) return shortDistanceM(lon1, lat1, lon2, lat2);
  return geod.Inverse(lat1, lon1, lat2, lon2, DISTANCE_ONLY).s12 ?? 0;
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

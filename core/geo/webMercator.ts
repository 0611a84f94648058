/**
 * Web Mercator (EPSG:3857) and its tile grid, as XYZ web maps, MBTiles,
 * PMTiles and GDAL's GoogleMapsCompatible GeoPackage tile matrix set use it:
 * 256-pixel tiles, zoom z has 2^z × 2^z tiles, column 0 at 180° W, row 0 at
 * the top (85.0511° N). Positions are [lon, lat] degrees on WGS 84 (taken as
 * CGCS2000: the frames differ by centimetres).
 */
import { clamp } from '../format/number';

/** WGS 84 semi-major axis, the sphere radius of Web Mercator. */
export const MERCATOR_RADIUS = 6378137;
/** Half the world's width in metres: the tile grid spans ±this on both axes. */
export const MERCATOR_HALF = Math.PI * MERCATOR_RADIUS;
export const TILE_SIZE = 256;
/** Web Mercator stops here (y = ±MERCATOR_HALF). */
export const MAX_LATITUDE = 85.0511287798066;

const DEG = Math.PI / 180;

export function lonLatToMercator(lon: number, lat: number, out: number[] = [0, 0]): number[] {
  const phi = clamp(lat, -MAX_LATITUDE, MAX_LATITUDE) * DEG;
  out[0] = MERCATOR_RADIUS * lon * DEG;
  out[1] = MERCATOR_RADIUS * Math.log(Math.tan(Math.PI / 4 + phi / 2));
  return out;
}

export function mercatorToLonLat(x: number, y: number, out: number[] = [0, 0]): number[] {
  out[0] = x / MERCATOR_RADIUS / DEG;
  out[1] = (2 * Math.atan(Math.exp(y / MERCATOR_RADIUS)) - Math.PI / 2) / DEG;
  return out;
}

/** Metres of Web Mercator per pixel at zoom z. */
export function mercatorResolution(z: number): number {
  return (2 * MERCATOR_HALF) / TILE_SIZE / 2 ** z;
}

/** Mercator bounds [minX, minY, maxX, maxY] of tile (z, x, y). */
export function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  const size = (2 * MERCATOR_HALF) / 2 ** z;
  const minX = -MERCATOR_HALF + x * size;
  const maxY = MERCATOR_HALF - y * size;
  return [minX, maxY - size, minX + size, maxY];
}

/** The range of tiles at zoom z that a Mercator box touches (inclusive), clipped to the grid. */
export function tileRange(z: number, box: readonly [number, number, number, number]): { minX: number; minY: number; maxX: number; maxY: number } {
  const n = 2 ** z;
  const size = (2 * MERCATOR_HALF) / n;
  const clip = (v: number) => clamp(v, 0, n - 1);
  // A box edge exactly on a tile edge does not reach into the next tile.
  const eps = size * 1e-9;
  return {
    minX: clip(Math.floor((box[0] + MERCATOR_HALF) / size)),
    maxX: clip(Math.floor((box[2] + MERCATOR_HALF - eps) / size)),
    minY: clip(Math.floor((MERCATOR_HALF - box[3]) / size)),
    maxY: clip(Math.floor((MERCATOR_HALF - box[1] - eps) / size)),
  };
}

/**
 * The zoom whose ground resolution is closest (on a log scale) to a raster's
 * ground resolution in metres per pixel at latitude `lat`, as GDAL's
 * ZOOM_LEVEL_STRATEGY=AUTO picks it, within [0, maxZoom].
 */
export function zoomForResolution(groundMetresPerPixel: number, lat: number, maxZoom: number): number {
  const atZero = mercatorResolution(0) * Math.cos(lat * DEG);
  const z = Math.round(Math.log2(atZero / groundMetresPerPixel));
  return clamp(z, 0, maxZoom);
}

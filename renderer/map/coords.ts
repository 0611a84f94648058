/**
 * Cursor read-out: lon/lat and CGCS2000 3° Gauss–Krüger, central meridian
 * 114° E (EPSG:4547, the false easting without zone prefix), which is what
 * the town's survey drawings use.
 */
import proj4 from 'proj4';

export const CGCS2000_GK_114 =
  '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';

const toGk = proj4('EPSG:4326', CGCS2000_GK_114);

/** Easting / northing in metres for a lon/lat position. */
export function toGaussKruger(lon: number, lat: number): [number, number] {
  const [x, y] = toGk.forward([lon, lat]);
  return [x, y];
}

/** The status-bar text for a position. */
export function formatCursor(lon: number, lat: number): { lonLat: string; gk: string } {
  const [x, y] = toGaussKruger(lon, lat);
  return {
    lonLat: `${lon.toFixed(6)}°E ${lat.toFixed(6)}°N`,
    gk: `X ${y.toFixed(2)}  Y ${x.toFixed(2)}`,
  };
}

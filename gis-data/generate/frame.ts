/**
 * The local metric frame the sample is laid out in: x metres east and y
 * metres north of the town origin. Layout in metres keeps the street grid
 * square and lets pipe ends that must join be the same (x, y), which the
 * conversion turns into the same lon/lat, so nodes join exactly.
 */
import { distanceM } from '../../core/geo/length';

export type XY = readonly [number, number];

/** 明安图镇, about 115.030 E, 42.287 N. */
export const MINGANTU_ORIGIN: readonly [number, number] = [115.03, 42.287];

export interface LocalFrame {
  toLonLat(p: XY): [number, number];
}

const RAD = Math.PI / 180;
/** 1e-9 degree is about 0.1 mm: enough digits, and stable text in files. */
const round9 = (v: number): number => Math.round(v * 1e9) / 1e9;

/**
 * Equirectangular frame scaled from geodesic distances at the origin; the
 * east scale follows cos(latitude) so the error stays at centimetres over
 * the town. Lengths are always measured geodesically afterwards, so the
 * frame's small distortion never reaches a reported figure.
 */
export function localFrame(origin: readonly [number, number] = MINGANTU_ORIGIN): LocalFrame {
  const [lon0, lat0] = origin;
  const d = 0.01;
  const metresPerDegLat = distanceM([lon0, lat0 - d / 2], [lon0, lat0 + d / 2]) / d;
  const metresPerDegLon0 = distanceM([lon0 - d / 2, lat0], [lon0 + d / 2, lat0]) / d;
  const cos0 = Math.cos(lat0 * RAD);
  return {
    toLonLat([x, y]) {
      const lat = lat0 + y / metresPerDegLat;
      const metresPerDegLon = (metresPerDegLon0 * Math.cos(lat * RAD)) / cos0;
      return [round9(lon0 + x / metresPerDegLon), round9(lat)];
    },
  };
}

/**
 * Lon/lat → page millimetres for one map frame. Over a town a local
 * equirectangular projection scaled with the ellipsoid's metres per degree
 * at the frame centre keeps shapes and the scale bar true to well under a
 * percent, which is all a printed map needs.
 */
import type { BBox, Position } from '../model/geojson';
import { distanceM } from '../geo/length';

export interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MapProjection {
  frame: Frame;
  /** Millimetres of paper per metre of ground. */
  mmPerM: number;
  /** Scale denominator (1 : N). */
  scaleDenominator: number;
  /** The lon/lat box that the frame actually shows (wider than asked on one axis). */
  shownBBox: BBox;
  toPage(p: Position): [number, number];
  /** Flattened x,y page coordinates of a lon/lat line. */
  line(coords: readonly Position[]): number[];
}

/** Expand a bbox by a fraction of its size on each side, with a floor in degrees for single points. */
export function padBBox(b: BBox, fraction: number, minDeg = 0.0005): BBox {
  const dx = Math.max((b[2] - b[0]) * fraction, minDeg);
  const dy = Math.max((b[3] - b[1]) * fraction, minDeg);
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}

/** Fit `bbox` into `frame`, centred, same scale on both axes. */
export function fitProjection(bbox: BBox, frame: Frame): MapProjection {
  const lon0 = (bbox[0] + bbox[2]) / 2;
  const lat0 = (bbox[1] + bbox[3]) / 2;
  const d = 0.01;
  const mPerDegLon = distanceM([lon0 - d / 2, lat0], [lon0 + d / 2, lat0]) / d;
  const mPerDegLat = distanceM([lon0, lat0 - d / 2], [lon0, lat0 + d / 2]) / d;
  const widthM = Math.max((bbox[2] - bbox[0]) * mPerDegLon, 1);
  const heightM = Math.max((bbox[3] - bbox[1]) * mPerDegLat, 1);
  const mmPerM = Math.min(frame.w / widthM, frame.h / heightM);
  const cx = frame.x + frame.w / 2;
  const cy = frame.y + frame.h / 2;
  const kx = mPerDegLon * mmPerM;
  const ky = mPerDegLat * mmPerM;
  const toPage = (p: Position): [number, number] => [cx + (p[0] - lon0) * kx, cy - (p[1] - lat0) * ky];
  const halfLon = frame.w / 2 / kx;
  const halfLat = frame.h / 2 / ky;
  return {
    frame,
    mmPerM,
    scaleDenominator: 1000 / mmPerM,
    shownBBox: [lon0 - halfLon, lat0 - halfLat, lon0 + halfLon, lat0 + halfLat],
    toPage,
    line(coords) {
      const out: number[] = new Array(coords.length * 2);
      for (let i = 0; i < coords.length; i++) {
        out[2 * i] = cx + (coords[i][0] - lon0) * kx;
        out[2 * i + 1] = cy - (coords[i][1] - lat0) * ky;
      }
      return out;
    },
  };
}

/**
 * A scale bar length that is a round number (1, 2 or 5 × 10ⁿ m) and as long
 * as possible without exceeding `maxMm` on paper.
 */
export function niceScaleBar(mmPerM: number, maxMm: number): { metres: number; mm: number; label: string } {
  const maxM = maxMm / mmPerM;
  let best = 1;
  for (let p = -1; p <= 7; p++) {
    for (const f of [1, 2, 5]) {
      const m = f * 10 ** p;
      if (m <= maxM && m > best) best = m;
    }
  }
  if (best > maxM) best = maxM;
  const label = best >= 1000 ? `${+(best / 1000).toFixed(3)} km` : `${+best.toFixed(1)} m`;
  return { metres: best, mm: best * mmPerM, label };
}

/** A scale denominator rounded for printing ("1:12 500" rather than "1:12 437"). */
export function roundScale(denominator: number): number {
  const mag = 10 ** Math.floor(Math.log10(denominator) - 1);
  return Math.round(denominator / mag) * mag;
}

export function bboxOfCoords(coords: Iterable<Position>, into?: BBox): BBox | null {
  let b: BBox | null = into ? [...into] as BBox : null;
  for (const c of coords) {
    if (!b) b = [c[0], c[1], c[0], c[1]];
    else {
      if (c[0] < b[0]) b[0] = c[0];
      if (c[1] < b[1]) b[1] = c[1];
      if (c[0] > b[2]) b[2] = c[0];
      if (c[1] > b[3]) b[3] = c[1];
    }
  }
  return b;
}

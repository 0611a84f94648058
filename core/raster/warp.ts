/**
 * Resampling a raster into Web Mercator tiles, the way GDAL's warper does it:
 * every output pixel centre is mapped back into the source raster (inverse
 * mapping) and the source is sampled there with bilinear interpolation.
 *
 * Mapping every pixel through the projection would cost a projection call per
 * pixel; like GDAL's approximate transformer, the exact transform is taken on
 * a coarse grid (every `step` output pixels) and interpolated linearly in
 * between — over 16 pixels of a tile the curvature of a Gauss–Krüger grid
 * seen from Web Mercator is far below a hundredth of a pixel.
 *
 * Pixels are RGBA, 8 bits. Colours are averaged weighted by alpha, so
 * transparent (no-data) source pixels do not darken the edges.
 */
import { TILE_SIZE, tileBounds } from '../geo/webMercator';

/** A block of source pixels: RGBA interleaved, `width` × `height`, its top-left at source pixel (x0, y0). */
export interface RasterWindow {
  data: Uint8Array;
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** Source pixel coordinates (pixel centres at integers) at the nodes of an output tile's grid. */
export interface TileGrid {
  /** Nodes per side minus one (TILE_SIZE / step). */
  cells: number;
  step: number;
  /** u, v of node (i, j) at 2·(j·(cells+1) + i). */
  uv: Float64Array;
  minU: number;
  maxU: number;
  minV: number;
  maxV: number;
}

/**
 * The grid of one tile: `toSource(mx, my, out)` writes the source pixel
 * coordinates (column, row, pixel centres at integers) of a Web Mercator position.
 */
export function tileGrid(z: number, x: number, y: number, toSource: (mx: number, my: number, out: number[]) => void, step = 16): TileGrid {
  const cells = TILE_SIZE / step;
  const [minX, , maxX, maxY] = tileBounds(z, x, y);
  const res = (maxX - minX) / TILE_SIZE;
  const uv = new Float64Array((cells + 1) * (cells + 1) * 2);
  const p = [0, 0];
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  for (let j = 0; j <= cells; j++) {
    for (let i = 0; i <= cells; i++) {
      // Node (i, j) sits at output pixel position (i·step, j·step); pixel centres are at +0.5.
      toSource(minX + (i * step) * res, maxY - (j * step) * res, p);
      const k = 2 * (j * (cells + 1) + i);
      uv[k] = p[0];
      uv[k + 1] = p[1];
      if (p[0] < minU) minU = p[0];
      if (p[0] > maxU) maxU = p[0];
      if (p[1] < minV) minV = p[1];
      if (p[1] > maxV) maxV = p[1];
    }
  }
  return { cells, step, uv, minU, maxU, minV, maxV };
}

/** What a tile holds: nothing (all transparent), some transparency, or none. */
export type TileCoverage = 'empty' | 'partial' | 'opaque';

/**
 * Fill `out` (TILE_SIZE² RGBA) from the source window by bilinear
 * interpolation. `width` × `height` is the whole source raster: positions more
 * than half a pixel outside it are transparent.
 */
export function warpTile(grid: TileGrid, src: RasterWindow, width: number, height: number, out: Uint8Array): TileCoverage {
  const { cells, step, uv } = grid;
  const row = cells + 1;
  const d = src.data;
  const ww = src.width, wh = src.height;
  const inv = 1 / step;
  let anyOpaque = false, anyClear = false;
  for (let cj = 0; cj < cells; cj++) {
    for (let ci = 0; ci < cells; ci++) {
      const k00 = 2 * (cj * row + ci), k10 = k00 + 2, k01 = k00 + 2 * row, k11 = k01 + 2;
      for (let jj = 0; jj < step; jj++) {
        const ty = (jj + 0.5) * inv;
        // Left and right edges of this pixel row inside the cell, at pixel centres.
        const lu = uv[k00] + (uv[k01] - uv[k00]) * ty, lv = uv[k00 + 1] + (uv[k01 + 1] - uv[k00 + 1]) * ty;
        const ru = uv[k10] + (uv[k11] - uv[k10]) * ty, rv = uv[k10 + 1] + (uv[k11 + 1] - uv[k10 + 1]) * ty;
        const du = (ru - lu) * inv, dv = (rv - lv) * inv;
        // Grid positions are pixel corners of the output; source coordinates are centres at integers, so shift by half a pixel.
        let u = lu + du * 0.5 - 0.5, v = lv + dv * 0.5 - 0.5;
        let o = 4 * ((cj * step + jj) * TILE_SIZE + ci * step);
        for (let ii = 0; ii < step; ii++, u += du, v += dv, o += 4) {
          if (u < -0.5 || v < -0.5 || u > width - 0.5 || v > height - 0.5) {
            out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
            anyClear = true;
            continue;
          }
          const lu0 = u - src.x0, lv0 = v - src.y0;
          let x0 = Math.floor(lu0), y0 = Math.floor(lv0);
          const fx = lu0 - x0, fy = lv0 - y0;
          let x1 = x0 + 1, y1 = y0 + 1;
          if (x0 < 0) x0 = 0;
          if (y0 < 0) y0 = 0;
          if (x1 > ww - 1) x1 = ww - 1;
          if (y1 > wh - 1) y1 = wh - 1;
          if (x0 > ww - 1) x0 = ww - 1;
          if (y0 > wh - 1) y0 = wh - 1;
          const p00 = 4 * (y0 * ww + x0), p10 = 4 * (y0 * ww + x1), p01 = 4 * (y1 * ww + x0), p11 = 4 * (y1 * ww + x1);
          const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
          const a00 = d[p00 + 3], a10 = d[p10 + 3], a01 = d[p01 + 3], a11 = d[p11 + 3];
          if ((a00 & a10 & a01 & a11) === 255) {
            out[o] = d[p00] * w00 + d[p10] * w10 + d[p01] * w01 + d[p11] * w11 + 0.5;
            out[o + 1] = d[p00 + 1] * w00 + d[p10 + 1] * w10 + d[p01 + 1] * w01 + d[p11 + 1] * w11 + 0.5;
            out[o + 2] = d[p00 + 2] * w00 + d[p10 + 2] * w10 + d[p01 + 2] * w01 + d[p11 + 2] * w11 + 0.5;
            out[o + 3] = 255;
            anyOpaque = true;
            continue;
          }
          const b00 = w00 * a00, b10 = w10 * a10, b01 = w01 * a01, b11 = w11 * a11;
          const a = b00 + b10 + b01 + b11;
          if (a < 0.5) {
            out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
            anyClear = true;
            continue;
          }
          const s = 1 / a;
          out[o] = (d[p00] * b00 + d[p10] * b10 + d[p01] * b01 + d[p11] * b11) * s + 0.5;
          out[o + 1] = (d[p00 + 1] * b00 + d[p10 + 1] * b10 + d[p01 + 1] * b01 + d[p11 + 1] * b11) * s + 0.5;
          out[o + 2] = (d[p00 + 2] * b00 + d[p10 + 2] * b10 + d[p01 + 2] * b01 + d[p11 + 2] * b11) * s + 0.5;
          const al = a + 0.5;
          out[o + 3] = al;
          if (al >= 255) anyOpaque = true;
          else anyClear = true;
        }
      }
    }
  }
  return coverage(anyOpaque, anyClear, out);
}

function coverage(anyOpaque: boolean, anyClear: boolean, out: Uint8Array): TileCoverage {
  if (!anyClear) return 'opaque';
  if (anyOpaque) return 'partial';
  for (let i = 3; i < out.length; i += 4) if (out[i] !== 0) return 'partial';
  return 'empty';
}

/**
 * One tile of the level above from its four children (top-left, top-right,
 * bottom-left, bottom-right; null = no tile there): each output pixel is the
 * alpha-weighted mean of a 2 × 2 block, as GDAL's AVERAGE overviews are.
 */
export function downsampleTile(children: readonly (Uint8Array | null)[], out: Uint8Array): TileCoverage {
  const half = TILE_SIZE / 2;
  let anyOpaque = false, anyClear = false;
  for (let q = 0; q < 4; q++) {
    const c = children[q];
    const ox = (q & 1) * half, oy = (q >> 1) * half;
    for (let j = 0; j < half; j++) {
      let o = 4 * ((oy + j) * TILE_SIZE + ox);
      if (!c) {
        out.fill(0, o, o + 4 * half);
        anyClear = true;
        continue;
      }
      let p = 4 * (2 * j * TILE_SIZE);
      const n = 4 * TILE_SIZE;
      for (let i = 0; i < half; i++, o += 4, p += 8) {
        const a0 = c[p + 3], a1 = c[p + 7], a2 = c[p + n + 3], a3 = c[p + n + 7];
        const a = a0 + a1 + a2 + a3;
        if (a === 1020) {
          out[o] = (c[p] + c[p + 4] + c[p + n] + c[p + n + 4] + 2) >> 2;
          out[o + 1] = (c[p + 1] + c[p + 5] + c[p + n + 1] + c[p + n + 5] + 2) >> 2;
          out[o + 2] = (c[p + 2] + c[p + 6] + c[p + n + 2] + c[p + n + 6] + 2) >> 2;
          out[o + 3] = 255;
          anyOpaque = true;
        } else if (a === 0) {
          out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
          anyClear = true;
        } else {
          out[o] = (c[p] * a0 + c[p + 4] * a1 + c[p + n] * a2 + c[p + n + 4] * a3) / a + 0.5;
          out[o + 1] = (c[p + 1] * a0 + c[p + 5] * a1 + c[p + n + 1] * a2 + c[p + n + 5] * a3) / a + 0.5;
          out[o + 2] = (c[p + 2] * a0 + c[p + 6] * a1 + c[p + n + 2] * a2 + c[p + n + 6] * a3) / a + 0.5;
          out[o + 3] = (a + 2) >> 2;
          anyClear = true;
        }
      }
    }
  }
  return coverage(anyOpaque, anyClear, out);
}

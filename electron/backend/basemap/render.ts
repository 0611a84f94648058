/**
 * A basemap as one image for a printed map frame: the tiles of the zoom that
 * gives at least the print resolution (capped by what the basemap has),
 * composited, cropped to the frame's box and scaled to its pixel size
 * (libvips). Over a town the frame's equirectangular lon/lat and Web
 * Mercator differ by far less than a printed pixel. JPEG on white: imagery
 * compresses far better than PNG and PDF embeds it as it is.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { BBox } from '../../../core/model/geojson';
import { MERCATOR_HALF, TILE_SIZE, lonLatToMercator, mercatorResolution, tileRange } from '../../../core/geo/webMercator';
import type { TileAnswer } from './serve';
import { renderVectorBasemap } from './renderVector';
import { clamp } from '../../../core/format/number';

export interface PrintBasemap {
  tile(z: number, x: number, y: number): Promise<TileAnswer>;
  minZoom: number;
  maxZoom: number;
  attribution: string;
  approvalNumber?: string;
  muted?: boolean;
  opacity?: number;
  /** More than one layer (map + annotation), drawn in order. */
  layers?: number;
  /** Vector tiles (MVT), drawn with the bundled style (renderVector.ts) rather than composited. */
  vector?: boolean;
}

/** Largest composite, in pixels per side, before the zoom is lowered. */
const MAX_MOSAIC = 16384;

/** `dpi`: the print resolution (sets the widths of a vector basemap's roads and labels; images are only resampled). */
export async function renderBasemap(b: PrintBasemap, bbox: BBox, widthPx: number, heightPx: number, dpi = 96): Promise<Buffer | undefined> {
  if (b.vector) return renderVectorBasemap(b, bbox, widthPx, heightPx, dpi);
  const m0 = lonLatToMercator(bbox[0], bbox[1]);
  const m1 = lonLatToMercator(bbox[2], bbox[3]);
  const want = (m1[0] - m0[0]) / widthPx;
  let z = clamp(Math.ceil(Math.log2(mercatorResolution(0) / want)), b.minZoom, b.maxZoom);
  let r = tileRange(z, [m0[0], m0[1], m1[0], m1[1]]);
  while (z > b.minZoom && Math.max(r.maxX - r.minX + 1, r.maxY - r.minY + 1) * TILE_SIZE > MAX_MOSAIC) {
    z--;
    r = tileRange(z, [m0[0], m0[1], m1[0], m1[1]]);
  }
  const cols = r.maxX - r.minX + 1, rows = r.maxY - r.minY + 1;
  const parts: OverlayOptions[] = [];
  for (let y = r.minY; y <= r.maxY; y++) {
    for (let x = r.minX; x <= r.maxX; x++) {
      const t = await b.tile(z, x, y);
      if (t.status !== 200 || !t.type.startsWith('image/')) continue;
      parts.push({ input: t.body, left: (x - r.minX) * TILE_SIZE, top: (y - r.minY) * TILE_SIZE });
    }
  }
  if (parts.length === 0) return undefined;
  const res = mercatorResolution(z);
  const ox = -MERCATOR_HALF + r.minX * TILE_SIZE * res;
  const oy = MERCATOR_HALF - r.minY * TILE_SIZE * res;
  const left = Math.max(0, Math.round((m0[0] - ox) / res));
  const top = Math.max(0, Math.round((oy - m1[1]) / res));
  const w = clamp(Math.round((m1[0] - m0[0]) / res), 1, cols * TILE_SIZE - left);
  const h = clamp(Math.round((m1[1] - m0[1]) / res), 1, rows * TILE_SIZE - top);
  const mosaic = await sharp({ create: { width: cols * TILE_SIZE, height: rows * TILE_SIZE, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } } })
    .composite(parts)
    .png({ compressionLevel: 0 })
    .toBuffer();
  let img = sharp(mosaic).extract({ left, top, width: w, height: h }).resize(widthPx, heightPx, { fit: 'fill', kernel: 'lanczos3' }).flatten({ background: '#ffffff' });
  // The muted meeting look: grey and lighter.
  if (b.muted) img = img.grayscale().linear(0.55, 255 * 0.45);
  return img.jpeg({ quality: 88 }).toBuffer();
}

/**
 * A vector basemap (MVT: the sample's own, an OpenMapTiles MBTiles/PMTiles)
 * as one image for a printed map frame, drawn with the bundled style's
 * colours and road widths (core/basemap/palette.ts, the same as on screen):
 * land use, parks and water filled, roads as casing and fill at the width
 * the map would give them at the sheet's scale seen at 96 dpi (scaled to the
 * print resolution), place / landmark names, and street and river names along
 * their lines (at the middle of a long straight stretch, turned to read left to
 * right, one per name within a spacing). Only features are drawn — where the
 * basemap has none the paper stays white.
 *
 * The tiles of the zoom nearest the print resolution (over-zoomed past the
 * basemap's finest) are decoded (core/basemap/mvt.ts), put together as one
 * SVG in output pixels and rasterised by libvips (sharp).
 */
import sharp from 'sharp';
import { gunzipSync } from 'node:zlib';
import type { BBox } from '../../../core/model/geojson';
import { MERCATOR_HALF, TILE_SIZE, lonLatToMercator, mercatorResolution, tileRange } from '../../../core/geo/webMercator';
import { decodeMvt, type MvtFeature } from '../../../core/basemap/mvt';
import { BASEMAP_PALETTE, LANDUSE_COLOUR, ROAD_WIDTHS, roadWidth, type BasemapColours } from '../../../core/basemap/palette';
import type { TileAnswer } from './serve';
import { clamp } from '../../../core/format/number';

export interface VectorPrintSource {
  tile(z: number, x: number, y: number): Promise<TileAnswer>;
  minZoom: number;
  maxZoom: number;
  muted?: boolean;
}

/** Tiles read at most, per side, before the data zoom is lowered. */
const MAX_TILES_PER_SIDE = 24;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (n: number) => (Math.round(n * 10) / 10).toString();

export async function renderVectorBasemap(b: VectorPrintSource, bbox: BBox, widthPx: number, heightPx: number, dpi: number): Promise<Buffer | undefined> {
  const m0 = lonLatToMercator(bbox[0], bbox[1]);
  const m1 = lonLatToMercator(bbox[2], bbox[3]);
  const sx = widthPx / (m1[0] - m0[0]), sy = heightPx / (m1[1] - m0[1]);
  const metresPerPx = (m1[0] - m0[0]) / widthPx;
  // The zoom the map would show this scale at on a 96 dpi screen: it sets the road widths and which labels show.
  const styleZoom = Math.log2(mercatorResolution(0) / (metresPerPx * (dpi / 96)));
  const cssPx = dpi / 96;
  let z = clamp(Math.round(styleZoom), b.minZoom, Math.max(b.minZoom, b.maxZoom));
  let r = tileRange(z, [m0[0], m0[1], m1[0], m1[1]]);
  while (z > b.minZoom && Math.max(r.maxX - r.minX + 1, r.maxY - r.minY + 1) > MAX_TILES_PER_SIDE) {
    z--;
    r = tileRange(z, [m0[0], m0[1], m1[0], m1[1]]);
  }
  const c: BasemapColours = b.muted ? BASEMAP_PALETTE.muted : BASEMAP_PALETTE.normal;
  const tileSpan = mercatorResolution(z) * TILE_SIZE;

  // Path data per paint, in draw order.
  const fills = new Map<string, string[]>();
  const casings = new Map<number, string[]>();
  const roads = new Map<string, string[]>();
  const labels: { x: number; y: number; text: string; size: number; colour: string; angle?: number }[] = [];
  /** Line labels placed so far, by name: another of the same name keeps its distance (the map's symbol-spacing). */
  const placed = new Map<string, [number, number][]>();
  const spacing = 320 * cssPx;
  const push = <K>(m: Map<K, string[]>, k: K, d: string) => {
    const a = m.get(k);
    if (a) a.push(d);
    else m.set(k, [d]);
  };
  let features = 0;

  for (let ty = r.minY; ty <= r.maxY; ty++) {
    for (let tx = r.minX; tx <= r.maxX; tx++) {
      const t = await b.tile(z, tx, ty);
      if (t.status !== 200 || t.body.length === 0) continue;
      const body = t.body[0] === 0x1f && t.body[1] === 0x8b ? gunzipSync(t.body) : t.body;
      for (const layer of decodeMvt(body)) {
        const k = tileSpan / layer.extent;
        const ox = -MERCATOR_HALF + tx * tileSpan, oy = MERCATOR_HALF - ty * tileSpan;
        const px = (x: number) => (ox + x * k - m0[0]) * sx;
        const py = (y: number) => (m1[1] - (oy - y * k)) * sy;
        const path = (f: MvtFeature, close: boolean) =>
          f.geometry.map((part) => 'M' + part.map(([x, y]) => `${num(px(x))} ${num(py(y))}`).join('L') + (close ? 'Z' : '')).join('');
        for (const f of layer.features) {
          const cls = String(f.properties.class ?? '');
          const name = (f.properties['name:zh'] ?? f.properties.name) as string | null | undefined;
          if (layer.name === 'landuse' && f.type === 3) push(fills, c[LANDUSE_COLOUR[cls] ?? 'residential'], path(f, true));
          else if (layer.name === 'park' && f.type === 3) push(fills, c.park, path(f, true));
          else if (layer.name === 'water' && f.type === 3) push(fills, c.water, path(f, true));
          else if (layer.name === 'transportation' && f.type === 2) {
            const w = ROAD_WIDTHS[cls === 'primary' || cls === 'service' ? cls : 'other'];
            const d = path(f, false);
            push(casings, roadWidth(styleZoom, w.z12[0], w.z17[0]) * cssPx, d);
            push(roads, `${cls === 'primary' ? c.primary : c.road}|${roadWidth(styleZoom, w.z12[1], w.z17[1]) * cssPx}`, d);
          } else if ((layer.name === 'transportation_name' || layer.name === 'water_name') && f.type === 2 && name) {
            // The map's rules: street names from zoom 14, river names from 13.
            if (styleZoom < (layer.name === 'water_name' ? 13 : 14)) continue;
            const size = (layer.name === 'water_name' ? 13 : cls === 'primary' ? 13 : 11) * cssPx;
            // The longest straight stretch inside the tile proper, in output pixels.
            let best: { x: number; y: number; len: number; angle: number } | null = null;
            for (const part of f.geometry)
              for (let i = 1; i < part.length; i++) {
                const [ax, ay] = part[i - 1], [bx, by] = part[i];
                const mx = (ax + bx) / 2, my = (ay + by) / 2;
                if (mx < 0 || my < 0 || mx > layer.extent || my > layer.extent) continue;
                const x0 = px(ax), y0 = py(ay), x1 = px(bx), y1 = py(by);
                const len = Math.hypot(x1 - x0, y1 - y0);
                if (!best || len > best.len) {
                  let angle = (Math.atan2(y1 - y0, x1 - x0) * 180) / Math.PI;
                  if (angle > 90) angle -= 180;
                  if (angle < -90) angle += 180;
                  best = { x: (x0 + x1) / 2, y: (y0 + y1) / 2, len, angle };
                }
              }
            // Only where the name fits along the line.
            if (!best || best.len < [...name].length * size * 1.2) continue;
            const near = placed.get(name) ?? [];
            if (near.some(([x, y]) => Math.hypot(x - best!.x, y - best!.y) < spacing)) continue;
            near.push([best.x, best.y]);
            placed.set(name, near);
            labels.push({ x: best.x, y: best.y, text: name, size, colour: layer.name === 'water_name' ? c.waterLabel : c.label, angle: best.angle });
          } else if ((layer.name === 'place' || layer.name === 'poi') && f.type === 1 && name) {
            // The map's rules: towns up to zoom 15, landmarks from zoom 14.
            if (layer.name === 'place' ? styleZoom >= 15 : styleZoom < 14) continue;
            const [x, y] = f.geometry[0]?.[0] ?? [-1, -1];
            if (x < 0 || y < 0 || x > layer.extent || y > layer.extent) continue; // in the buffer: the neighbouring tile draws it
            const size = (layer.name === 'place' ? 14 + (clamp(styleZoom, 10, 14) - 10) * 1.5 : 12) * cssPx;
            labels.push({ x: px(x), y: py(y), text: name, size, colour: c.label });
          } else continue;
          features++;
        }
      }
    }
  }
  if (features === 0) return undefined;

  const svg: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}">`];
  // Fills first (land use, parks, water: in the order the map draws them), then road casings, then roads. Non-zero
  // winding: the same feature cut into two neighbouring tiles overlaps in their buffers and must not cancel out.
  const fillOrder = [...fills.keys()].sort((a, b2) => rankFill(c, a) - rankFill(c, b2));
  for (const colour of fillOrder) svg.push(`<path fill="${colour}" fill-rule="nonzero" d="${fills.get(colour)!.join('')}"/>`);
  for (const [w, ds] of casings) svg.push(`<path fill="none" stroke="${c.roadCasing}" stroke-width="${num(w)}" stroke-linecap="round" stroke-linejoin="round" d="${ds.join('')}"/>`);
  for (const [key, ds] of roads) {
    const [colour, w] = key.split('|');
    svg.push(`<path fill="none" stroke="${colour}" stroke-width="${num(Number(w))}" stroke-linecap="round" stroke-linejoin="round" d="${ds.join('')}"/>`);
  }
  for (const l of labels) {
    const turn = l.angle ? ` transform="rotate(${num(l.angle)} ${num(l.x)} ${num(l.y)})"` : '';
    const attrs = `x="${num(l.x)}" y="${num(l.y)}" font-family="Noto Sans CJK SC, Noto Serif CJK SC, sans-serif" font-size="${num(l.size)}" text-anchor="middle" dominant-baseline="middle"${turn}`;
    svg.push(`<text ${attrs} fill="none" stroke="#ffffff" stroke-opacity="0.9" stroke-width="${num(l.size / 6)}" stroke-linejoin="round">${esc(l.text)}</text>`);
    svg.push(`<text ${attrs} fill="${l.colour}">${esc(l.text)}</text>`);
  }
  svg.push('</svg>');
  return sharp(Buffer.from(svg.join('')), { limitInputPixels: false }).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
}

/** Land use under parks under water, as the map's layers are ordered. */
function rankFill(c: BasemapColours, colour: string): number {
  if (colour === c.water) return 2;
  if (colour === c.park) return 1;
  return 0;
}

/**
 * Writes a display-list page as a PNG with @napi-rs/canvas. The pixel size
 * follows the paper and dpi exactly (A3 landscape at 300 dpi = 4961 × 3508),
 * and the pHYs chunk carries the dpi so image viewers and Word print it at
 * paper size.
 */
import { GlobalFonts, createCanvas, loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { writeFile } from 'node:fs/promises';
import { MM_PER_PT, type DrawCommand, type Fill, type Page, type Stroke } from '../../../core/carto/displayList';
import { pagePixels } from '../../../core/carto/layout';
import { findCjkFont } from './font';
import { baselineOffset } from './textMetrics';

let registered: string | null = null;

function fontFamily(): string {
  if (registered) return registered;
  const font = findCjkFont();
  // Register under our own alias so the face we embed in PDFs is the one drawn here too.
  const ok = GlobalFonts.registerFromPath(font.path, 'WarmNetCJK');
  if (font.boldPath) GlobalFonts.registerFromPath(font.boldPath, 'WarmNetCJK');
  registered = ok ? `WarmNetCJK, "${font.family}"` : `"${font.family}"`;
  return registered;
}

function setStroke(ctx: SKRSContext2D, s: Stroke): void {
  ctx.strokeStyle = s.color;
  ctx.globalAlpha = s.opacity ?? 1;
  ctx.lineWidth = s.widthMm;
  ctx.lineCap = s.cap ?? 'butt';
  ctx.lineJoin = s.join ?? 'miter';
  ctx.setLineDash(s.dashMm ?? []);
}

function paint(ctx: SKRSContext2D, fill: Fill | undefined, stroke: Stroke | undefined, rule: CanvasFillRule = 'nonzero'): void {
  if (fill) {
    ctx.fillStyle = fill.color;
    ctx.globalAlpha = fill.opacity ?? 1;
    ctx.fill(rule);
  }
  if (stroke) {
    setStroke(ctx, stroke);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

function ring(ctx: SKRSContext2D, pts: number[], close: boolean): void {
  if (pts.length < 4) return;
  ctx.moveTo(pts[0], pts[1]);
  for (let i = 2; i < pts.length; i += 2) ctx.lineTo(pts[i], pts[i + 1]);
  if (close) ctx.closePath();
}

export function drawCommands(ctx: SKRSContext2D, commands: DrawCommand[], family: string, images: Map<Uint8Array, Image> = new Map()): void {
  for (const c of commands) {
    switch (c.kind) {
      case 'image': {
        const img = images.get(c.png);
        if (!img) break;
        ctx.globalAlpha = c.opacity ?? 1;
        ctx.drawImage(img, c.x, c.y, c.w, c.h);
        ctx.globalAlpha = 1;
        break;
      }
      case 'polyline':
        ctx.beginPath();
        ring(ctx, c.points, false);
        setStroke(ctx, c.stroke);
        ctx.stroke();
        ctx.globalAlpha = 1;
        break;
      case 'polygon':
        ctx.beginPath();
        for (const r of c.rings) ring(ctx, r, true);
        paint(ctx, c.fill, c.stroke, 'evenodd');
        break;
      case 'circle':
        ctx.beginPath();
        ctx.arc(c.x, c.y, c.rMm, 0, Math.PI * 2);
        paint(ctx, c.fill, c.stroke);
        break;
      case 'rect':
        ctx.beginPath();
        ctx.rect(c.x, c.y, c.w, c.h);
        paint(ctx, c.fill, c.stroke);
        break;
      case 'text': {
        const size = c.sizePt * MM_PER_PT;
        ctx.font = `${c.bold ? 'bold ' : ''}${size}px ${family}`;
        ctx.textAlign = c.align ?? 'left';
        ctx.textBaseline = 'alphabetic';
        const y = c.y + baselineOffset(c.baseline) * size;
        if (c.halo) {
          ctx.setLineDash([]);
          ctx.lineJoin = 'round';
          ctx.lineWidth = size * 0.22;
          ctx.strokeStyle = c.halo;
          ctx.strokeText(c.text, c.x, y);
        }
        ctx.fillStyle = c.color;
        ctx.fillText(c.text, c.x, y);
        break;
      }
      case 'clip':
        ctx.save();
        ctx.beginPath();
        ctx.rect(c.x, c.y, c.w, c.h);
        ctx.clip();
        break;
      case 'unclip':
        ctx.restore();
        break;
    }
  }
}

/** Rasterise one page at `dpi`; returns PNG bytes. */
export async function renderPng(page: Page, dpi: number): Promise<Buffer> {
  const { width, height } = pagePixels(page.widthMm, page.heightMm, dpi);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = page.background ?? '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  ctx.scale(width / page.widthMm, height / page.heightMm);
  // Images decode asynchronously: decode the page's images first.
  const images = new Map<Uint8Array, Image>();
  for (const c of page.commands) if (c.kind === 'image' && !images.has(c.png)) images.set(c.png, await loadImage(Buffer.from(c.png)));
  drawCommands(ctx, page.commands, fontFamily(), images);
  ctx.restore();
  const png = await canvas.encode('png');
  return withDpi(png, dpi);
}

/** Insert a pHYs chunk (pixels per metre) right after IHDR. */
function withDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(ppm, 0);
  data.writeUInt32BE(ppm, 4);
  data.writeUInt8(1, 8);
  const chunk = Buffer.alloc(12 + 9);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'ascii');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  const ihdrEnd = 8 + 12 + 13;
  // Drop any pHYs the encoder wrote so there is exactly one.
  const rest: Buffer[] = [];
  let off = ihdrEnd;
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    const end = off + 12 + len;
    if (type !== 'pHYs') rest.push(png.subarray(off, end));
    off = end;
  }
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, ...rest]);
}

let crcTable: Uint32Array | null = null;
function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export async function writePng(page: Page, dpi: number, outPath: string): Promise<void> {
  await writeFile(outPath, await renderPng(page, dpi));
}

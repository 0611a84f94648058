#!/usr/bin/env node
/**
 * Generates the map's Latin glyph ranges (signed-distance-field PBFs, the
 * format MapLibre's `glyphs` URL serves) into assets/public/glyphs/, so
 * labels render with no network. Chinese labels do not need these: MapLibre
 * draws CJK with the system font (localIdeographFontFamily).
 *
 *   node assets/tools/generate-glyphs.mjs [--font-dir DIR]
 *
 * Renders each code point with @napi-rs/canvas, computes an exact Euclidean
 * distance transform (Felzenszwalb–Huttenlocher) inside and outside the
 * outline, and writes the glyphs protobuf by hand (it has 7 fields).
 * Source fonts: Liberation Sans (SIL OFL 1.1), found on the system.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FONT_SIZE = 24; // MapLibre's glyph PBFs are 24 px
const BUFFER = 3; // MapLibre expects a 3 px border around each bitmap
const RADIUS = 8;
const CUTOFF = 0.25;
const INF = 1e20;

const STACKS = [
  { name: 'WarmNet Sans Regular', files: ['LiberationSans-Regular.ttf'], weight: 'normal' },
  { name: 'WarmNet Sans Bold', files: ['LiberationSans-Bold.ttf'], weight: 'bold' },
];
// Basic Latin + Latin-1, and general punctuation (– — ‰ …).
const RANGES = [0, 8192];

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'public', 'glyphs');
const fontDirs = [
  process.argv.includes('--font-dir') ? process.argv[process.argv.indexOf('--font-dir') + 1] : null,
  '/usr/share/fonts/truetype/liberation2',
  '/usr/share/fonts/truetype/liberation',
].filter(Boolean);

function findFont(file) {
  for (const d of fontDirs) if (existsSync(join(d, file))) return join(d, file);
  throw new Error(`font ${file} not found in ${fontDirs.join(', ')} (apt-get install fonts-liberation2)`);
}

// ---- distance transform -------------------------------------------------
function edt1d(grid, offset, stride, length, f, v, z) {
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  f[0] = grid[offset];
  for (let q = 1, k = 0; q < length; q++) {
    f[q] = grid[offset + q * stride];
    const q2 = q * q;
    let s;
    for (;;) {
      const r = v[k];
      s = (f[q] - f[r] + q2 - r * r) / (q - r) / 2;
      if (s <= z[k] && k > 0) k--;
      else if (s <= z[k]) {
        k = -1;
        break;
      } else break;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  for (let q = 0, k = 0; q < length; q++) {
    while (z[k + 1] < q) k++;
    const r = v[k];
    grid[offset + q * stride] = f[r] + (q - r) * (q - r);
  }
}

function edt2d(grid, width, height) {
  const n = Math.max(width, height);
  const f = new Float64Array(n), v = new Uint16Array(n), z = new Float64Array(n + 1);
  for (let x = 0; x < width; x++) edt1d(grid, x, width, height, f, v, z);
  for (let y = 0; y < height; y++) edt1d(grid, y * width, 1, width, f, v, z);
}

function sdfGlyph(ctx, ch) {
  const m = ctx.measureText(ch);
  const advance = Math.round(m.width);
  const left = Math.floor(-m.actualBoundingBoxLeft);
  const right = Math.ceil(m.actualBoundingBoxRight);
  const ascent = Math.ceil(m.actualBoundingBoxAscent);
  const descent = Math.ceil(m.actualBoundingBoxDescent);
  const w = Math.max(0, right - left);
  const h = Math.max(0, ascent + descent);
  const W = w + 2 * BUFFER, H = h + 2 * BUFFER;
  const bitmap = new Uint8Array(W * H);
  if (w === 0 || h === 0) return { advance, left: 0, top: -27, width: 0, height: 0, bitmap: new Uint8Array(36) };
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.fillText(ch, BUFFER - left, BUFFER + ascent);
  const alpha = ctx.getImageData(0, 0, W, H).data;
  const outer = new Float64Array(W * H).fill(INF);
  const inner = new Float64Array(W * H).fill(0);
  for (let i = 0; i < W * H; i++) {
    const a = alpha[i * 4 + 3] / 255;
    if (a === 0) continue;
    if (a === 1) {
      outer[i] = 0;
      inner[i] = INF;
    } else {
      // anti-aliased edge pixel: sub-pixel distance to the outline
      const d = 0.5 - a;
      outer[i] = d > 0 ? d * d : 0;
      inner[i] = d < 0 ? d * d : 0;
    }
  }
  edt2d(outer, W, H);
  edt2d(inner, W, H);
  for (let i = 0; i < W * H; i++) {
    const d = Math.sqrt(outer[i]) - Math.sqrt(inner[i]);
    bitmap[i] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / RADIUS + CUTOFF))));
  }
  // `top` follows MapLibre's convention for 24 px glyphs (its own local glyphs use ascent − 27).
  return { advance, left, top: ascent - 27, width: w, height: h, bitmap };
}

// ---- protobuf ------------------------------------------------------------
class Writer {
  bytes = [];
  varint(n) {
    n >>>= 0;
    while (n > 127) {
      this.bytes.push((n & 127) | 128);
      n >>>= 7;
    }
    this.bytes.push(n);
  }
  key(field, wire) {
    this.varint((field << 3) | wire);
  }
  uint(field, n) {
    this.key(field, 0);
    this.varint(n);
  }
  sint(field, n) {
    this.key(field, 0);
    this.varint((n << 1) ^ (n >> 31));
  }
  bytesField(field, u8) {
    this.key(field, 2);
    this.varint(u8.length);
    for (const b of u8) this.bytes.push(b);
  }
  string(field, s) {
    this.bytesField(field, new TextEncoder().encode(s));
  }
  message(field, w) {
    this.bytesField(field, Uint8Array.from(w.bytes));
  }
}

for (const stack of STACKS) {
  const family = `WarmNetGlyphs-${stack.weight}`;
  GlobalFonts.registerFromPath(findFont(stack.files[0]), family);
  const canvas = createCanvas(FONT_SIZE * 4, FONT_SIZE * 4);
  const ctx = canvas.getContext('2d');
  ctx.font = `${stack.weight} ${FONT_SIZE}px ${family}`;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  ctx.fillStyle = 'black';
  mkdirSync(join(outDir, stack.name), { recursive: true });
  for (const start of RANGES) {
    const end = start + 255;
    const fontstack = new Writer();
    fontstack.string(1, stack.name);
    fontstack.string(2, `${start}-${end}`);
    for (let id = start; id <= end; id++) {
      if (id < 32 || (id >= 127 && id < 160)) continue; // control characters
      const g = sdfGlyph(ctx, String.fromCodePoint(id));
      const glyph = new Writer();
      glyph.uint(1, id);
      glyph.bytesField(2, g.bitmap);
      glyph.uint(3, g.width);
      glyph.uint(4, g.height);
      glyph.sint(5, g.left);
      glyph.sint(6, g.top);
      glyph.uint(7, g.advance);
      fontstack.message(3, glyph);
    }
    const root = new Writer();
    root.message(1, fontstack);
    const file = join(outDir, stack.name, `${start}-${end}.pbf`);
    writeFileSync(file, Uint8Array.from(root.bytes));
    console.log(`${file}: ${root.bytes.length} bytes`);
  }
}

/**
 * Mapbox Vector Tile (MVT 2.1) decoding for printing vector basemaps: the
 * layers of a tile with their features' type, geometry (tile coordinates,
 * 0…extent, y down) and properties. A protobuf reader of the few wire types
 * the format uses (varint, 64-bit, length-delimited, 32-bit); pure, so the
 * exports and the tests read tiles the same way.
 */

export type MvtValue = string | number | boolean | null;

export interface MvtFeature {
  /** 1 point, 2 line, 3 polygon. */
  type: 1 | 2 | 3;
  /** Parts: points (one part of several positions), lines, or rings (outer clockwise in tile space, holes counter-clockwise). */
  geometry: [number, number][][];
  properties: Record<string, MvtValue>;
}

export interface MvtLayer {
  name: string;
  extent: number;
  features: MvtFeature[];
}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}
  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('vector tile: truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
      if (shift > 2 ** 63) throw new Error('vector tile: varint too long');
    }
  }
  /** A length-delimited field as a reader over its bytes. */
  sub(): Reader {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw new Error('vector tile: field runs past its message');
    this.pos = start + len;
    const r = new Reader(this.buf, start + len);
    r.pos = start;
    return r;
  }
  string(): string {
    const r = this.sub();
    return utf8(this.buf.subarray(r.pos, r.end));
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos = this.sub().end;
    else if (wire === 5) this.pos += 4;
    else throw new Error(`vector tile: unknown wire type ${wire}`);
  }
  done(): boolean {
    return this.pos >= this.end;
  }
}

function utf8(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i++];
    let cp: number;
    if (c < 0x80) cp = c;
    else if (c < 0xe0) cp = ((c & 0x1f) << 6) | (b[i++] & 0x3f);
    else if (c < 0xf0) cp = ((c & 0x0f) << 12) | ((b[i++] & 0x3f) << 6) | (b[i++] & 0x3f);
    else cp = ((c & 0x07) << 18) | ((b[i++] & 0x3f) << 12) | ((b[i++] & 0x3f) << 6) | (b[i++] & 0x3f);
    s += String.fromCodePoint(cp);
  }
  return s;
}

const zigzag = (n: number) => (n % 2 === 1 ? -(n + 1) / 2 : n / 2);

function value(r: Reader): MvtValue {
  let v: MvtValue = null;
  while (!r.done()) {
    const tag = r.varint();
    const field = Math.floor(tag / 8), wire = tag & 7;
    const dv = new DataView(r.buf.buffer, r.buf.byteOffset);
    if (field === 1 && wire === 2) v = r.string();
    else if (field === 2 && wire === 5) {
      v = dv.getFloat32(r.pos, true);
      r.pos += 4;
    } else if (field === 3 && wire === 1) {
      v = dv.getFloat64(r.pos, true);
      r.pos += 8;
    } else if ((field === 4 || field === 5) && wire === 0) v = r.varint();
    else if (field === 6 && wire === 0) v = zigzag(r.varint());
    else if (field === 7 && wire === 0) v = r.varint() !== 0;
    else r.skip(wire);
  }
  return v;
}

function packed(r: Reader): number[] {
  const s = r.sub();
  const out: number[] = [];
  while (!s.done()) out.push(s.varint());
  return out;
}

function geometry(cmds: number[]): [number, number][][] {
  const parts: [number, number][][] = [];
  let x = 0, y = 0;
  let part: [number, number][] | null = null;
  for (let i = 0; i < cmds.length; ) {
    const c = cmds[i++];
    const id = c & 7, count = c >> 3;
    if (id === 7) {
      if (part && part.length) part.push([part[0][0], part[0][1]]);
      continue;
    }
    for (let k = 0; k < count; k++) {
      x += zigzag(cmds[i++]);
      y += zigzag(cmds[i++]);
      if (id === 1) {
        part = [];
        parts.push(part);
      }
      part!.push([x, y]);
    }
  }
  return parts;
}

/** The layers of a vector tile (uncompressed protobuf). */
export function decodeMvt(bytes: Uint8Array): MvtLayer[] {
  const tile = new Reader(bytes);
  const layers: MvtLayer[] = [];
  while (!tile.done()) {
    const tag = tile.varint();
    if (tag >> 3 !== 3 || (tag & 7) !== 2) {
      tile.skip(tag & 7);
      continue;
    }
    const l = tile.sub();
    let name = '', extent = 4096;
    const keys: string[] = [], values: MvtValue[] = [];
    const raw: { type: number; tags: number[]; geom: number[] }[] = [];
    while (!l.done()) {
      const t = l.varint();
      const field = t >> 3, wire = t & 7;
      if (field === 1 && wire === 2) name = l.string();
      else if (field === 3 && wire === 2) keys.push(l.string());
      else if (field === 4 && wire === 2) values.push(value(l.sub()));
      else if (field === 5 && wire === 0) extent = l.varint();
      else if (field === 2 && wire === 2) {
        const f = l.sub();
        const feat = { type: 0, tags: [] as number[], geom: [] as number[] };
        while (!f.done()) {
          const ft = f.varint();
          const ff = ft >> 3, fw = ft & 7;
          if (ff === 2 && fw === 2) feat.tags = packed(f);
          else if (ff === 3 && fw === 0) feat.type = f.varint();
          else if (ff === 4 && fw === 2) feat.geom = packed(f);
          else f.skip(fw);
        }
        raw.push(feat);
      } else l.skip(wire);
    }
    const features: MvtFeature[] = [];
    for (const f of raw) {
      if (f.type < 1 || f.type > 3) continue;
      const properties: Record<string, MvtValue> = {};
      for (let i = 0; i + 1 < f.tags.length; i += 2) if (keys[f.tags[i]] !== undefined) properties[keys[f.tags[i]]] = values[f.tags[i + 1]] ?? null;
      features.push({ type: f.type as 1 | 2 | 3, geometry: geometry(f.geom), properties });
    }
    layers.push({ name, extent, features });
  }
  return layers;
}

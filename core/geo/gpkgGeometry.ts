/**
 * GeoPackage geometry blobs (OGC 12-128r18 §2.1.3): a "GP" header with the
 * SRS id and an envelope, followed by ISO WKB. Pure byte code, no driver.
 */
import type { Geometry, Position } from '../model/geojson';

const WKB_TYPE: Record<Geometry['type'], number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
};

export interface Envelope {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Envelope of a geometry; `null` for an empty one. */
export function envelopeOf(g: Geometry): Envelope | null {
  // Loops instead of a visitor closure: this runs once per feature on every write.
  const e: Envelope = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  switch (g.type) {
    case 'Point':
      extend(e, g.coordinates);
      break;
    case 'LineString':
    case 'MultiPoint':
      extendAll(e, g.coordinates);
      break;
    case 'Polygon':
    case 'MultiLineString':
      for (const r of g.coordinates) extendAll(e, r);
      break;
    case 'MultiPolygon':
      for (const p of g.coordinates) for (const r of p) extendAll(e, r);
      break;
  }
  return e.minX === Infinity ? null : e;
}

function extend(e: Envelope, p: Position): void {
  const x = p[0];
  const y = p[1];
  if (x < e.minX) e.minX = x;
  if (x > e.maxX) e.maxX = x;
  if (y < e.minY) e.minY = y;
  if (y > e.maxY) e.maxY = y;
}

function extendAll(e: Envelope, ps: readonly Position[]): void {
  for (let i = 0; i < ps.length; i++) extend(e, ps[i]);
}

export function walkPositions(g: Geometry, visit: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      visit(g.coordinates);
      break;
    case 'LineString':
    case 'MultiPoint':
      g.coordinates.forEach(visit);
      break;
    case 'Polygon':
    case 'MultiLineString':
      g.coordinates.forEach((r) => r.forEach(visit));
      break;
    case 'MultiPolygon':
      g.coordinates.forEach((p) => p.forEach((r) => r.forEach(visit)));
      break;
  }
}

function ringSize(r: readonly Position[]): number {
  return 4 + r.length * 16;
}

function wkbSize(g: Geometry): number {
  const ring = ringSize;
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
      return 5 + ring(g.coordinates);
    case 'Polygon':
      return 5 + 4 + g.coordinates.reduce((s, r) => s + ring(r), 0);
    case 'MultiPoint':
      return 5 + 4 + g.coordinates.length * 21;
    case 'MultiLineString':
      return 5 + 4 + g.coordinates.reduce((s, r) => s + 5 + ring(r), 0);
    case 'MultiPolygon':
      return 5 + 4 + g.coordinates.reduce((s, p) => s + 9 + p.reduce((t, r) => t + ring(r), 0), 0);
  }
}

/** Little-endian WKB writer; methods rather than per-call closures keep encoding cheap. */
class WkbWriter {
  constructor(
    readonly view: DataView,
    public o: number,
  ) {}
  u32(n: number): void {
    this.view.setUint32(this.o, n, true);
    this.o += 4;
  }
  pt(p: Position): void {
    this.view.setFloat64(this.o, p[0], true);
    this.view.setFloat64(this.o + 8, p[1], true);
    this.o += 16;
  }
  ring(r: readonly Position[]): void {
    this.u32(r.length);
    for (let i = 0; i < r.length; i++) this.pt(r[i]);
  }
  geometry(g: Geometry): void {
    this.view.setUint8(this.o, 1);
    this.o += 1;
    this.u32(WKB_TYPE[g.type]);
    switch (g.type) {
      case 'Point':
        this.pt(g.coordinates);
        break;
      case 'LineString':
        this.ring(g.coordinates);
        break;
      case 'Polygon':
        this.u32(g.coordinates.length);
        for (const r of g.coordinates) this.ring(r);
        break;
      case 'MultiPoint':
        this.u32(g.coordinates.length);
        for (const p of g.coordinates) this.geometry({ type: 'Point', coordinates: p });
        break;
      case 'MultiLineString':
        this.u32(g.coordinates.length);
        for (const l of g.coordinates) this.geometry({ type: 'LineString', coordinates: l });
        break;
      case 'MultiPolygon':
        this.u32(g.coordinates.length);
        for (const p of g.coordinates) this.geometry({ type: 'Polygon', coordinates: p });
        break;
    }
  }
}

function writeWkb(view: DataView, offset: number, g: Geometry): number {
  const w = new WkbWriter(view, offset);
  w.geometry(g);
  return w.o;
}

/** Encode a geometry as a GeoPackage blob with an XY envelope (points get none, as GDAL does). */
export function encodeGpkgGeometry(g: Geometry, srsId = 4490, alloc?: (bytes: number) => Uint8Array): Uint8Array {
  const env = g.type === 'Point' ? null : envelopeOf(g);
  const headerLen = 8 + (env ? 32 : 0);
  // A caller writing many rows passes a pooled allocator (Node's Buffer.allocUnsafe): every byte below is written.
  const size = headerLen + wkbSize(g);
  const buf = alloc ? alloc(size) : new Uint8Array(size);
  const view = new DataView(buf.buffer, buf.byteOffset, size);
  buf[0] = 0x47; // G
  buf[1] = 0x50; // P
  buf[2] = 0; // version 1
  // flags: little-endian (bit 0), envelope code in bits 1-3 (1 = XY)
  buf[3] = 0x01 | ((env ? 1 : 0) << 1);
  view.setInt32(4, srsId, true);
  if (env) {
    view.setFloat64(8, env.minX, true);
    view.setFloat64(16, env.maxX, true);
    view.setFloat64(24, env.minY, true);
    view.setFloat64(32, env.maxY, true);
  }
  writeWkb(view, headerLen, g);
  return buf;
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** Byte offset where WKB starts in a GeoPackage blob. */
function wkbOffset(buf: Uint8Array): number {
  if (buf[0] !== 0x47 || buf[1] !== 0x50) throw new Error('not a GeoPackage geometry (missing GP magic)');
  const envCode = (buf[3] >> 1) & 0x07;
  if (envCode > 4) throw new Error(`invalid GeoPackage envelope code ${envCode}`);
  return 8 + ENVELOPE_BYTES[envCode];
}

/** True when the blob's empty-geometry flag is set. */
export function isEmptyGpkgGeometry(buf: Uint8Array): boolean {
  return ((buf[3] >> 4) & 1) === 1;
}

/** Envelope of a GeoPackage blob: from its header when present, otherwise from the WKB. */
export function gpkgEnvelope(buf: Uint8Array): Envelope | null {
  const envCode = (buf[3] >> 1) & 0x07;
  if (envCode > 0) {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const le = (buf[3] & 1) === 1;
    return {
      minX: view.getFloat64(8, le),
      maxX: view.getFloat64(16, le),
      minY: view.getFloat64(24, le),
      maxY: view.getFloat64(32, le),
    };
  }
  if (isEmptyGpkgGeometry(buf)) return null;
  return envelopeOf(decodeGpkgGeometry(buf));
}

/** SRS id stored in a GeoPackage blob header. */
export function gpkgSrsId(buf: Uint8Array): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return view.getInt32(4, (buf[3] & 1) === 1);
}

/**
 * Calls `visit` with each vertex of a LineString blob, straight from the bytes
 * (no objects: a summary over a million pipes); false when the blob holds
 * another geometry type, which the caller then decodes.
 */
export function eachLineVertex(buf: Uint8Array, visit: (x: number, y: number) => void): boolean {
  const o = wkbOffset(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const le = view.getUint8(o) === 1;
  const raw = view.getUint32(o + 1, le);
  if (raw & 0xe0000000) return false; // EWKB flags: the general decoder
  const type = raw % 1000;
  const k = Math.floor(raw / 1000);
  if (type !== 2 || k > 3) return false;
  const dims = k === 0 ? 2 : k === 3 ? 4 : 3;
  const n = view.getUint32(o + 5, le);
  let p = o + 9;
  for (let i = 0; i < n; i++, p += dims * 8) visit(view.getFloat64(p, le), view.getFloat64(p + 8, le));
  return true;
}

/** Decode a GeoPackage blob (2-D; Z/M ordinates are read and dropped). */
export function decodeGpkgGeometry(buf: Uint8Array): Geometry {
  return decodeWkb(buf, wkbOffset(buf)).geometry;
}

/** Decode ISO or extended WKB starting at `offset`. */
export function decodeWkb(buf: Uint8Array, offset = 0): { geometry: Geometry; end: number } {
  const r = new WkbReader(new DataView(buf.buffer, buf.byteOffset, buf.byteLength), offset);
  const geometry = r.geometry();
  return { geometry, end: r.o };
}

/** WKB reader (any byte order, Z/M dropped); methods rather than per-call closures keep decoding cheap. */
class WkbReader {
  le = true;
  dims = 2;
  constructor(
    readonly view: DataView,
    public o: number,
  ) {}
  pt(): Position {
    const x = this.view.getFloat64(this.o, this.le);
    const y = this.view.getFloat64(this.o + 8, this.le);
    this.o += this.dims * 8;
    return [x, y];
  }
  u32(): number {
    const n = this.view.getUint32(this.o, this.le);
    this.o += 4;
    return n;
  }
  ring(): Position[] {
    const n = this.u32();
    const r: Position[] = new Array(n);
    for (let i = 0; i < n; i++) r[i] = this.pt();
    return r;
  }
  geometry(): Geometry {
    const view = this.view;
    this.le = view.getUint8(this.o) === 1;
    this.o += 1;
    let type = view.getUint32(this.o, this.le);
    this.o += 4;
    let dims = 2;
    // EWKB flags (PostGIS) and ISO thousands for Z / M / ZM
    if (type & 0x80000000) dims++;
    if (type & 0x40000000) dims++;
    if (type & 0x20000000) this.o += 4; // EWKB SRID
    type &= 0x0fffffff;
    if (type > 1000) {
      const k = Math.floor(type / 1000);
      dims = k === 3 ? 4 : 3;
      type %= 1000;
    }
    this.dims = dims;
    switch (type) {
      case 1:
        return { type: 'Point', coordinates: this.pt() };
      case 2:
        return { type: 'LineString', coordinates: this.ring() };
      case 3: {
        const n = this.u32();
        const rings: Position[][] = [];
        for (let i = 0; i < n; i++) rings.push(this.ring());
        return { type: 'Polygon', coordinates: rings };
      }
      case 4:
      case 5:
      case 6: {
        const n = this.u32();
        const parts: Geometry[] = [];
        for (let i = 0; i < n; i++) parts.push(this.geometry());
        if (type === 4) return { type: 'MultiPoint', coordinates: parts.map((p) => p.coordinates as Position) };
        if (type === 5) return { type: 'MultiLineString', coordinates: parts.map((p) => p.coordinates as Position[]) };
        return { type: 'MultiPolygon', coordinates: parts.map((p) => p.coordinates as Position[][]) };
      }
      default:
        throw new Error(`unsupported WKB geometry type ${type}`);
    }
  }
}

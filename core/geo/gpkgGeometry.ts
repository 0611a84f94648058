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
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const visit = (p: Position) => {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  };
  walkPositions(g, visit);
  return minX === Infinity ? null : { minX, maxX, minY, maxY };
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

function wkbSize(g: Geometry): number {
  const ring = (r: Position[]) => 4 + r.length * 16;
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

function writeWkb(view: DataView, offset: number, g: Geometry): number {
  let o = offset;
  const u32 = (n: number) => {
    view.setUint32(o, n, true);
    o += 4;
  };
  const pt = (p: Position) => {
    view.setFloat64(o, p[0], true);
    view.setFloat64(o + 8, p[1], true);
    o += 16;
  };
  const ring = (r: Position[]) => {
    u32(r.length);
    r.forEach(pt);
  };
  view.setUint8(o, 1);
  o += 1;
  u32(WKB_TYPE[g.type]);
  switch (g.type) {
    case 'Point':
      pt(g.coordinates);
      break;
    case 'LineString':
      ring(g.coordinates);
      break;
    case 'Polygon':
      u32(g.coordinates.length);
      g.coordinates.forEach(ring);
      break;
    case 'MultiPoint':
      u32(g.coordinates.length);
      for (const p of g.coordinates) o = writeWkb(view, o, { type: 'Point', coordinates: p });
      break;
    case 'MultiLineString':
      u32(g.coordinates.length);
      for (const l of g.coordinates) o = writeWkb(view, o, { type: 'LineString', coordinates: l });
      break;
    case 'MultiPolygon':
      u32(g.coordinates.length);
      for (const p of g.coordinates) o = writeWkb(view, o, { type: 'Polygon', coordinates: p });
      break;
  }
  return o;
}

/** Encode a geometry as a GeoPackage blob with an XY envelope (points get none, as GDAL does). */
export function encodeGpkgGeometry(g: Geometry, srsId = 4490): Uint8Array {
  const env = g.type === 'Point' ? null : envelopeOf(g);
  const headerLen = 8 + (env ? 32 : 0);
  const buf = new Uint8Array(headerLen + wkbSize(g));
  const view = new DataView(buf.buffer);
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

/** Decode a GeoPackage blob (2-D; Z/M ordinates are read and dropped). */
export function decodeGpkgGeometry(buf: Uint8Array): Geometry {
  return decodeWkb(buf, wkbOffset(buf)).geometry;
}

/** Decode ISO or extended WKB starting at `offset`. */
export function decodeWkb(buf: Uint8Array, offset = 0): { geometry: Geometry; end: number } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let o = offset;
  const read = (): Geometry => {
    const le = view.getUint8(o) === 1;
    o += 1;
    let type = view.getUint32(o, le);
    o += 4;
    let dims = 2;
    // EWKB flags (PostGIS) and ISO thousands for Z / M / ZM
    if (type & 0x80000000) dims++;
    if (type & 0x40000000) dims++;
    if (type & 0x20000000) o += 4; // EWKB SRID
    type &= 0x0fffffff;
    if (type > 1000) {
      const k = Math.floor(type / 1000);
      dims = k === 3 ? 4 : 3;
      type %= 1000;
    }
    const pt = (): Position => {
      const x = view.getFloat64(o, le);
      const y = view.getFloat64(o + 8, le);
      o += dims * 8;
      return [x, y];
    };
    const u32 = () => {
      const n = view.getUint32(o, le);
      o += 4;
      return n;
    };
    const ring = (): Position[] => {
      const n = u32();
      const r: Position[] = new Array(n);
      for (let i = 0; i < n; i++) r[i] = pt();
      return r;
    };
    switch (type) {
      case 1:
        return { type: 'Point', coordinates: pt() };
      case 2:
        return { type: 'LineString', coordinates: ring() };
      case 3: {
        const n = u32();
        const rings: Position[][] = [];
        for (let i = 0; i < n; i++) rings.push(ring());
        return { type: 'Polygon', coordinates: rings };
      }
      case 4:
      case 5:
      case 6: {
        const n = u32();
        const parts: Geometry[] = [];
        for (let i = 0; i < n; i++) parts.push(read());
        if (type === 4) return { type: 'MultiPoint', coordinates: parts.map((p) => p.coordinates as Position) };
        if (type === 5) return { type: 'MultiLineString', coordinates: parts.map((p) => p.coordinates as Position[]) };
        return { type: 'MultiPolygon', coordinates: parts.map((p) => p.coordinates as Position[][]) };
      }
      default:
        throw new Error(`unsupported WKB geometry type ${type}`);
    }
  };
  const geometry = read();
  return { geometry, end: o };
}

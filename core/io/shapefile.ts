/**
 * ESRI Shapefile reader (.shp geometry, .shx index, .dbf attributes, .prj
 * CRS, .cpg encoding), from loose parts or a zip, reading what GDAL reads:
 *
 * - records come from the .shx index when there is one (GDAL reads nothing
 *   else), so a .shp with trailing garbage or a wrong length still reads;
 *   when .shp and .dbf disagree in count, the shorter is taken, as GDAL
 *   does, and the notes say so;
 * - polygon rings: clockwise rings are outer rings, counter-clockwise ones
 *   holes, each hole given to the smallest outer ring that contains it
 *   (GDAL's ONLY_CCW organisation); several outer rings make a MultiPolygon;
 * - a null shape or a point of NaN coordinates is a record without geometry
 *   (listed, never a reason to refuse the whole file by itself);
 * - DBF numbers padded with NUL bytes read as the number, empty ones as null;
 * - attribute text is decoded by evidence (core/io/text.ts): the .cpg, else
 *   the DBF language-driver byte, else strict UTF-8, else strict GB18030.
 */
import type { Geometry, Position } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature } from './source';
import { ByteWindow, memorySource, type ByteSource } from './bytes';
import { decideEncoding, decideFromEvidence, decodeText, EncodingUndecided, isAscii, normaliseEncoding, rangeDecoder, TextEvidence, type DeclaredEncoding, type RangeDecoder } from './text';
import { isZip, readZip } from './zip';
import type { ReadGuard } from './limits';
import { message, type Message } from '../i18n';
import { pushAll } from '../arrays';

/** The parts of one shapefile, by extension (lower case, no dot). */
export interface ShapefileParts {
  /** The two large parts may be file-backed sources, read piece by piece. */
  shp?: Uint8Array | ByteSource;
  dbf?: Uint8Array | ByteSource;
  prj?: Uint8Array;
  cpg?: Uint8Array;
  shx?: Uint8Array;
}

export interface ShapefileOptions {
  /** Forces the attribute encoding (overrides .cpg and the code page byte). */
  encoding?: string;
  /** Record count and time limits, checked as the records are read. */
  guard?: ReadGuard;
}

/** Group a file list (zip entries or sibling files) into shapefiles by stem. */
export function groupShapefiles(files: Map<string, Uint8Array>): Map<string, ShapefileParts> {
  const groups = new Map<string, ShapefileParts>();
  for (const [path, bytes] of files) {
    const base = path.split(/[\\/]/).pop()!;
    if (base.startsWith('.') || path.includes('__MACOSX')) continue;
    const m = /^(.*)\.(shp|dbf|prj|cpg|shx)$/i.exec(base);
    if (!m) continue;
    const stem = path.slice(0, path.length - base.length) + m[1];
    const g = groups.get(stem) ?? {};
    g[m[2].toLowerCase() as keyof ShapefileParts] = bytes;
    groups.set(stem, g);
  }
  return groups;
}

/** Unzip and return the shapefiles inside, by stem. */
export async function shapefilesInZip(bytes: Uint8Array, fileName: string, guard?: ReadGuard): Promise<Map<string, ShapefileParts>> {
  if (!isZip(bytes)) throw new ImportRefused(fileName, undefined, message('io.zip.notZip'));
  const groups = groupShapefiles(await readZip(bytes, fileName, guard));
  const withShp = new Map([...groups].filter(([, g]) => g.shp || g.dbf));
  if (withShp.size === 0) throw new ImportRefused(fileName, undefined, message('io.shp.noneInZip'));
  return withShp;
}

// ------------------------------------------------------------------- .shp

interface ShapeRecord {
  geometry: Geometry | null;
  /** Why the record has no usable geometry, when it has none. */
  problem?: Message;
}

/** Offsets (bytes) of the records the .shx lists, or null when it is unusable. */
function shxOffsets(shx: Uint8Array | undefined, shpLength: number, guard?: ReadGuard): { offsets: number[]; lengths: number[] } | null {
  if (!shx || shx.length < 100) return null;
  const view = new DataView(shx.buffer, shx.byteOffset, shx.byteLength);
  if (view.getInt32(0, false) !== 9994) return null;
  const n = Math.max(0, Math.floor((Math.min(view.getInt32(24, false) * 2, shx.length) - 100) / 8));
  guard?.declared(n, message('io.what.shx'));
  const offsets: number[] = new Array(n);
  const lengths: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    offsets[i] = view.getInt32(100 + i * 8, false) * 2;
    lengths[i] = view.getInt32(104 + i * 8, false) * 2;
    if (offsets[i] < 100 || offsets[i] > shpLength) return null;
  }
  return { offsets, lengths };
}

function readShp(src: ByteSource, shx: Uint8Array | undefined, file: string, notes: Message[], guard?: ReadGuard): ShapeRecord[] {
  const refuse = (where: Message | undefined, reason: Message): never => {
    throw new ImportRefused(file, where, reason);
  };
  const win = new ByteWindow(src);
  const size = src.size;
  if (size < 100 || win.at(0, 100) < 0) refuse(undefined, message('io.shp.shortHeader'));
  if (win.view.getInt32(0, false) !== 9994) refuse(undefined, message('io.shp.badCode'));
  const declared = win.view.getInt32(24, false) * 2;
  const index = shxOffsets(shx, size, guard);
  const out: ShapeRecord[] = [];
  if (index) {
    // GDAL reads the records the index lists, wherever they are; a record the .shp cannot hold is one without geometry.
    for (let n = 0; n < index.offsets.length; n++) {
      guard?.row();
      const len = index.lengths[n];
      const at = len >= 4 ? win.at(index.offsets[n] + 8, len) : -1;
      if (at < 0) {
        out.push({ geometry: null, problem: message('io.shp.shxPastEnd') });
        continue;
      }
      out.push(readShape(win.view, at, len));
    }
    if (declared !== size) notes.push(message('io.shp.note.sizeByShx', { file, declared, size }));
    return out;
  }
  if (declared > size) refuse(undefined, message('io.shp.truncated', { declared, size }));
  const end = Math.min(declared, size);
  let p = 100;
  let n = 0;
  while (p < end) {
    n++;
    const where = message('io.where.record', { n });
    guard?.row(where);
    if (p + 12 > end) refuse(where, message('io.shp.recordHeaderShort'));
    const h = win.at(p, 8);
    const len = win.view.getInt32(h + 4, false) * 2;
    const c = p + 8;
    if (len < 4 || c + len > end) refuse(where, message('io.shp.recordPastEnd'));
    out.push(readShape(win.view, win.at(c, len), len));
    p = c + len;
  }
  notes.push(message('io.shp.note.noShx', { file }));
  return out;
}

function readShape(view: DataView, c: number, len: number): ShapeRecord {
  const type = view.getInt32(c, true);
  const bad = (problem: Message): ShapeRecord => ({ geometry: null, problem });
  switch (type) {
    case 0:
      return bad(message('io.shp.nullShape'));
    case 1:
    case 11:
    case 21: {
      if (len < 20) return bad(message('io.shp.shortPoint', { len }));
      const x = view.getFloat64(c + 4, true);
      const y = view.getFloat64(c + 12, true);
      // NaN (or the "no data" value below -1e38) is how shapefiles write an empty point; GDAL reads POINT EMPTY.
      if (!Number.isFinite(x) || !Number.isFinite(y) || x < -1e38 || y < -1e38) return bad(message('io.shp.emptyPoint'));
      return { geometry: { type: 'Point', coordinates: [x, y] } };
    }
    case 8:
    case 18:
    case 28: {
      if (len < 40) return bad(message('io.shp.shortMultipoint', { len }));
      const np = view.getInt32(c + 36, true);
      if (np < 0 || 40 + np * 16 > len) return bad(message('io.shp.pointCount', { n: np }));
      const pts: Position[] = [];
      for (let i = 0; i < np; i++) {
        const x = view.getFloat64(c + 40 + i * 16, true);
        const y = view.getFloat64(c + 48 + i * 16, true);
        if (Number.isFinite(x) && Number.isFinite(y)) pts.push([x, y]);
      }
      if (pts.length === 0) return bad(message('io.shp.emptyMultipoint'));
      return pts.length === 1 ? { geometry: { type: 'Point', coordinates: pts[0] } } : { geometry: { type: 'MultiPoint', coordinates: pts } };
    }
    case 3:
    case 13:
    case 23:
    case 5:
    case 15:
    case 25: {
      if (len < 44) return bad(message('io.shp.shortShapeType', { len, type, need: 44 }));
      const nParts = view.getInt32(c + 36, true);
      const nPoints = view.getInt32(c + 40, true);
      if (nParts < 1 || nPoints < 0 || 44 + nParts * 4 + nPoints * 16 > len) return bad(message('io.shp.partCounts', { parts: nParts, points: nPoints }));
      const base = c + 44 + nParts * 4;
      const parts: Position[][] = new Array(nParts);
      for (let i = 0; i < nParts; i++) {
        const s = view.getInt32(c + 44 + i * 4, true);
        const e = i + 1 < nParts ? view.getInt32(c + 48 + i * 4, true) : nPoints;
        if (s < 0 || e > nPoints || e < s) return bad(message('io.shp.partOrder', { part: i + 1, index: s }));
        const part: Position[] = new Array(e - s);
        for (let k = s; k < e; k++) {
          const x = view.getFloat64(base + k * 16, true);
          const y = view.getFloat64(base + k * 16 + 8, true);
          if (!Number.isFinite(x) || !Number.isFinite(y)) return bad(message('io.shp.vertexNotFinite', { n: k + 1 }));
          part[k - s] = [x, y];
        }
        parts[i] = part;
      }
      if (type % 10 !== 5) {
        if (nParts === 1 && parts[0].length >= 2) return { geometry: { type: 'LineString', coordinates: parts[0] } };
        const lines = parts.filter((p) => p.length >= 2);
        if (lines.length === 0) return bad(message('io.shp.lineNoPart'));
        return { geometry: lines.length === 1 ? { type: 'LineString', coordinates: lines[0] } : { type: 'MultiLineString', coordinates: lines } };
      }
      const rings = parts.filter((r) => r.length >= 4);
      if (rings.length === 0) return bad(message('io.shp.polygonNoRing'));
      return { geometry: organiseRings(rings) };
    }
    default:
      return bad(message('io.shp.typeUnsupported', { type }));
  }
}

/** Twice the signed area (shoelace); negative for clockwise rings in x-east / y-north axes. */
function signedArea2(ring: readonly Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return a;
}

/**
 * Clockwise or not the way GDAL decides it: the turn at the lowest (then
 * rightmost) vertex, which a self-touching ring cannot fool; the shoelace
 * sum only where that vertex is degenerate (a repeated or collinear point).
 */
function isClockwise(ring: readonly Position[]): boolean {
  const n = ring.length;
  if (n < 4) return signedArea2(ring) < 0;
  let v = 0;
  let fallback = false;
  for (let i = 1; i < n - 1; i++) {
    const p = ring[i];
    const q = ring[v];
    if (p[1] < q[1] || (p[1] === q[1] && p[0] > q[0])) {
      v = i;
      fallback = false;
    } else if (p[1] === q[1] && p[0] === q[0]) fallback = true;
  }
  const prev = ring[v === 0 ? n - 2 : v - 1];
  const next = ring[v + 1 >= n - 1 ? 0 : v + 1];
  const at = ring[v];
  if ((prev[0] === at[0] && prev[1] === at[1]) || (next[0] === at[0] && next[1] === at[1])) fallback = true;
  const cross = (next[0] - at[0]) * (prev[1] - at[1]) - (prev[0] - at[0]) * (next[1] - at[1]);
  if (!fallback && cross !== 0) return cross < 0;
  return signedArea2(ring) < 0;
}

interface RingInfo {
  ring: Position[];
  /** Absolute area; the sign carries the orientation GDAL sees (negative: clockwise). */
  area: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function ringInfo(ring: Position[]): RingInfo {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of ring) {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  const a = Math.abs(signedArea2(ring)) / 2;
  return { ring, area: isClockwise(ring) ? -a : a, minX, minY, maxX, maxY };
}

function pointInRing(x: number, y: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function onRingBoundary(x: number, y: number, ring: readonly Position[]): boolean {
  for (let i = 1; i < ring.length; i++) {
    const [x1, y1] = ring[i - 1];
    const [x2, y2] = ring[i];
    if (x < Math.min(x1, x2) || x > Math.max(x1, x2) || y < Math.min(y1, y2) || y > Math.max(y1, y2)) continue;
    if ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) === 0) return true;
  }
  return false;
}

/** The first vertex of `inner` not on `outer`'s boundary decides, as GDAL decides (a hole may touch its outer ring). */
function ringInside(inner: RingInfo, outer: RingInfo): boolean {
  if (inner.minX < outer.minX || inner.maxX > outer.maxX || inner.minY < outer.minY || inner.maxY > outer.maxY) return false;
  for (let i = 0; i < inner.ring.length - 1; i++) {
    const [x, y] = inner.ring[i];
    if (onRingBoundary(x, y, outer.ring)) continue;
    return pointInRing(x, y, outer.ring);
  }
  return true;
}

const reversed = (r: Position[]) => r.slice().reverse();

/**
 * Shapefile rings → GeoJSON polygons (outer rings counter-clockwise, holes
 * clockwise, RFC 7946). Clockwise rings are outer rings; each
 * counter-clockwise ring is a hole of the outer ring around it, or an outer
 * ring of its own when none is.
 */
export function organiseRings(rings: Position[][]): Geometry {
  if (rings.length === 1) {
    const r = rings[0];
    return { type: 'Polygon', coordinates: [isClockwise(r) ? reversed(r) : r] };
  }
  const infos = rings.map(ringInfo);
  let outers = infos.filter((r) => r.area < 0);
  let inners = infos.filter((r) => r.area >= 0);
  // A writer that got the orientation backwards throughout: every ring is an outer ring then.
  if (outers.length === 0) {
    outers = inners;
    inners = [];
  }
  const polygons: { outer: RingInfo; holes: Position[][] }[] = outers.map((o) => ({ outer: o, holes: [] }));
  for (const h of inners) {
    // Candidates: outer rings whose extent holds the hole's. One candidate takes it (as GDAL does, without a
    // point test: writers leave holes touching or slightly crossing their ring); among several, the smallest
    // that contains a vertex of the hole.
    const candidates = polygons.filter(
      (p) => Math.abs(p.outer.area) > Math.abs(h.area) && h.minX >= p.outer.minX && h.maxX <= p.outer.maxX && h.minY >= p.outer.minY && h.maxY <= p.outer.maxY,
    );
    let best: (typeof polygons)[number] | undefined;
    if (candidates.length === 1) best = candidates[0];
    else if (candidates.length > 1) {
      const by = (a: (typeof polygons)[number], b: (typeof polygons)[number]) => Math.abs(a.outer.area) - Math.abs(b.outer.area);
      best = candidates.filter((p) => ringInside(h, p.outer)).sort(by)[0] ?? candidates.sort(by)[0];
    }
    if (best) best.holes.push(reversed(h.ring));
    else polygons.push({ outer: { ...h, area: -h.area }, holes: [] });
  }
  const coords = polygons.map((p) => [p.outer.area < 0 && outers.includes(p.outer) ? reversed(p.outer.ring) : p.outer.ring, ...p.holes]);
  return coords.length === 1 ? { type: 'Polygon', coordinates: coords[0] } : { type: 'MultiPolygon', coordinates: coords };
}

// ------------------------------------------------------------------- .dbf

interface DbfField {
  name: string;
  type: string;
  offset: number;
  length: number;
  /** Text values seen so far, by their bytes (read as Latin-1): repeated values share one string. */
  strings: Map<string, string | null>;
}

/**
 * DBF language-driver byte (LDID, byte 29) → encoding, from the dBase / ESRI
 * code-page table. 0x57 is "ANSI" (the writer's system code page): not a
 * declaration, so the bytes decide.
 */
const LDID: Record<number, string> = {
  0x01: 'ibm437', 0x02: 'ibm850', 0x03: 'windows-1252', 0x04: 'macintosh', 0x08: 'ibm865', 0x09: 'ibm437', 0x0a: 'ibm850',
  0x0b: 'ibm437', 0x0d: 'ibm437', 0x0e: 'ibm850', 0x0f: 'ibm437', 0x10: 'ibm850', 0x11: 'ibm437', 0x12: 'ibm850',
  0x13: 'shift_jis', 0x14: 'ibm850', 0x15: 'ibm437', 0x16: 'ibm850', 0x17: 'ibm865', 0x18: 'ibm437', 0x19: 'ibm437',
  0x1a: 'ibm850', 0x1b: 'ibm437', 0x1c: 'ibm863', 0x1d: 'ibm850', 0x1f: 'ibm852', 0x22: 'ibm852', 0x23: 'ibm852',
  0x24: 'ibm860', 0x25: 'ibm850', 0x26: 'ibm866', 0x37: 'ibm850', 0x40: 'ibm852', 0x4d: 'gbk', 0x4e: 'euc-kr',
  0x4f: 'big5', 0x50: 'windows-874', 0x58: 'windows-1252', 0x59: 'windows-1252', 0x64: 'ibm852', 0x65: 'ibm866',
  0x66: 'ibm865', 0x67: 'ibm861', 0x6a: 'ibm737', 0x6b: 'ibm857', 0x6c: 'ibm863', 0x78: 'big5', 0x79: 'euc-kr',
  0x7a: 'gbk', 0x7b: 'shift_jis', 0x7c: 'windows-874', 0x86: 'ibm737', 0x87: 'ibm852', 0x88: 'ibm857', 0xc8: 'windows-1250',
  0xc9: 'windows-1251', 0xca: 'windows-1254', 0xcb: 'windows-1253', 0xcc: 'windows-1257',
};

/** Whether this runtime's TextDecoder knows an encoding (the DOS code pages are not in the Encoding standard). */
function decoderKnows(encoding: string): boolean {
  return normaliseEncoding(encoding) !== undefined;
}

interface DbfTable {
  fields: string[];
  /** Null for a deleted record. */
  rows: (Record<string, unknown> | null)[];
  /** Per record, what could not be read (a field that is not a number). */
  problems: (Message[] | undefined)[];
  encoding: string;
  reason: Message;
  /** What the reader noticed on the way (a truncated file, an unknown .cpg). */
  notes: Message[];
}

function readDbf(src: ByteSource, file: string, cpg: { text: string; from: Message } | undefined, forced: string | undefined, guard?: ReadGuard): DbfTable {
  const refuse = (where: Message | undefined, reason: Message): never => {
    throw new ImportRefused(file, where, reason);
  };
  const win = new ByteWindow(src);
  if (src.size < 33 || win.at(0, 32) < 0) refuse(undefined, message('io.dbf.shortHeader'));
  let h = win.at(0, 32);
  let count = win.view.getUint32(h + 4, true);
  const headerLen = win.view.getUint16(h + 8, true);
  const recordLen = win.view.getUint16(h + 10, true);
  const ldid = win.buf[h + 29];
  if (headerLen < 33 || headerLen > src.size) refuse(undefined, message('io.dbf.badHeader'));
  h = win.at(0, headerLen);
  const hb = win.buf;
  const rawFields: { nameBytes: Uint8Array; type: string; offset: number; length: number }[] = [];
  let offset = 1;
  for (let p = 32; p + 32 <= headerLen && hb[h + p] !== 0x0d; p += 32) {
    let nameEnd = p;
    while (nameEnd < p + 11 && hb[h + nameEnd] !== 0) nameEnd++;
    const length = hb[h + p + 16];
    // Copies: the window's bytes are replaced as the records are read.
    rawFields.push({ nameBytes: hb.slice(h + p, h + nameEnd), type: String.fromCharCode(hb[h + p + 11]).toUpperCase(), offset, length });
    offset += length;
  }
  if (offset > recordLen) refuse(undefined, message('io.dbf.badFields', { fields: offset, record: recordLen }));
  const notes: Message[] = [];
  if (headerLen + count * recordLen > src.size) {
    const whole = Math.floor((src.size - headerLen) / Math.max(recordLen, 1));
    // GDAL reads the records that are there; the rest are reported by the caller as records without attributes.
    notes.push(message('io.dbf.note.truncated', { file, count, whole }));
    count = whole;
  }
  guard?.declared(count, message('io.what.file', { file }));
  // The declaration: .cpg first, then the language-driver byte.
  let declared: DeclaredEncoding | undefined;
  if (cpg) {
    const enc = normaliseEncoding(cpg.text);
    if (enc) declared = { encoding: enc, from: cpg.from };
    else notes.push(message('io.dbf.note.unknownCpg', { from: cpg.from, text: cpg.text }));
  }
  if (!declared && LDID[ldid]) declared = { encoding: LDID[ldid], from: message('io.dbf.ldid', { byte: `0x${ldid.toString(16).toUpperCase().padStart(2, '0')}` }) };
  const where = (off: number): Message => {
    if (off < headerLen) return message('io.where.dbfNames', { file });
    const r = Math.floor((off - headerLen) / recordLen);
    const inRec = (off - headerLen) % recordLen;
    const f = rawFields.find((x) => inRec >= x.offset && inRec < x.offset + x.length);
    return f
      ? message('io.where.dbfByteField', { n: r + 1, field: decodeText(f.nameBytes, 'latin1'), byte: off + 1, file })
      : message('io.where.dbfByte', { n: r + 1, byte: off + 1, file });
  };
  // Records are read in chunks of whole records (a character never spans two).
  const perChunk = Math.max(1, Math.floor(win.chunk / Math.max(1, recordLen)));
  const eachChunk = (fn: (first: number, n: number, at: number) => void) => {
    for (let r = 0; r < count; r += perChunk) {
      const n = Math.min(perChunk, count - r);
      const at = win.at(headerLen + r * recordLen, n * recordLen);
      if (at < 0) refuse(message('io.where.record', { n: r + 1 }), message('io.dbf.cutShort'));
      fn(r, n, at);
    }
  };
  const names = concat(rawFields.map((f) => f.nameBytes));
  let decision;
  try {
    // A declaration is checked alone first; only when it does not hold is everything gathered.
    const gather = (only: boolean) => {
      const e = new TextEvidence(declared?.encoding, only);
      if (!forced) eachChunk((r, n, at) => e.add(win.buf, at, at + n * recordLen, headerLen + r * recordLen));
      return e;
    };
    let ev = gather(true);
    if (!ev.declarationHolds()) ev = gather(false);
    // The records' text decides; the field names count too when the records are plain ASCII.
    decision = !ev.ascii || isAscii(names)
      ? decideFromEvidence(ev, { forced, declared, where })
      : decideEncoding(names, { forced, declared, where: () => message('io.where.dbfNames', { file }) });
    if (ev.ascii && isAscii(names) && !decoderKnows(decision.encoding)) decision = { encoding: 'utf-8', reason: decision.reason };
  } catch (err) {
    if (err instanceof EncodingUndecided) return refuse(undefined, err.said);
    throw err;
  }
  const encoding = decision.encoding;
  if (!decoderKnows(encoding)) refuse(undefined, message('io.dbf.cannotDecode', { reason: decision.reason, enc: encoding }));
  const fields: DbfField[] = rawFields.map((f) => ({
    name: decodeText(f.nameBytes, encoding).replace(/\0+$/, '').trim(),
    type: f.type,
    offset: f.offset,
    length: f.length,
    strings: new Map(),
  }));
  const rows: (Record<string, unknown> | null)[] = new Array(count);
  const problems: (Message[] | undefined)[] = new Array(count);
  const asciiOnly = encoding === 'utf-8' || encoding === 'gbk' || encoding === 'gb18030' || encoding === 'big5' || encoding.startsWith('windows-') || encoding.startsWith('iso-8859');
  const decode = rangeDecoder(encoding);
  // Every row has the same keys: copying a template gives each its final shape at once (one object, no growth).
  const template: Record<string, unknown> = {};
  for (const f of fields) template[f.name] = null;
  eachChunk((first, n, at) => {
    const bytes = win.buf;
    for (let k = 0; k < n; k++) {
      const r = first + k;
      const start = at + k * recordLen;
      if (bytes[start] === 0x2a) {
        rows[r] = null; // deleted record
        continue;
      }
      const row: Record<string, unknown> = { ...template };
      for (const f of fields) {
        const s = start + f.offset;
        const v = dbfValue(f, bytes, s, s + f.length, decode, asciiOnly);
        if (v instanceof DbfBad) {
          (problems[r] ??= []).push(message('io.problem.field', { field: f.name, reason: v.reason }));
          row[f.name] = null;
        } else row[f.name] = v;
      }
      rows[r] = row;
    }
  });
  return { fields: fields.map((f) => f.name), rows, problems, encoding, reason: decision.reason, notes };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

class DbfBad {
  constructor(readonly reason: Message) {}
}

const isBlank = (c: number) => c === 0x20 || c === 0 || c === 0x09;

/** 32-bit views of window buffers, for skipping space padding four bytes at a time. */
const words = new WeakMap<ArrayBufferLike, Uint32Array>();
const SPACES = 0x20202020;

/** End of a value without its trailing padding (text fields are padded to 254 bytes with spaces). */
function trimEnd(b: Uint8Array, s: number, e: number): number {
  let w = words.get(b.buffer);
  if (!w) {
    w = new Uint32Array(b.buffer, 0, b.buffer.byteLength >> 2);
    words.set(b.buffer, w);
  }
  // Whole aligned words of spaces first, then byte by byte.
  while (e - s >= 8 && ((b.byteOffset + e) & 3) !== 0 && isBlank(b[e - 1])) e--;
  if (e - s >= 8 && ((b.byteOffset + e) & 3) === 0) {
    let k = (b.byteOffset + e) >> 2;
    const lo = (b.byteOffset + s + 4) >> 2;
    while (k > lo && w[k - 1] === SPACES) k--;
    e = k * 4 - b.byteOffset;
  }
  while (e > s && isBlank(b[e - 1])) e--;
  return e;
}

/**
 * One DBF value, read straight from the bytes: numbers without building a
 * string where they are plain, text through TextDecoder only when it is not
 * ASCII (imports read every value of every record).
 */
function dbfValue(f: DbfField, b: Uint8Array, s: number, e: number, decode: RangeDecoder, asciiCompatible: boolean): unknown {
  // Trim blanks and NUL padding (some writers pad numbers with NUL bytes; GDAL reads them as the number).
  while (s < e && isBlank(b[s])) s++;
  e = trimEnd(b, s, e);
  switch (f.type) {
    case 'N':
    case 'F': {
      if (s === e) return null;
      const v = parseAsciiNumber(b, s, e);
      if (v !== undefined) return v;
      let star = true;
      for (let i = s; i < e; i++) if (b[i] !== 0x2a) star = false;
      if (star) return null; // "*****": a number too wide for the field, GDAL reads null
      const t = latin1(b, s, e);
      const n = Number(t.replace(',', '.'));
      return Number.isFinite(n) ? n : new DbfBad(message('io.problem.notNumber', { value: t }));
    }
    case 'L': {
      if (s === e) return null;
      const c = b[s];
      if (c === 0x54 || c === 0x74 || c === 0x59 || c === 0x79) return true;
      if (c === 0x46 || c === 0x66 || c === 0x4e || c === 0x6e) return false;
      return null;
    }
    case 'D': {
      if (e - s !== 8) return null;
      const t = latin1(b, s, e);
      return /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : null;
    }
    case 'M':
    case 'B':
    case 'G':
    case 'P':
      return null; // memo / binary blocks live in a .dbt that is not read
    default: {
      if (s === e) return null;
      // Survey tables repeat their words ("钢", "一级", "DN200") in every record: one string per distinct value,
      // not one per record (a large import would otherwise keep hundreds of thousands of copies alive).
      if (e - s <= 32 && f.strings.size < 4096) {
        const key = latin1(b, s, e);
        let v = f.strings.get(key);
        if (v === undefined) {
          v = textValue(b, s, e, decode, asciiCompatible);
          f.strings.set(key, v);
        }
        return v;
      }
      return textValue(b, s, e, decode, asciiCompatible);
    }
  }
}

function textValue(b: Uint8Array, s: number, e: number, decode: RangeDecoder, asciiCompatible: boolean): string | null {
  if (asciiCompatible) {
    let ascii = true;
    for (let i = s; i < e; i++) {
      if (b[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return latin1(b, s, e);
  }
  return decode(b, s, e).replace(/\0+$/, '').trim() || null;
}

function latin1(b: Uint8Array, s: number, e: number): string {
  if (e - s <= 64) {
    let t = '';
    for (let i = s; i < e; i++) t += String.fromCharCode(b[i]);
    return t;
  }
  return decodeText(b.subarray(s, e), 'latin1');
}

/** '-123.45', '1e5', '+7' from ASCII bytes; undefined when it is not that simple. */
function parseAsciiNumber(b: Uint8Array, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  if (b[i] === 0x2d || b[i] === 0x2b) {
    neg = b[i] === 0x2d;
    i++;
  }
  let int = 0;
  let digits = 0;
  while (i < e && b[i] >= 0x30 && b[i] <= 0x39) {
    int = int * 10 + (b[i] - 0x30);
    i++;
    digits++;
  }
  if (i === e) return digits && digits <= 15 ? (neg ? -int : int) : undefined;
  if (b[i] !== 0x2e) return undefined;
  // Decimals: let the engine round exactly as Number() would.
  for (let k = i + 1; k < e; k++) if (b[k] < 0x30 || b[k] > 0x39) return undefined;
  if (!digits && i + 1 === e) return undefined;
  return Number(latin1(b, s, e));
}

// ---------------------------------------------------------------- together

export function readShapefile(parts: ShapefileParts, fileName: string, opts: ShapefileOptions = {}): SourceData {
  const stem = fileName.replace(/\.(shp|zip)$/i, '');
  if (!parts.shp) throw new ImportRefused(fileName, undefined, message('io.shp.missingShp', { stem }));
  if (!parts.dbf) throw new ImportRefused(fileName, undefined, message('io.shp.missingDbf', { stem }));
  const forced = opts.encoding ? normaliseEncoding(opts.encoding) : undefined;
  if (opts.encoding && !forced) throw new ImportRefused(fileName, undefined, message('io.enc.unknown', { enc: opts.encoding }));
  const notes: Message[] = [];
  const asSource = (b: Uint8Array | ByteSource) => (b instanceof Uint8Array ? memorySource(b) : b);
  const shapes = readShp(asSource(parts.shp), parts.shx, `${stem}.shp`, notes, opts.guard);
  const cpgText = parts.cpg ? decodeText(parts.cpg, 'latin1').trim() : undefined;
  const dbf = readDbf(asSource(parts.dbf), `${stem}.dbf`, cpgText ? { text: cpgText, from: message('io.dbf.cpg', { stem, text: cpgText }) } : undefined, forced, opts.guard);
  const n = Math.min(dbf.rows.length, shapes.length);
  if (dbf.rows.length !== shapes.length) {
    const params = { stem, shapes: shapes.length, rows: dbf.rows.length, n, left: Math.abs(dbf.rows.length - shapes.length), shx: parts.shx ? 1 : 0 };
    notes.push(message(shapes.length > n ? 'io.shp.note.shapesLeft' : 'io.shp.note.rowsLeft', params));
  }
  const features: SourceFeature[] = [];
  let deleted = 0;
  for (let i = 0; i < n; i++) {
    const row = dbf.rows[i];
    if (row === null) {
      deleted++;
      continue;
    }
    const s = shapes[i];
    const problem = s.problem ?? dbf.problems[i];
    const f: SourceFeature = { geometry: s.geometry, properties: row, fid: i + 1 };
    if (problem) f.problem = problem;
    features.push(f);
  }
  pushAll(notes, dbf.notes);
  if (deleted) notes.push(message('io.dbf.note.deleted', { n: deleted }));
  const prj = parts.prj ? decodeText(parts.prj, 'utf-8').trim() : undefined;
  return {
    format: 'shapefile',
    fileName,
    fields: dbf.fields,
    features,
    ...(prj ? { crsText: prj, crsOrigin: message('io.what.file', { file: `${stem}.prj` }) } : {}),
    encoding: dbf.encoding,
    encodingReason: dbf.reason,
    notes,
    ownedPositions: true,
  };
}

/**
 * ESRI Shapefile reader (.shp geometry, .dbf attributes, .prj CRS, .cpg
 * encoding), from loose parts or a zip. Written here rather than through
 * shpjs because attribute text must be decoded as GBK or UTF-8 by rule, and
 * every damaged record must be refused by number instead of read as garbage.
 */
import type { Geometry, Position } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature } from './source';
import { decodeText, isUtf8, normaliseEncoding } from './text';
import { isZip, readZip } from './zip';

/** The parts of one shapefile, by extension (lower case, no dot). */
export interface ShapefileParts {
  shp?: Uint8Array;
  dbf?: Uint8Array;
  prj?: Uint8Array;
  cpg?: Uint8Array;
  shx?: Uint8Array;
}

export interface ShapefileOptions {
  /** Forces the attribute encoding (overrides .cpg and the code page byte). */
  encoding?: string;
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
export async function shapefilesInZip(bytes: Uint8Array, fileName: string): Promise<Map<string, ShapefileParts>> {
  if (!isZip(bytes)) throw new ImportRefused(fileName, undefined, 'not a zip file');
  const groups = groupShapefiles(await readZip(bytes, fileName));
  const withShp = new Map([...groups].filter(([, g]) => g.shp || g.dbf));
  if (withShp.size === 0) throw new ImportRefused(fileName, undefined, 'the zip holds no shapefile (.shp)');
  return withShp;
}

// ------------------------------------------------------------------- .shp

function readShp(bytes: Uint8Array, file: string): { geometry: Geometry | null; where: string }[] {
  const refuse = (where: string | undefined, reason: string): never => {
    throw new ImportRefused(file, where, reason);
  };
  if (bytes.length < 100) refuse(undefined, 'file shorter than the 100-byte .shp header (truncated)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0, false) !== 9994) refuse(undefined, 'not a .shp file (bad file code)');
  const declared = view.getInt32(24, false) * 2;
  if (declared > bytes.length) refuse(undefined, `truncated: header says ${declared} bytes, file has ${bytes.length}`);
  const end = Math.min(declared, bytes.length);
  const out: { geometry: Geometry | null; where: string }[] = [];
  let p = 100;
  let n = 0;
  while (p < end) {
    n++;
    const where = `record ${n}`;
    if (p + 12 > end) refuse(where, 'record header cut short (truncated)');
    const len = view.getInt32(p + 4, false) * 2;
    const c = p + 8;
    if (len < 4 || c + len > end) refuse(where, 'record length runs past the end of the file (truncated or damaged)');
    out.push({ geometry: readShape(view, c, len, (r) => refuse(where, r)), where });
    p = c + len;
  }
  return out;
}

function readShape(view: DataView, c: number, len: number, refuse: (reason: string) => never): Geometry | null {
  const type = view.getInt32(c, true);
  const need = (bytes: number) => {
    if (bytes > len) refuse(`shape data cut short (${len} bytes, type ${type} needs ${bytes})`);
  };
  const pt = (o: number): Position => {
    const x = view.getFloat64(o, true);
    const y = view.getFloat64(o + 8, true);
    if (!Number.isFinite(x) || !Number.isFinite(y)) refuse('coordinate is not a finite number');
    return [x, y];
  };
  switch (type) {
    case 0:
      return null;
    case 1:
    case 11:
    case 21:
      need(20);
      return { type: 'Point', coordinates: pt(c + 4) };
    case 8:
    case 18:
    case 28: {
      need(40);
      const np = view.getInt32(c + 36, true);
      if (np < 0 || 40 + np * 16 > len) refuse(`point count ${np} does not fit the record`);
      const pts: Position[] = [];
      for (let i = 0; i < np; i++) pts.push(pt(c + 40 + i * 16));
      return pts.length === 1 ? { type: 'Point', coordinates: pts[0] } : { type: 'MultiPoint', coordinates: pts };
    }
    case 3:
    case 13:
    case 23:
    case 5:
    case 15:
    case 25: {
      need(44);
      const nParts = view.getInt32(c + 36, true);
      const nPoints = view.getInt32(c + 40, true);
      if (nParts < 1 || nPoints < 0 || 44 + nParts * 4 + nPoints * 16 > len) {
        refuse(`part/point counts (${nParts}/${nPoints}) do not fit the record`);
      }
      const starts: number[] = [];
      for (let i = 0; i < nParts; i++) starts.push(view.getInt32(c + 44 + i * 4, true));
      const base = c + 44 + nParts * 4;
      const parts: Position[][] = [];
      for (let i = 0; i < nParts; i++) {
        const s = starts[i];
        const e = i + 1 < nParts ? starts[i + 1] : nPoints;
        if (s < 0 || e > nPoints || e < s) refuse(`part ${i + 1} index ${s} out of order`);
        const part: Position[] = [];
        for (let k = s; k < e; k++) part.push(pt(base + k * 16));
        parts.push(part);
      }
      const poly = type % 10 === 5;
      if (!poly) {
        for (const [i, part] of parts.entries()) if (part.length < 2) refuse(`line part ${i + 1} has fewer than 2 points`);
        return parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts };
      }
      for (const [i, ring] of parts.entries()) if (ring.length < 4) refuse(`polygon ring ${i + 1} has fewer than 4 points`);
      return ringsToPolygons(parts);
    }
    default:
      return refuse(`shape type ${type} is not supported`);
  }
}

function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return a / 2;
}

/** Shapefile outer rings run clockwise, holes counter-clockwise; GeoJSON wants the reverse. */
function ringsToPolygons(rings: Position[][]): Geometry {
  const polys: Position[][][] = [];
  for (const ring of rings) {
    const clockwise = signedArea(ring) > 0;
    if (clockwise || polys.length === 0) polys.push([ring.slice().reverse()]);
    else polys[polys.length - 1].push(ring.slice().reverse());
  }
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

// ------------------------------------------------------------------- .dbf

interface DbfField {
  name: string;
  type: string;
  offset: number;
  length: number;
}

/** Code-page byte (LDID) values that name a Chinese encoding. */
const LDID: Record<number, string> = { 0x4d: 'gbk', 0x7a: 'gbk', 0x4e: 'euc-kr', 0x4f: 'big5' };

function readDbf(
  bytes: Uint8Array,
  file: string,
  cpg: string | undefined,
  forced: string | undefined,
): { fields: string[]; rows: (Record<string, unknown> | null)[]; encoding: string } {
  const refuse = (where: string | undefined, reason: string): never => {
    throw new ImportRefused(file, where, reason);
  };
  if (bytes.length < 33) refuse(undefined, 'file shorter than a .dbf header (truncated)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const headerLen = view.getUint16(8, true);
  const recordLen = view.getUint16(10, true);
  if (headerLen < 33 || headerLen > bytes.length) refuse(undefined, 'damaged .dbf header');
  const rawFields: { nameBytes: Uint8Array; type: string; offset: number; length: number }[] = [];
  let offset = 1;
  for (let p = 32; p + 32 <= headerLen && bytes[p] !== 0x0d; p += 32) {
    let nameEnd = p;
    while (nameEnd < p + 11 && bytes[nameEnd] !== 0) nameEnd++;
    const length = bytes[p + 16];
    rawFields.push({ nameBytes: bytes.subarray(p, nameEnd), type: String.fromCharCode(bytes[p + 11]), offset, length });
    offset += length;
  }
  if (offset > recordLen) refuse(undefined, `damaged .dbf header (fields take ${offset} bytes, records are ${recordLen})`);
  if (headerLen + count * recordLen > bytes.length) {
    const whole = Math.floor((bytes.length - headerLen) / Math.max(recordLen, 1));
    refuse(`record ${whole + 1}`, `.dbf truncated: header says ${count} records, file holds ${whole}`);
  }
  const encoding =
    forced ??
    (cpg ? normaliseEncoding(cpg) : undefined) ??
    LDID[bytes[29]] ??
    (isUtf8(bytes.subarray(32, headerLen + count * recordLen)) ? 'utf-8' : 'gbk');
  const fields: DbfField[] = rawFields.map((f) => ({
    name: decodeText(f.nameBytes, encoding).trim(),
    type: f.type,
    offset: f.offset,
    length: f.length,
  }));
  const rows: (Record<string, unknown> | null)[] = [];
  for (let r = 0; r < count; r++) {
    const start = headerLen + r * recordLen;
    if (bytes[start] === 0x2a) {
      rows.push(null); // deleted record
      continue;
    }
    const row: Record<string, unknown> = {};
    for (const f of fields) {
      const raw = bytes.subarray(start + f.offset, start + f.offset + f.length);
      row[f.name] = dbfValue(f, raw, encoding, (reason) => refuse(`record ${r + 1}, field ${f.name}`, reason));
    }
    rows.push(row);
  }
  return { fields: fields.map((f) => f.name), rows, encoding };
}

function dbfValue(f: DbfField, raw: Uint8Array, encoding: string, refuse: (reason: string) => never): unknown {
  switch (f.type) {
    case 'N':
    case 'F': {
      const t = decodeText(raw, 'latin1').trim();
      if (t === '' || /^\*+$/.test(t)) return null;
      const v = Number(t);
      if (!Number.isFinite(v)) refuse(`"${t}" is not a number`);
      return v;
    }
    case 'L': {
      const c = String.fromCharCode(raw[0] ?? 0x3f);
      if ('TtYy'.includes(c)) return true;
      if ('FfNn'.includes(c)) return false;
      return null;
    }
    case 'D': {
      const t = decodeText(raw, 'latin1').trim();
      if (!/^\d{8}$/.test(t)) return null;
      return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
    }
    default: {
      const t = decodeText(raw, encoding).replace(/\0+$/, '').trim();
      return t === '' ? null : t;
    }
  }
}

// ---------------------------------------------------------------- together

export function readShapefile(parts: ShapefileParts, fileName: string, opts: ShapefileOptions = {}): SourceData {
  const stem = fileName.replace(/\.(shp|zip)$/i, '');
  if (!parts.shp) throw new ImportRefused(fileName, undefined, `${stem}.shp is missing`);
  if (!parts.dbf) throw new ImportRefused(fileName, undefined, `${stem}.dbf is missing (the attribute table of the shapefile)`);
  const forced = opts.encoding ? normaliseEncoding(opts.encoding) : undefined;
  if (opts.encoding && !forced) throw new ImportRefused(fileName, undefined, `unknown encoding "${opts.encoding}"`);
  const shapes = readShp(parts.shp, `${stem}.shp`);
  const cpg = parts.cpg ? decodeText(parts.cpg, 'latin1').trim() : undefined;
  const dbf = readDbf(parts.dbf, `${stem}.dbf`, cpg, forced);
  if (dbf.rows.length !== shapes.length) {
    throw new ImportRefused(
      fileName,
      undefined,
      `${stem}.shp has ${shapes.length} records but ${stem}.dbf has ${dbf.rows.length} (damaged or mismatched parts)`,
    );
  }
  const features: SourceFeature[] = [];
  const notes: string[] = [];
  let deleted = 0;
  shapes.forEach((s, i) => {
    const row = dbf.rows[i];
    if (row === null) {
      deleted++;
      return;
    }
    if (!s.geometry) throw new ImportRefused(fileName, s.where, 'the record has no geometry (null shape)');
    features.push({ geometry: s.geometry, properties: row, where: s.where });
  });
  if (deleted) notes.push(`${deleted} records marked deleted in the .dbf were skipped`);
  const prj = parts.prj ? decodeText(parts.prj, 'utf-8').trim() : undefined;
  return {
    format: 'shapefile',
    fileName,
    fields: dbf.fields,
    features,
    ...(prj ? { crsText: prj, crsOrigin: `${stem}.prj` } : {}),
    encoding: dbf.encoding,
    notes,
  };
}

/**
 * From a read file to features ready for the store: resolve the coordinate
 * system (user's choice, else the file's declaration, else a guess from the
 * numbers) and its datum shift, transform to EPSG:4490, fit geometries to the
 * target layer, guess the field mapping from names and values (each guess
 * with its evidence), give features without a code one derived from the
 * file, and validate against the layer schema.
 *
 * Every bad record is listed (file, record / row / entity, field, reason).
 * By default one bad record refuses the whole file and nothing is written;
 * with `skipInvalid` the bad records are left out and listed as skipped.
 * Records are numbered from 1, as GDAL numbers features.
 */
import {
  crsFromWkt,
  describeRange,
  guessCrsFromCoordinates,
  lookupCrs,
  resolveDatumShift,
  toProjectTransform,
  zonesNear,
  type CrsDef,
  type CrsDetection,
  type DatumShiftDefaults,
  type ToProject,
} from '../geo/crs';
import { distanceM, polygonAreaM2 } from '../geo/length';
import type { Geometry, Position } from '../model/geojson';
import type { Feature } from '../model/types';
import { layerDef, type GeometryKind, type LayerName } from '../model/schema';
import { coerceFeature, type CoercedFeature } from '../model/validate';
import { compileMapping, guessMappingWithEvidence, type FieldGuess, type FieldMapping, type RejectedGuess } from './fieldMap';
import { problemsOf, refusalMessage, whereOf, type EntityCounts, type SourceData, type SourceFeature, type SourceGeometry } from './source';
import { pushAll } from '../arrays';
import { message, say, type Lang, type Message, type MessageKey } from '../i18n';

export interface PrepareOptions {
  /** User's CRS choice ('EPSG:4547', 'gcj02', a PROJ string…); overrides the file. */
  crs?: string;
  /** User's datum shift to CGCS2000 (3 or 7 Helmert parameters). */
  towgs84?: number[];
  /** Published defaults of the datum shifts (the project settings). */
  datumShifts?: DatumShiftDefaults;
  /** User's mapping; merged over the guessed one. */
  mapping?: FieldMapping;
  /** Year for "thisYear+10" bounds (tests). */
  year?: number;
  /** Stop after this many features (preview). */
  limit?: number;
  /** Longitude of the project (its existing features), to suggest Gauss–Krüger zones when undecided. */
  nearLon?: number;
  /** Leave bad records out (and list them as skipped) instead of refusing the file. */
  skipInvalid?: boolean;
  /** Ids already in the target layer (appending): a record reusing one is a bad record. */
  existingIds?: ReadonlySet<string>;
  /**
   * The mapping given is the whole mapping, decided before (a streamed read's full pass takes it from the file's
   * first features): nothing is guessed from these records and no guesses are listed.
   */
  mappingDecided?: boolean;
  /** Ids of earlier parts of the same file (a streamed read), id → its record's fid: met again, they are duplicates. Kept up to date. */
  seenIds?: Map<string, number>;
  /** Sanity limits (settings importMaxSegmentM, importMaxDistanceKm, importMaxTextBytes); absent, nothing is checked. */
  sanity?: SanityLimits;
  /** Extent of the project's features [minLon, minLat, maxLon, maxLat], for the distance limit. */
  projectBbox?: readonly [number, number, number, number];
  /** A record beyond a sanity limit is imported with a warning instead of refused (--force). */
  force?: boolean;
  /**
   * For a write, not a preview: keep only what the store needs (`coerced`; `features` stays empty) and let go
   * of each source record once it is used, so a large file is not held three times over.
   */
  forStore?: boolean;
  /**
   * Keep only the first `keep` features (and what validation made of them) and let go of each source record once
   * used; every record is still checked and counted (a streamed read's sample: its decisions and problems are
   * what it is read for, and records kept alive meanwhile slow the rest of the import).
   */
  keep?: number;
}

export interface ImportProblem {
  /** The record, row or entity, as a message. */
  where?: Message;
  field?: string;
  /** The reason in English (logs, the error's message). */
  reason: string;
  /** The same as typed messages: the wizard, the CLI and the report say these in their language. */
  message: Message[];
  /** 1-based record number in the file, when the problem is one record's. */
  fid?: number;
}

/** A record left out with --skip-invalid, and why. */
export interface SkippedRecord {
  fid: number;
  where: Message;
  field?: string;
  /** The reason in English (logs, programs reading the report). */
  reason: string;
  /** The same as typed messages, said in the reader's language. */
  message: Message[];
}

/** What an import would write (and did), for `--dry-run`, the wizard and the project's import log. */
export interface ImportSummary {
  file: string;
  format: SourceData['format'];
  layer: LayerName;
  /** Records in the file (GDAL's feature count). */
  records: number;
  /** Records by geometry type as read ('Point', 'MultiPolygon', 'none'). */
  kinds: Record<string, number>;
  /** Features that would be written (a multi-part line or point counts once per part). */
  features: number;
  /** Records those features come from. */
  recordsImported: number;
  /** Records whose geometry is of another kind than the layer's, left out (DXF layers mix kinds). */
  otherKinds: Record<string, number>;
  /** Parts of GeometryCollections of another kind, left out. */
  collectionPartsLeftOut: number;
  /** The CRS decided and why (typed messages, said in the reader's language). */
  crs: { code?: string; name?: string; from?: string; reason: Message[]; datumShift?: Message };
  encoding?: { encoding: string; reason: Message[] };
  mapping: FieldGuess[];
  rejectedGuesses: RejectedGuess[];
  /** Mapping the user gave (target → source or '=constant'). */
  userMapping: FieldMapping;
  /** Bad records: skipped with skipInvalid, else the reasons the import is refused. */
  badRecords: SkippedRecord[];
  skipInvalid: boolean;
  /** DXF: entities read, approximated, skipped by type. */
  entities?: EntityCounts;
  notes: Message[];
}

export interface PreparedImport {
  fileName: string;
  layer: LayerName;
  crs: CrsDetection;
  mapping: FieldMapping;
  guesses: FieldGuess[];
  rejectedGuesses: RejectedGuess[];
  sourceFields: string[];
  features: Feature[];
  /** The same features as validation made them (values, extra properties, geometry), for the store not to redo it. */
  coerced: CoercedFeature[];
  /** The year whose rules validated them. */
  year: number;
  /** Records the source had (before fitting and skipping). */
  sourceCount: number;
  /** Problems that refuse the import: file-wide ones, and bad records unless skipped. */
  problems: ImportProblem[];
  /** Bad records left out (skipInvalid). */
  skipped: SkippedRecord[];
  notes: Message[];
  summary: ImportSummary;
}

const NO_SHIFT_DEFAULTS: DatumShiftDefaults = { beijing1954: [], xian1980: [] };

/** Decide the CRS: user > file declaration > coordinates. */
export function detectCrs(source: SourceData, userCrs?: string): CrsDetection {
  if (userCrs) {
    const crs = lookupCrs(userCrs) ?? (/^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\[/i.test(userCrs) ? crsFromWkt(userCrs) : undefined);
    return crs ? { crs, source: 'user', reason: [message('import.crs.chosen', { name: crs.name })] } : { reason: [message('import.crs.unknownGiven', { crs: userCrs })] };
  }
  if (source.crsText) {
    const crs = lookupCrs(source.crsText) ?? crsFromWkt(source.crsText) ?? (source.crsWkt ? crsFromWkt(source.crsWkt) : undefined);
    const shown = source.crsText.length > 120 ? source.crsText.slice(0, 117) + '…' : source.crsText;
    const origin = source.crsOrigin ?? source.fileName;
    if (crs) return { crs, source: 'file', reason: [message('import.crs.fromFile', { origin, name: crs.name })] };
    return { reason: [message('import.crs.unknownInFile', { origin, text: shown })] };
  }
  const sample = sampleOf(source);
  const guess = guessCrsFromCoordinates(sample);
  if (!guess.crs && source.format === 'geojson' && sample.every((p) => Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90)) {
    // RFC 7946: GeoJSON without a "crs" member is WGS84 lon/lat.
    return { crs: lookupCrs('EPSG:4326'), source: 'file', reason: [message('import.crs.geojsonDefault')] };
  }
  if (!guess.crs) guess.reason = [message('import.crs.undeclared', { file: source.fileName, prj: source.format === 'shapefile' ? 1 : 0 }), ...guess.reason];
  return guess;
}

/** Up to ~5000 positions of the first records, copied (the originals may be transformed in place later). */
function sampleOf(source: SourceData): Position[] {
  return positionsOf(flatSampleOf(source));
}

/** sampleOf's positions as lon, lat, lon, lat…: no array made per position. */
function flatSampleOf(source: SourceData): number[] {
  const flat: number[] = [];
  const n = Math.min(source.features.length, 2000);
  for (let i = 0; i < n; i++) {
    const f = source.features[i];
    const g = f.geometry ?? f.block;
    if (g) flatPositions(g, flat);
    if (flat.length > 10_000) break;
  }
  return flat;
}

/** A geometry's positions (a collection's parts' in turn) appended to `flat` as lon, lat. */
function flatPositions(g: SourceGeometry, flat: number[]): void {
  if (g.type === 'GeometryCollection') {
    for (const x of g.geometries) if (x) flatPositions(x, flat);
    return;
  }
  flatCoords(g.coordinates, flat);
}

function flatCoords(c: unknown, flat: number[]): void {
  if (!Array.isArray(c)) return;
  if (typeof c[0] === 'number') {
    flat.push(c[0], c[1] as number);
    return;
  }
  for (let i = 0; i < c.length; i++) flatCoords(c[i], flat);
}

/** Flat lon, lat pairs as positions. */
function positionsOf(flat: readonly number[]): Position[] {
  const out: Position[] = new Array(flat.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = [flat[2 * i], flat[2 * i + 1]];
  return out;
}

/**
 * Transform coordinates into new arrays, or, `inPlace`, where they are (the source is not looked at again);
 * `onEach` sees every transformed position (the first misplaced one is reported).
 */
function mapCoords(c: unknown, t: ToProject, onEach?: (q: [number, number]) => void, inPlace = false): unknown {
  const a = c as unknown[];
  if (typeof a[0] === 'number') {
    if (!inPlace) {
      const q = t(a as Position);
      if (onEach) onEach(q);
      return q;
    }
    t.into(a as Position, a as number[]);
    if (onEach) onEach(a as [number, number]);
    return a;
  }
  const out = inPlace ? a : new Array(a.length);
  if (typeof (a[0] as unknown[])[0] === 'number') {
    // A line or ring: the positions directly, no recursion per vertex.
    for (let i = 0; i < a.length; i++) {
      const p = a[i] as Position;
      let q: [number, number];
      if (inPlace) {
        t.into(p, p as number[]);
        q = p as [number, number];
      } else q = t(p);
      if (onEach) onEach(q);
      out[i] = q;
    }
    return out;
  }
  for (let i = 0; i < a.length; i++) out[i] = mapCoords(a[i], t, onEach, inPlace);
  return out;
}

const isClosed = (c: Position[]) => c.length >= 4 && c[0][0] === c[c.length - 1][0] && c[0][1] === c[c.length - 1][1];

/** Parts of a source geometry, GeometryCollections flattened. */
function flatten(g: SourceGeometry, out: Geometry[] = []): Geometry[] {
  if (g.type === 'GeometryCollection') for (const x of g.geometries) flatten(x, out);
  else out.push(g);
  return out;
}

interface Fitted {
  pieces: Geometry[];
  /** Parts of a collection of other kinds, left out. */
  leftOut: number;
}

/**
 * Fit a geometry to the layer's kind. Points and lines: a multi-part one
 * becomes one feature per part. Polygons: Polygon and MultiPolygon stay one
 * feature (a community may be several parcels); a closed line (a CAD
 * polyline) is a polygon. A GeometryCollection gives its parts of the
 * layer's kind. Returns the reason when nothing fits.
 */
function fitGeometry(kind: GeometryKind, g: SourceGeometry): Fitted | Message {
  // The usual case, a geometry of the layer's own kind, without building anything.
  if ((kind === 'LINESTRING' && g.type === 'LineString') || (kind === 'POINT' && g.type === 'Point') || (kind === 'POLYGON' && (g.type === 'Polygon' || g.type === 'MultiPolygon'))) {
    return { pieces: [g], leftOut: 0 };
  }
  const parts = g.type === 'GeometryCollection' ? flatten(g) : [g];
  const pieces: Geometry[] = [];
  const polys: Position[][][] = [];
  let leftOut = 0;
  for (const p of parts) {
    switch (kind) {
      case 'POINT':
        if (p.type === 'Point') pieces.push(p);
        else if (p.type === 'MultiPoint') for (const c of p.coordinates) pieces.push({ type: 'Point', coordinates: c });
        else leftOut++;
        break;
      case 'LINESTRING':
        if (p.type === 'LineString') pieces.push(p);
        else if (p.type === 'MultiLineString') for (const c of p.coordinates) pieces.push({ type: 'LineString', coordinates: c });
        else leftOut++;
        break;
      case 'POLYGON':
        if (p.type === 'Polygon') polys.push(p.coordinates);
        else if (p.type === 'MultiPolygon') pushAll(polys, p.coordinates);
        else if (p.type === 'LineString' && isClosed(p.coordinates)) polys.push([p.coordinates]);
        else if (p.type === 'MultiLineString' && p.coordinates.every(isClosed)) for (const c of p.coordinates) polys.push([c]);
        else leftOut++;
        break;
    }
  }
  if (polys.length === 1) pieces.push({ type: 'Polygon', coordinates: polys[0] });
  else if (polys.length > 1) pieces.push({ type: 'MultiPolygon', coordinates: polys });
  if (pieces.length === 0) {
    const into = message(KIND_KEYS[kind]);
    if (g.type !== 'GeometryCollection') return message('io.fit.type', { type: g.type, kind: into });
    const types = [...new Set(parts.map((p) => p.type))].join(', ');
    return types ? message('io.fit.collection', { types, kind: into }) : message('io.fit.emptyCollection', { kind: into });
  }
  return { pieces, leftOut: g.type === 'GeometryCollection' ? leftOut : 0 };
}

/** The geometry kind of a layer, as a word. */
const KIND_KEYS: Record<GeometryKind, MessageKey> = { POINT: 'io.kind.point', LINESTRING: 'io.kind.line', POLYGON: 'io.kind.polygon' };

/** A position as it appears in a message: '(116.39000, 39.91000)'. */
const lonLatText = (lon: number, lat: number) => `(${lon.toFixed(5)}, ${lat.toFixed(5)})`;

/** A CRS-specific sanity check: a Gauss–Krüger point far outside its zone means the wrong zone was chosen. */
function positionProblem(crs: CrsDef, lonLat: [number, number]): Message | null {
  const [lon, lat] = lonLat;
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return message('io.pos.untransformable', { crs: crs.name });
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return message('io.pos.notLonLat', { at: lonLatText(lon, lat) });
  if (crs.kind === 'gauss-kruger' && (Math.abs(lon - crs.centralMeridian!) > crs.zoneWidth! || lat < 0 || lat > 60)) {
    return message('io.pos.outsideZone', { at: lonLatText(lon, lat), crs: crs.name });
  }
  return null;
}

/** DXF entity types that can give this kind of geometry (a broken entity of another kind does not block the import). */
const DXF_KINDS: Record<GeometryKind, RegExp> = {
  POINT: /^(POINT|INSERT)$/,
  LINESTRING: /^(LINE|LWPOLYLINE|POLYLINE|ARC|CIRCLE|ELLIPSE|SPLINE|INSERT)$/,
  POLYGON: /^(LWPOLYLINE|POLYLINE|CIRCLE|ELLIPSE|SPLINE|HATCH|SOLID|TRACE|3DFACE|INSERT)$/,
};

function kindOf(g: SourceGeometry | null | undefined): string {
  return g ? g.type : 'none';
}

export interface SanityLimits {
  maxSegmentM: number;
  maxDistanceKm: number;
  maxTextBytes: number;
}

/** Where a CRS is meant to be used, as [west, south, east, north] in degrees; undefined where it is the world. */
export function areaOfUse(crs: CrsDef): [number, number, number, number] | undefined {
  // EPSG's area of use of CGCS2000, Beijing 1954 and Xi'an 1980: China, onshore and offshore.
  const china: [number, number, number, number] = [73.62, 16.7, 134.77, 53.56];
  if (crs.kind === 'gauss-kruger' && crs.centralMeridian !== undefined && crs.zoneWidth) {
    // Surveys run well past a zone's edge (a town kept in one zone): up to a zone width from the central meridian.
    return [crs.centralMeridian - crs.zoneWidth, china[1], crs.centralMeridian + crs.zoneWidth, china[3]];
  }
  if (crs.datum === 'cgcs2000' || crs.datum === 'beijing1954' || crs.datum === 'xian1980' || crs.kind === 'gcj02') return china;
  const utm = /\+proj=utm \+zone=(\d+)/.exec(crs.proj4 ?? '');
  if (utm) {
    const cm = Number(utm[1]) * 6 - 183;
    return [cm - 6, -80, cm + 6, 84];
  }
  return undefined;
}

/** UTF-8 bytes of a string (without building them). */
function utf8Length(t: string): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const sizeText = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** The first text value longer than the limit: its field and why. */
function textProblem(properties: Record<string, unknown>, maxBytes: number): { field: string; reason: Message } | null {
  for (const k in properties) {
    const v = properties[k];
    if (typeof v !== 'string' || v.length <= maxBytes / 3) continue;
    const bytes = utf8Length(v);
    if (bytes > maxBytes) return { field: k, reason: message('io.sanity.text', { size: sizeText(bytes), max: sizeText(maxBytes) }) };
  }
  return null;
}

/** Every line (a LineString's positions, each ring of a polygon) of a transformed geometry's coordinates. */
function eachLine(coords: unknown, visit: (line: Position[]) => boolean): boolean {
  const a = coords as unknown[];
  if (a.length === 0 || typeof a[0] === 'number') return true;
  if (typeof (a[0] as unknown[])[0] === 'number') return visit(a as Position[]);
  for (const x of a) if (!eachLine(x, visit)) return false;
  return true;
}

/** The first segment longer than the limit, in words ('segment 3–4 is 8 606.1 km long …'). */
function segmentProblem(coords: unknown, maxM: number): Message | null {
  // Degrees at the equator of the limit: shorter steps need no geodesic.
  const quick = maxM / 111_320 / 1.01;
  let found: Message | null = null;
  eachLine(coords, (line) => {
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const dLat = Math.abs(a[1] - b[1]);
      const dLon = Math.abs(a[0] - b[0]) * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
      if (dLat < quick && dLon < quick) continue;
      const d = distanceM(a, b);
      if (d > maxM) {
        found = message('io.sanity.segment', { a: i, b: i + 1, length: d >= 10_000 ? `${(d / 1000).toFixed(1)} km` : `${d.toFixed(0)} m`, max: maxM });
        return false;
      }
    }
    return true;
  });
  return found;
}

/** Kilometres from a position to a box (0 inside), on a sphere: enough to tell "next town" from "another province". */
function kmFromBox(p: Position, box: readonly [number, number, number, number]): number {
  const dLon = p[0] < box[0] ? box[0] - p[0] : p[0] > box[2] ? p[0] - box[2] : 0;
  const dLat = p[1] < box[1] ? box[1] - p[1] : p[1] > box[3] ? p[1] - box[3] : 0;
  if (dLon === 0 && dLat === 0) return 0;
  const lat = Math.min(Math.abs(p[1]), 89) * (Math.PI / 180);
  return Math.hypot(dLon * 111.32 * Math.cos(lat), dLat * 110.57);
}

export function prepareImport(source: SourceData, layer: LayerName, opts: PrepareOptions = {}): PreparedImport {
  const def = layerDef(layer);
  if (!def) throw new Error(`unknown layer ${layer}`);
  const crs = detectCrs(source, opts.crs);
  if (!crs.crs && opts.nearLon !== undefined && crs.reason.some((m) => m.code === 'import.crs.noZonePrefix')) {
    crs.suggestions = zonesNear(opts.nearLon);
    crs.reason.push(message('import.crs.projectLiesIn', { zones: crs.suggestions.join(' / ') }));
  }
  const problems: ImportProblem[] = [];
  const notes = [...source.notes];
  const features: Feature[] = [];
  const coercedAll: CoercedFeature[] = [];
  const year = opts.year ?? new Date().getFullYear();
  const skipped: SkippedRecord[] = [];
  const kinds: Record<string, number> = {};
  for (const f of source.features) {
    const k = kindOf(f.geometry);
    kinds[k] = (kinds[k] ?? 0) + 1;
  }
  const summary: ImportSummary = {
    file: source.fileName,
    format: source.format,
    layer,
    records: source.features.length,
    kinds,
    features: 0,
    recordsImported: 0,
    otherKinds: {},
    collectionPartsLeftOut: 0,
    crs: { reason: crs.reason },
    ...(source.encoding ? { encoding: { encoding: source.encoding, reason: source.encodingReason ? [source.encodingReason] : [] } } : {}),
    mapping: [],
    rejectedGuesses: [],
    userMapping: opts.mapping ?? {},
    badRecords: skipped,
    skipInvalid: !!opts.skipInvalid,
    ...(source.entities ? { entities: source.entities } : {}),
    notes,
  };
  const result: PreparedImport = {
    fileName: source.fileName,
    layer,
    crs,
    mapping: {},
    guesses: [],
    rejectedGuesses: [],
    sourceFields: source.fields,
    features,
    coerced: coercedAll,
    year,
    sourceCount: source.features.length,
    problems,
    skipped,
    notes,
    summary,
  };
  if (!crs.crs) {
    // Records the reader could not read are listed even when the CRS is undecided.
    for (const sf of source.features) if (sf.problem || !sf.geometry) if (source.format !== 'dxf' || DXF_KINDS[def.geometry].test(String(sf.properties.entity))) {
      const said = sf.problem ? problemsOf(sf.problem) : [message('io.noGeometry')];
      const rec: SkippedRecord = { fid: sf.fid, where: whereOf(sf), reason: say('en', said), message: said };
      skipped.push(rec);
      if (!opts.skipInvalid) problems.push({ where: rec.where, reason: rec.reason, message: said, fid: sf.fid });
    }
    const range = describeRange(sampleOf(source));
    const why = crs.reason.some((m) => m.params?.range === range) || source.crsText ? crs.reason : [...crs.reason, message('import.crs.range', { range })];
    problems.push({ reason: say('en', why), message: why });
    return result;
  }
  const shift = resolveDatumShift(crs.crs, opts.datumShifts ?? NO_SHIFT_DEFAULTS, opts.towgs84);
  if (!('from' in shift)) {
    problems.push({ reason: `${crs.crs.name}: ${say('en', shift)}`, message: [shift] });
    summary.crs = { code: crs.crs.code, name: crs.crs.name, from: crs.source, reason: [...crs.reason, shift] };
    return result;
  }
  crs.shift = shift;
  summary.crs = { code: crs.crs.code, name: crs.crs.name, from: crs.source, reason: crs.reason, datumShift: shift.note };
  const transform = toProjectTransform(crs.crs, shift);

  // Field guesses from names, kept only where the values agree.
  const evidence = opts.mappingDecided ? { mapping: {}, guesses: [], rejected: [] } : guessMappingWithEvidence(layer, source.fields, {
    values: (name) => source.features.map((f) => f.properties[name]),
    ...(def.geometry === 'POLYGON'
      ? {
          areas: () =>
            source.features.map((f) => {
              const fit = f.geometry ? fitGeometry('POLYGON', f.geometry) : null;
              if (!fit || 'code' in fit) return undefined;
              try {
                return fit.pieces.reduce((s, g) => s + polygonAreaM2(mapCoords(g.coordinates, transform, () => undefined) as Position[][] | Position[][][]), 0);
              } catch {
                return undefined;
              }
            }),
        }
      : {}),
  }, year);
  const mapping = { ...evidence.mapping, ...(opts.mapping ?? {}) };
  // A constant or empty choice by the user drops the guess for that field.
  for (const [k, v] of Object.entries(mapping)) if (v === '=') delete mapping[k];
  result.mapping = mapping;
  result.guesses = evidence.guesses.filter((g) => !(opts.mapping && g.target in opts.mapping));
  result.rejectedGuesses = evidence.rejected;
  summary.mapping = result.guesses;
  summary.rejectedGuesses = evidence.rejected;
  for (const target of Object.keys(mapping)) {
    const src = mapping[target];
    if (!src.startsWith('=') && !source.fields.includes(src)) {
      const said = [message('io.map.noSource', { src, fields: source.fields.join(', ') })];
      problems.push({ field: target, reason: say('en', said), message: said });
    }
  }
  if (problems.length) return result;

  const mapProps = compileMapping(layer, mapping);
  const stem = source.fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const seen = opts.seenIds ?? new Map<string, number>();
  const existing = opts.existingIds;
  const limit = opts.limit ?? Infinity;
  const keep = opts.keep ?? Infinity;
  let hinted = false;
  const otherKinds = summary.otherKinds;
  /** A bad record: listed; left out with skipInvalid, else a reason to refuse. */
  const bad = (sf: SourceFeature, why: Message | readonly Message[], field?: string) => {
    const said = problemsOf(why);
    const where = whereOf(sf);
    const reason = say('en', said);
    const rec: SkippedRecord = { fid: sf.fid, where, ...(field ? { field } : {}), reason, message: said };
    skipped.push(rec);
    if (!opts.skipInvalid) problems.push({ where, ...(field ? { field } : {}), reason, message: said, fid: sf.fid });
  };
  // What the numbers look like, for the hint on a first misplaced record (taken now: records are let go as they are used).
  const hintSample = flatSampleOf(source);
  // A write from a reader that owns its coordinates transforms them where they are: no copy of every vertex.
  const inPlace = !!opts.forStore && !!source.ownedPositions;
  const validation = { year };
  const crsDef = crs.crs;
  let off: Message | null = null;
  const checkPosition = (q: [number, number]) => {
    if (off === null) off = positionProblem(crsDef, q);
  };
  // Sanity limits: a record beyond one is bad, or with `force` imported and warned about.
  const sanity = opts.sanity;
  const warnings: Message[] = [];
  let warned = 0;
  const sane = (sf: SourceFeature, reason: Message, field: string): boolean => {
    if (!opts.force) {
      bad(sf, message('io.sanity.force', { reason }), field);
      return false;
    }
    warned++;
    if (warnings.length < 20) warnings.push(message('io.sanity.forced', { where: whereOf(sf), field, reason }));
    return true;
  };
  const area = areaOfUse(crsDef);
  const box = opts.projectBbox;
  const sanityOfGeometry = (coords: unknown): Message | null => {
    let where: Message | null = null;
    if (area || box) {
      const visit = (p: Position): boolean => {
        if (area && (p[0] < area[0] || p[0] > area[2] || p[1] < area[1] || p[1] > area[3])) {
          where = message('io.sanity.area', {
            at: lonLatText(p[0], p[1]),
            crs: crsDef.name,
            west: area[0].toFixed(2),
            east: area[2].toFixed(2),
            south: area[1].toFixed(2),
            north: area[3].toFixed(2),
          });
          return false;
        }
        if (box) {
          const km = kmFromBox(p, box);
          if (km > sanity!.maxDistanceKm) {
            where = message('io.sanity.distance', { at: lonLatText(p[0], p[1]), km: km.toFixed(0), max: sanity!.maxDistanceKm });
            return false;
          }
        }
        return true;
      };
      const walk = (c: unknown): boolean => {
        const a = c as unknown[];
        if (typeof a[0] === 'number') return visit(a as Position);
        for (const x of a) if (!walk(x)) return false;
        return true;
      };
      walk(coords);
      if (where) return where;
    }
    return segmentProblem(coords, sanity!.maxSegmentM);
  };
  let written = 0;
  for (let i = 0; i < source.features.length && written < limit; i++) {
    const sf: SourceFeature = source.features[i];
    if (opts.forStore || opts.keep !== undefined) (source.features as (SourceFeature | undefined)[])[i] = undefined;
    // A block reference is its insertion point for point layers and its drawn lines for line layers; a symbol's
    // circle is no community, so polygon layers take no block content.
    if (def.geometry === 'POLYGON' && sf.block !== undefined) {
      otherKinds.INSERT = (otherKinds.INSERT ?? 0) + 1;
      continue;
    }
    const geometrySource = def.geometry === 'LINESTRING' && sf.block !== undefined ? sf.block : sf.geometry;
    if (sf.problem || !geometrySource) {
      if (source.format === 'dxf' && !DXF_KINDS[def.geometry].test(String(sf.properties.entity))) {
        otherKinds[String(sf.properties.entity)] = (otherKinds[String(sf.properties.entity)] ?? 0) + 1;
        continue;
      }
      if (source.format === 'dxf' && !sf.problem && sf.block === null) {
        // A block with nothing drawn in it (or not defined): nothing of this layer's kind.
        otherKinds.INSERT = (otherKinds.INSERT ?? 0) + 1;
        continue;
      }
      bad(sf, sf.problem ?? message('io.noGeometry'), sf.problem ? undefined : 'geometry');
      continue;
    }
    if (sanity) {
      const t = textProblem(sf.properties, sanity.maxTextBytes);
      if (t && !sane(sf, t.reason, t.field)) continue;
    }
    const fit = fitGeometry(def.geometry, geometrySource);
    if ('code' in fit) {
      if (source.format === 'dxf') {
        // A drawing mixes lines and symbols; the other kind belongs to another layer.
        const k = `${sf.properties.entity ?? geometrySource.type}`;
        otherKinds[k] = (otherKinds[k] ?? 0) + 1;
        continue;
      }
      bad(sf, fit, 'geometry');
      continue;
    }
    summary.collectionPartsLeftOut += fit.leftOut;
    const props = mapProps(sf.properties);
    const mappedId = props.id !== undefined && props.id !== null && String(props.id).trim() !== '' ? String(props.id).trim() : undefined;
    const baseId = mappedId ?? `${stem}-${sf.fid}`;
    const pieces = fit.pieces;
    // Check every piece before keeping any, so a skipped record leaves nothing behind.
    const made: Feature[] = [];
    const madeCoerced: CoercedFeature[] = [];
    let recordBad = false;
    for (let k = 0; k < pieces.length && !recordBad; k++) {
      const piece = pieces[k];
      off = null;
      const geometry = mapCoords(piece.coordinates, transform, checkPosition, inPlace);
      if (off !== null) {
        const reason: Message[] = [off];
        if (!hinted) {
          // Say what the numbers themselves look like: a .prj copied from another file is a common mistake.
          const guess = guessCrsFromCoordinates(positionsOf(hintSample));
          if (guess.crs && guess.crs.code !== crs.crs.code) reason.push(message('io.pos.lookLike', { code: guess.crs.code, why: guess.reason }));
          hinted = true;
        }
        bad(sf, reason, 'geometry');
        recordBad = true;
        break;
      }
      if (sanity) {
        const g = sanityOfGeometry(geometry);
        if (g && !sane(sf, g, 'geometry')) {
          recordBad = true;
          break;
        }
      }
      const id = pieces.length > 1 ? `${baseId}-${k + 1}` : baseId;
      const first = seen.get(id);
      if (first !== undefined) {
        bad(sf, message('io.id.twice', { id, first }), 'id');
        recordBad = true;
        break;
      }
      if (existing?.has(id)) {
        bad(sf, message('io.id.exists', { id, layer }), 'id');
        recordBad = true;
        break;
      }
      // The mapped properties are this record's own object: one piece takes them as they are, several get copies.
      const properties = pieces.length === 1 ? props : { ...props };
      properties.id = id;
      // Transformed where it was, the piece is its own result; else a new geometry around the new coordinates.
      const geom = inPlace ? piece : ({ type: piece.type, coordinates: geometry } as Geometry);
      const feature: Feature = { type: 'Feature', id, geometry: geom, properties };
      const c = coerceFeature(def, feature, validation);
      if (c.issues.length) {
        for (const issue of c.issues) bad(sf, issue.code ? message(`issue.${issue.code}` as MessageKey, issue.params) : message('io.detail', { detail: issue.message }), issue.field);
        recordBad = true;
        break;
      }
      made.push(feature);
      madeCoerced.push(c);
    }
    if (recordBad) continue;
    for (let k = 0; k < made.length; k++) {
      seen.set(String(made[k].id), sf.fid);
      if (coercedAll.length >= keep) continue;
      if (!opts.forStore) features.push(made[k]);
      coercedAll.push(madeCoerced[k]);
    }
    written += made.length;
    summary.recordsImported++;
    if (pieces.length > 1) notes.push(message('io.note.parts', { where: whereOf(sf), n: pieces.length, first: `${baseId}-1`, last: `${baseId}-${pieces.length}` }));
  }
  summary.features = written;
  if (warned) {
    pushAll(notes, warnings);
    if (warned > warnings.length) notes.push(message('io.note.moreForced', { n: warned - warnings.length }));
  }
  const other = Object.entries(otherKinds);
  if (other.length) {
    notes.push(message('io.note.otherKinds', { what: other.map(([t, n]) => `${n} ${t}`).join(', '), n: other.length, layer, kind: message(KIND_KEYS[def.geometry]) }));
  }
  if (summary.collectionPartsLeftOut) notes.push(message('io.note.collectionParts', { n: summary.collectionPartsLeftOut, kind: message(KIND_KEYS[def.geometry]) }));
  if (skipped.length && opts.skipInvalid) notes.push(message('io.note.skipped', { n: skipped.length }));
  if (crs.shift && crs.shift.from !== 'none') notes.push(crs.shift.note);
  if (written === 0 && problems.length === 0) {
    const said = [message(skipped.length ? 'io.nothingFitsAllBad' : 'io.nothingFits', { layer, kind: message(KIND_KEYS[def.geometry]), n: skipped.length })];
    problems.push({ reason: say('en', said), message: said });
  }
  if (notes.length > 60) notes.splice(60, notes.length - 60, message('io.note.more', { n: notes.length - 60 }));
  return result;
}

/** Where a problem is: the record and the field where known, as a message. */
export function problemPlace(p: { where?: Message; field?: string }): Message | undefined {
  if (p.where && p.field) return message('io.where.withField', { where: p.where, field: p.field });
  if (p.field) return message('io.where.field', { field: p.field });
  return p.where;
}

/** A problem naming the file, as a message: "p.shp, record 3, field dn: 210 is not one of …". */
export function problemMessage(fileName: string, p: Pick<ImportProblem, 'where' | 'field' | 'message'>): Message {
  return refusalMessage(fileName, problemPlace(p), p.message);
}

/** One line per problem, naming the file, in `lang` (English for logs). */
export function formatProblem(fileName: string, p: Pick<ImportProblem, 'where' | 'field' | 'message'>, lang: Lang = 'en'): string {
  return say(lang, problemMessage(fileName, p));
}

/** The bad records as CSV in a language (core/io/report.ts). */
export { skippedCsv } from './report';

/**
 * Validation of one feature against its layer schema (schema.ts). Pure: used
 * by the store before every write, by GeoJSON import, and by the app's edit
 * forms (issues carry the field name so a form can mark the input).
 */
import type { Geometry, Position } from './geojson';
import { EXTRA_COLUMN, layerDef, type FieldDef, type GeometryKind, type LayerDef, type LayerName, type TableDef } from './schema';

/** A rejected value: names the file, the feature (index and id) and the field where known. */
export interface ValidationIssue {
  file?: string;
  /** 0-based index of the feature in its collection. */
  index?: number;
  featureId?: string;
  field?: string;
  /** English reason, as the CLI prints it (kept stable for scripts and tests). */
  message: string;
  /** Machine code of the reason, so a UI can say it in its own language (see ISSUE_TEMPLATES). */
  code?: IssueCode;
  /** The values the reason names, as shown in `message`. */
  params?: Record<string, string>;
}

/**
 * Every reason a value is refused for, with its English wording. The
 * wording is the single source both for `message` and for reading a code
 * back out of a message that crossed a boundary as plain text (an IPC error).
 */
export const ISSUE_TEMPLATES = {
  required: 'is required',
  notText: '{value} is not text',
  notOneOf: '{value} is not one of {allowed}',
  notNumber: '{value} is not a number',
  notFinite: '{value} is not a finite number',
  notInteger: '{value} is not a whole number',
  belowMin: '{value} is below the minimum {min}',
  aboveMax: '{value} is above the maximum {max}',
  notBool: '{value} is not yes/no',
  notDate: '{value} is not a date (YYYY-MM-DD)',
  invalidDate: '{value} is not a valid date',
  duplicateId: 'id "{id}" already exists in {layer}',
  geometry: '{detail}',
  notFeature: 'not a GeoJSON feature object',
} as const;

export type IssueCode = keyof typeof ISSUE_TEMPLATES;

/** The English message of a code with its params. */
export function issueMessage(code: IssueCode, params: Record<string, string> = {}): string {
  return ISSUE_TEMPLATES[code].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
}

/** An issue with code, params and the English message made from them. */
export function coded(code: IssueCode, params: Record<string, string> = {}): { code: IssueCode; params: Record<string, string>; message: string } {
  return { code, params, message: issueMessage(code, params) };
}

export interface ValidateOptions {
  /** Year used for `max: 'thisYear+10'` (defaults to the current year). */
  year?: number;
}

/** A feature's values after coercion: schema fields, extra properties, and what was wrong. */
export interface CoercedFeature {
  id: string;
  geometry: Geometry | null;
  /** Every schema field that the input gave (coerced); omitted fields are absent. */
  values: Record<string, string | number | boolean | null>;
  /** Properties the schema does not know, kept as they came. */
  extra: Record<string, unknown>;
  issues: ValidationIssue[];
}

const GEOJSON_TYPE: Record<GeometryKind, Geometry['type']> = {
  POINT: 'Point',
  LINESTRING: 'LineString',
  POLYGON: 'Polygon',
};

/** One line naming file, feature (numbered from 1, as GDAL numbers features) and field, e.g. `bad.geojson: feature 4 (id "P-0007"): field "level": …`. */
export function formatIssue(issue: ValidationIssue): string {
  const parts: string[] = [];
  if (issue.file) parts.push(issue.file);
  if (issue.index !== undefined || issue.featureId !== undefined) {
    let f = 'feature';
    if (issue.index !== undefined) f += ` ${issue.index + 1}`;
    if (issue.featureId !== undefined && issue.featureId !== '') f += ` (id ${JSON.stringify(issue.featureId)})`;
    parts.push(f);
  }
  if (issue.field) parts.push(`field ${JSON.stringify(issue.field)}`);
  parts.push(issue.message);
  return parts.join(': ');
}

/** A refused value (only made when one is refused: a value that passes allocates nothing). */
class Refusal {
  readonly error: string;
  constructor(
    readonly code: IssueCode,
    readonly params: Record<string, string> = {},
  ) {
    this.error = issueMessage(code, params);
  }
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v === undefined ? 'nothing' : JSON.stringify(v));
}

/** Resolve a field's maximum (`thisYear+10` depends on the year of validation). */
export function fieldMax(f: FieldDef, year: number): number | undefined {
  return f.max === 'thisYear+10' ? year + 10 : f.max;
}

/**
 * Coerce one input value to the field's type. Returns `{ value }` or `{ error }`.
 * Accepted loosely where people's files differ: numeric strings for numbers,
 * true/false for yes/no fields, "yes"/"no"/0/1 for bool fields.
 */
export function coerceValue(
  f: FieldDef,
  raw: unknown,
  year: number,
): { value: string | number | boolean | null } | { error: string; code: IssueCode; params: Record<string, string> } {
  const r = coerced(f, raw, year);
  return r instanceof Refusal ? { error: r.error, code: r.code, params: r.params } : { value: r };
}

/** coerceValue's work: the value, or the Refusal saying why not. */
function coerced(f: FieldDef, raw: unknown, year: number): string | number | boolean | null | Refusal {
  if (raw === null || raw === undefined || raw === '') {
    if (f.required) return new Refusal('required');
    return null;
  }
  switch (f.type) {
    case 'text':
      return coercedText(f, raw);
    case 'integer':
    case 'real':
      return coercedNumber(f, raw, year);
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 1 || raw === 0) return raw === 1;
      if (typeof raw === 'string') {
        const s = raw.trim().toLowerCase();
        if (['yes', 'true', '1', '是'].includes(s)) return true;
        if (['no', 'false', '0', '否'].includes(s)) return false;
      }
      return new Refusal('notBool', { value: show(raw) });
    }
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return new Refusal('notDate', { value: show(raw) });
      const d = new Date(raw + 'T00:00:00Z');
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) return new Refusal('invalidDate', { value: show(raw) });
      return raw;
    }
  }
}

function coercedText(f: FieldDef, raw: unknown): string | Refusal {
  let v: string;
  if (f.enum && (f.enum as readonly string[]).includes('yes') && typeof raw === 'boolean') v = raw ? 'yes' : 'no';
  else if (typeof raw === 'string') v = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) v = String(raw);
  else return new Refusal('notText', { value: show(raw) });
  if (f.enum && !f.enum.includes(v)) return new Refusal('notOneOf', { value: show(v), allowed: f.enum.join(', ') });
  return v;
}

function coercedNumber(f: FieldDef, raw: unknown, year: number): number | Refusal {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw.trim()))) n = Number(raw.trim());
  else return new Refusal('notNumber', { value: show(raw) });
  if (!Number.isFinite(n)) return new Refusal('notFinite', { value: show(raw) });
  if (f.type === 'integer' && !Number.isInteger(n)) return new Refusal('notInteger', { value: show(raw) });
  if (f.oneOf && !f.oneOf.includes(n)) return new Refusal('notOneOf', { value: String(n), allowed: f.oneOf.join(', ') });
  if (f.min !== undefined && n < f.min) return new Refusal('belowMin', { value: String(n), min: String(f.min) });
  const max = fieldMax(f, year);
  if (max !== undefined && n > max) return new Refusal('aboveMax', { value: String(n), max: String(max) });
  return n;
}

function positionIssue(p: unknown): string | null {
  if (!Array.isArray(p) || p.length < 2) return 'a position needs [lon, lat]';
  const [x, y] = p;
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y))
    return `coordinates ${JSON.stringify(p)} are not finite numbers`;
  if (x < -180 || x > 180) return `longitude ${x} is outside -180..180`;
  if (y < -90 || y > 90) return `latitude ${y} is outside -90..90`;
  return null;
}

function line(pts: unknown[], min: number, what: string): string | null {
  if (pts.length < min) return `${what} needs at least ${min} positions, has ${pts.length}`;
  for (let i = 0; i < pts.length; i++) {
    const e = positionIssue(pts[i]);
    if (e) return e;
  }
  return null;
}

/** Problems with a geometry for a layer's geometry kind (null when fine). */
export function geometryIssue(kind: GeometryKind, g: unknown): string | null {
  const want = GEOJSON_TYPE[kind];
  if (g === null || g === undefined) return `missing geometry (${want} expected)`;
  if (typeof g !== 'object') return 'geometry is not an object';
  const geom = g as { type?: unknown; coordinates?: unknown };
  // A community or coal area may be several parcels: MultiPolygon is a polygon layer's too.
  if (kind === 'POLYGON' && geom.type === 'MultiPolygon') {
    if (!Array.isArray(geom.coordinates) || geom.coordinates.length === 0) return 'a MultiPolygon needs at least one polygon';
    for (const p of geom.coordinates) {
      const e = geometryIssue('POLYGON', { type: 'Polygon', coordinates: p });
      if (e) return e;
    }
    return null;
  }
  if (geom.type !== want) return `geometry type ${JSON.stringify(geom.type)} where ${want}${kind === 'POLYGON' ? ' or MultiPolygon' : ''} is expected`;
  const c = geom.coordinates;
  if (!Array.isArray(c)) return 'geometry has no coordinates array';
  switch (kind) {
    case 'POINT':
      return positionIssue(c);
    case 'LINESTRING':
      return line(c, 2, 'a line');
    case 'POLYGON': {
      if (c.length === 0) return 'a polygon needs at least one ring';
      for (const ring of c) {
        if (!Array.isArray(ring)) return 'a polygon ring is not an array';
        const e = line(ring, 4, 'a polygon ring');
        if (e) return e;
        const a = ring[0] as Position;
        const b = ring[ring.length - 1] as Position;
        if (a[0] !== b[0] || a[1] !== b[1]) return 'a polygon ring is not closed';
      }
      return null;
    }
  }
}

const MULTI: Record<GeometryKind, string> = { POINT: 'MultiPoint', LINESTRING: 'MultiLineString', POLYGON: 'MultiPolygon' };

/**
 * A one-part Multi* geometry as its single part: GIS exports (QGIS, ogr2ogr)
 * often write every line as a MultiLineString. Several parts stay as they
 * are and are rejected as the wrong type.
 */
function singlePart(kind: GeometryKind, g: unknown): unknown {
  const m = g as { type?: unknown; coordinates?: unknown } | null;
  if (m && m.type === MULTI[kind] && Array.isArray(m.coordinates) && m.coordinates.length === 1) {
    return { type: GEOJSON_TYPE[kind], coordinates: m.coordinates[0] };
  }
  return g;
}

/** The feature code from properties.id, else the GeoJSON id; '' when neither. */
export function featureCode(feature: { id?: unknown; properties?: unknown }): string {
  const props = (feature.properties ?? {}) as Record<string, unknown>;
  const raw = props.id ?? feature.id;
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return '';
}

/** Coerce the properties of a row of a table or layer; fields computed by the store are skipped. */
export function coerceProperties(
  def: LayerDef | TableDef,
  props: Record<string, unknown>,
  opts: ValidateOptions = {},
  id?: string,
): { values: CoercedFeature['values']; extra: Record<string, unknown>; issues: ValidationIssue[] } {
  const year = opts.year ?? new Date().getFullYear();
  const values: CoercedFeature['values'] = {};
  const issues: ValidationIssue[] = [];
  const fields = def.fields;
  // Plain loops and no per-field result objects: imports run this for every feature.
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.computed) continue;
    const raw = f.name === 'id' && id !== undefined ? (id === '' ? undefined : id) : props[f.name];
    if (raw === undefined && !f.required && !(f.name in props)) continue;
    const r = coerced(f, raw, year);
    if (r instanceof Refusal) issues.push({ field: f.name, message: r.error, code: r.code, params: r.params });
    else values[f.name] = r;
  }
  const extra: Record<string, unknown> = {};
  const known = knownFields(def);
  for (const k in props) {
    if (!Object.prototype.hasOwnProperty.call(props, k) || known.has(k)) continue;
    if (k === EXTRA_COLUMN && mergeExtraColumn(extra, props[k])) continue;
    extra[k] = props[k];
  }
  return { values, extra, issues };
}

/**
 * A layer exported by GDAL/QGIS straight from the GeoPackage carries the
 * store's `extra_json` column as a property (an object, or JSON text): its
 * keys are the extra properties themselves, not one property of that name.
 */
function mergeExtraColumn(extra: Record<string, unknown>, v: unknown): boolean {
  let obj = v;
  if (typeof v === 'string') {
    try {
      obj = JSON.parse(v);
    } catch {
      return false;
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return v === null;
  Object.assign(extra, obj);
  return true;
}

const knownNames = new WeakMap<LayerDef | TableDef, Set<string>>();

/** The names of a layer's or table's fields. */
function knownFields(def: LayerDef | TableDef): Set<string> {
  let s = knownNames.get(def);
  if (!s) knownNames.set(def, (s = new Set(def.fields.map((f) => f.name))));
  return s;
}

/**
 * Validate and coerce one feature for a layer. Issues carry the feature's id
 * and the field; the caller adds file and index.
 */
export function coerceFeature(layer: LayerName | LayerDef, feature: unknown, opts: ValidateOptions = {}): CoercedFeature {
  const def = typeof layer === 'string' ? layerDef(layer) : layer;
  if (!def) throw new Error(`unknown layer ${String(layer)}`);
  if (!feature || typeof feature !== 'object') {
    return { id: '', geometry: null, values: {}, extra: {}, issues: [coded('notFeature')] };
  }
  const f = feature as { id?: unknown; properties?: unknown; geometry?: unknown };
  const props = f.properties && typeof f.properties === 'object' && !Array.isArray(f.properties) ? (f.properties as Record<string, unknown>) : {};
  const id = featureCode({ id: f.id, properties: props });
  const { values, extra, issues } = coerceProperties(def, props, opts, id);
  const geometry = singlePart(def.geometry, f.geometry);
  const gi = geometryIssue(def.geometry, geometry);
  if (gi) issues.push({ field: 'geometry', ...coded('geometry', { detail: gi }) });
  for (const i of issues) if (id !== '') i.featureId = id;
  return { id, geometry: gi ? null : (geometry as Geometry), values, extra, issues };
}

/** Validate one feature (edit forms): the issues, each with its field name. */
export function validateFeature(layer: LayerName, feature: unknown, opts: ValidateOptions = {}): ValidationIssue[] {
  return coerceFeature(layer, feature, opts).issues;
}

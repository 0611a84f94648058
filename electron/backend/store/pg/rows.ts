/** Features ↔ PostgreSQL rows, the same values the GeoPackage store writes and reads. */
import { decodeWkb, encodeGpkgGeometry } from '../../../../core/geo/gpkgGeometry';
import { lineLengthM } from '../../../../core/geo/length';
import type { Geometry } from '../../../../core/model/geojson';
import { EXTRA_COLUMN, LAYERS, type FieldDef, type LayerDef, type LayerName } from '../../../../core/model/schema';
import type { Feature } from '../../../../core/model/types';
import type { CoercedFeature } from '../../../../core/model/validate';
import { columnFields } from '../gpkg';
import { ident } from './url';

type Value = string | number | boolean | null;

export interface LayerCols {
  def: LayerDef;
  fields: FieldDef[];
  /** `ST_AsBinary(geom), col…, extra_json` */
  selectList: string;
  /** `geom, col…, extra_json` */
  columnList: string;
}

const cache = new Map<LayerName, LayerCols>();

export function layerCols(name: LayerName): LayerCols {
  let c = cache.get(name);
  if (!c) {
    const def = LAYERS.find((l) => l.name === name);
    if (!def) throw new Error(`unknown layer "${name}"`);
    const fields = columnFields(def.fields);
    const cols = [...fields.map((f) => ident(f.name)), ident(EXTRA_COLUMN)];
    c = { def, fields, selectList: ['ST_AsBinary(geom)', ...cols].join(', '), columnList: ['geom', ...cols].join(', ') };
    cache.set(name, c);
  }
  return c;
}

/** WKB of a geometry (polygon layers hold MULTIPOLYGON, as in the GeoPackage since 0004). */
export function geometryWkb(def: LayerDef, g: Geometry): Buffer {
  const stored: Geometry = def.geometry === 'POLYGON' && g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
  const blob = encodeGpkgGeometry(stored, 4490);
  const off = 8 + [0, 32, 48, 48, 64][(blob[3] >> 1) & 7];
  return Buffer.from(blob.buffer, blob.byteOffset + off, blob.byteLength - off);
}

/** Parameters of one row in `columnList` order, from a validated feature (defaults applied on insert). */
export function rowParams(l: LayerCols, c: CoercedFeature, applyDefaults: boolean): Value[] {
  const geometry = c.geometry as Geometry;
  const out: Value[] = [geometryWkb(l.def, geometry) as unknown as Value];
  for (const f of l.fields) {
    let v: Value | undefined = c.values[f.name];
    if (f.computed) v = f.name === 'length_m' && geometry.type === 'LineString' ? lineLengthM(geometry.coordinates) : null;
    else if (v === undefined && applyDefaults && f.default !== undefined) v = f.default;
    out.push(v === undefined ? null : v);
  }
  out.push(Object.keys(c.extra).length ? JSON.stringify(c.extra) : null);
  return out;
}

/** Parameters of a row from a feature as a store gave it (publishing a snapshot: values copied as they are). */
export function rowParamsAsIs(l: LayerCols, f: Feature): Value[] {
  const props = (f.properties ?? {}) as Record<string, unknown>;
  const out: Value[] = [geometryWkb(l.def, f.geometry as Geometry) as unknown as Value];
  const known = new Set<string>();
  for (const fd of l.fields) {
    known.add(fd.name);
    const v = props[fd.name];
    out.push(v === undefined ? null : (v as Value));
  }
  const extra: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(props)) {
    if (!known.has(k)) {
      extra[k] = v;
      any = true;
    }
  }
  out.push(any ? JSON.stringify(extra) : null);
  return out;
}

/** A row read with `selectList` (array mode) as the Feature the GeoPackage store would give. */
export function rowToFeature(l: LayerCols, row: unknown[]): Feature {
  const props: Record<string, unknown> = {};
  const fields = l.fields;
  for (let i = 0; i < fields.length; i++) props[fields[i].name] = row[i + 1];
  const extra = row[fields.length + 1];
  if (typeof extra === 'string' && extra !== '') Object.assign(props, JSON.parse(extra));
  const wkb = row[0] as Buffer | null;
  let geometry: Geometry | null = wkb ? decodeWkb(wkb).geometry : null;
  if (geometry?.type === 'MultiPolygon' && geometry.coordinates.length === 1) geometry = { type: 'Polygon', coordinates: geometry.coordinates[0] };
  // A NULL shape passes on as GeoJSON's null geometry, as the GeoPackage store reads it (store/features.ts).
  return { type: 'Feature', id: props.id as string, geometry: geometry as Geometry, properties: props } as Feature;
}

/** A journal image (row as JSON, geometry as WKB) as a Feature. */
export function journalToFeature(l: LayerCols, json: Record<string, unknown>, wkb: Buffer | null): Feature {
  const row: unknown[] = [wkb, ...l.fields.map((f) => json[f.name] ?? null), json[EXTRA_COLUMN] ?? null];
  return rowToFeature(l, row);
}

/**
 * GeoJSON as an import source, in whatever CRS it declares: the old-style
 * "crs" member GDAL writes for anything but WGS84
 * (urn:ogc:def:crs:EPSG::4547) is read here and the coordinates are
 * transformed like any other file's. (core/io/geojson.ts is the plain
 * lon/lat exchange format and refuses projected files.)
 *
 * As GDAL reads it: a FeatureCollection, a single Feature, or a bare
 * geometry (one feature); a feature whose geometry is null or damaged is
 * kept with its problem, so every bad feature is listed; features are
 * numbered from 1.
 */
import type { Feature as GFeature } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature, type SourceGeometry } from './source';
import type { ReadGuard } from './limits';
import { decideEncoding, decodeText, EncodingUndecided, rowByteOf } from './text';
import { message, type Message } from '../i18n';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/**
 * One entry of a FeatureCollection as a source record numbered `fid` (from 1),
 * its property names added to `fields`; an entry that is no feature, or whose
 * geometry is null or damaged, comes with its problem. (readGeoJsonSource, and
 * the importer's streamed read, take each entry through here.)
 */
export function sourceFeatureOf(item: unknown, fid: number, fields: Set<string>): SourceFeature {
  const f = (item ?? {}) as GFeature;
  const where = f.id !== undefined && f.id !== null ? message('io.where.featureId', { n: fid, id: String(f.id) }) : message('io.where.feature', { n: fid });
  if (!item || typeof item !== 'object' || f.type !== 'Feature') return { geometry: null, properties: {}, fid, where, problem: message('io.geojson.notFeature') };
  let problem: Message | undefined;
  let properties: Record<string, unknown> = {};
  if (f.properties !== null && f.properties !== undefined && (typeof f.properties !== 'object' || Array.isArray(f.properties))) problem = message('io.geojson.propertiesNotObject');
  else properties = { ...(f.properties ?? {}) };
  if (f.id !== undefined && f.id !== null && properties.id === undefined) properties.id = f.id;
  for (const k in properties) fields.add(k);
  const g = f.geometry as unknown;
  let geometry: SourceGeometry | null = null;
  if (g === null || g === undefined) problem ??= message('io.geojson.nullGeometry');
  else {
    const p = geometryProblem(g);
    if (p) problem ??= p;
    else geometry = g as SourceGeometry;
  }
  // (no object spread: this runs for every record of a file)
  const out: SourceFeature = { geometry, properties, fid, where };
  if (problem) out.problem = problem;
  return out;
}

/** How deep a geometry type's coordinates nest above its positions. */
const COORDINATE_DEPTH = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** Whether `c` is arrays `d` deep around positions of two finite numbers or more (a function of its own, plain loops: run for every record). */
function coordinatesFit(c: unknown, d: number): boolean {
  if (!Array.isArray(c)) return false;
  if (d === 0) return c.length >= 2 && typeof c[0] === 'number' && typeof c[1] === 'number' && Number.isFinite(c[0]) && Number.isFinite(c[1]);
  for (let i = 0; i < c.length; i++) {
    const x: unknown = c[i];
    if (x === undefined && !(i in c)) continue; // a hole, which `every` skipped
    if (!coordinatesFit(x, d - 1)) return false;
  }
  return true;
}

/** Why a GeoJSON geometry object is not one, or null when it is. */
function geometryProblem(g: unknown, depth = 0): Message | null {
  if (!g || typeof g !== 'object') return message('io.geojson.geometryNotObject');
  const o = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (typeof o.type !== 'string' || !GEOMETRY_TYPES.has(o.type)) return message('io.geojson.geometryType', { type: JSON.stringify(o.type) ?? 'undefined' });
  if (o.type === 'GeometryCollection') {
    if (!Array.isArray(o.geometries)) return message('io.geojson.noGeometries');
    if (depth > 8) return message('io.geojson.tooDeep');
    for (const x of o.geometries) {
      const p = geometryProblem(x, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (!coordinatesFit(o.coordinates, COORDINATE_DEPTH[o.type as 'Point'])) return message('io.geojson.badCoordinates', { type: o.type });
  if (Array.isArray(o.coordinates) && o.coordinates.length === 0) return message('io.geojson.empty', { type: o.type });
  return null;
}

export function readGeoJsonSource(bytes: Uint8Array, fileName: string, opts: { encoding?: string; guard?: ReadGuard } = {}): SourceData {
  const refuse = (where: Message | undefined, reason: Message): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  let decision;
  try {
    decision = decideEncoding(bytes, {
      ...(opts.encoding ? { forced: opts.encoding } : {}),
      declared: { encoding: 'utf-8', from: message('io.geojson.standard') },
      where: (offset) => rowByteOf(bytes, offset),
    });
  } catch (err) {
    if (err instanceof EncodingUndecided) return refuse(undefined, err.said);
    throw err;
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = decodeText(bom ? bytes.subarray(3) : bytes, decision.encoding);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return refuse(undefined, message('io.geojson.notJson', { detail: (err as Error).message }));
  }
  const d = (doc ?? {}) as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  let list: unknown[];
  if (d.type === 'FeatureCollection' && Array.isArray(d.features)) list = d.features;
  else if (d.type === 'Feature') list = [d];
  else if (typeof d.type === 'string' && GEOMETRY_TYPES.has(d.type)) list = [{ type: 'Feature', properties: {}, geometry: d }];
  else return refuse(undefined, message('io.geojson.notGeoJson'));
  opts.guard?.declared(list.length, message('io.what.collection'));
  const crsName = d.crs?.properties?.name;
  const crsText = typeof crsName === 'string' ? crsName : undefined;
  const fields = new Set<string>();
  const features: SourceFeature[] = list.map((item, index) => {
    const fid = index + 1;
    const f = (item ?? {}) as GFeature;
    opts.guard?.row(f.id !== undefined && f.id !== null ? message('io.where.featureId', { n: fid, id: String(f.id) }) : message('io.where.feature', { n: fid }));
    return sourceFeatureOf(item, fid, fields);
  });
  if (features.length === 0) refuse(undefined, message('io.geojson.noFeatures'));
  return {
    format: 'geojson',
    fileName,
    fields: [...fields],
    features,
    ...(crsText ? { crsText, crsOrigin: message('io.origin.geojsonCrs', { file: fileName }) } : {}),
    encoding: decision.encoding,
    encodingReason: decision.reason,
    notes: [],
  };
}

/**
 * GeoJSON as an import source, in whatever CRS it declares: the old-style
 * "crs" member GDAL writes for anything but WGS84
 * (urn:ogc:def:crs:EPSG::4547) is read here and the coordinates are
 * transformed like any other file's. (core/io/geojson.ts is the plain
 * lon/lat exchange format and refuses projected files.)
 */
import type { Feature as GFeature } from '../model/geojson';
import { ImportRefused, type SourceData, type SourceFeature } from './source';
import { decodeTextFile } from './text';

export function readGeoJsonSource(bytes: Uint8Array, fileName: string): SourceData {
  const { text } = decodeTextFile(bytes, 'utf-8');
  const refuse = (where: string | undefined, reason: string): never => {
    throw new ImportRefused(fileName, where, reason);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return refuse(undefined, `not valid JSON (${(err as Error).message})`);
  }
  const d = (doc ?? {}) as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  let list: unknown[];
  if (d.type === 'FeatureCollection' && Array.isArray(d.features)) list = d.features;
  else if (d.type === 'Feature') list = [d];
  else return refuse(undefined, 'not a GeoJSON FeatureCollection or Feature');
  const crsName = d.crs?.properties?.name;
  const crsText = typeof crsName === 'string' ? crsName : undefined;
  const fields = new Set<string>();
  const features: SourceFeature[] = list.map((item, index) => {
    const f = (item ?? {}) as GFeature;
    const where = `feature ${index + 1}${f.id !== undefined ? ` (id ${String(f.id)})` : ''}`;
    if (f.type !== 'Feature') refuse(where, 'not a GeoJSON Feature');
    const g = f.geometry as { type?: unknown; coordinates?: unknown } | null;
    if (!g || typeof g !== 'object' || typeof g.type !== 'string' || !Array.isArray(g.coordinates)) refuse(where, 'feature has no geometry');
    if (f.properties !== null && f.properties !== undefined && (typeof f.properties !== 'object' || Array.isArray(f.properties))) {
      refuse(where, '"properties" is not an object');
    }
    const properties: Record<string, unknown> = { ...(f.properties ?? {}) };
    if (f.id !== undefined && properties.id === undefined) properties.id = f.id;
    for (const k of Object.keys(properties)) fields.add(k);
    return { geometry: f.geometry, properties, where };
  });
  if (features.length === 0) refuse(undefined, 'no features');
  return {
    format: 'geojson',
    fileName,
    fields: [...fields],
    features,
    ...(crsText ? { crsText, crsOrigin: `${fileName} "crs" member` } : {}),
    encoding: 'utf-8',
    notes: [],
  };
}

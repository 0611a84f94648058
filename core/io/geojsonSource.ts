/**
 * GeoJSON as an import source: structure via parseGeoJson (core/io/geojson.ts,
 * shared with the plain GeoJSON import), plus the old-style "crs" member that
 * GDAL writes for anything but WGS84 (urn:ogc:def:crs:EPSG::4547).
 */
import { parseGeoJson } from './geojson';
import { ImportRefused, type SourceData, type SourceFeature } from './source';
import { decodeTextFile } from './text';

export function readGeoJsonSource(bytes: Uint8Array, fileName: string): SourceData {
  const { text } = decodeTextFile(bytes, 'utf-8');
  const parsed = parseGeoJson(text, fileName);
  if (parsed.issues.length) {
    const i = parsed.issues[0];
    throw new ImportRefused(fileName, i.index !== undefined ? `feature ${i.index + 1}` : undefined, i.message);
  }
  let crsText: string | undefined;
  const m = /"crs"\s*:\s*\{[^{}]*"properties"\s*:\s*\{[^{}]*"name"\s*:\s*"([^"]+)"/.exec(text.slice(0, 4096));
  if (m) crsText = m[1];
  const fields = new Set<string>();
  const features: SourceFeature[] = parsed.features.map(({ index, feature }) => {
    const where = `feature ${index + 1}${feature.id !== undefined ? ` (id ${String(feature.id)})` : ''}`;
    if (!feature.geometry || typeof feature.geometry !== 'object') throw new ImportRefused(fileName, where, 'feature has no geometry');
    const properties = { ...(feature.properties ?? {}) };
    if (feature.id !== undefined && properties.id === undefined) properties.id = feature.id;
    for (const k of Object.keys(properties)) fields.add(k);
    return { geometry: feature.geometry, properties, where };
  });
  if (features.length === 0) throw new ImportRefused(fileName, undefined, 'no features');
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

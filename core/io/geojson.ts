/**
 * GeoJSON text in and out (RFC 7946). Reading only checks the structure —
 * which objects are features — and leaves field checks to the layer's
 * validation (core/model/validate.ts), so every problem is reported in one
 * place with file, feature and field.
 */
import type { Feature as GFeature, FeatureCollection, Geometry } from '../model/geojson';
import type { Feature } from '../model/types';
import type { ValidationIssue } from '../model/validate';
import { featureCode } from '../model/validate';

/** CRS names (old GeoJSON `crs` member) whose coordinates are lon/lat degrees. */
const LON_LAT_CRS = /(CRS84|EPSG:{1,2}4326|EPSG:{1,2}4490)$/i;

/** A feature as read from a file: the raw object and its 0-based position. */
export interface RawFeature {
  index: number;
  feature: GFeature;
}

export interface ParsedGeoJson {
  features: RawFeature[];
  issues: ValidationIssue[];
}

/**
 * Parse GeoJSON text (a FeatureCollection or a single Feature). Structural
 * problems become issues naming the file and the feature; the features that
 * look like features are returned for validation against a layer.
 */
export function parseGeoJson(text: string, fileName = 'input'): ParsedGeoJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    return { features: [], issues: [{ file: fileName, message: `not valid JSON (${(err as Error).message})` }] };
  }
  const issues: ValidationIssue[] = [];
  const features: RawFeature[] = [];
  if (!doc || typeof doc !== 'object') {
    return { features, issues: [{ file: fileName, message: 'not a GeoJSON object' }] };
  }
  const d = doc as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  const crs = d.crs?.properties?.name;
  if (typeof crs === 'string' && !LON_LAT_CRS.test(crs)) {
    return { features, issues: [{ file: fileName, message: `coordinates must be longitude/latitude (EPSG:4490 or 4326), the file declares ${crs}` }] };
  }
  let list: unknown[];
  if (d.type === 'FeatureCollection') {
    if (!Array.isArray(d.features)) return { features, issues: [{ file: fileName, message: 'FeatureCollection has no "features" array' }] };
    list = d.features;
  } else if (d.type === 'Feature') {
    list = [d];
  } else {
    return { features, issues: [{ file: fileName, message: `GeoJSON type ${JSON.stringify(d.type)} is neither FeatureCollection nor Feature` }] };
  }
  list.forEach((item, index) => {
    const r = checkFeature(item, index, fileName);
    if ('issue' in r) issues.push(r.issue);
    else features.push(r);
  });
  return { features, issues };
}

/** Whether an entry of a FeatureCollection is a feature (missing properties read as none), else the problem. */
export function checkFeature(item: unknown, index: number, fileName: string): RawFeature | { issue: ValidationIssue } {
  if (!item || typeof item !== 'object' || (item as { type?: unknown }).type !== 'Feature') {
    return { issue: { file: fileName, index, message: 'not a GeoJSON Feature' } };
  }
  const f = item as GFeature;
  const props = f.properties;
  if (props !== null && props !== undefined && (typeof props !== 'object' || Array.isArray(props))) {
    const id = featureCode({ id: f.id });
    return { issue: { file: fileName, index, ...(id ? { featureId: id } : {}), message: '"properties" is not an object' } };
  }
  return { index, feature: props ? f : { ...f, properties: {} } };
}

/** A `crs` member naming something other than longitude/latitude: the problem, else null. */
export function crsIssue(crs: unknown, fileName: string): ValidationIssue | null {
  const name = (crs as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  return typeof name === 'string' && !LON_LAT_CRS.test(name) ? { file: fileName, message: `coordinates must be longitude/latitude (EPSG:4490 or 4326), the file declares ${name}` } : null;
}

/**
 * A layer as a FeatureCollection: the feature code is both the GeoJSON `id`
 * and the `id` property; schema fields are written even when null, so that a
 * re-import gives back exactly the same properties.
 */
export function toFeatureCollection(name: string, features: readonly Feature[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    name,
    features: features.map((f) => ({
      type: 'Feature',
      id: f.id,
      geometry: f.geometry as Geometry,
      properties: { ...f.properties, id: f.id },
    })),
  };
}

/** Serialise a collection one feature per line: readable, diff-friendly, and fast for large layers. */
export function stringifyFeatureCollection(fc: FeatureCollection): string {
  const head = JSON.stringify({ type: fc.type, ...(fc.name ? { name: fc.name } : {}) }).slice(0, -1);
  if (fc.features.length === 0) return `${head},"features":[]}\n`;
  return `${head},"features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

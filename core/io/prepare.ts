/**
 * From a read file to features ready for the store: resolve the coordinate
 * system (user's choice, else the file's declaration, else a guess from the
 * numbers), transform to EPSG:4490, fit geometries to the target layer,
 * apply the field mapping, give features without a code one derived from
 * the file, and validate against the layer schema. Every problem names the
 * file and the row / record / entity; the importer refuses the whole file
 * when there is any, so nothing is half-written.
 */
import {
  crsFromWkt,
  guessCrsFromCoordinates,
  lookupCrs,
  toProjectTransform,
  zonesNear,
  type CrsDef,
  type CrsDetection,
  type ToProject,
} from '../geo/crs';
import type { Geometry, Position } from '../model/geojson';
import type { Feature } from '../model/types';
import { layerDef, type GeometryKind, type LayerName } from '../model/schema';
import { coerceFeature } from '../model/validate';
import { compileMapping, guessMapping, type FieldMapping } from './fieldMap';
import type { SourceData, SourceFeature } from './source';

export interface PrepareOptions {
  /** User's CRS choice ('EPSG:4547', 'gcj02'…); overrides the file. */
  crs?: string;
  /** User's mapping; merged over the guessed one. */
  mapping?: FieldMapping;
  /** Year for "thisYear+10" bounds (tests). */
  year?: number;
  /** Stop after this many features (preview). */
  limit?: number;
  /** Longitude of the project (its existing features), to suggest Gauss–Krüger zones when undecided. */
  nearLon?: number;
}

export interface ImportProblem {
  where?: string;
  field?: string;
  reason: string;
}

export interface PreparedImport {
  fileName: string;
  layer: LayerName;
  crs: CrsDetection;
  mapping: FieldMapping;
  sourceFields: string[];
  features: Feature[];
  /** Features the source had before fitting (a multi-line split counts once). */
  sourceCount: number;
  problems: ImportProblem[];
  notes: string[];
}

const MAX_PROBLEMS = 200;

/** Decide the CRS: user > file declaration > coordinates. */
export function detectCrs(source: SourceData, userCrs?: string): CrsDetection {
  if (userCrs) {
    const crs = lookupCrs(userCrs);
    return crs ? { crs, source: 'user', reason: `chosen: ${crs.name}` } : { reason: `unknown coordinate system "${userCrs}"` };
  }
  if (source.crsText) {
    const crs = lookupCrs(source.crsText) ?? crsFromWkt(source.crsText);
    const shown = source.crsText.length > 120 ? source.crsText.slice(0, 117) + '…' : source.crsText;
    if (crs) return { crs, source: 'file', reason: `from ${source.crsOrigin ?? source.fileName}: ${crs.name}` };
    return {
      reason: `unknown coordinate system in ${source.crsOrigin ?? source.fileName} (${shown}); only WGS84, CGCS2000 and CGCS2000 Gauss–Krüger (EPSG:4490, 4491–4554) are known — choose one with --crs`,
    };
  }
  const guess = guessCrsFromCoordinates(sampleOf(source));
  if (!guess.crs && source.format === 'geojson' && !/zone prefix/.test(guess.reason) && sampleOf(source).every((p) => Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90)) {
    // RFC 7946: GeoJSON without a "crs" member is WGS84 lon/lat.
    return { crs: lookupCrs('EPSG:4326'), source: 'file', reason: 'GeoJSON without a "crs" member is WGS84 longitude/latitude (RFC 7946)' };
  }
  return guess;
}

function sampleOf(source: SourceData): Position[] {
  const sample: Position[] = [];
  for (const f of source.features.slice(0, 2000)) {
    eachPosition(f.geometry, (p) => sample.push(p));
    if (sample.length > 5000) break;
  }
  return sample;
}

function eachPosition(g: Geometry, visit: (p: Position) => void): void {
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') visit(c as Position);
    else for (const x of c) walk(x);
  };
  walk((g as { coordinates?: unknown }).coordinates);
}

function mapCoords(c: unknown, t: ToProject): unknown {
  if (!Array.isArray(c)) return c;
  if (typeof c[0] === 'number') return t(c as Position);
  return c.map((x) => mapCoords(x, t));
}

/**
 * Fit a geometry to the layer's kind: single-part multis are unwrapped, a
 * multi-line becomes one feature per part, a closed DXF polyline becomes a
 * polygon. Returns the pieces, or the reason it does not fit.
 */
function fitGeometry(kind: GeometryKind, g: Geometry): Geometry[] | string {
  switch (kind) {
    case 'POINT':
      if (g.type === 'Point') return [g];
      if (g.type === 'MultiPoint') return g.coordinates.map((p) => ({ type: 'Point', coordinates: p }));
      break;
    case 'LINESTRING':
      if (g.type === 'LineString') return [g];
      if (g.type === 'MultiLineString') return g.coordinates.map((c) => ({ type: 'LineString', coordinates: c }));
      break;
    case 'POLYGON':
      if (g.type === 'Polygon') return [g];
      if (g.type === 'MultiPolygon') return g.coordinates.map((c) => ({ type: 'Polygon', coordinates: c }));
      if (g.type === 'LineString' && g.coordinates.length >= 4) {
        const a = g.coordinates[0];
        const b = g.coordinates[g.coordinates.length - 1];
        if (a[0] === b[0] && a[1] === b[1]) return [{ type: 'Polygon', coordinates: [g.coordinates] }];
      }
      break;
  }
  return `${g.type} geometry cannot go into a ${kind.toLowerCase()} layer`;
}

/** A CRS-specific sanity check: a Gauss–Krüger point far outside its zone means the wrong zone was chosen. */
function positionProblem(crs: CrsDef, lonLat: [number, number]): string | null {
  const [lon, lat] = lonLat;
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return `coordinate cannot be transformed from ${crs.name} — wrong coordinate system or zone?`;
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return `transformed to (${lon.toFixed(5)}, ${lat.toFixed(5)}), not a valid longitude/latitude — wrong coordinate system?`;
  if (crs.kind === 'gauss-kruger' && (Math.abs(lon - crs.centralMeridian!) > crs.zoneWidth! || lat < 0 || lat > 60)) {
    return `transformed to (${lon.toFixed(5)}, ${lat.toFixed(5)}), far outside ${crs.name} — wrong coordinate system or zone?`;
  }
  return null;
}

export function prepareImport(source: SourceData, layer: LayerName, opts: PrepareOptions = {}): PreparedImport {
  const def = layerDef(layer);
  if (!def) throw new Error(`unknown layer ${layer}`);
  const crs = detectCrs(source, opts.crs);
  if (!crs.crs && opts.nearLon !== undefined && /zone prefix/.test(crs.reason)) {
    crs.suggestions = zonesNear(opts.nearLon);
    crs.reason += ` (the project lies in ${crs.suggestions.join(' / ')})`;
  }
  const mapping = { ...guessMapping(layer, source.fields), ...(opts.mapping ?? {}) };
  const problems: ImportProblem[] = [];
  const notes = [...source.notes];
  const features: Feature[] = [];
  const result: PreparedImport = {
    fileName: source.fileName,
    layer,
    crs,
    mapping,
    sourceFields: source.fields,
    features,
    sourceCount: source.features.length,
    problems,
    notes,
  };
  if (!crs.crs) {
    problems.push({ reason: crs.reason });
    return result;
  }
  for (const target of Object.keys(mapping)) {
    const src = mapping[target];
    if (!src.startsWith('=') && !source.fields.includes(src)) {
      problems.push({ field: target, reason: `mapped to source field "${src}", which the file does not have (fields: ${source.fields.join(', ')})` });
    }
  }
  if (problems.length) return result;
  const transform = toProjectTransform(crs.crs);
  const mapProps = compileMapping(layer, mapping);
  const stem = source.fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const year = opts.year ?? new Date().getFullYear();
  const wrongKind = new Map<string, number>();
  const seen = new Set<string>();
  const add = (p: ImportProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const limit = opts.limit ?? Infinity;
  let hinted = false;
  for (let i = 0; i < source.features.length && features.length < limit; i++) {
    const sf: SourceFeature = source.features[i];
    const pieces = fitGeometry(def.geometry, sf.geometry);
    if (typeof pieces === 'string') {
      if (source.format === 'dxf') {
        // A drawing mixes lines and symbols; the other kind belongs to another layer.
        wrongKind.set(sf.geometry.type, (wrongKind.get(sf.geometry.type) ?? 0) + 1);
        continue;
      }
      add({ where: sf.where, reason: pieces });
      continue;
    }
    const props = mapProps(sf.properties);
    const baseId = props.id !== undefined && props.id !== null && String(props.id).trim() !== '' ? String(props.id).trim() : `${stem}-${i + 1}`;
    pieces.forEach((piece, k) => {
      let bad = null as string | null;
      const geometry = mapCoords(piece.coordinates, (p) => {
        const q = transform(p);
        bad ??= positionProblem(crs.crs!, q);
        return q;
      });
      if (bad) {
        if (!hinted) {
          // Say what the numbers themselves look like: a .prj copied from another file is a common mistake.
          const guess = guessCrsFromCoordinates(sampleOf(source));
          if (guess.crs && guess.crs.code !== crs.crs!.code) bad += `; the coordinates look like ${guess.crs.code} (${guess.reason}) — try --crs ${guess.crs.code}`;
          hinted = true;
        }
        add({ where: sf.where, field: 'geometry', reason: bad });
        return;
      }
      const id = pieces.length > 1 ? `${baseId}-${k + 1}` : baseId;
      if (seen.has(id)) add({ where: sf.where, field: 'id', reason: `id "${id}" appears more than once in the file` });
      seen.add(id);
      const feature = { type: 'Feature' as const, id, geometry: { type: piece.type, coordinates: geometry } as Geometry, properties: { ...props, id } };
      for (const issue of coerceFeature(def, feature, { year }).issues) {
        add({ where: sf.where, field: issue.field, reason: issue.message });
      }
      features.push(feature);
    });
    if (pieces.length > 1) notes.push(`${sf.where}: ${pieces.length} parts imported as ${baseId}-1…${baseId}-${pieces.length}`);
  }
  if (wrongKind.size) {
    notes.push(
      `skipped ${[...wrongKind].map(([t, n]) => `${n} ${t}`).join(', ')} that do not fit the ${layer} layer (${def.geometry.toLowerCase()})`,
    );
  }
  if (features.length === 0 && problems.length === 0) {
    problems.push({ reason: `nothing in the file fits the ${layer} layer (${def.geometry.toLowerCase()})` });
  }
  if (notes.length > 50) notes.splice(50, notes.length - 50, `… and more`);
  return result;
}

/** One line per problem, naming the file: "p.shp, record 3, field dn: 210 is not one of …". */
export function formatProblem(fileName: string, p: ImportProblem): string {
  return `${fileName}${p.where ? `, ${p.where}` : ''}${p.field ? `, field ${p.field}` : ''}: ${p.reason}`;
}

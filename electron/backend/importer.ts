/**
 * Import of real-world files (Shapefile, DXF, CSV, GeoPackage, GeoJSON) on
 * the Node side: file path → bytes → the right core reader → CRS transform
 * to EPSG:4490 → field mapping → validated features for
 * `store.importFeatures`. `previewImport` is what the import wizard shows
 * before anything is written: the first features, the detected CRS, the
 * guessed mapping and every problem found.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { readCsv } from '../../core/io/csv';
import { readDxf } from '../../core/io/dxf';
import type { FieldMapping } from '../../core/io/fieldMap';
import { readGeoJsonSource } from '../../core/io/geojsonSource';
import { listGpkgLayers, readGpkgLayer, type GpkgLayerInfo } from '../../core/io/gpkgSource';
import { formatProblem, prepareImport, type PreparedImport } from '../../core/io/prepare';
import { readShapefile, shapefilesInZip, type ShapefileParts } from '../../core/io/shapefile';
import { ImportRefused, type SourceData } from '../../core/io/source';
import { isZip } from '../../core/io/zip';
import type { LayerName } from '../../core/model/schema';
import type { StoreApi } from './store/api';

export interface FileImportOptions {
  /** Coordinate system of the file when it has none or a wrong one ('EPSG:4547', 'gcj02'). */
  crs?: string;
  /** target field → source field ('=value' for a constant), over the guesses. */
  mapping?: FieldMapping;
  /** Attribute text encoding ('gbk', 'utf-8'), over .cpg / detection. */
  encoding?: string;
  /** Which table of a GeoPackage, which shapefile of a zip (its name without .shp), or which CAD layers of a DXF (comma-separated). */
  sourceLayer?: string;
  /** Append (default) or replace the layer's features, in the same transaction. */
  mode?: 'append' | 'replace';
  /** Year for "thisYear+10" bounds (tests). */
  year?: number;
  /** Longitude of the project, to suggest Gauss–Krüger zones for prefix-less coordinates (importFile takes it from the store). */
  nearLon?: number;
}

export interface ImportPreview extends PreparedImport {
  format: SourceData['format'];
  encoding?: string;
  /** Feature tables of a GeoPackage / shapefiles of a zip / CAD layers of a DXF, for the wizard's chooser. */
  sourceLayers?: string[];
  /** Number of features the full import would write. */
  total: number;
}

export type ImportFormat = SourceData['format'];

/** Which reader a path goes to, by extension, else by its first bytes. */
export function formatOf(path: string, head?: Uint8Array): ImportFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.shp' || ext === '.zip' || ext === '.dbf') return 'shapefile';
  if (ext === '.dxf') return 'dxf';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.gpkg' || ext === '.sqlite') return 'gpkg';
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (head) {
    const s = Buffer.from(head.subarray(0, 32)).toString('latin1');
    if (s.startsWith('SQLite format 3')) return 'gpkg';
    if (isZip(head)) return 'shapefile';
    if (/^\s*\{/.test(s)) return 'geojson';
    if (/^\s*0\s*\r?\n\s*SECTION/.test(s)) return 'dxf';
  }
  return undefined;
}

/** The parts next to a .shp, matched by stem without regard to case (.SHP/.DBF from old tools). */
function looseShapefile(path: string): ShapefileParts {
  const dir = dirname(path);
  const stem = basename(path, extname(path)).toLowerCase();
  const parts: ShapefileParts = {};
  for (const name of readdirSync(dir)) {
    const m = /^(.*)\.(shp|dbf|prj|cpg|shx)$/i.exec(name);
    if (m && m[1].toLowerCase() === stem) parts[m[2].toLowerCase() as keyof ShapefileParts] = readFileSync(join(dir, name));
  }
  return parts;
}

function withGpkg<T>(path: string, fileName: string, fn: (query: (sql: string, params?: unknown[]) => Record<string, unknown>[]) => T): T {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new ImportRefused(fileName, undefined, `cannot open as a GeoPackage (${(err as Error).message})`);
  }
  try {
    return fn((sql, params = []) => db.prepare(sql).all(...params) as Record<string, unknown>[]);
  } catch (err) {
    if (err instanceof ImportRefused) throw err;
    throw new ImportRefused(fileName, undefined, `damaged GeoPackage (${(err as Error).message})`);
  } finally {
    db.close();
  }
}

/** Read a file into source features (its own CRS and field names). Throws ImportRefused. */
export async function readSourceFile(path: string, opts: FileImportOptions = {}): Promise<SourceData & { sourceLayers?: string[] }> {
  const fileName = basename(path);
  if (!existsSync(path)) throw new ImportRefused(fileName, undefined, 'no such file');
  const ext = extname(path).toLowerCase();
  const format = formatOf(path, ext === '.gpkg' || ext === '.shp' ? undefined : readFileSync(path).subarray(0, 64));
  switch (format) {
    case 'shapefile': {
      if (ext === '.dbf') throw new ImportRefused(fileName, undefined, 'a .dbf alone has no geometry; open the .shp');
      if (ext === '.shp') return readShapefile(looseShapefile(path), fileName, opts);
      const groups = await shapefilesInZip(readFileSync(path), fileName);
      const stems = [...groups.keys()];
      let stem = opts.sourceLayer ?? (stems.length === 1 ? stems[0] : undefined);
      if (opts.sourceLayer && !groups.has(opts.sourceLayer)) {
        stem = stems.find((s) => basename(s) === opts.sourceLayer);
        if (!stem) throw new ImportRefused(fileName, undefined, `no shapefile "${opts.sourceLayer}" in the zip (has ${stems.join(', ')})`);
      }
      if (!stem) throw new ImportRefused(fileName, undefined, `the zip holds several shapefiles (${stems.join(', ')}); choose one`);
      const data = readShapefile(groups.get(stem)!, `${fileName}/${basename(stem)}.shp`, opts);
      return { ...data, fileName, sourceLayers: stems };
    }
    case 'dxf': {
      const data = readDxf(readFileSync(path), fileName, opts);
      const cadLayers = [...new Set(data.features.map((f) => String(f.properties.layer)))];
      if (!opts.sourceLayer) return { ...data, sourceLayers: cadLayers };
      // CAD layers separate pipes from streets and symbols: take only the chosen ones.
      const wanted = new Set(opts.sourceLayer.split(',').map((l) => l.trim()));
      const features = data.features.filter((f) => wanted.has(String(f.properties.layer)));
      if (features.length === 0) {
        throw new ImportRefused(fileName, undefined, `no usable entities on CAD layer ${[...wanted].join(', ')} (layers: ${cadLayers.join(', ')})`);
      }
      return { ...data, features, sourceLayers: cadLayers };
    }
    case 'csv':
      return readCsv(readFileSync(path), fileName, opts);
    case 'geojson':
      return readGeoJsonSource(readFileSync(path), fileName);
    case 'gpkg':
      return withGpkg(path, fileName, (query) => {
        const layers: GpkgLayerInfo[] = listGpkgLayers(query, fileName);
        return { ...readGpkgLayer(query, fileName, opts.sourceLayer), sourceLayers: layers.map((l) => l.table) };
      });
    default:
      throw new ImportRefused(fileName, undefined, `unknown file type "${ext}" (Shapefile .shp/.zip, DXF, CSV, GeoPackage, GeoJSON)`);
  }
}

/**
 * What the import wizard shows before writing: never throws for a bad file —
 * a refusal comes back as the problem list.
 */
export async function previewImport(path: string, layer: LayerName, opts: FileImportOptions & { limit?: number } = {}): Promise<ImportPreview> {
  let source: SourceData & { sourceLayers?: string[] };
  try {
    source = await readSourceFile(path, opts);
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
    return {
      fileName: basename(path),
      layer,
      format: formatOf(path) ?? 'geojson',
      crs: { reason: 'file not read' },
      mapping: {},
      sourceFields: [],
      features: [],
      sourceCount: 0,
      total: 0,
      problems: [{ where: err.where, reason: err.reason }],
      notes: [],
    };
  }
  const full = prepareImport(source, layer, opts);
  return {
    ...full,
    features: full.features.slice(0, opts.limit ?? 20),
    total: full.features.length,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    ...(source.sourceLayers ? { sourceLayers: source.sourceLayers } : {}),
  };
}

/** Read, transform, map and validate a whole file; throws ImportRefused listing the problems if there are any. */
export async function prepareFileImport(path: string, layer: LayerName, opts: FileImportOptions = {}): Promise<PreparedImport> {
  const source = await readSourceFile(path, opts);
  const prepared = prepareImport(source, layer, opts);
  if (prepared.problems.length) {
    const first = prepared.problems[0];
    const more = prepared.problems.length > 1 ? `\n${prepared.problems.slice(1, 20).map((p) => formatProblem(prepared.fileName, p)).join('\n')}${prepared.problems.length > 20 ? `\n… ${prepared.problems.length - 20} more` : ''}` : '';
    const err = new ImportRefused(prepared.fileName, first.where, `${first.field ? `field ${first.field}: ` : ''}${first.reason}${more}`);
    throw Object.assign(err, { problems: prepared.problems });
  }
  return prepared;
}

/** The whole import: refused files write nothing; a good file is written in one transaction by the store. */
export async function importFile(
  store: StoreApi,
  layer: LayerName,
  path: string,
  opts: FileImportOptions = {},
): Promise<{ inserted: number; prepared: PreparedImport }> {
  const box = store.bbox();
  const nearLon = opts.nearLon ?? (box ? (box[0] + box[2]) / 2 : undefined);
  const prepared = await prepareFileImport(path, layer, { ...opts, ...(nearLon !== undefined ? { nearLon } : {}) });
  const { inserted } = store.importFeatures(layer, prepared.features, { fileName: prepared.fileName, mode: opts.mode ?? 'append' });
  return { inserted, prepared };
}

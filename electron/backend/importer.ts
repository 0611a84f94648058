/**
 * Import of real-world files (Shapefile, DXF, CSV, GeoPackage, GeoJSON) on
 * the Node side: file path → bytes → the right core reader → CRS and datum
 * shift to EPSG:4490 → field mapping with evidence → validated features for
 * `store.importFeatures`. `previewImport` is what the import wizard and
 * `warmnet import --dry-run` show before anything is written: the first
 * features, the CRS and encoding used and why, the mapping with its
 * evidence, every bad record, curve approximations. After a real import the
 * same summary goes into the project's import log.
 */
import { message, say, type Lang } from '../../core/i18n';
import { accessSync, closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { DatumShiftDefaults } from '../../core/geo/crs';
import type { CurveTolerance } from '../../core/geo/curves';
import type { ByteSource } from '../../core/io/bytes';
import { readCsv } from '../../core/io/csv';
import { readDxf } from '../../core/io/dxf';
import type { FieldMapping } from '../../core/io/fieldMap';
import { readGeoJsonSource } from '../../core/io/geojsonSource';
import { GeoJsonStream, GeoJsonStreamError } from '../../core/io/geojsonStream';
import type { ValidationIssue } from '../../core/model/validate';
import { pushAll } from '../../core/arrays';
import { listGpkgLayers, readGpkgLayer, type GpkgLayerInfo } from '../../core/io/gpkgSource';
import { prepareImport, problemMessage, skippedCsv, type ImportSummary, type PreparedImport } from '../../core/io/prepare';
import { readShapefile, shapefilesInZip, type ShapefileParts } from '../../core/io/shapefile';
import { ImportRefused, problemsOf, type SourceData } from '../../core/io/source';
import { isZip } from '../../core/io/zip';
import { ReadGuard } from '../../core/io/limits';
import { checkGpkgViews } from './gpkgGuard';
import type { LayerName } from '../../core/model/schema';
import { DEFAULT_SETTINGS, type Settings } from '../../core/model/settings';
import type { ImportBatch, StoreApi } from './store/api';

export interface FileImportOptions {
  /** Coordinate system of the file when it has none or a wrong one ('EPSG:4547', 'gcj02', a PROJ string). */
  crs?: string;
  /** Datum shift to CGCS2000 (3 or 7 Helmert parameters), over the file's and the settings' defaults. */
  towgs84?: number[];
  /** target field → source field ('=value' for a constant), over the guesses. */
  mapping?: FieldMapping;
  /** Attribute text encoding ('gbk', 'utf-8', 'big5'), over .cpg / detection. */
  encoding?: string;
  /** Which table of a GeoPackage, which shapefile of a zip (its name without .shp), or which CAD layers of a DXF (comma-separated). */
  sourceLayer?: string;
  /** Append (default) or replace the layer's features, in the same transaction. */
  mode?: 'append' | 'replace';
  /** Leave bad records out (listed in the report) instead of refusing the file. */
  skipInvalid?: boolean;
  /** Year for "thisYear+10" bounds (tests). */
  year?: number;
  /** Longitude of the project, to suggest Gauss–Krüger zones for prefix-less coordinates (importFile takes it from the store). */
  nearLon?: number;
  /** Import settings (curve tolerance, datum shift defaults, limits); importFile takes the project's. Missing ones are the defaults. */
  settings?: Pick<Settings, 'importChordToleranceM' | 'importArcStepDeg' | 'datumShiftBeijing1954' | 'datumShiftXian1980'> & Partial<Settings>;
  /** Asked at every checkpoint of the read; true stops the import with ImportCancelled (the app's button, Ctrl-C). */
  cancelled?: () => boolean;
  /** Sanity limits (segment length, distance, text size) warn instead of refusing. */
  force?: boolean;
  /** Extent of the project's features [minLon, minLat, maxLon, maxLat], for the distance check; importFile takes it from the store. */
  projectBbox?: [number, number, number, number];
  /** Ids already in the layer (appending): reuse is a bad record. importFile takes them from the store. */
  existingIds?: ReadonlySet<string>;
  /** Prepare for a write: keep only what the store needs (see PrepareOptions.forStore). */
  forStore?: boolean;
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

/** The settings an import runs under: the given ones over the defaults. */
export function importSettings(opts: FileImportOptions): Settings {
  return opts.settings ? { ...DEFAULT_SETTINGS, ...opts.settings } : DEFAULT_SETTINGS;
}

function tolerance(opts: FileImportOptions): CurveTolerance {
  const s = importSettings(opts);
  return { chordTolerance: s.importChordToleranceM, maxStepDeg: s.importArcStepDeg };
}

function datumShifts(opts: FileImportOptions): DatumShiftDefaults {
  const s = importSettings(opts);
  return { beijing1954: s.datumShiftBeijing1954, xian1980: s.datumShiftXian1980 };
}

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

/** A file read piece by piece (a large .dbf is not held in memory whole); close it when done. */
function fileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read: (offset, target) => readSync(fd, target, 0, target.length, offset),
    close: () => closeSync(fd),
  };
}

/**
 * The parts next to a .shp, matched by stem without regard to case (.SHP/.DBF from old tools): the .shp and
 * .dbf as file sources (read piece by piece), the small parts read whole. `close` releases the files.
 */
function looseShapefile(path: string): { parts: ShapefileParts; close(): void } {
  const dir = dirname(path);
  const stem = basename(path, extname(path)).toLowerCase();
  const parts: ShapefileParts = {};
  const open: { close(): void }[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^(.*)\.(shp|dbf|prj|cpg|shx)$/i.exec(name);
    if (!m || m[1].toLowerCase() !== stem) continue;
    const ext = m[2].toLowerCase() as keyof ShapefileParts;
    if (ext === 'shp' || ext === 'dbf') {
      const src = fileSource(join(dir, name));
      open.push(src);
      parts[ext] = src;
    } else parts[ext] = readFileSync(join(dir, name));
  }
  return { parts, close: () => open.forEach((f) => f.close()) };
}

function withGpkg<T>(path: string, fileName: string, fn: (query: (sql: string, params?: unknown[]) => Record<string, unknown>[]) => T): T {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new ImportRefused(fileName, undefined, message('io.gpkg.cannotOpen', { detail: (err as Error).message }));
  }
  try {
    return fn((sql, params = []) => db.prepare(sql).all(...params) as Record<string, unknown>[]);
  } catch (err) {
    if (err instanceof ImportRefused) throw err;
    throw new ImportRefused(fileName, undefined, message('io.gpkg.damagedFile', { detail: (err as Error).message }));
  } finally {
    db.close();
  }
}

/** Read a whole file, its size checked against the limit first. */
function readWhole(path: string, guard: ReadGuard): Uint8Array {
  guard.fileSize(statSync(path).size);
  return readFileSync(path);
}

/** Read a file into source features (its own CRS and field names). Throws ImportRefused (ImportLimitExceeded, ImportCancelled). */
export async function readSourceFile(path: string, opts: FileImportOptions = {}): Promise<SourceData & { sourceLayers?: string[] }> {
  const fileName = basename(path);
  if (!existsSync(path)) throw new ImportRefused(fileName, undefined, message('io.file.missing'));
  const settings = importSettings(opts);
  const guard = new ReadGuard(fileName, settings, opts.cancelled);
  guard.check();
  const ext = extname(path).toLowerCase();
  const format = formatOf(path, ext === '.gpkg' || ext === '.shp' ? undefined : headOf(path));
  switch (format) {
    case 'shapefile': {
      if (ext === '.dbf') throw new ImportRefused(fileName, undefined, message('io.file.dbfAlone'));
      if (ext === '.shp') {
        const loose = looseShapefile(path);
        try {
          guard.fileSize((loose.parts.shp as ByteSource | undefined)?.size ?? 0);
          guard.fileSize((loose.parts.dbf as ByteSource | undefined)?.size ?? 0);
          return readShapefile(loose.parts, fileName, { ...opts, guard });
        } finally {
          loose.close();
        }
      }
      const groups = await shapefilesInZip(readWhole(path, guard), fileName, guard);
      const stems = [...groups.keys()];
      let stem = opts.sourceLayer ?? (stems.length === 1 ? stems[0] : undefined);
      if (opts.sourceLayer && !groups.has(opts.sourceLayer)) {
        stem = stems.find((s) => basename(s) === opts.sourceLayer);
        if (!stem) throw new ImportRefused(fileName, undefined, message('io.zip.noSuchShapefile', { name: opts.sourceLayer, stems: stems.join(', ') }));
      }
      if (!stem) throw new ImportRefused(fileName, undefined, message('io.zip.severalShapefiles', { stems: stems.join(', ') }));
      const data = readShapefile(groups.get(stem)!, `${fileName}/${basename(stem)}.shp`, { ...opts, guard });
      return { ...data, fileName, sourceLayers: stems };
    }
    case 'dxf': {
      const data = readDxf(readWhole(path, guard), fileName, { ...(opts.encoding ? { encoding: opts.encoding } : {}), tolerance: tolerance(opts), guard });
      const cadLayers = [...new Set(data.features.map((f) => String(f.properties.layer)))];
      if (!opts.sourceLayer) return { ...data, sourceLayers: cadLayers };
      // CAD layers separate pipes from streets and symbols: take only the chosen ones.
      const wanted = new Set(opts.sourceLayer.split(',').map((l) => l.trim()));
      const features = data.features.filter((f) => wanted.has(String(f.properties.layer)));
      if (features.length === 0) {
        throw new ImportRefused(fileName, undefined, message('io.dxf.noLayer', { layers: [...wanted].join(', '), all: cadLayers.join(', ') }));
      }
      return { ...data, features, sourceLayers: cadLayers, notes: [...data.notes, message('io.dxf.note.layers', { layers: [...wanted].join(', '), n: features.length, total: data.features.length })] };
    }
    case 'csv':
      return readCsv(readWhole(path, guard), fileName, { ...(opts.encoding ? { encoding: opts.encoding } : {}), tolerance: tolerance(opts), guard });
    case 'geojson':
      return readGeoJsonSource(readWhole(path, guard), fileName, { ...(opts.encoding ? { encoding: opts.encoding } : {}), guard });
    case 'gpkg':
      // Views the file defines are tried apart first: one that never ends is refused, not run here.
      await checkGpkgViews(path, fileName, settings);
      guard.check();
      return withGpkg(path, fileName, (query) => {
        const layers: GpkgLayerInfo[] = listGpkgLayers(query, fileName);
        return { ...readGpkgLayer(query, fileName, opts.sourceLayer, guard), sourceLayers: layers.map((l) => l.table) };
      });
    default:
      throw new ImportRefused(fileName, undefined, message('io.file.unknownType', { ext }));
  }
}

/** The first bytes of a file (to tell its kind), without reading the rest. */
function headOf(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(64);
    const n = readSync(fd, b, 0, 64, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function prepareOptions(opts: FileImportOptions) {
  const s = importSettings(opts);
  return {
    ...opts,
    datumShifts: datumShifts(opts),
    sanity: { maxSegmentM: s.importMaxSegmentM, maxDistanceKm: s.importMaxDistanceKm, maxTextBytes: s.importMaxTextBytes },
  };
}

/** What an import of a file that could not be read at all shows. */
function unreadable(path: string, layer: LayerName, err: ImportRefused): ImportPreview {
  const fileName = basename(path);
  const format = formatOf(path) ?? 'geojson';
  const said = problemsOf(err.reason);
  const problems = [{ ...(err.where ? { where: err.where } : {}), reason: say('en', said), message: said }];
  const summary: ImportSummary = {
    file: fileName,
    format,
    layer,
    records: 0,
    kinds: {},
    features: 0,
    recordsImported: 0,
    otherKinds: {},
    collectionPartsLeftOut: 0,
    crs: { reason: [] },
    mapping: [],
    rejectedGuesses: [],
    userMapping: {},
    badRecords: [],
    skipInvalid: false,
    notes: [],
  };
  return {
    fileName,
    layer,
    format,
    crs: { reason: [] },
    mapping: {},
    guesses: [],
    rejectedGuesses: [],
    sourceFields: [],
    features: [],
    coerced: [],
    year: new Date().getFullYear(),
    sourceCount: 0,
    total: 0,
    problems,
    skipped: [],
    notes: [],
    summary,
  };
}

/**
 * What the import wizard and --dry-run show before writing: never throws for
 * a bad file — a refusal comes back as the problem list.
 */
export async function previewImport(path: string, layer: LayerName, opts: FileImportOptions & { limit?: number } = {}): Promise<ImportPreview> {
  let source: SourceData & { sourceLayers?: string[] };
  try {
    source = await readSourceFile(path, opts);
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
    return unreadable(path, layer, err);
  }
  const full = prepareImport(source, layer, prepareOptions({ ...opts, limit: undefined } as FileImportOptions));
  return {
    ...full,
    features: full.features.slice(0, opts.limit ?? 20),
    // What validation made of them is for the store only; a preview does not carry it.
    coerced: [],
    total: full.features.length,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    ...(source.sourceLayers ? { sourceLayers: source.sourceLayers } : {}),
  };
}

/** The refusal of a prepared import: the first problem as the headline, every one listed below it. */
export function refusalOf(prepared: PreparedImport): ImportRefused {
  const first = prepared.problems[0];
  const head = first.field ? message('io.problem.field', { field: first.field, reason: first.message }) : first.message;
  const more = prepared.problems.slice(1).map((p) => problemMessage(prepared.fileName, p));
  const err = new ImportRefused(prepared.fileName, first.where, more.length ? message('io.refusedMore', { first: head, more: { lines: more } }) : head);
  return Object.assign(err, { problems: prepared.problems, summary: prepared.summary });
}

/** Read, transform, map and validate a whole file; throws ImportRefused listing every problem if there are any. */
export async function prepareFileImport(path: string, layer: LayerName, opts: FileImportOptions = {}): Promise<PreparedImport> {
  const source = await readSourceFile(path, opts);
  const prepared = prepareImport(source, layer, prepareOptions(opts));
  if (prepared.problems.length) throw refusalOf(prepared);
  return prepared;
}

/** Options an import into this project takes from it: its settings, its location, the ids already there. */
export function projectOptions(store: StoreApi, layer: LayerName, opts: FileImportOptions = {}): FileImportOptions {
  const box = store.bbox();
  const nearLon = opts.nearLon ?? (box ? (box[0] + box[2]) / 2 : undefined);
  return {
    settings: store.getSettings(),
    ...(box ? { projectBbox: box as [number, number, number, number] } : {}),
    ...(opts.mode === 'replace' ? {} : { existingIds: new Set(store.featureIds(layer)) }),
    ...opts,
    ...(nearLon !== undefined ? { nearLon } : {}),
  };
}

/** The import log entry of a prepared import. */
export function logEntryOf(prepared: PreparedImport, format: string) {
  const s = prepared.summary;
  return {
    sourceFile: prepared.fileName,
    format,
    records: s.records,
    recordsSkipped: prepared.skipped.length,
    ...(s.crs.code ? { crs: s.crs.code } : {}),
    // The log's text columns in English; the summary keeps the typed messages for any language.
    crsReason: say('en', s.crs.reason),
    ...(s.crs.datumShift ? { datumShift: say('en', s.crs.datumShift) } : {}),
    ...(s.encoding ? { encoding: s.encoding.encoding, encodingReason: say('en', s.encoding.reason) } : {}),
    summary: s,
  };
}

/** The whole import: refused files write nothing; a good file is written in one transaction by the store, with its log entry. */
export async function importFile(
  store: StoreApi,
  layer: LayerName,
  path: string,
  opts: FileImportOptions = {},
): Promise<{ inserted: number; prepared: PreparedImport }> {
  const prepared = await prepareFileImport(path, layer, { ...projectOptions(store, layer, opts), forStore: true });
  const { inserted } = store.importFeatures(layer, prepared.features, {
    fileName: prepared.fileName,
    mode: opts.mode ?? 'append',
    log: logEntryOf(prepared, prepared.summary.format),
    validated: { year: prepared.year, features: prepared.coerced },
  });
  return { inserted, prepared };
}

/**
 * Write the report of skipped records (CSV for a spreadsheet, JSON for
 * programs) beside the source file, or beside the project when the source's
 * folder cannot be written (a CD, a read-only share). Returns the paths.
 */
export function writeSkipReport(sourcePath: string, projectPath: string, prepared: PreparedImport, lang: Lang = 'en'): { csv: string; json: string } {
  const stem = basename(sourcePath).replace(/\.[^.]+$/, '');
  let dir = dirname(sourcePath);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    dir = dirname(projectPath);
  }
  const csv = join(dir, `${stem}.skipped.csv`);
  const json = join(dir, `${stem}.skipped.json`);
  writeFileSync(csv, skippedCsv(prepared.skipped, lang));
  writeFileSync(
    json,
    JSON.stringify({ file: prepared.fileName, layer: prepared.layer, records: prepared.summary.records, imported: prepared.summary.recordsImported, skipped: prepared.skipped }, null, 2) + '\n',
  );
  return { csv, json };
}

/** Bytes read from the disk at a time by the streamed GeoJSON reader. */
const STREAM_PIECE_BYTES = 1 << 22;

/**
 * The features of a GeoJSON FeatureCollection in batches of about
 * `batchSize`, read piece by piece (bounded memory at any size), for
 * `store.importStream`. Entries that are not features come as the batch's
 * issues; text that cannot be read on throws ImportRefused naming the file
 * (and the entry).
 */
export function* geoJsonBatches(path: string, batchSize = 5000): Generator<ImportBatch> {
  const fileName = basename(path);
  const stream = new GeoJsonStream(fileName);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fd = openSync(path, 'r');
  const piece = new Uint8Array(STREAM_PIECE_BYTES);
  let features: unknown[] = [], indexes: number[] = [];
  let issues: ValidationIssue[] = [];
  try {
    for (let offset = 0; ; ) {
      const n = readSync(fd, piece, 0, piece.length, offset);
      let text: string;
      try {
        text = decoder.decode(piece.subarray(0, n), { stream: n > 0 });
      } catch {
        throw new ImportRefused(fileName, message('io.where.nearByte', { n: offset }), message('io.geojson.notUtf8'));
      }
      offset += n;
      const r = stream.push(text);
      for (const f of r.features) {
        features.push(f.feature);
        indexes.push(f.index);
      }
      pushAll(issues, r.issues);
      if (n === 0) stream.end();
      // a piece may hold many batches: each goes out in turn (the reader's issues with the first)
      while (features.length >= batchSize || (n === 0 && (features.length || issues.length))) {
        yield { features: features.slice(0, batchSize), indexes: indexes.slice(0, batchSize), issues };
        features = features.slice(batchSize);
        indexes = indexes.slice(batchSize);
        issues = [];
      }
      if (n === 0) break;
    }
  } catch (err) {
    if (err instanceof GeoJsonStreamError) throw new ImportRefused(fileName, err.where, err.reason);
    throw err;
  } finally {
    closeSync(fd);
  }
}

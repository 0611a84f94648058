/**
 * Import of real-world files (Shapefile, DXF, CSV, GeoPackage, GeoJSON) on
 * the Node side: file path → bytes → the right core reader → CRS and datum
 * shift to EPSG:4490 → field mapping with evidence → validated features for
 * `store.importFeatures`. `previewImport` is what the import wizard and
 * `warmnet import --dry-run` show before anything is written: the first
 * features, the CRS and encoding used and why, the mapping with its
 * evidence, every bad record, curve approximations. After a real import the
 * same summary goes into the project's import log. A GeoJSON file from
 * importStreamMinBytes on is previewed (previewGeoJsonStreamed) and imported
 * (importGeoJsonStreamed) streamed, in bounded memory.
 */
import { message, say, type Lang, type Message } from '../../core/i18n';
import { accessSync, closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { isAscii } from 'node:buffer';
import Database from 'better-sqlite3';
import type { DatumShiftDefaults } from '../../core/geo/crs';
import type { CurveTolerance } from '../../core/geo/curves';
import type { ByteSource } from '../../core/io/bytes';
import { readCsv } from '../../core/io/csv';
import { readDxf } from '../../core/io/dxf';
import type { FieldMapping } from '../../core/io/fieldMap';
import { readGeoJsonSource, sourceFeatureOf } from '../../core/io/geojsonSource';
import { GeoJsonStream, GeoJsonStreamError } from '../../core/io/geojsonStream';
import type { ValidationIssue } from '../../core/model/validate';
import { pushAll } from '../../core/arrays';
import { listGpkgLayers, readGpkgLayer, type GpkgLayerInfo } from '../../core/io/gpkgSource';
import { prepareImport, problemMessage, skippedCsv, type ImportSummary, type PreparedImport } from '../../core/io/prepare';
import { readShapefile, shapefilesInZip, type ShapefileParts } from '../../core/io/shapefile';
import { ImportRefused, problemsOf, type SourceData, type SourceFeature } from '../../core/io/source';
import { isZip } from '../../core/io/zip';
import { ReadGuard } from '../../core/io/limits';
import { checkGpkgViews } from './gpkgGuard';
import { layerDef, type LayerName } from '../../core/model/schema';
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

/**
 * Bytes read from the disk at a time by the streamed GeoJSON reader. Small enough that a piece's text is an
 * ordinary young string (from 128 KiB V8 puts strings in its large-object space, ten times slower to make) and
 * that the few hundred features parsed from it at once die young.
 */
const STREAM_PIECE_BYTES = 1 << 16;

/**
 * The features of a GeoJSON FeatureCollection in batches of about
 * `batchSize`, read piece by piece (bounded memory at any size), for
 * `store.importStream`. `seen.members` is given the members beside the
 * features as they are read; `seen.anyCrs` lets a projected "crs" through
 * (for a caller that transforms the coordinates). Entries that are not features come as the batch's
 * issues; text that cannot be read on throws ImportRefused naming the file
 * (and the entry).
 */
export function* geoJsonBatches(path: string, batchSize = IMPORT_BATCH_FEATURES, seen: { members?: Record<string, unknown>; anyCrs?: boolean } = {}): Generator<ImportBatch> {
  const fileName = basename(path);
  const stream = new GeoJsonStream(fileName, { anyCrs: !!seen.anyCrs });
  // the members beside `features` (crs…), as far as read
  seen.members = stream.members;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fd = openSync(path, 'r');
  const piece = Buffer.allocUnsafe(STREAM_PIECE_BYTES);
  let features: unknown[] = [], indexes: number[] = [];
  let issues: ValidationIssue[] = [];
  try {
    for (let offset = 0; ; ) {
      const n = readSync(fd, piece, 0, piece.length, offset);
      let text: string;
      try {
        // Plain ASCII (most GeoJSON) is its own UTF-8: read as Latin-1, several times faster than decoding. A piece
        // with any other byte, and the end (which must find no character left unfinished), go through the decoder.
        const bytes = piece.subarray(0, n);
        text = n > 0 && isAscii(bytes) ? bytes.toString('latin1', 0, n) : decoder.decode(bytes, { stream: n > 0 });
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

/**
 * Features per batch of a streamed import: each batch is parsed, checked and written before the next is read,
 * so a small one keeps less alive (about 80 MB less at the peak of a million-feature import than 5000) and its
 * objects die young.
 */
export const IMPORT_BATCH_FEATURES = 1000;

/** Features a streamed import reads first to decide the coordinate system and the field mapping. */
export const IMPORT_SAMPLE_FEATURES = 10_000;

export interface StreamImportOptions extends FileImportOptions {
  /** Features read first to decide the CRS and the mapping (default IMPORT_SAMPLE_FEATURES). */
  sampleFeatures?: number;
  /** Features per batch of the full pass (each is transformed, mapped and checked, then written). */
  batchSize?: number;
}

/** Whether a file is imported streamed: GeoJSON in UTF-8 (its standard), at least `minBytes` large (setting importStreamMinBytes). */
export function streamsImport(path: string, opts: FileImportOptions, minBytes = importSettings(opts).importStreamMinBytes): boolean {
  if (opts.encoding && !/^utf-?8$/i.test(opts.encoding)) return false;
  if (opts.sourceLayer) return false;
  const ext = extname(path).toLowerCase();
  if (ext === '.gpkg' || ext === '.shp') return false;
  return formatOf(path, headOf(path)) === 'geojson' && statSync(path).size >= minBytes;
}

/** A stretch of a GeoJSON file's entries as source records (numbered from 1 in the file). */
function sourceOf(fileName: string, batch: ImportBatch, fields: Set<string>, crsText: string | undefined): SourceData {
  const features: SourceFeature[] = new Array(batch.features.length);
  for (let i = 0; i < batch.features.length; i++) features[i] = sourceFeatureOf(batch.features[i], (batch.indexes?.[i] ?? i) + 1, fields);
  return { format: 'geojson', fileName, fields: [...fields], features, ...(crsText ? { crsText, crsOrigin: message('io.origin.geojsonCrs', { file: fileName }) } : {}), notes: [], ownedPositions: true };
}

/** The decisions a streamed read takes from the file's first features, before the whole file is read. */
interface StreamPlan {
  fileName: string;
  /** The first features, prepared as a whole-file import would be (CRS and mapping with their evidence). */
  sample: PreparedImport;
  sampleCount: number;
  fields: Set<string>;
  crsText?: string;
  /** Options of the full pass: this CRS, this mapping, no other guess. */
  decided: ReturnType<typeof prepareOptions>;
  batchSize: number;
  guard: ReadGuard;
  /**
   * The file's batches for the full pass, once: the sample's, as read, then the rest of the same read (where the
   * sample was read in whole batches of batchSize), else the file read again. `close` ends the read when the full
   * pass never comes or stops early.
   */
  batches: Generator<ImportBatch>;
  close(): void;
}

/**
 * Reads the first `sampleFeatures` features and decides the coordinate system and the field mapping from them.
 * Returns the sample alone (`refused`) when it cannot decide them or has file-wide problems; its problems say why.
 * A file with no features throws ImportRefused.
 */
function planStream(path: string, layer: LayerName, full: FileImportOptions, opts: StreamImportOptions, keep: number): StreamPlan | { refused: PreparedImport } {
  const fileName = basename(path);
  const def = layerDef(layer);
  if (!def) throw new Error(`unknown layer "${layer}"`);
  const settings = importSettings(full);
  const guard = new ReadGuard(fileName, settings, opts.cancelled);
  guard.fileSize(statSync(path).size);
  const batchSize = opts.batchSize ?? IMPORT_BATCH_FEATURES;
  const want = Math.max(1, opts.sampleFeatures ?? IMPORT_SAMPLE_FEATURES);

  // The first features, and the members read before them (a "crs" comes first in GDAL's files).
  const seen: { members?: Record<string, unknown>; anyCrs: boolean } = { anyCrs: true };
  const sampleBatch: ImportBatch = { features: [], indexes: [] };
  const head = geoJsonBatches(path, Math.min(batchSize, want), seen);
  const read: ImportBatch[] = [];
  try {
    for (let r = head.next(); !r.done; r = head.next()) {
      const b = r.value;
      read.push(b);
      pushAll(sampleBatch.features as unknown[], b.features);
      pushAll(sampleBatch.indexes as number[], b.indexes ?? []);
      if (sampleBatch.features.length >= want) break;
    }
    return planFrom(path, layer, full, opts, { fileName, def, guard, batchSize, want, keep, seen, sampleBatch, head, read });
  } catch (err) {
    head.return(undefined);
    throw err;
  }
}

/** planStream's decisions from the sample read; the read goes on in the plan's batches where it can. */
function planFrom(
  path: string,
  layer: LayerName,
  full: FileImportOptions,
  opts: StreamImportOptions,
  r: { fileName: string; def: NonNullable<ReturnType<typeof layerDef>>; guard: ReadGuard; batchSize: number; want: number; keep: number; seen: { members?: Record<string, unknown> }; sampleBatch: ImportBatch; head: Generator<ImportBatch>; read: ImportBatch[] },
): StreamPlan | { refused: PreparedImport } {
  const { fileName, def, guard, batchSize, seen, sampleBatch, head, read } = r;
  const crsName = (seen.members?.crs as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  const crsText = typeof crsName === 'string' ? crsName : undefined;
  const fields = new Set<string>();
  // only the first `keep` features of the sample are kept (drawn by a preview); the rest are checked and let go
  const sample = prepareImport(sourceOf(fileName, sampleBatch, fields, crsText), layer, { ...prepareOptions({ ...full, forStore: false }), keep: r.keep });
  if (sampleBatch.features.length === 0) throw new ImportRefused(fileName, undefined, message('io.geojson.noFeatures'));
  const crs = sample.crs.crs;
  if (!crs || sample.problems.some((p) => p.fid === undefined)) {
    head.return(undefined);
    return { refused: sample };
  }

  const mapping: FieldMapping = { ...sample.mapping };
  for (const f of def.fields) if (!(f.name in mapping) && !(opts.mapping && f.name in opts.mapping)) mapping[f.name] = '=';
  const decided = prepareOptions({ ...full, crs: crs.code, mapping, forStore: false });
  // The sample's raw features are as read (its preparation copied what it transformed): the full pass takes them
  // and reads on from where the sample stopped, when they came in batches of the full pass's size.
  let batches: Generator<ImportBatch>;
  if (batchSize <= r.want) batches = readOn(read, head);
  else {
    head.return(undefined);
    batches = geoJsonBatches(path, batchSize, { anyCrs: true });
  }
  const close = () => {
    batches.return(undefined);
    head.return(undefined);
  };
  return { fileName, sample, sampleCount: sampleBatch.features.length, fields, ...(crsText ? { crsText } : {}), decided, batchSize, guard, batches, close };
}

/** The batches already read, then the rest of the read. */
function* readOn(read: ImportBatch[], rest: Generator<ImportBatch>): Generator<ImportBatch> {
  let done = false;
  try {
    while (read.length) yield read.shift()!;
    yield* rest;
    done = true;
  } finally {
    // stopped early: the read is ended (its file handle released)
    if (!done) rest.return(undefined);
  }
}

/** What the full pass of a streamed read counts over the whole file. */
interface StreamTally {
  summary: ImportSummary;
  skipped: PreparedImport['skipped'];
}

function tallyOf(plan: StreamPlan): StreamTally {
  return { summary: { ...plan.sample.summary, records: 0, kinds: {}, features: 0, recordsImported: 0, otherKinds: {}, collectionPartsLeftOut: 0, badRecords: [] }, skipped: [] };
}

/**
 * The full pass: the whole file read again piece by piece, each batch transformed and mapped with the plan's
 * decisions and checked record by record; the counts go into `tally`. Yields each batch as read and as prepared.
 */
function* preparedBatches(path: string, layer: LayerName, plan: StreamPlan, tally: StreamTally, extra: { seenIds?: Map<string, number>; forStore?: boolean } = {}): Generator<{ read: ImportBatch; prepared: PreparedImport }> {
  const { summary, skipped } = tally;
  // the mapping is the plan's whole: nothing guessed again from each batch
  const options = { ...plan.decided, mappingDecided: true, ...extra };
  for (const b of plan.batches) {
    plan.guard.check();
    const src = sourceOf(plan.fileName, b, plan.fields, plan.crsText);
    summary.records += src.features.length;
    for (const sf of src.features) plan.guard.row(sf.where ?? message('io.where.feature', { n: sf.fid }));
    const p = prepareImport(src, layer, options);
    for (const [k, n] of Object.entries(p.summary.kinds)) summary.kinds[k] = (summary.kinds[k] ?? 0) + n;
    for (const [k, n] of Object.entries(p.summary.otherKinds)) summary.otherKinds[k] = (summary.otherKinds[k] ?? 0) + n;
    summary.collectionPartsLeftOut += p.summary.collectionPartsLeftOut;
    summary.recordsImported += p.summary.recordsImported;
    summary.features += p.coerced.length;
    pushAll(skipped, p.skipped);
    yield { read: b, prepared: p };
  }
}

/** The notes of a streamed read: the sample's, that it was streamed, and the skipped records. */
function streamNotes(plan: StreamPlan, tally: StreamTally, skipInvalid: boolean | undefined): Message[] {
  const notes = [...plan.sample.summary.notes.filter((n) => n.code !== 'io.note.skipped'), message('io.note.streamed', { batch: plan.batchSize, sample: plan.sampleCount })];
  if (tally.skipped.length && skipInvalid) notes.push(message('io.note.skipped', { n: tally.skipped.length }));
  return notes;
}

/**
 * A GeoJSON import in bounded memory, written by `store.importStream` in one
 * transaction: the first `sampleFeatures` features decide the coordinate
 * system and the field mapping (with their evidence, as a whole-file import
 * says them); then the whole file is read again piece by piece, each batch
 * transformed and mapped with exactly those decisions and checked record by
 * record. Any bad record refuses the import (nothing written) with every
 * problem named by file, feature and field, unless `skipInvalid`.
 * Returns the count written and the import as prepared from the sample, its
 * summary counting the whole file.
 */
export function importGeoJsonStreamed(store: StoreApi, layer: LayerName, path: string, opts: StreamImportOptions = {}): { inserted: number; prepared: PreparedImport } {
  const full = projectOptions(store, layer, opts);
  const plan = planStream(path, layer, full, opts, 0);
  if ('refused' in plan) throw refusalOf(plan.refused);
  try {
    return importPlanned(store, layer, path, opts, plan);
  } finally {
    plan.close();
  }
}

/** importGeoJsonStreamed's write, once the plan is made. */
function importPlanned(store: StoreApi, layer: LayerName, path: string, opts: StreamImportOptions, plan: StreamPlan): { inserted: number; prepared: PreparedImport } {
  const fileName = basename(path);
  // Problems of the sample's own records: refused as a whole-file import would be.
  if (plan.sample.problems.length && !opts.skipInvalid) throw refusalOf(plan.sample);
  const tally = tallyOf(plan);
  const { summary, skipped } = tally;
  const log = { ...logEntryOf(plan.sample, 'geojson'), summary };

  function* batches(): Generator<ImportBatch> {
    // forStore: coordinates transformed where they are, only what validation made of each feature kept, and that
    // handed to the store (validated) instead of being made again there
    for (const { read: b, prepared: p } of preparedBatches(path, layer, plan as StreamPlan, tally, { forStore: true })) {
      const bad = new Set<number>();
      const issues: ValidationIssue[] = b.issues ? b.issues.slice() : [];
      for (const r of p.skipped) bad.add(r.fid);
      if (!opts.skipInvalid) {
        for (const pr of p.problems) {
          issues.push({ file: fileName, ...(pr.fid !== undefined ? { index: pr.fid - 1 } : {}), ...(pr.field ? { field: pr.field } : {}), message: pr.fid === undefined && pr.where ? `${say('en', pr.where)}: ${pr.reason}` : pr.reason });
        }
      }
      // Each written feature's place in the file, where one record made one feature.
      let indexes: number[] | undefined;
      if (p.coerced.length === p.summary.recordsImported) {
        indexes = [];
        // the records' numbers as sourceOf gave them
        for (let i = 0; i < b.features.length; i++) {
          const at = b.indexes?.[i] ?? i;
          if (!bad.has(at + 1)) indexes.push(at);
        }
        if (indexes.length !== p.coerced.length) indexes = undefined;
      }
      yield { features: [], validated: { layer, year: p.year, features: p.coerced }, ...(indexes ? { indexes } : {}), issues };
    }
    // the log entry is written after the last batch, in the same transaction: it counts the whole file
    log.records = summary.records;
    log.recordsSkipped = skipped.length;
  }

  const { inserted } = store.importStream(layer, batches(), { fileName, mode: opts.mode ?? 'append', log });
  summary.badRecords = skipped;
  summary.notes = streamNotes(plan, tally, opts.skipInvalid);
  const prepared: PreparedImport = { ...plan.sample, features: [], coerced: [], sourceCount: summary.records, problems: [], skipped, notes: summary.notes, summary };
  return { inserted, prepared };
}

/**
 * What the import wizard and --dry-run show for a file that is imported streamed, read the same way in bounded
 * memory: the decisions from the first features, then every record of the file checked with them (so the count
 * and the problem list are those of the real import, duplicate ids across the whole file included), keeping only
 * the first `limit` features to draw. Never throws for a bad file: a refusal comes back as the problem list.
 * (The store's own checks at the write, an id already in the project, are the same ones `existingIds` gives here.)
 */
export function previewGeoJsonStreamed(path: string, layer: LayerName, opts: StreamImportOptions & { limit?: number } = {}): ImportPreview {
  const limit = opts.limit ?? 20;
  let plan: ReturnType<typeof planStream>;
  try {
    // every record is checked: the limit is only on what comes back to be drawn
    const all = { ...opts, limit: undefined };
    plan = planStream(path, layer, all, all, limit);
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
    return unreadable(path, layer, err);
  }
  const asPreview = (p: PreparedImport, total: number): ImportPreview => ({ ...p, features: p.features.slice(0, limit), coerced: [], total, format: 'geojson', encoding: 'utf-8' });
  if ('refused' in plan) return asPreview(plan.refused, plan.refused.summary.features);
  const tally = tallyOf(plan);
  const features: PreparedImport['features'] = [];
  const problems: PreparedImport['problems'] = [];
  // ids across the whole file: a duplicate in a later batch is named with its first record, as a whole-file read names it
  const seenIds = new Map<string, number>();
  try {
    for (const { read, prepared: p } of preparedBatches(path, layer, plan, tally, { seenIds })) {
      // entries the reader could not take as features (checkFeature): named as a whole-file read names them
      for (const issue of read.issues ?? []) {
        const n = (issue.index ?? 0) + 1;
        const said = [message(issue.message.startsWith('"properties"') ? 'io.geojson.propertiesNotObject' : 'io.geojson.notFeature')];
        const where = issue.featureId ? message('io.where.featureId', { n, id: issue.featureId }) : message('io.where.feature', { n });
        problems.push({ where, reason: say('en', said), message: said, fid: n });
      }
      pushAll(problems, p.problems);
      for (let i = 0; i < p.features.length && features.length < limit; i++) features.push(p.features[i]);
    }
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
    return unreadable(path, layer, err);
  } finally {
    plan.close();
  }
  // in file order, as a whole-file read lists them (the file-wide ones, without a record, first)
  problems.sort((a, b) => (a.fid ?? 0) - (b.fid ?? 0));
  const { summary, skipped } = tally;
  summary.badRecords = skipped;
  summary.notes = streamNotes(plan, tally, opts.skipInvalid);
  return {
    ...plan.sample,
    features,
    coerced: [],
    sourceCount: summary.records,
    problems,
    skipped,
    notes: summary.notes,
    summary,
    total: summary.features,
    format: 'geojson',
    encoding: 'utf-8',
  };
}

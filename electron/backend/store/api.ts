/**
 * The project store's public surface. The implementation (`ProjectStore` in
 * ./index.ts) is the only writer of a project's GeoPackage file; everything
 * else — IPC handlers, the browser-mode bridge, the command line, the sample
 * generator — goes through these methods.
 */
import type { Feature, FeatureCollection, Geometry, BBox } from '../../../core/model/geojson';
import type { LayerName } from '../../../core/model/schema';
import type { ProjectData, ProjectRow, ProjectFeatureRow } from '../../../core/model/project';
import type { Settings } from '../../../core/model/settings';
import type { ViewState } from '../../../core/basemap/view';
import type { BasemapRow } from '../basemap/gpkgTiles';
import type { PipeTotals } from '../../../core/plan/info';

/** A rejected import or edit: names the file, the feature (index and id) and the field. */
export type { ValidationIssue } from '../../../core/model/validate';
import type { CoercedFeature, ValidationIssue } from '../../../core/model/validate';

export interface ImportOptions {
  /** Name shown in error messages (the source file). */
  fileName?: string;
  /** `append` (default) adds to the layer; `replace` empties it first, in the same transaction. */
  mode?: 'append' | 'replace';
  /** Position of each given feature in its file, when some entries of the file were not features. */
  indexes?: number[];
  /** Problems already found in the file (e.g. entries that are not features); reported with the rest. */
  priorIssues?: ValidationIssue[];
  /** What the importer read and decided, kept in the project's import log in the same transaction. */
  log?: ImportLogInput;
  /** The features as core's coerceFeature already made them (same order), with the year of the rules: not redone when the year is the store's. */
  validated?: { year: number; features: readonly CoercedFeature[] };
}

/** One batch of a streamed import: features in file order, with the reader's own problems (entries that are not features). */
export interface ImportBatch {
  features: readonly unknown[];
  /** Each feature's 0-based position in the file (default: counting on from the previous batch). */
  indexes?: readonly number[];
  /** Problems the reader found in this stretch of the file; reported with the rest. */
  issues?: readonly ValidationIssue[];
  /**
   * Set by an importer (never from a file's content) that already ran core's coerceFeature on this batch's
   * features: what it made of each (same order; `features` may then be empty). The store takes them instead of
   * coercing again only when they were made for this layer under this store's year of rules; otherwise it
   * coerces them again. Its own checks (an id twice in the import, an id already in the layer, every issue
   * reported) run on them either way.
   */
  validated?: ValidatedBatch;
}

/** Features as core's coerceFeature made them for a layer (ImportBatch.validated). */
export interface ValidatedBatch {
  layer: LayerName;
  /** The year whose rules validated them (`thisYear+10` bounds). */
  year: number;
  features: readonly CoercedFeature[];
}

/** One import as the importer describes it, for the import log (migration 0004). */
export interface ImportLogInput {
  sourceFile: string;
  format: string;
  records: number;
  recordsSkipped: number;
  crs?: string;
  crsReason?: string;
  datumShift?: string;
  encoding?: string;
  encodingReason?: string;
  /** The whole dry-run summary (mapping with evidence, skipped records, curve counts…). */
  summary: unknown;
}

/** A row of the import log. */
export interface ImportLogRow {
  fid: number;
  importedAt: string;
  layer: LayerName;
  mode: string;
  sourceFile: string;
  format: string;
  records: number;
  featuresWritten: number;
  recordsSkipped: number;
  crs: string | null;
  crsReason: string | null;
  datumShift: string | null;
  encoding: string | null;
  encodingReason: string | null;
  summary: Record<string, unknown>;
}

export interface FeaturePatch {
  properties?: Record<string, unknown>;
  geometry?: Geometry;
}

/** One entry of the undo journal, as the UI lists it. */
export interface JournalEntry {
  seq: number;
  label: string;
  at: string;
}

/**
 * What a write changed: the layer and the envelopes ([w, s, e, n]) of the
 * geometries before and after; `boxes` null means anything in the layer,
 * `layer` null anything at all (another program wrote the file).
 */
export interface StoreChange {
  layer: LayerName | null;
  boxes: BBox[] | null;
}

/**
 * The features written since a revision, by layer (codes before and after a
 * write that renamed one): what a reader holding that revision re-reads to
 * catch up, rather than the whole project (StoreApi.changesSince).
 */
export type FeatureChanges = { layer: LayerName; ids: string[] }[];

export interface StoreApi {
  readonly path: string;
  /** The saved view state (basemap, opacity, muted look, presentation views); not journaled, not an edit. */
  viewState(): ViewState;
  setViewState(patch: Partial<ViewState>): ViewState;
  /** The project's basemap list (migration 0010). */
  basemaps(): BasemapRow[];
  close(): void;
  /** Increases with every committed write; analyses cache on it. */
  revision(): number;
  /**
   * The features written since `revision` (re-reading them may find some unchanged), or null when
   * that cannot be told by feature: a settings write, an import, another program's write, too many
   * features, or a revision older than the store remembers.
   */
  changesSince?(revision: number): FeatureChanges | null;
  /** True when another program (QGIS, GDAL) changed the file since we last looked. */
  changedExternally(): boolean;

  listFeatures(layer: LayerName): Feature[];
  featureCollection(layer: LayerName): FeatureCollection;
  /** Pipes linked to a renovation project (in project_features or by their project_id): all that project totals need, at any size. */
  linkedPipes(): Feature[];
  getFeature(layer: LayerName, id: string): Feature | undefined;
  bbox(): BBox | null;
  /** Pipe totals for `warmnet info` and the legend, aggregated without reading whole features; `classify` is core's pipeClassKey with the settings and year bound. */
  pipeTotals(classify: (props: Record<string, unknown>) => string): PipeTotals;
  /** pipeTotals in steps: the caller may answer other requests between them, and starts again if the revision moved meanwhile. */
  pipeTotalsSteps(classify: (props: Record<string, unknown>) => string): Generator<void, PipeTotals, void>;
  /** Number of project–feature links. */
  projectLinkCount(): number;
  /** Number of features in a layer (without reading them). */
  count(layer: LayerName): number;
  /** Features whose envelope meets the box, from the spatial index; `minSize` (degrees) leaves out smaller ones, `limit` keeps the largest. */
  featuresInBox(layer: LayerName, box: BBox, minSize?: number, limit?: number): Feature[];
  /** A page of a layer's attribute rows, sorted by a schema field (default the file order) and filtered by a text in any text field or the id. */
  page(layer: LayerName, opts: { offset: number; limit: number; sort?: string; desc?: boolean; filter?: string }): { total: number; rows: Record<string, unknown>[] };
  /** Features whose id or name matches the query (case-insensitive): exact id, then prefix, then contains; from the indexes where it can. */
  search(query: string, limit: number, layers: readonly LayerName[]): { layer: LayerName; id: string; name: string | null }[];
  /** Subscribe to changes of features (edits, undo/redo, imports, other programs' writes); returns the unsubscribe. */
  onChange(fn: (change: StoreChange) => void): () => void;
  /** Everything as plain data for the analyses in core/. */
  snapshot(): ProjectData;

  /** Validate then write all features in one transaction; throws ImportError listing every issue. */
  importFeatures(layer: LayerName, features: Feature[] | FeatureCollection, opts?: ImportOptions): { inserted: number };
  /**
   * An import of any size in bounded memory: the features come in batches
   * (a streaming reader), each validated and written in turn, all in one
   * transaction with one journal entry. Every problem of every batch is
   * collected (file, feature, field); if there is any, the transaction is
   * rolled back (nothing written) and ImportError lists them all.
   */
  importStream(layer: LayerName, batches: Iterable<ImportBatch>, opts?: Pick<ImportOptions, 'fileName' | 'mode' | 'log'>): { inserted: number };
  /** Ids of a layer's features. */
  featureIds(layer: LayerName): string[];
  /** Imports recorded in the project (where each layer came from), newest first. */
  importLog(): ImportLogRow[];

  /** Journaled edits (undo/redo survive a restart). Each is one transaction. */
  insertFeature(layer: LayerName, feature: Feature, label?: string): Feature;
  updateFeature(layer: LayerName, id: string, patch: FeaturePatch, label?: string): Feature;
  deleteFeature(layer: LayerName, id: string, label?: string): void;
  /** Several edits as one journal entry and one transaction. */
  batch<T>(label: string, fn: () => T): T;
  undo(): JournalEntry | null;
  redo(): JournalEntry | null;
  journal(): { undo: JournalEntry[]; redo: JournalEntry[] };

  listProjects(): ProjectRow[];
  upsertProject(row: Partial<ProjectRow> & { id: string }): ProjectRow;
  deleteProject(id: string): void;
  projectFeatures(): ProjectFeatureRow[];
  linkFeatures(projectId: string, layer: LayerName, featureIds: string[]): void;
  unlinkFeatures(projectId: string, layer: LayerName, featureIds: string[]): void;

  getSettings(): Settings;
  setSettings(patch: Partial<Settings>): Settings;
  resetSettings(keys?: (keyof Settings)[]): Settings;
}

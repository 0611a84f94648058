/**
 * ProjectStore: one WarmNet project = one GeoPackage file, read and written
 * with better-sqlite3. The only writer of the file; every write is one
 * transaction, journaled for undo where it is an edit.
 *
 * This class only wires the rooms together, each a small file with its own tests:
 *   connection.ts  open/create, checks, migrations, transactions, revision
 *   features.ts    feature rows ⇄ GeoJSON, reads, single-row writes
 *   bulk.ts        validation of whole files and fast inserts (import, createFromData)
 *   importLog.ts   the import log
 *   journal.ts     undo/redo journal; apply.ts applies one journal operation
 *   projects.ts    renovation projects and their feature links
 *   settings.ts    engineering settings
 */
import { basename } from 'node:path';
import type { BBox, FeatureCollection } from '../../../core/model/geojson';
import { emptyLayers, type ProjectData, type ProjectFeatureRow, type ProjectRow } from '../../../core/model/project';
import { LAYERS, isLayerName, type LayerName } from '../../../core/model/schema';
import { resolveSettings, DEFAULT_SETTINGS, type Settings } from '../../../core/model/settings';
import type { Feature } from '../../../core/model/types';
import { coerceProperties, type CoercedFeature, type ValidationIssue } from '../../../core/model/validate';
import { toFeatureCollection } from '../../../core/io/geojson';
import type { FeaturePatch, ImportBatch, ImportLogRow, ImportOptions, FeatureChanges, JournalEntry, StoreApi, StoreChange } from './api';
import { applyOp } from './apply';
import { BulkLoader } from './bulk';
import { Connection, removeFileSet, type CreateOptions } from './connection';
import { ImportError, ValidationError } from './errors';
import { FeatureTables } from './features';
import { q } from './gpkg';
import { appendImportLog, readImportLog } from './importLog';
import { Journal } from './journal';
import { ProjectTables, tableDef } from './projects';
import { SettingsTable } from './settings';
import { searchFeatures, type SearchHit } from './search';
import { Summaries, type PipeClassifier } from './summary';
import type { PipeTotals } from '../../../core/plan/info';
import { ViewStateTable } from './viewState';
import { pushAll } from '../../../core/arrays';
import type { ViewState } from '../../../core/basemap/view';
import type { BasemapRow } from '../basemap/gpkgTiles';
import type { DB } from './connection';

export { ImportError, StoreOpenError, ValidationError } from './errors';
export type { CreateOptions } from './connection';

/** The rows' ids appended to `ids` (a function of its own: the loop that calls it runs once per import, mostly unoptimised). */
function pushIds(ids: string[], rows: readonly CoercedFeature[]): void {
  for (let i = 0; i < rows.length; i++) ids.push(rows[i].id);
}

export class ProjectStore implements StoreApi {
  readonly path: string;
  private readonly features: FeatureTables;
  private readonly bulk: BulkLoader;
  private readonly projects: ProjectTables;
  private readonly settings: SettingsTable;
  private readonly journalOf: Journal;
  private readonly view: ViewStateTable;
  private readonly summaries: Summaries;
  private readonly year: number;

  private constructor(
    private readonly conn: Connection,
    year?: number,
  ) {
    this.path = conn.path;
    this.year = year ?? new Date().getFullYear();
    this.features = new FeatureTables(conn, this.year);
    this.bulk = new BulkLoader(conn, this.features, this.year);
    this.projects = new ProjectTables(conn, this.year);
    this.settings = new SettingsTable(conn);
    this.view = new ViewStateTable(conn);
    this.summaries = new Summaries(conn);
    conn.setBusyTimeout(this.settings.get().storeBusyTimeoutMs);
    const tables = { features: this.features, bulk: this.bulk, projects: this.projects, settings: this.settings, replayYear: this.year + 1000 };
    this.journalOf = new Journal(conn, (op) => applyOp(tables, op));
  }

  /** Create a new, empty project file (refuses to overwrite an existing file). */
  static create(path: string, opts: CreateOptions = {}): ProjectStore {
    return new ProjectStore(Connection.create(path, opts), opts.year);
  }

  /** Open an existing project, bringing older files up to the current schema. */
  static open(path: string, opts: { year?: number } = {}): ProjectStore {
    return new ProjectStore(Connection.open(path), opts.year);
  }

  /** Create a project file holding a whole project, written in one transaction. */
  static createFromData(path: string, data: ProjectData, opts: CreateOptions = {}): ProjectStore {
    const store = ProjectStore.create(path, opts);
    try {
      store.writeProjectData(data);
      return store;
    } catch (err) {
      store.conn.db.close();
      removeFileSet(path);
      throw err;
    }
  }

  /** Delete a project file with its WAL and shared-memory companions. */
  static remove(path: string): void {
    removeFileSet(path);
  }

  // ---------------------------------------------------------------- basics

  close(): void {
    this.conn.close();
  }

  revision(): number {
    return this.conn.revision();
  }

  changesSince(revision: number): FeatureChanges | null {
    return this.conn.changesSince(revision);
  }

  changedExternally(): boolean {
    return this.conn.changedExternally();
  }

  /** The description of the project's layers in gpkg_contents (e.g. the sample-data mark), if one is shared by all. */
  description(): string | null {
    return this.conn.description();
  }

  /** Schema version of the file (number of the last migration applied). */
  schemaVersion(): number {
    return this.conn.schemaVersion();
  }

  /** A long write of tables the store does not model itself (a basemap's tile pyramid); see Connection.writeAsync. */
  writeAsync<T>(fn: (db: DB) => Promise<T>): Promise<T> {
    return this.conn.writeAsync(fn);
  }

  /** Read-only access to tables the store does not model itself (basemap tiles, registry). */
  reader(): DB {
    return this.conn.db;
  }

  /** Features whose id or name matches the query, best first; see search.ts. */
  search(query: string, limit: number, layers: readonly LayerName[]): SearchHit[] {
    return searchFeatures(this.conn, this.features, query, limit, layers);
  }

  /** Tells `fn` about every committed or rolled-forward change of features; returns the unsubscribe. */
  onChange(fn: (change: StoreChange) => void): () => void {
    return this.conn.onChange(fn);
  }

  // ---------------------------------------------------------------- view state and basemaps (0010)

  viewState(): ViewState {
    return this.view.get();
  }

  setViewState(patch: Partial<ViewState>): ViewState {
    return this.view.set(patch);
  }

  basemaps(): BasemapRow[] {
    return this.view.basemaps();
  }

  // ---------------------------------------------------------------- reading

  /** Number of features in a layer. */
  count(layer: LayerName): number {
    return this.features.count(layer);
  }

  /** One page of a layer's attribute rows; see FeatureTables.page. */
  page(layer: LayerName, opts: { offset: number; limit: number; sort?: string; desc?: boolean; filter?: string }): { total: number; rows: Record<string, unknown>[] } {
    return this.features.page(layer, opts);
  }

  /** Features whose envelope meets `box`, from the layer's spatial index; see FeatureTables.inBox. */
  featuresInBox(layer: LayerName, box: BBox, minSize = 0, limit = Infinity): Feature[] {
    return this.features.inBox(layer, box, minSize, limit);
  }

  listFeatures(layer: LayerName): Feature[] {
    return this.features.list(layer);
  }

  featureCollection(layer: LayerName): FeatureCollection {
    return toFeatureCollection(layer, this.features.list(layer));
  }

  linkedPipes(): Feature[] {
    return this.features.linkedPipes();
  }

  getFeature(layer: LayerName, id: string): Feature | undefined {
    return this.features.get(layer, id);
  }

  /** Extent of every layer, from the spatial indexes (rounded outward to float32, so it contains everything). */
  bbox(): BBox | null {
    return this.summaries.bbox();
  }

  /** Pipe totals per class key (`classify`, core's pipeClassKey) and per project year, aggregated in SQL; see summary.ts. */
  pipeTotals(classify: PipeClassifier): PipeTotals {
    return this.summaries.pipeTotals(classify);
  }

  /** pipeTotals in steps (a pause between some thousands of pipes); see summary.ts. */
  pipeTotalsSteps(classify: PipeClassifier): Generator<void, PipeTotals, void> {
    return this.summaries.pipeTotalsSteps(classify);
  }

  /** Number of rows in project_features. */
  projectLinkCount(): number {
    return this.summaries.projectLinks();
  }

  snapshot(): ProjectData {
    const layers = emptyLayers();
    for (const def of LAYERS) (layers as Record<LayerName, Feature[]>)[def.name] = this.features.list(def.name);
    return { layers, projects: this.listProjects(), projectFeatures: this.projectFeatures(), settings: this.getSettings() };
  }

  /** Ids of a layer's features (an importer checks them before writing). */
  featureIds(layer: LayerName): string[] {
    return this.features.ids(layer);
  }

  // ---------------------------------------------------------------- edits

  insertFeature(layer: LayerName, feature: Feature, label?: string): Feature {
    const c = this.features.coerceOrThrow(layer, feature);
    if (this.features.has(layer, c.id)) {
      throw new ValidationError([{ file: layer, featureId: c.id, field: 'id', message: `id "${c.id}" already exists in ${layer}` }]);
    }
    return this.journalOf.edit(label ?? `insert ${layer} ${c.id}`, () => {
      this.journalOf.record(this.features.put(layer, c, true));
      return this.features.get(layer, c.id)!;
    });
  }

  updateFeature(layer: LayerName, id: string, patch: FeaturePatch, label?: string): Feature {
    const before = this.features.get(layer, id);
    if (!before) throw new ValidationError([{ file: layer, featureId: id, message: `no feature "${id}" in ${layer}` }]);
    const props = { ...before.properties, ...(patch.properties ?? {}) };
    const c = this.features.coerceOrThrow(layer, { type: 'Feature', geometry: patch.geometry ?? before.geometry, properties: props });
    if (c.id !== id && this.features.has(layer, c.id)) {
      throw new ValidationError([{ file: layer, featureId: c.id, field: 'id', message: `id "${c.id}" already exists in ${layer}` }]);
    }
    return this.journalOf.edit(label ?? `update ${layer} ${id}`, () => {
      const inverse = this.features.put(layer, c, false, id);
      // A renamed feature is undone by removing the new id and restoring the old row.
      if (c.id !== id) this.journalOf.record([{ t: 'put', layer, feature: before }, { t: 'del', layer, id: c.id }]);
      else this.journalOf.record(inverse);
      return this.features.get(layer, c.id)!;
    });
  }

  deleteFeature(layer: LayerName, id: string, label?: string): void {
    if (!this.features.has(layer, id)) throw new ValidationError([{ file: layer, featureId: id, message: `no feature "${id}" in ${layer}` }]);
    this.journalOf.edit(label ?? `delete ${layer} ${id}`, () => this.journalOf.exec({ t: 'del', layer, id }));
  }

  batch<T>(label: string, fn: () => T): T {
    return this.journalOf.edit(label, fn);
  }

  undo(): JournalEntry | null {
    return this.journalOf.undo();
  }

  redo(): JournalEntry | null {
    return this.journalOf.redo();
  }

  journal(): { undo: JournalEntry[]; redo: JournalEntry[] } {
    return this.journalOf.list();
  }

  // ---------------------------------------------------------------- import

  importFeatures(layer: LayerName, input: Feature[] | FeatureCollection, opts: ImportOptions = {}): { inserted: number } {
    const fileName = opts.fileName ?? layer;
    if (!isLayerName(layer)) throw new ImportError(fileName, [{ file: fileName, message: `unknown layer "${layer}"` }]);
    let list = (Array.isArray(input) ? input : input?.features) as unknown[];
    if (!Array.isArray(list)) throw new ImportError(fileName, [{ file: fileName, message: 'no features array' }]);
    const existing = opts.mode === 'replace' ? new Set<string>() : new Set(this.features.ids(layer));
    const indexes = opts.indexes;
    // An importer that validated the features with this year's rules hands the results over instead of having them
    // redone (and may then send no Feature objects at all); with another year's rules they are validated again.
    const v = opts.validated;
    let given: readonly CoercedFeature[] | undefined;
    if (v && (list.length === 0 || v.features.length === list.length)) {
      if (v.year === this.year) given = v.features;
      else if (list.length === 0) list = v.features.map((c) => ({ type: 'Feature', id: c.id, geometry: c.geometry, properties: { ...c.extra, ...c.values } }));
      if (list.length === 0) list = new Array(v.features.length);
    }
    const { coerced, issues } = this.bulk.validateAll(layer, list, fileName, existing, indexes ? (i) => indexes[i] ?? i : undefined, given);
    if (opts.priorIssues?.length) {
      // The earlier issues first (no spread: there may be hundreds of thousands).
      const all = pushAll(opts.priorIssues.slice(), issues);
      issues.length = 0;
      pushAll(issues, all);
    }
    issues.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
    if (issues.length > 0) throw new ImportError(fileName, issues);
    // Journaled like an edit: undo removes what came in (and brings back what a replace removed).
    this.journalOf.edit(`import ${fileName} → ${layer}`, () => {
      if (opts.mode === 'replace') this.emptyForReplace(layer);
      this.bulk.insert(layer, coerced);
      if (coerced.length) this.journalOf.record({ t: 'delMany', layer, ids: coerced.map((c) => c.id) });
      if (opts.log) appendImportLog(this.conn, layer, opts.mode ?? 'append', coerced.length, opts.log);
    });
    return { inserted: coerced.length };
  }

  /** Inside an import's journaled edit: empties the layer, journaling what was there so undo brings it back. */
  private emptyForReplace(layer: LayerName): void {
    const old = this.features.list(layer);
    this.conn.db.prepare(`DELETE FROM ${q(layer)}`).run();
    this.conn.emitChange(layer, null);
    if (old.length) this.journalOf.record({ t: 'putMany', layer, features: old });
  }

  /**
   * A stream batch's features, and what coerceFeature made of them where the importer says so for this layer and
   * this store's year (ImportBatch.validated); with another layer or year they are coerced again, from the
   * features or, where the importer sent none, from what it made of them.
   */
  private batchFeatures(layer: LayerName, batch: ImportBatch): { list: readonly unknown[]; coerced?: readonly CoercedFeature[] } {
    const v = batch.validated;
    if (!v || (batch.features.length !== 0 && batch.features.length !== v.features.length)) return { list: batch.features };
    if (v.layer === layer && v.year === this.year) return { list: batch.features.length ? batch.features : new Array(v.features.length), coerced: v.features };
    if (batch.features.length) return { list: batch.features };
    return { list: v.features.map((c) => ({ type: 'Feature', id: c.id, geometry: c.geometry, properties: { ...c.extra, ...c.values } })) };
  }

  importStream(layer: LayerName, batches: Iterable<ImportBatch>, opts: Pick<ImportOptions, 'fileName' | 'mode' | 'log'> = {}): { inserted: number } {
    const fileName = opts.fileName ?? layer;
    if (!isLayerName(layer)) throw new ImportError(fileName, [{ file: fileName, message: `unknown layer "${layer}"` }]);
    const existing = opts.mode === 'replace' ? new Set<string>() : new Set(this.features.ids(layer));
    const seen = new Map<string, number>();
    const issues: ValidationIssue[] = [];
    const ids: string[] = [];
    let offset = 0;
    const refused = new Error('import refused');
    try {
      this.journalOf.edit(`import ${fileName} → ${layer}`, () => {
        if (opts.mode === 'replace') this.emptyForReplace(layer);
        const load = this.bulk.begin(layer, true);
        for (const batch of batches) {
          const at = offset, given = batch.indexes;
          const { list, coerced } = this.batchFeatures(layer, batch);
          const r = this.bulk.validateBatch(layer, list, fileName, existing, seen, given ? (i) => given[i] : (i) => at + i, coerced);
          offset = given?.length ? given[given.length - 1] + 1 : offset + list.length;
          if (batch.issues?.length) pushAll(issues, batch.issues);
          pushAll(issues, r.issues);
          // after the first problem nothing more is written (it will all be rolled back), but every batch is still checked
          if (issues.length > 0) continue;
          load.add(r.coerced);
          pushIds(ids, r.coerced);
        }
        if (issues.length > 0) throw refused;
        load.finish();
        if (ids.length) this.journalOf.record({ t: 'delMany', layer, ids });
        if (opts.log) appendImportLog(this.conn, layer, opts.mode ?? 'append', ids.length, opts.log);
      });
    } catch (err) {
      if (err === refused) {
        issues.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
        throw new ImportError(fileName, issues);
      }
      throw err;
    }
    return { inserted: ids.length };
  }

  /** Imports recorded in the project, newest first. */
  importLog(): ImportLogRow[] {
    return readImportLog(this.conn);
  }

  /** Write a whole project (createFromData): validate everything, then one transaction. */
  private writeProjectData(data: ProjectData): void {
    const issues: ValidationIssue[] = [];
    const perLayer: [LayerName, CoercedFeature[]][] = [];
    for (const def of LAYERS) {
      const list = (data.layers as Record<string, unknown[]>)[def.name] ?? [];
      const r = this.bulk.validateAll(def.name, list, def.name, new Set());
      pushAll(issues, r.issues);
      perLayer.push([def.name, r.coerced]);
    }
    const projects = (data.projects ?? []).map((row, index) => {
      const r = coerceProperties(tableDef('projects'), row as unknown as Record<string, unknown>, { year: this.year });
      pushAll(issues, r.issues.map((i) => ({ ...i, file: 'projects', index, featureId: row.id })));
      return r.values;
    });
    (data.projectFeatures ?? []).forEach((link, index) => {
      if (!isLayerName(link.layer)) issues.push({ file: 'project_features', index, field: 'layer', message: `unknown layer "${link.layer}"` });
    });
    if (issues.length > 0) throw new ImportError(basename(this.path), issues);
    this.conn.write(() => {
      for (const [layer, rows] of perLayer) this.bulk.insert(layer, rows);
      for (const p of projects) this.projects.write(p);
      this.projects.link(data.projectFeatures ?? []);
      if (data.settings) {
        const put = this.conn.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
        for (const [k, v] of Object.entries(resolveSettings(data.settings as unknown as Record<string, unknown>))) put.run(k, JSON.stringify(v));
      }
    });
  }

  // ---------------------------------------------------------------- projects

  listProjects(): ProjectRow[] {
    return this.projects.list();
  }

  upsertProject(row: Partial<ProjectRow> & { id: string }): ProjectRow {
    const full = this.projects.complete(row);
    this.journalOf.edit(`project ${row.id}`, () => this.journalOf.exec({ t: 'putProject', row: full }));
    return this.projects.get(row.id)!;
  }

  deleteProject(id: string): void {
    this.journalOf.edit(`delete project ${id}`, () => this.journalOf.exec({ t: 'delProject', id }));
  }

  projectFeatures(): ProjectFeatureRow[] {
    return this.projects.links();
  }

  linkFeatures(projectId: string, layer: LayerName, featureIds: string[]): void {
    if (!this.projects.get(projectId)) throw new ValidationError([{ file: 'projects', featureId: projectId, message: `no project "${projectId}"` }]);
    if (!isLayerName(layer)) throw new ValidationError([{ field: 'layer', message: `unknown layer "${layer}"` }]);
    const missing = featureIds.filter((id) => !this.features.has(layer, id));
    if (missing.length) throw new ValidationError(missing.map((id) => ({ file: layer, featureId: id, message: `no feature "${id}" in ${layer}` })));
    this.journalOf.edit(`link ${projectId}`, () => this.journalOf.exec({ t: 'link', links: featureIds.map((feature_id) => ({ project_id: projectId, layer, feature_id })) }));
  }

  unlinkFeatures(projectId: string, layer: LayerName, featureIds: string[]): void {
    this.journalOf.edit(`unlink ${projectId}`, () => this.journalOf.exec({ t: 'unlink', links: featureIds.map((feature_id) => ({ project_id: projectId, layer, feature_id })) }));
  }

  // ---------------------------------------------------------------- settings

  getSettings(): Settings {
    return this.settings.get();
  }

  setSettings(patch: Partial<Settings>): Settings {
    this.settings.check(patch);
    this.journalOf.edit('settings', () => this.journalOf.exec({ t: 'settings', values: patch as Record<string, unknown> }));
    return this.settings.get();
  }

  resetSettings(keys?: (keyof Settings)[]): Settings {
    const values: Record<string, unknown> = {};
    for (const k of keys ?? (Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[])) values[k] = DEFAULT_SETTINGS[k];
    this.journalOf.edit('reset settings', () => this.journalOf.exec({ t: 'settings', values }));
    return this.settings.get();
  }
}

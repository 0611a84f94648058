/**
 * A shared project opened live in the app: the handlers read and edit it
 * through the same StoreApi as a GeoPackage project, and the server stays
 * the one truth.
 *
 * Reads come from a working copy in a private temporary GeoPackage, loaded
 * from one consistent server snapshot (REPEATABLE READ) and kept in step with
 * the server: others' committed edits arrive by LISTEN/NOTIFY and are written
 * into the copy as they are announced, so tiles, tables, the inspector and
 * every analysis run unchanged on it. An edit runs the same editing code on
 * the copy (one journal entry), then the features it touched go to the
 * server in one transaction, each against the version it was read at; a
 * newer version on the server makes it a Conflict: the copy is put back,
 * nothing is written, and the conflict goes to the user. Undo takes back the
 * user's own newest edit on the server (PgStore.undo), never another's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BBox, FeatureCollection } from '../../../../core/model/geojson';
import type { Feature } from '../../../../core/model/types';
import { isLayerName, type LayerName } from '../../../../core/model/schema';
import type { ProjectData, ProjectFeatureRow, ProjectRow } from '../../../../core/model/project';
import type { Settings } from '../../../../core/model/settings';
import type { PipeTotals } from '../../../../core/plan/info';
import type { ViewState } from '../../../../core/basemap/view';
import type { BasemapRow } from '../../basemap/gpkgTiles';
import type { FeaturePatch, ImportBatch, ImportLogRow, ImportOptions, JournalEntry, StoreApi, StoreChange } from '../api';
import { ProjectStore } from '../index';
import type { LiveInfo } from '../../shared.contract';
import { PgStore, sameFeature, type ChangeEvent, type Conflict, type LiveChange, type Resolution } from './store';

/** An edit the server refused as a conflict: the bridge carries `code` and the conflict in `params`. */
export class ConflictError extends Error {
  readonly code = 'conflict';
  readonly params: { conflict: Conflict; layer: string; id: string };
  constructor(conflict: Conflict) {
    super(`${conflict.layer} "${conflict.id}" was changed on the server since you read it (version ${conflict.baseVersion ?? '—'} → ${conflict.theirVersion ?? 'deleted'}): choose mine, theirs or a value per field`);
    this.name = 'ConflictError';
    this.params = { conflict, layer: conflict.layer, id: conflict.id };
  }
}

/** Something a live shared project does not take from the app (yet): named, with where to do it instead. */
export class LiveRefusal extends Error {
  readonly code = 'shared_refused';
  readonly params: { what: 'projects' | 'settings' | 'import' | 'other'; detail: string };
  constructor(what: LiveRefusal['params']['what'], detail: string) {
    super(`${detail}: not available on a shared project opened live; check the project out, do it in the copy and check it in`);
    this.name = 'LiveRefusal';
    this.params = { what, detail };
  }
}

/** Undo refused because someone else changed the feature since. */
export class UndoRefused extends Error {
  readonly code = 'undo_conflict';
  readonly params: { layer: string; id: string };
  constructor(c: Conflict) {
    super(`cannot undo: ${c.layer} "${c.id}" was changed on the server by someone else since your edit`);
    this.name = 'UndoRefused';
    this.params = { layer: c.layer, id: c.id };
  }
}


const key = (layer: string, id: string) => `${layer}/${id}`;

/** The working copy as the handlers see it: reads pass through; writes only inside a live save (they are recorded). */
class RecordingStore implements StoreApi {
  /** Features touched by the save in progress, with their state before it (null: did not exist); null outside a save. */
  touched: Map<string, { layer: LayerName; id: string; before: Feature | null }> | null = null;
  constructor(private readonly copy: ProjectStore) {}

  private touch(layer: LayerName, id: string): void {
    if (!this.touched) throw new LiveRefusal('other', `write to ${layer} "${id}"`);
    const k = key(layer, id);
    if (!this.touched.has(k)) this.touched.set(k, { layer, id, before: (this.copy.getFeature(layer, id) as Feature | undefined) ?? null });
  }

  get path() {
    return this.copy.path;
  }
  viewState(): ViewState {
    return this.copy.viewState();
  }
  setViewState(patch: Partial<ViewState>): ViewState {
    return this.copy.setViewState(patch);
  }
  basemaps(): BasemapRow[] {
    return this.copy.basemaps();
  }
  close(): void {
    /* LiveProject.close closes the copy */
  }
  revision(): number {
    return this.copy.revision();
  }
  changedExternally(): boolean {
    return this.copy.changedExternally();
  }
  listFeatures(layer: LayerName): Feature[] {
    return this.copy.listFeatures(layer);
  }
  featureCollection(layer: LayerName): FeatureCollection {
    return this.copy.featureCollection(layer);
  }
  linkedPipes(): Feature[] {
    return this.copy.linkedPipes();
  }
  getFeature(layer: LayerName, id: string): Feature | undefined {
    return this.copy.getFeature(layer, id);
  }
  bbox(): BBox | null {
    return this.copy.bbox();
  }
  pipeTotals(classify: (props: Record<string, unknown>) => string): PipeTotals {
    return this.copy.pipeTotals(classify);
  }
  pipeTotalsSteps(classify: (props: Record<string, unknown>) => string): Generator<void, PipeTotals, void> {
    return this.copy.pipeTotalsSteps(classify);
  }
  projectLinkCount(): number {
    return this.copy.projectLinkCount();
  }
  count(layer: LayerName): number {
    return this.copy.count(layer);
  }
  featuresInBox(layer: LayerName, box: BBox, minSize?: number, limit?: number): Feature[] {
    return this.copy.featuresInBox(layer, box, minSize, limit);
  }
  page(layer: LayerName, opts: { offset: number; limit: number; sort?: string; desc?: boolean; filter?: string }) {
    return this.copy.page(layer, opts);
  }
  search(query: string, limit: number, layers: readonly LayerName[]) {
    return this.copy.search(query, limit, layers);
  }
  onChange(fn: (change: StoreChange) => void): () => void {
    return this.copy.onChange(fn);
  }
  snapshot(): ProjectData {
    return this.copy.snapshot();
  }
  importFeatures(layer: LayerName, _features: Feature[] | FeatureCollection, _opts?: ImportOptions): { inserted: number } {
    throw new LiveRefusal('import', `import into ${layer}`);
  }
  importStream(layer: LayerName, _batches: Iterable<ImportBatch>, _opts?: Pick<ImportOptions, 'fileName' | 'mode' | 'log'>): { inserted: number } {
    throw new LiveRefusal('import', `import into ${layer}`);
  }
  featureIds(layer: LayerName): string[] {
    return this.copy.featureIds(layer);
  }
  importLog(): ImportLogRow[] {
    return this.copy.importLog();
  }
  insertFeature(layer: LayerName, feature: Feature, label?: string): Feature {
    this.touch(layer, String(feature.properties?.id ?? feature.id));
    return this.copy.insertFeature(layer, feature, label);
  }
  updateFeature(layer: LayerName, id: string, patch: FeaturePatch, label?: string): Feature {
    this.touch(layer, id);
    const renamed = patch.properties?.id;
    if (typeof renamed === 'string' && renamed !== id) this.touch(layer, renamed);
    return this.copy.updateFeature(layer, id, patch, label);
  }
  deleteFeature(layer: LayerName, id: string, label?: string): void {
    this.touch(layer, id);
    this.copy.deleteFeature(layer, id, label);
  }
  batch<T>(label: string, fn: () => T): T {
    return this.copy.batch(label, fn);
  }
  undo(): JournalEntry | null {
    throw new LiveRefusal('other', 'undo of the working copy');
  }
  redo(): JournalEntry | null {
    throw new LiveRefusal('other', 'redo');
  }
  journal(): { undo: JournalEntry[]; redo: JournalEntry[] } {
    return { undo: [], redo: [] };
  }
  listProjects(): ProjectRow[] {
    return this.copy.listProjects();
  }
  upsertProject(row: Partial<ProjectRow> & { id: string }): ProjectRow {
    throw new LiveRefusal('projects', `renovation project ${row.id}`);
  }
  deleteProject(id: string): void {
    throw new LiveRefusal('projects', `renovation project ${id}`);
  }
  projectFeatures(): ProjectFeatureRow[] {
    return this.copy.projectFeatures();
  }
  linkFeatures(projectId: string): void {
    throw new LiveRefusal('projects', `links of renovation project ${projectId}`);
  }
  unlinkFeatures(projectId: string): void {
    throw new LiveRefusal('projects', `links of renovation project ${projectId}`);
  }
  getSettings(): Settings {
    return this.copy.getSettings();
  }
  setSettings(): Settings {
    throw new LiveRefusal('settings', 'settings');
  }
  resetSettings(): Settings {
    throw new LiveRefusal('settings', 'settings');
  }
}

export class LiveProject {
  /** What the handlers use: the working copy, writes only through `save`. */
  readonly store: StoreApi;
  /** Server events heard, newest last (the dialog lists them). */
  readonly heard: (ChangeEvent & { at: string })[] = [];
  private readonly recorder: RecordingStore;
  private readonly versions = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();
  private pending = new Map<string, ChangeEvent>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private closed = false;

  private constructor(
    readonly pg: PgStore,
    private readonly copy: ProjectStore,
    private readonly dir: string,
    readonly info: LiveInfo,
  ) {
    this.recorder = new RecordingStore(copy);
    this.store = this.recorder;
  }

  /** Connect, read one consistent snapshot into a private working copy, and start listening. */
  static async open(url: string, opts: { user?: string; year?: number } = {}): Promise<LiveProject> {
    const pg = await PgStore.open(url, opts);
    let dir = '';
    try {
      const role = await pg.role();
      const description = await pg.description();
      const { data, versions } = await pg.snapshotVersioned();
      dir = mkdtempSync(join(tmpdir(), 'warmnet-live-'));
      const copy = ProjectStore.createFromData(join(dir, `${pg.target.schema}.gpkg`), data, { ...(description ? { description } : {}), ...(opts.year ? { year: opts.year } : {}) });
      const live = new LiveProject(pg, copy, dir, { url: pg.target.display, schema: pg.target.schema, user: pg.user, role });
      for (const [layer, m] of Object.entries(versions)) for (const [id, v] of Object.entries(m)) live.versions.set(key(layer, id), v);
      live.stopListening = await pg.listen((e) => live.heardEvent(e));
      return live;
    } catch (err) {
      await pg.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** One server conversation at a time (one client, one transaction at a time). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The server version the copy holds of a feature (tests and conflicts). */
  version(layer: LayerName, id: string): number | undefined {
    return this.versions.get(key(layer, id));
  }

  /**
   * Run an edit (the same code as on a GeoPackage project) on the working
   * copy as one journal entry, then save what it touched on the server in one
   * transaction. A conflict or a refusal puts the copy back and throws.
   */
  save<T>(fn: (store: StoreApi) => T): Promise<T> {
    return this.serial(async () => {
      const touched = new Map<string, { layer: LayerName; id: string; before: Feature | null }>();
      this.recorder.touched = touched;
      let value: T;
      let label: string;
      try {
        const before = this.copy.journal().undo[0]?.seq;
        value = fn(this.recorder);
        const top = this.copy.journal().undo[0];
        label = top && top.seq !== before ? top.label : 'edit';
      } finally {
        this.recorder.touched = null;
      }
      const changes: LiveChange[] = [];
      for (const t of touched.values()) {
        const after = (this.copy.getFeature(t.layer, t.id) as Feature | undefined) ?? null;
        if (t.before === null && after === null) continue;
        if (t.before && after && sameFeature(t.layer, t.before, after)) continue;
        changes.push({ layer: t.layer, id: t.id, before: t.before, after, baseVersion: t.before ? (this.versions.get(key(t.layer, t.id)) ?? null) : null });
      }
      if (changes.length === 0) return value;
      let result;
      try {
        result = await this.pg.saveChanges(label, changes);
      } catch (err) {
        this.copy.undo();
        throw err;
      }
      if (!result.ok) {
        // Put the copy back, then show the server's rows (theirs) on the map.
        this.copy.undo();
        await this.pull(changes.map((c) => ({ layer: c.layer, id: c.id })));
        throw new ConflictError(result.conflict);
      }
      for (const [k, v] of Object.entries(result.versions)) {
        if (v === null) this.versions.delete(k);
        else this.versions.set(k, v);
      }
      return value;
    });
  }

  /**
   * The fields of a form the user changed (against `base`, the values as the
   * form read them). A changed field that the working copy (the server, as
   * last heard) no longer holds at its `base` value was changed by someone
   * else meanwhile: a Conflict listing those fields, nothing saved.
   */
  ownChanges(layer: LayerName, id: string, properties: Record<string, unknown>, base: Record<string, unknown>): Record<string, unknown> {
    const now = this.copy.getFeature(layer, id) as Feature | undefined;
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const changed = Object.fromEntries(Object.entries(properties).filter(([k, v]) => !same(v, base[k])));
    if (!now) return changed;
    const clashes = Object.keys(changed)
      .filter((k) => !same(now.properties[k], base[k]) && !same(now.properties[k], changed[k]))
      .map((k) => ({ field: k, mine: changed[k] ?? null, theirs: now.properties[k] ?? null, base: base[k] ?? null }));
    if (clashes.length > 0) {
      const v = this.versions.get(key(layer, id)) ?? null;
      const mine = { ...now, properties: { ...now.properties, ...changed } } as Feature;
      throw new ConflictError({ layer, id, kind: 'changed', baseVersion: v, theirVersion: v, fields: clashes, mine, theirs: now });
    }
    return changed;
  }

  /** Save a conflict as the user resolved it, then bring the copy up to the server's row. */
  resolve(conflict: Conflict, choice: Resolution): Promise<{ saved: boolean; conflict?: Conflict }> {
    return this.serial(async () => {
      if (!isLayerName(conflict.layer)) throw new LiveRefusal(conflict.layer === 'projects' ? 'projects' : 'settings', `${conflict.layer} ${conflict.id}`);
      const layer = conflict.layer;
      let r;
      try {
        r = await this.pg.resolve(conflict, choice, `resolve ${conflict.layer} ${conflict.id}`);
      } catch (err) {
        if ((err as { code?: unknown }).code === '42501') throw new ResolveRefused(this.info.user);
        throw err;
      }
      await this.pull([{ layer, id: conflict.id }]);
      return r.ok ? { saved: true } : { saved: false, conflict: r.conflict };
    });
  }

  /** Undo this user's newest edit on the server (never another's), and bring the copy in step. */
  undo(): Promise<JournalEntry | null> {
    return this.serial(async () => {
      const r = await this.pg.undo();
      if ('conflict' in r) throw new UndoRefused(r.conflict);
      if (r.undone === 0) return null;
      await this.pull(r.features);
      return { seq: 0, label: r.label ?? 'edit', at: new Date().toISOString() };
    });
  }

  /** This user's edits on the server that undo can take back, newest first. */
  journal(): Promise<{ undo: JournalEntry[]; redo: JournalEntry[] }> {
    return this.serial(async () => ({ undo: await this.pg.ownEdits(20), redo: [] }));
  }

  /** Others' events are gathered for a moment and pulled together. */
  private heardEvent(e: ChangeEvent): void {
    if (this.closed) return;
    this.heard.push({ ...e, at: new Date().toISOString() });
    if (this.heard.length > 1000) this.heard.splice(0, this.heard.length - 1000);
    this.pending.set(key(e.layer, e.id), e);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      const events = [...this.pending.values()];
      this.pending.clear();
      void this.serial(() => this.pull(events.filter((x) => this.isNews(x)).map((x) => ({ layer: x.layer as LayerName, id: x.id })))).catch((err: Error) => {
        console.error(`warmnet: could not bring ${this.info.url} in step: ${err.message}`);
      });
    }, 20);
  }

  /** An event the copy does not reflect yet (our own saves come back as events too). */
  private isNews(e: ChangeEvent): boolean {
    if (!isLayerName(e.layer)) return false;
    const have = this.versions.get(key(e.layer, e.id));
    if (e.op === 'delete') return have !== undefined || this.copy.getFeature(e.layer as LayerName, e.id) !== undefined;
    return have === undefined || have < e.version;
  }

  /** Write the server's current rows of these features into the working copy (one journal entry of the copy). */
  private async pull(list: { layer: LayerName; id: string }[]): Promise<void> {
    if (list.length === 0 || this.closed) return;
    const rows: { layer: LayerName; id: string; cur: { feature: Feature; version: number } | undefined }[] = [];
    for (const f of list) rows.push({ ...f, cur: await this.pg.getFeature(f.layer, f.id) });
    if (this.closed) return;
    this.copy.batch('server', () => {
      for (const { layer, id, cur } of rows) {
        const mine = this.copy.getFeature(layer, id) as Feature | undefined;
        if (!cur) {
          if (mine) this.copy.deleteFeature(layer, id);
          this.versions.delete(key(layer, id));
          continue;
        }
        if (!mine) this.copy.insertFeature(layer, cur.feature);
        else if (!sameFeature(layer, mine, cur.feature)) this.copy.updateFeature(layer, id, { properties: cur.feature.properties as Record<string, unknown>, geometry: cur.feature.geometry });
        this.versions.set(key(layer, id), cur.version);
      }
    });
  }

  /** Wait for the server work queued so far (tests, and before closing). */
  async settled(): Promise<void> {
    while (this.flushTimer || this.pending.size) await new Promise((r) => setTimeout(r, 10));
    await this.serial(async () => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.settled().catch(() => undefined);
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.stopListening?.().catch(() => undefined);
    await this.pg.close();
    this.copy.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A resolution the server refused for lack of the editor role. */
class ResolveRefused extends Error {
  readonly code = 'not_permitted';
  constructor(user: string) {
    super(`saving refused for user ${user}: this role may only view the project`);
  }
}

/** The live project a dispatcher serves instead of its GeoPackage, when one is open. */
export class LiveSlot {
  current: LiveProject | null = null;
}

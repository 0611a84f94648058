/**
 * ProjectStore: one WarmNet project = one GeoPackage file, read and written
 * with better-sqlite3. The only writer of the file; every write is one
 * transaction, journaled for undo where it is an edit.
 */
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeGpkgGeometry, encodeGpkgGeometry, envelopeOf } from '../../../core/geo/gpkgGeometry';
import { lineLengthM } from '../../../core/geo/length';
import type { BBox, FeatureCollection, Geometry, Position } from '../../../core/model/geojson';
import { emptyLayers, type ProjectData, type ProjectFeatureRow, type ProjectRow } from '../../../core/model/project';
import {
  EXTRA_COLUMN,
  LAYERS,
  TABLES,
  isLayerName,
  layerDef,
  type FieldDef,
  type LayerDef,
  type LayerName,
  type TableDef,
} from '../../../core/model/schema';
import { DEFAULT_SETTINGS, resolveSettings, type Settings } from '../../../core/model/settings';
import type { Feature } from '../../../core/model/types';
import { coerceFeature, coerceProperties, type CoercedFeature, type ValidationIssue } from '../../../core/model/validate';
import { toFeatureCollection } from '../../../core/io/geojson';
import type { FeaturePatch, ImportLogInput, ImportLogRow, ImportOptions, JournalEntry, StoreApi } from './api';
import { ImportError, StoreOpenError, ValidationError } from './errors';
import {
  GPKG_APPLICATION_ID,
  columnFields,
  q,
  registerGpkgFunctions,
  rtreeInsertTriggerDdl,
  rtreeName,
} from './gpkg';
import { bulkLoadRtree } from './rtreeBulk';
import { LATEST_VERSION, MIGRATIONS_TABLE, appliedVersion, migrate } from './migrations/index';

export { ImportError, StoreOpenError, ValidationError } from './errors';

type DB = Database.Database;
type Value = string | number | boolean | null;

/** From this many rows on, an import packs the spatial index instead of inserting box by box. */
const BULK_RTREE_MIN_ROWS = 500;
/** Rows per multi-row INSERT in bulk loads (19 columns × 32 stays under SQLite's 32766 variables). */
const BULK_ROWS = 32;
/** Undo steps kept in the file; older ones are dropped. */
const JOURNAL_KEEP = 500;

/** One reversible operation of the undo journal. */
type Op =
  | { t: 'put'; layer: LayerName; feature: Feature }
  | { t: 'del'; layer: LayerName; id: string }
  | { t: 'putMany'; layer: LayerName; features: Feature[] }
  | { t: 'delMany'; layer: LayerName; ids: string[] }
  | { t: 'putProject'; row: ProjectRow }
  | { t: 'delProject'; id: string }
  | { t: 'link'; links: ProjectFeatureRow[] }
  | { t: 'unlink'; links: ProjectFeatureRow[] }
  | { t: 'settings'; values: Record<string, unknown> };

/** Per-layer SQL, prepared once per connection. */
interface LayerSql {
  def: LayerDef;
  fields: FieldDef[];
  hasLength: boolean;
  select: Database.Statement;
  selectOne: Database.Statement;
  insert: Database.Statement;
  update: Database.Statement;
  remove: Database.Statement;
  exists: Database.Statement;
  ids: Database.Statement;
}

export interface CreateOptions {
  /** Stop after this migration (tests of the migration path). */
  migrateTo?: number;
  /** Text for gpkg_contents.description of every layer (e.g. "示例数据，非实测"). */
  description?: string;
  /** Year for validation of `thisYear+10` bounds (defaults to now). */
  year?: number;
}

/** Geometry blobs come from Node's buffer pool: a fresh ArrayBuffer per row costs more than the row. */
const allocBlob = (bytes: number): Uint8Array => Buffer.allocUnsafe(bytes);

function bindValue(f: FieldDef, v: Value | undefined): Value {
  if (v === undefined || v === null) return null;
  if (f.type === 'bool') return v ? 1 : 0;
  return v;
}

function removeFileSet(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(p, { force: true });
}

export class ProjectStore implements StoreApi {
  readonly path: string;
  private readonly db: DB;
  private readonly layers = new Map<LayerName, LayerSql>();
  private rev = 0;
  private lastDataVersion: number;
  /** Inverse operations of the edit in progress (null outside an edit). */
  private pending: Op[] | null = null;
  private readonly year: number;

  private constructor(path: string, db: DB, year?: number) {
    this.path = path;
    this.db = db;
    this.year = year ?? new Date().getFullYear();
    for (const def of LAYERS) this.layers.set(def.name, this.prepareLayer(def));
    this.lastDataVersion = this.dataVersion();
  }

  /** Create a new, empty project file (refuses to overwrite an existing file). */
  static create(path: string, opts: CreateOptions = {}): ProjectStore {
    if (existsSync(path)) throw new StoreOpenError(path, 'already exists; refusing to overwrite it');
    let db: DB | undefined;
    try {
      db = new Database(path);
      // Larger pages: fewer B-tree splits on bulk loads; any page size is valid GeoPackage.
      db.pragma('page_size = 8192');
      ProjectStore.configure(db);
      migrate(db, opts.migrateTo);
      if (opts.description) db.prepare(`UPDATE gpkg_contents SET description = ?`).run(opts.description);
      return new ProjectStore(path, db, opts.year);
    } catch (err) {
      db?.close();
      removeFileSet(path);
      throw err;
    }
  }

  /** Open an existing project, bringing older files up to the current schema. */
  static open(path: string, opts: { year?: number } = {}): ProjectStore {
    if (!existsSync(path)) throw new StoreOpenError(path, 'no such file');
    let db: DB;
    try {
      db = new Database(path, { fileMustExist: true });
    } catch (err) {
      throw new StoreOpenError(path, `cannot open (${(err as Error).message})`);
    }
    try {
      let appId: number;
      try {
        appId = db.pragma('application_id', { simple: true }) as number;
        const check = db.pragma('quick_check(1)', { simple: true });
        if (check !== 'ok') throw new Error(String(check));
      } catch (err) {
        throw new StoreOpenError(path, `not a GeoPackage or the file is damaged (${(err as Error).message})`);
      }
      const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
      if (appId !== GPKG_APPLICATION_ID || !tables.has('gpkg_contents')) {
        throw new StoreOpenError(path, 'not a GeoPackage (no GPKG application id or gpkg_contents table)');
      }
      if (!tables.has(MIGRATIONS_TABLE)) {
        throw new StoreOpenError(
          path,
          `a GeoPackage, but not a WarmNet project (no ${MIGRATIONS_TABLE} table); create a project and bring its layers in with "warmnet import"`,
        );
      }
      const version = appliedVersion(db);
      if (version > LATEST_VERSION) {
        throw new StoreOpenError(path, `written by a newer WarmNet (schema ${version}, this one knows up to ${LATEST_VERSION})`);
      }
      ProjectStore.configure(db);
      migrate(db);
      ProjectStore.syncSchema(db);
      return new ProjectStore(path, db, opts.year);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Create a project file holding a whole project, written in one transaction. */
  static createFromData(path: string, data: ProjectData, opts: CreateOptions = {}): ProjectStore {
    const store = ProjectStore.create(path, opts);
    try {
      store.writeProjectData(data);
      return store;
    } catch (err) {
      store.db.close();
      removeFileSet(path);
      throw err;
    }
  }

  private static configure(db: DB): void {
    registerGpkgFunctions(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
  }

  /**
   * Columns and settings added to schema.ts after a file was written appear
   * on open: new columns are appended (nullable), new settings get their default.
   */
  private static syncSchema(db: DB): void {
    const add = (table: string, fields: readonly FieldDef[]) => {
      const have = new Set((db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[]).map((r) => r.name));
      for (const f of fields) {
        if (!have.has(f.name)) db.exec(`ALTER TABLE ${q(table)} ADD COLUMN ${q(f.name)} ${f.type === 'bool' ? 'BOOLEAN' : f.type === 'date' ? 'DATE' : f.type.toUpperCase()}`);
      }
    };
    // Opening a current file must not write to it (a file opened only to be
    // read stays byte-identical), so only settings keys that are missing are added.
    const stored = new Set(db.prepare('SELECT key FROM settings').pluck().all() as string[]);
    const missing = Object.entries(DEFAULT_SETTINGS).filter(([k]) => !stored.has(k));
    db.transaction(() => {
      for (const l of LAYERS) add(l.name, l.fields);
      for (const t of TABLES) add(t.name, t.fields);
      if (missing.length === 0) return;
      const put = db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
      for (const [k, v] of missing) put.run(k, JSON.stringify(v));
    })();
  }

  private prepareLayer(def: LayerDef): LayerSql {
    const fields = columnFields(def.fields);
    const t = q(def.name);
    const cols = fields.map((f) => q(f.name));
    const selectCols = `geom, ${cols.join(', ')}, ${q(EXTRA_COLUMN)}`;
    const placeholders = ['?', ...fields.map(() => '?'), '?'].join(', ');
    return {
      def,
      fields,
      hasLength: fields.some((f) => f.name === 'length_m' && f.computed),
      select: this.db.prepare(`SELECT ${selectCols} FROM ${t} ORDER BY fid`).raw(true),
      selectOne: this.db.prepare(`SELECT ${selectCols} FROM ${t} WHERE id = ?`).raw(true),
      insert: this.db.prepare(`INSERT INTO ${t} (${selectCols}) VALUES (${placeholders})`),
      update: this.db.prepare(
        `UPDATE ${t} SET geom = ?, ${[...cols, q(EXTRA_COLUMN)].map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
      ),
      remove: this.db.prepare(`DELETE FROM ${t} WHERE id = ?`),
      exists: this.db.prepare(`SELECT 1 FROM ${t} WHERE id = ?`).pluck(),
      ids: this.db.prepare(`SELECT id FROM ${t}`).pluck(),
    };
  }

  private readonly bulkStatements = new Map<LayerName, Database.Statement>();

  /** INSERT of BULK_ROWS rows at once, prepared on first use. */
  private bulkStatement(layer: LayerName): Database.Statement {
    let st = this.bulkStatements.get(layer);
    if (!st) {
      const l = this.layer(layer);
      const cols = ['geom', ...l.fields.map((f) => q(f.name)), q(EXTRA_COLUMN)];
      const one = `(${cols.map(() => '?').join(', ')})`;
      st = this.db.prepare(`INSERT INTO ${q(layer)} (${cols.join(', ')}) VALUES ${Array(BULK_ROWS).fill(one).join(', ')}`);
      this.bulkStatements.set(layer, st);
    }
    return st;
  }

  private layer(name: LayerName): LayerSql {
    const l = this.layers.get(name);
    if (!l) throw new ValidationError([{ message: `unknown layer "${name}"` }]);
    return l;
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  // ---------------------------------------------------------------- basics

  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  revision(): number {
    return this.rev;
  }

  changedExternally(): boolean {
    const v = this.dataVersion();
    const changed = v !== this.lastDataVersion;
    // Another program's write makes everything cached on the revision stale.
    if (changed) this.rev++;
    this.lastDataVersion = v;
    return changed;
  }

  /** Delete a project file with its WAL and shared-memory companions. */
  static remove(path: string): void {
    removeFileSet(path);
  }

  /** The description of the project's layers in gpkg_contents (e.g. the sample-data mark), if one is shared by all. */
  description(): string | null {
    const rows = this.db.prepare(`SELECT DISTINCT description FROM gpkg_contents WHERE data_type = 'features'`).pluck().all() as (string | null)[];
    return rows.length === 1 ? rows[0] : null;
  }

  /** Schema version of the file (number of the last migration applied). */
  schemaVersion(): number {
    return appliedVersion(this.db);
  }

  // ---------------------------------------------------------------- reading

  private rowToFeature(l: LayerSql, row: unknown[]): Feature {
    const props: Record<string, unknown> = {};
    const fields = l.fields;
    for (let i = 0; i < fields.length; i++) {
      const v = row[i + 1];
      props[fields[i].name] = fields[i].type === 'bool' && v !== null ? v === 1 || v === true : v;
    }
    const extra = row[fields.length + 1];
    if (typeof extra === 'string' && extra !== '') Object.assign(props, JSON.parse(extra));
    const blob = row[0] as Uint8Array | null;
    let geometry = blob ? decodeGpkgGeometry(blob) : (null as unknown as Geometry);
    // Polygon layers are stored MULTIPOLYGON (0004); one parcel reads back as the Polygon it was.
    if (geometry?.type === 'MultiPolygon' && geometry.coordinates.length === 1) geometry = { type: 'Polygon', coordinates: geometry.coordinates[0] };
    return { type: 'Feature', id: props.id as string, geometry, properties: props };
  }

  listFeatures(layer: LayerName): Feature[] {
    const l = this.layer(layer);
    const rows = l.select.all() as unknown[][];
    const out: Feature[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.rowToFeature(l, rows[i]);
    return out;
  }

  featureCollection(layer: LayerName): FeatureCollection {
    return toFeatureCollection(layer, this.listFeatures(layer));
  }

  getFeature(layer: LayerName, id: string): Feature | undefined {
    const l = this.layer(layer);
    const row = l.selectOne.get(id) as unknown[] | undefined;
    return row ? this.rowToFeature(l, row) : undefined;
  }

  /** Extent of every layer, from the spatial indexes (rounded outward to float32, so it contains everything). */
  bbox(): BBox | null {
    let b: BBox | null = null;
    for (const def of LAYERS) {
      const r = this.db
        .prepare(`SELECT min(minx) AS a, min(miny) AS b, max(maxx) AS c, max(maxy) AS d FROM ${q(rtreeName(def.name))}`)
        .get() as { a: number | null; b: number; c: number; d: number };
      if (r.a === null) continue;
      b = b ? [Math.min(b[0], r.a), Math.min(b[1], r.b), Math.max(b[2], r.c), Math.max(b[3], r.d)] : [r.a, r.b, r.c, r.d];
    }
    return b;
  }

  snapshot(): ProjectData {
    const layers = emptyLayers();
    for (const def of LAYERS) (layers as Record<LayerName, Feature[]>)[def.name] = this.listFeatures(def.name);
    return { layers, projects: this.listProjects(), projectFeatures: this.projectFeatures(), settings: this.getSettings() };
  }

  // ---------------------------------------------------------------- writing features

  /** Row parameters for insert: geometry blob, schema values (defaults for omitted fields), extras. */
  private rowParams(l: LayerSql, c: CoercedFeature, applyDefaults: boolean): { params: Value[]; geometry: Geometry } {
    const params: Value[] = [];
    this.appendRow(l, c, applyDefaults, params);
    return { params, geometry: c.geometry as Geometry };
  }

  /** Push a row's parameters onto `out` (bulk loads fill one array for many rows). */
  private appendRow(l: LayerSql, c: CoercedFeature, applyDefaults: boolean, out: Value[]): void {
    const geometry = c.geometry as Geometry;
    // Polygon layers are MULTIPOLYGON columns (0004): a single polygon is stored as a one-part MultiPolygon.
    const stored: Geometry = l.def.geometry === 'POLYGON' && geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : geometry;
    out.push(encodeGpkgGeometry(stored, 4490, allocBlob) as unknown as Value);
    const fields = l.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      let v: Value | undefined = c.values[f.name];
      if (f.computed) v = f.name === 'length_m' && geometry.type === 'LineString' ? lineLengthM(geometry.coordinates) : null;
      else if (v === undefined && applyDefaults && f.default !== undefined) v = f.default;
      out.push(bindValue(f, v));
    }
    let hasExtra = false;
    for (const _ in c.extra) {
      hasExtra = true;
      break;
    }
    out.push(hasExtra ? JSON.stringify(c.extra) : null);
  }

  private coerceOrThrow(layer: LayerName, feature: unknown): CoercedFeature {
    const c = coerceFeature(layer, feature, { year: this.year });
    if (c.issues.length > 0) throw new ValidationError(c.issues.map((i) => ({ ...i, file: i.file ?? layer })));
    return c;
  }

  /** Write a full feature (insert or replace by id); returns the inverse operation. */
  private putFeature(layer: LayerName, c: CoercedFeature, applyDefaults: boolean, replaceId?: string): Op {
    const l = this.layer(layer);
    const oldId = replaceId ?? c.id;
    const before = this.getFeature(layer, oldId);
    const { params } = this.rowParams(l, c, applyDefaults && !before);
    if (before) l.update.run([...params, oldId]);
    else l.insert.run(params);
    this.touch(layer, c.geometry);
    if (!before) return { t: 'del', layer, id: c.id };
    return { t: 'put', layer, feature: before };
  }

  private touch(layer: string, geometry: Geometry | null): void {
    const e = geometry ? envelopeOf(geometry) : null;
    this.db
      .prepare(
        `UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
          min_x = min(coalesce(min_x, :x0), :x0), min_y = min(coalesce(min_y, :y0), :y0),
          max_x = max(coalesce(max_x, :x1), :x1), max_y = max(coalesce(max_y, :y1), :y1)
         WHERE table_name = :t`,
      )
      .run(e ? { t: layer, x0: e.minX, y0: e.minY, x1: e.maxX, y1: e.maxY } : { t: layer, x0: null, y0: null, x1: null, y1: null });
  }

  /** Apply one operation and return the operations that undo it. */
  private applyOp(op: Op): Op[] {
    switch (op.t) {
      case 'put': {
        const c = coerceFeature(op.layer, op.feature, { year: this.year + 1000 });
        return [this.putFeature(op.layer, c, false)];
      }
      case 'del': {
        const l = this.layer(op.layer);
        const before = this.getFeature(op.layer, op.id);
        if (!before) return [];
        l.remove.run(op.id);
        this.touch(op.layer, null);
        return [{ t: 'put', layer: op.layer, feature: before }];
      }
      case 'putMany': {
        const l = this.layer(op.layer);
        const fresh: CoercedFeature[] = [];
        const inverse: Op[] = [];
        for (const f of op.features) {
          const c = coerceFeature(op.layer, f, { year: this.year + 1000 });
          if (l.exists.get(c.id)) inverse.push(this.putFeature(op.layer, c, false));
          else fresh.push(c);
        }
        this.bulkInsert(op.layer, fresh);
        if (fresh.length) inverse.push({ t: 'delMany', layer: op.layer, ids: fresh.map((c) => c.id) });
        return inverse;
      }
      case 'delMany': {
        const l = this.layer(op.layer);
        const wanted = new Set(op.ids);
        // Many ids: one scan of the layer beats a lookup per id.
        const before =
          op.ids.length > 1000
            ? this.listFeatures(op.layer).filter((f) => wanted.has(f.id))
            : (op.ids.map((id) => this.getFeature(op.layer, id)).filter(Boolean) as Feature[]);
        for (const f of before) l.remove.run(f.id);
        this.touch(op.layer, null);
        return before.length ? [{ t: 'putMany', layer: op.layer, features: before }] : [];
      }
      case 'putProject': {
        const before = this.getProject(op.row.id);
        this.writeProject(op.row);
        return [before ? { t: 'putProject', row: before } : { t: 'delProject', id: op.row.id }];
      }
      case 'delProject': {
        const before = this.getProject(op.id);
        if (!before) return [];
        const links = this.projectFeatures().filter((r) => r.project_id === op.id);
        this.db.prepare('DELETE FROM project_features WHERE project_id = ?').run(op.id);
        this.db.prepare('DELETE FROM projects WHERE id = ?').run(op.id);
        return [{ t: 'putProject', row: before }, ...(links.length ? [{ t: 'link', links } as Op] : [])];
      }
      case 'link': {
        const ins = this.db.prepare('INSERT OR IGNORE INTO project_features (project_id, layer, feature_id) VALUES (?, ?, ?)');
        const added = op.links.filter((r) => ins.run(r.project_id, r.layer, r.feature_id).changes > 0);
        return added.length ? [{ t: 'unlink', links: added }] : [];
      }
      case 'unlink': {
        const del = this.db.prepare('DELETE FROM project_features WHERE project_id = ? AND layer = ? AND feature_id = ?');
        const removed = op.links.filter((r) => del.run(r.project_id, r.layer, r.feature_id).changes > 0);
        return removed.length ? [{ t: 'link', links: removed }] : [];
      }
      case 'settings': {
        const stored = this.storedSettings();
        const before: Record<string, unknown> = {};
        const put = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
        for (const [k, v] of Object.entries(op.values)) {
          before[k] = stored[k] ?? null;
          put.run(k, JSON.stringify(v));
        }
        this.touch('settings', null);
        return [{ t: 'settings', values: before }];
      }
    }
  }

  /** Run an edit: one transaction, one journal entry (unless inside a batch, which records for it). */
  private edit<T>(label: string, fn: () => T): T {
    if (this.pending) return fn();
    const result = this.db.transaction(() => {
      this.pending = [];
      try {
        const r = fn();
        if (this.pending.length > 0) {
          this.db.prepare('DELETE FROM warmnet_journal WHERE undone = 1').run();
          this.db
            .prepare('INSERT INTO warmnet_journal (label, at, undone, ops) VALUES (?, ?, 0, ?)')
            .run(label, new Date().toISOString(), JSON.stringify([...this.pending].reverse()));
          this.db
            .prepare('DELETE FROM warmnet_journal WHERE seq <= (SELECT max(seq) FROM warmnet_journal) - ?')
            .run(JOURNAL_KEEP);
        }
        return r;
      } finally {
        this.pending = null;
      }
    })();
    this.rev++;
    return result;
  }

  private exec(op: Op): void {
    const inverse = this.applyOp(op);
    this.pending?.push(...inverse);
  }

  insertFeature(layer: LayerName, feature: Feature, label?: string): Feature {
    const c = this.coerceOrThrow(layer, feature);
    if (this.layer(layer).exists.get(c.id)) {
      throw new ValidationError([{ file: layer, featureId: c.id, field: 'id', message: `id "${c.id}" already exists in ${layer}` }]);
    }
    return this.edit(label ?? `insert ${layer} ${c.id}`, () => {
      this.pending!.push(this.putFeature(layer, c, true));
      return this.getFeature(layer, c.id)!;
    });
  }

  updateFeature(layer: LayerName, id: string, patch: FeaturePatch, label?: string): Feature {
    const before = this.getFeature(layer, id);
    if (!before) throw new ValidationError([{ file: layer, featureId: id, message: `no feature "${id}" in ${layer}` }]);
    const props = { ...before.properties, ...(patch.properties ?? {}) };
    const c = this.coerceOrThrow(layer, { type: 'Feature', geometry: patch.geometry ?? before.geometry, properties: props });
    if (c.id !== id && this.layer(layer).exists.get(c.id)) {
      throw new ValidationError([{ file: layer, featureId: c.id, field: 'id', message: `id "${c.id}" already exists in ${layer}` }]);
    }
    return this.edit(label ?? `update ${layer} ${id}`, () => {
      const inverse = this.putFeature(layer, c, false, id);
      // A renamed feature is undone by removing the new id and restoring the old row.
      if (c.id !== id) this.pending!.push({ t: 'put', layer, feature: before }, { t: 'del', layer, id: c.id });
      else this.pending!.push(inverse);
      return this.getFeature(layer, c.id)!;
    });
  }

  deleteFeature(layer: LayerName, id: string, label?: string): void {
    if (!this.layer(layer).exists.get(id)) throw new ValidationError([{ file: layer, featureId: id, message: `no feature "${id}" in ${layer}` }]);
    this.edit(label ?? `delete ${layer} ${id}`, () => this.exec({ t: 'del', layer, id }));
  }

  batch<T>(label: string, fn: () => T): T {
    return this.edit(label, fn);
  }

  private flip(undone: 0 | 1): JournalEntry | null {
    const row = this.db
      .prepare(`SELECT seq, label, at, ops FROM warmnet_journal WHERE undone = ? ORDER BY seq ${undone === 0 ? 'DESC' : 'ASC'} LIMIT 1`)
      .get(undone) as { seq: number; label: string; at: string; ops: string } | undefined;
    if (!row) return null;
    this.db.transaction(() => {
      const inverse: Op[] = [];
      for (const op of JSON.parse(row.ops) as Op[]) inverse.push(...this.applyOp(op));
      this.db
        .prepare('UPDATE warmnet_journal SET undone = ?, ops = ? WHERE seq = ?')
        .run(undone === 0 ? 1 : 0, JSON.stringify(inverse.reverse()), row.seq);
    })();
    this.rev++;
    return { seq: row.seq, label: row.label, at: row.at };
  }

  undo(): JournalEntry | null {
    return this.flip(0);
  }

  redo(): JournalEntry | null {
    return this.flip(1);
  }

  journal(): { undo: JournalEntry[]; redo: JournalEntry[] } {
    const list = (undone: number, order: string) =>
      this.db.prepare(`SELECT seq, label, at FROM warmnet_journal WHERE undone = ? ORDER BY seq ${order}`).all(undone) as JournalEntry[];
    return { undo: list(0, 'DESC'), redo: list(1, 'ASC') };
  }

  // ---------------------------------------------------------------- import

  importFeatures(layer: LayerName, input: Feature[] | FeatureCollection, opts: ImportOptions = {}): { inserted: number } {
    const fileName = opts.fileName ?? layer;
    if (!isLayerName(layer)) throw new ImportError(fileName, [{ file: fileName, message: `unknown layer "${layer}"` }]);
    let list = (Array.isArray(input) ? input : input?.features) as unknown[];
    if (!Array.isArray(list)) throw new ImportError(fileName, [{ file: fileName, message: 'no features array' }]);
    const existing = opts.mode === 'replace' ? new Set<string>() : new Set(this.layer(layer).ids.all() as string[]);
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
    const { coerced, issues } = this.validateAll(layer, list, fileName, existing, indexes ? (i) => indexes[i] ?? i : undefined, given);
    if (opts.priorIssues?.length) issues.unshift(...opts.priorIssues);
    issues.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
    if (issues.length > 0) throw new ImportError(fileName, issues);
    // Journaled like an edit: undo removes what came in (and brings back what a replace removed).
    this.edit(`import ${fileName} → ${layer}`, () => {
      if (opts.mode === 'replace') {
        const old = this.listFeatures(layer);
        this.db.prepare(`DELETE FROM ${q(layer)}`).run();
        if (old.length) this.pending!.push({ t: 'putMany', layer, features: old });
      }
      this.bulkInsert(layer, coerced);
      if (coerced.length) this.pending!.push({ t: 'delMany', layer, ids: coerced.map((c) => c.id) });
      if (opts.log) this.appendImportLog(layer, opts.mode ?? 'append', coerced.length, opts.log);
    });
    return { inserted: coerced.length };
  }

  /** Ids of a layer's features (an importer checks them before writing). */
  featureIds(layer: LayerName): string[] {
    return this.layer(layer).ids.all() as string[];
  }

  /** Imports recorded in the project, newest first. */
  importLog(): ImportLogRow[] {
    return (this.db.prepare(`SELECT * FROM import_log ORDER BY fid DESC`).all() as Record<string, unknown>[]).map((r) => ({
      fid: Number(r.fid),
      importedAt: String(r.imported_at),
      layer: String(r.layer) as LayerName,
      mode: String(r.mode),
      sourceFile: String(r.source_file),
      format: String(r.format),
      records: Number(r.records),
      featuresWritten: Number(r.features_written),
      recordsSkipped: Number(r.records_skipped),
      crs: r.crs === null ? null : String(r.crs),
      crsReason: r.crs_reason === null ? null : String(r.crs_reason),
      datumShift: r.datum_shift === null ? null : String(r.datum_shift),
      encoding: r.encoding === null ? null : String(r.encoding),
      encodingReason: r.encoding_reason === null ? null : String(r.encoding_reason),
      summary: JSON.parse(String(r.summary)) as Record<string, unknown>,
    }));
  }

  private appendImportLog(layer: LayerName, mode: string, written: number, log: ImportLogInput): void {
    this.db
      .prepare(
        `INSERT INTO import_log (imported_at, layer, mode, source_file, format, records, features_written, records_skipped, crs, crs_reason, datum_shift, encoding, encoding_reason, summary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        new Date().toISOString(),
        layer,
        mode,
        log.sourceFile,
        log.format,
        log.records,
        written,
        log.recordsSkipped,
        log.crs ?? null,
        log.crsReason ?? null,
        log.datumShift ?? null,
        log.encoding ?? null,
        log.encodingReason ?? null,
        JSON.stringify(log.summary),
      );
    this.db.prepare(`UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'import_log'`).run();
  }

  /** Validate every feature; issues for all of them, with file, index, id and field. */
  private validateAll(
    layer: LayerName,
    list: readonly unknown[],
    fileName: string,
    existing: Set<string>,
    indexOf: (i: number) => number = (i) => i,
    given?: readonly CoercedFeature[],
  ): { coerced: CoercedFeature[]; issues: ValidationIssue[] } {
    const def = layerDef(layer)!;
    const issues: ValidationIssue[] = [];
    const coerced: CoercedFeature[] = new Array(list.length);
    const seen = new Map<string, number>();
    for (let i = 0; i < list.length; i++) {
      const c = given?.[i] ?? coerceFeature(def, list[i], { year: this.year });
      const index = indexOf(i);
      for (const issue of c.issues) issues.push({ file: fileName, index, ...issue });
      if (c.id !== '') {
        const first = seen.get(c.id);
        if (first !== undefined) {
          issues.push({ file: fileName, index, featureId: c.id, field: 'id', message: `duplicate id "${c.id}" (also feature ${first + 1})` });
        } else {
          seen.set(c.id, index);
          if (existing.has(c.id)) {
            issues.push({ file: fileName, index, featureId: c.id, field: 'id', message: `id "${c.id}" already exists in layer ${layer}` });
          }
        }
      }
      coerced[i] = c;
    }
    return { coerced, issues };
  }

  /**
   * Insert many rows fast: one prepared statement, and for large loads the
   * spatial index packed in one go after the rows (rtreeBulk.ts) instead of
   * through the per-row trigger and its ST_* callbacks. Runs inside the
   * caller's transaction.
   */
  private bulkInsert(layer: LayerName, rows: readonly CoercedFeature[]): void {
    if (rows.length === 0) return;
    const l = this.layer(layer);
    const rtree = rtreeName(layer);
    const packed = rows.length >= BULK_RTREE_MIN_ROWS;
    const env = new Float64Array(rows.length * 4);
    const fids = new Float64Array(rows.length);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    if (packed) this.db.exec(`DROP TRIGGER ${q(`${rtree}_insert`)}`);
    // Rows go in BULK_ROWS at a time through one multi-row INSERT: fewer statement runs, same rowid order.
    const many = this.bulkStatement(layer);
    const batch: Value[] = [];
    let batchStart = 0;
    for (let i = 0; i < rows.length; i++) {
      const geometry = rows[i].geometry as Geometry;
      if (rows.length - batchStart >= BULK_ROWS) {
        this.appendRow(l, rows[i], true, batch);
        if (i - batchStart === BULK_ROWS - 1) {
          const last = many.run(batch).lastInsertRowid as number;
          for (let k = 0; k < BULK_ROWS; k++) fids[batchStart + k] = last - BULK_ROWS + 1 + k;
          batch.length = 0;
          batchStart = i + 1;
        }
      } else {
        fids[i] = l.insert.run(this.rowParams(l, rows[i], true).params).lastInsertRowid as number;
        batchStart = i + 1;
      }
      const e = envelopeOf(geometry)!;
      env[i * 4] = e.minX;
      env[i * 4 + 1] = e.maxX;
      env[i * 4 + 2] = e.minY;
      env[i * 4 + 3] = e.maxY;
      if (e.minX < x0) x0 = e.minX;
      if (e.minY < y0) y0 = e.minY;
      if (e.maxX > x1) x1 = e.maxX;
      if (e.maxY > y1) y1 = e.maxY;
    }
    if (packed) {
      // Rows already indexed keep their (float32) boxes; the tree is rebuilt over old and new together.
      const old = this.db.prepare(`SELECT id, minx, maxx, miny, maxy FROM ${q(rtree)}`).raw(true).all() as number[][];
      const ids = new Float64Array(old.length + rows.length);
      const boxes = new Float64Array(ids.length * 4);
      old.forEach((r, i) => {
        ids[i] = r[0];
        boxes.set([r[1], r[2], r[3], r[4]], i * 4);
      });
      ids.set(fids, old.length);
      boxes.set(env, old.length * 4);
      bulkLoadRtree(this.db, rtree, ids, boxes);
      this.db.exec(rtreeInsertTriggerDdl(layer));
    }
    this.touch(layer, { type: 'LineString', coordinates: [[x0, y0], [x1, y1]] as Position[] });
  }

  /** Write a whole project (createFromData): validate everything, then one transaction. */
  private writeProjectData(data: ProjectData): void {
    const issues: ValidationIssue[] = [];
    const perLayer: [LayerName, CoercedFeature[]][] = [];
    for (const def of LAYERS) {
      const list = (data.layers as Record<string, unknown[]>)[def.name] ?? [];
      const r = this.validateAll(def.name, list, def.name, new Set());
      issues.push(...r.issues);
      perLayer.push([def.name, r.coerced]);
    }
    const projects = (data.projects ?? []).map((row, index) => {
      const r = coerceProperties(this.tableDef('projects'), row as unknown as Record<string, unknown>, { year: this.year });
      issues.push(...r.issues.map((i) => ({ ...i, file: 'projects', index, featureId: row.id })));
      return r.values;
    });
    (data.projectFeatures ?? []).forEach((link, index) => {
      if (!isLayerName(link.layer)) issues.push({ file: 'project_features', index, field: 'layer', message: `unknown layer "${link.layer}"` });
    });
    if (issues.length > 0) throw new ImportError(basename(this.path), issues);
    this.db.transaction(() => {
      for (const [layer, rows] of perLayer) this.bulkInsert(layer, rows);
      for (const p of projects) this.writeProject(p as unknown as ProjectRow);
      const ins = this.db.prepare('INSERT OR IGNORE INTO project_features (project_id, layer, feature_id) VALUES (?, ?, ?)');
      for (const r of data.projectFeatures ?? []) ins.run(r.project_id, r.layer, r.feature_id);
      if (data.settings) {
        const put = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
        for (const [k, v] of Object.entries(resolveSettings(data.settings as unknown as Record<string, unknown>))) put.run(k, JSON.stringify(v));
      }
    })();
    this.rev++;
  }

  // ---------------------------------------------------------------- projects

  private tableDef(name: 'projects' | 'project_features'): TableDef {
    return TABLES.find((t) => t.name === name)!;
  }

  private projectRow(r: Record<string, unknown>): ProjectRow {
    const out: Record<string, unknown> = {};
    for (const f of this.tableDef('projects').fields) out[f.name] = r[f.name] ?? null;
    return out as unknown as ProjectRow;
  }

  private getProject(id: string): ProjectRow | undefined {
    const r = this.db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? this.projectRow(r) : undefined;
  }

  private writeProject(values: ProjectRow | Record<string, unknown>): void {
    const fields = columnFields(this.tableDef('projects').fields);
    const v = values as Record<string, unknown>;
    const cols = fields.map((f) => q(f.name)).join(', ');
    const set = fields.filter((f) => f.name !== 'id').map((f) => `${q(f.name)} = excluded.${q(f.name)}`).join(', ');
    this.db
      .prepare(`INSERT INTO projects (${cols}) VALUES (${fields.map(() => '?').join(', ')}) ON CONFLICT(id) DO UPDATE SET ${set}`)
      .run(fields.map((f) => (v[f.name] === undefined ? (f.default ?? null) : v[f.name]) as Value));
    this.touch('projects', null);
  }

  listProjects(): ProjectRow[] {
    return (this.db.prepare('SELECT * FROM projects ORDER BY year, id').all() as Record<string, unknown>[]).map((r) => this.projectRow(r));
  }

  upsertProject(row: Partial<ProjectRow> & { id: string }): ProjectRow {
    const before = this.getProject(row.id);
    const merged = { ...(before ?? {}), ...row } as Record<string, unknown>;
    const r = coerceProperties(this.tableDef('projects'), merged, { year: this.year });
    if (r.issues.length > 0) throw new ValidationError(r.issues.map((i) => ({ ...i, file: 'projects', featureId: row.id })));
    const full = this.projectRow({ ...Object.fromEntries(this.tableDef('projects').fields.map((f) => [f.name, f.default ?? null])), ...r.values });
    this.edit(`project ${row.id}`, () => this.exec({ t: 'putProject', row: full }));
    return this.getProject(row.id)!;
  }

  deleteProject(id: string): void {
    this.edit(`delete project ${id}`, () => this.exec({ t: 'delProject', id }));
  }

  projectFeatures(): ProjectFeatureRow[] {
    return this.db.prepare('SELECT project_id, layer, feature_id FROM project_features ORDER BY fid').all() as ProjectFeatureRow[];
  }

  linkFeatures(projectId: string, layer: LayerName, featureIds: string[]): void {
    if (!this.getProject(projectId)) throw new ValidationError([{ file: 'projects', featureId: projectId, message: `no project "${projectId}"` }]);
    if (!isLayerName(layer)) throw new ValidationError([{ field: 'layer', message: `unknown layer "${layer}"` }]);
    const l = this.layer(layer);
    const missing = featureIds.filter((id) => !l.exists.get(id));
    if (missing.length) throw new ValidationError(missing.map((id) => ({ file: layer, featureId: id, message: `no feature "${id}" in ${layer}` })));
    this.edit(`link ${projectId}`, () => this.exec({ t: 'link', links: featureIds.map((feature_id) => ({ project_id: projectId, layer, feature_id })) }));
  }

  unlinkFeatures(projectId: string, layer: LayerName, featureIds: string[]): void {
    this.edit(`unlink ${projectId}`, () => this.exec({ t: 'unlink', links: featureIds.map((feature_id) => ({ project_id: projectId, layer, feature_id })) }));
  }

  // ---------------------------------------------------------------- settings

  private storedSettings(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string | null }[]) {
      try {
        out[r.key] = r.value === null ? null : JSON.parse(r.value);
      } catch {
        out[r.key] = null;
      }
    }
    return out;
  }

  getSettings(): Settings {
    return resolveSettings(this.storedSettings());
  }

  setSettings(patch: Partial<Settings>): Settings {
    const issues: ValidationIssue[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (!(k in DEFAULT_SETTINGS)) issues.push({ file: 'settings', field: k, message: 'is not a setting' });
      else if (typeof v !== typeof (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[k] || (typeof v === 'number' && !Number.isFinite(v)))
        issues.push({ file: 'settings', field: k, message: `${JSON.stringify(v)} has the wrong type` });
    }
    if (issues.length) throw new ValidationError(issues);
    this.edit('settings', () => this.exec({ t: 'settings', values: patch as Record<string, unknown> }));
    return this.getSettings();
  }

  resetSettings(keys?: (keyof Settings)[]): Settings {
    const values: Record<string, unknown> = {};
    for (const k of keys ?? (Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[])) values[k] = DEFAULT_SETTINGS[k];
    this.edit('reset settings', () => this.exec({ t: 'settings', values }));
    return this.getSettings();
  }
}

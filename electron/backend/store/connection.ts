/**
 * The connection to one project file: create or open it (checks, WAL,
 * GeoPackage functions, numbered migrations), transactions, the revision
 * counter analyses cache on, and gpkg_contents bookkeeping after writes.
 */
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { envelopeOf } from '../../../core/geo/gpkgGeometry';
import type { BBox, Geometry } from '../../../core/model/geojson';
import type { LayerName } from '../../../core/model/schema';
import { DEFAULT_SETTINGS } from '../../../core/model/settings';
import type { FeatureChanges, StoreChange } from './api';
import { StoreOpenError } from './errors';
import { GPKG_APPLICATION_ID, registerGpkgFunctions } from './gpkg';
import { LATEST_VERSION, MIGRATIONS_TABLE, appliedVersion, migrate } from './migrations/index';

export type DB = Database.Database;
export type Value = string | number | boolean | null;

export interface CreateOptions {
  /** Stop after this migration (tests of the migration path). */
  migrateTo?: number;
  /** Text for gpkg_contents.description of every layer (e.g. "示例数据，非实测"). */
  description?: string;
  /** Year for validation of `thisYear+10` bounds (defaults to now). */
  year?: number;
}

/** Delete a project file with its WAL, shared-memory and rollback-journal companions. */
export function removeFileSet(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) rmSync(p, { force: true });
}

function configure(db: DB): void {
  registerGpkgFunctions(db);
  // Another program (the CLI, a second window) may be writing: wait for it instead of failing with "database is locked".
  db.pragma(`busy_timeout = ${DEFAULT_SETTINGS.storeBusyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
}

/** Above this many features in one write, a change is reported for the whole layer rather than box by box. */
const CHANGE_BOXES_MAX = 10_000;
/** Writes remembered by feature (changesSince); an older revision is caught up by reading everything. */
const CHANGE_LOG_MAX = 512;
/** Feature codes changesSince names at most (past that a whole read is as quick). */
const CHANGES_SINCE_MAX_IDS = 10_000;

export class Connection {
  private rev = 0;
  private lastDataVersion: number;
  private readonly changeListeners = new Set<(change: StoreChange) => void>();
  /** The changes emitted, each with the revision at that moment; ids null: not told by feature. */
  private readonly changeLog: { rev: number; layer: LayerName | null; ids: readonly string[] | null }[] = [];
  /** Changes emitted at revisions below this may have left the log. */
  private changeLogFrom = 0;

  private constructor(
    readonly path: string,
    readonly db: DB,
  ) {
    this.lastDataVersion = this.dataVersion();
  }

  /** Create a new, empty project file (refuses to overwrite an existing file). */
  static create(path: string, opts: CreateOptions = {}): Connection {
    if (existsSync(path)) throw new StoreOpenError(path, 'already exists; refusing to overwrite it');
    let db: DB | undefined;
    try {
      db = new Database(path);
      // Larger pages: fewer B-tree splits on bulk loads; any page size is valid GeoPackage.
      db.pragma('page_size = 8192');
      configure(db);
      migrate(db, opts.migrateTo);
      if (opts.description) db.prepare(`UPDATE gpkg_contents SET description = ?`).run(opts.description);
      return new Connection(path, db);
    } catch (err) {
      db?.close();
      removeFileSet(path);
      throw err;
    }
  }

  /** Open an existing project, bringing an older file up to the current schema by its numbered migrations (and nothing else: a current file is not written to). */
  static open(path: string): Connection {
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
      configure(db);
      migrate(db);
      return new Connection(path, db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Checkpoint the WAL into the file and close (a closed file is one file again). */
  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  /** How long a write waits for another writer's lock (the project's storeBusyTimeoutMs). */
  setBusyTimeout(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.round(ms))}`);
  }

  /**
   * Run `fn` in one transaction; a committed write bumps the revision.
   * IMMEDIATE: the write lock is taken (or waited for, up to the busy timeout) before anything is read, so a
   * concurrent writer makes this one wait its turn instead of failing half-way with "database is locked".
   */
  write<T>(fn: () => T): T {
    const r = this.db.transaction(fn).immediate();
    this.rev++;
    return r;
  }

  /**
   * A long write of tables the store does not model itself (a basemap's tile
   * pyramid): one IMMEDIATE transaction around an asynchronous job, committed
   * when it resolves and rolled back when it throws (a cancel leaves the file
   * as it was). Nothing else may use the store while it runs.
   */
  async writeAsync<T>(fn: (db: DB) => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = await fn(this.db);
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
    this.db.exec('COMMIT');
    this.rev++;
    return result;
  }

  /** Tells `fn` about every committed or rolled-forward change of features; returns the unsubscribe. */
  onChange(fn: (change: StoreChange) => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /**
   * `layer` null: anything may have changed; `geometries` null (or too many): anything in the layer.
   * `ids`: the codes of the features written (before and after), for changesSince; none: not told.
   */
  emitChange(layer: LayerName | null, geometries: readonly (Geometry | null | undefined)[] | null, ids?: readonly string[]): void {
    this.changeLog.push({ rev: this.rev, layer, ids: layer !== null && ids && ids.length <= CHANGES_SINCE_MAX_IDS ? ids : null });
    if (this.changeLog.length > CHANGE_LOG_MAX) this.changeLogFrom = this.changeLog.shift()!.rev + 1;
    if (this.changeListeners.size === 0) return;
    let boxes: BBox[] | null = null;
    if (geometries && geometries.length <= CHANGE_BOXES_MAX) {
      boxes = [];
      for (const g of geometries) {
        const e = g ? envelopeOf(g) : null;
        if (e) boxes.push([e.minX, e.minY, e.maxX, e.maxY]);
      }
    }
    for (const fn of this.changeListeners) fn({ layer, boxes });
  }

  revision(): number {
    return this.rev;
  }

  /**
   * The features written since `revision` (StoreApi.changesSince). A write emits its changes inside
   * its transaction, before the revision moves on: what was emitted while the revision was
   * `revision` or later is what the state at `revision` lacks. (A write rolled back may have emitted
   * too, and another program's write emits after the revision moved: both name features a reader
   * then re-reads to no change, or nothing by feature at all.)
   */
  changesSince(revision: number): FeatureChanges | null {
    if (revision < this.changeLogFrom || revision > this.rev) return null;
    const byLayer = new Map<LayerName, Set<string>>();
    let count = 0;
    for (const c of this.changeLog) {
      if (c.rev < revision) continue;
      if (c.layer === null || c.ids === null) return null;
      let set = byLayer.get(c.layer);
      if (!set) byLayer.set(c.layer, (set = new Set()));
      for (const id of c.ids) {
        if (set.has(id)) continue;
        set.add(id);
        count++;
      }
      if (count > CHANGES_SINCE_MAX_IDS) return null;
    }
    return [...byLayer].map(([layer, ids]) => ({ layer, ids: [...ids] }));
  }

  /** Count a committed write made outside `write` (a nested transaction's owner does). */
  bump(): void {
    this.rev++;
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** True when another connection committed since the last look; everything cached on the revision is then stale. */
  changedExternally(): boolean {
    const v = this.dataVersion();
    const changed = v !== this.lastDataVersion;
    if (changed) {
      this.rev++;
      this.emitChange(null, null);
    }
    this.lastDataVersion = v;
    return changed;
  }

  /** Record a write in gpkg_contents: the time, and the extent grown by `geometry`. */
  touch(table: string, geometry: Geometry | null): void {
    const e = geometry ? envelopeOf(geometry) : null;
    this.db
      .prepare(
        `UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
          min_x = min(coalesce(min_x, :x0), :x0), min_y = min(coalesce(min_y, :y0), :y0),
          max_x = max(coalesce(max_x, :x1), :x1), max_y = max(coalesce(max_y, :y1), :y1)
         WHERE table_name = :t`,
      )
      .run(e ? { t: table, x0: e.minX, y0: e.minY, x1: e.maxX, y1: e.maxY } : { t: table, x0: null, y0: null, x1: null, y1: null });
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
}

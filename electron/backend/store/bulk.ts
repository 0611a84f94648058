/**
 * Bulk loading: validate a whole file's features (every issue, with file,
 * feature and field), then insert them fast — multi-row INSERTs, and for
 * large loads the spatial index packed once after the rows (rtreeBulk.ts)
 * instead of through the per-row trigger. Runs inside the caller's transaction.
 */
import type Database from 'better-sqlite3';
import { envelopeOf } from '../../../core/geo/gpkgGeometry';
import type { Geometry, Position } from '../../../core/model/geojson';
import { EXTRA_COLUMN, layerDef, type LayerName } from '../../../core/model/schema';
import { coerceFeature, type CoercedFeature, type ValidationIssue } from '../../../core/model/validate';
import type { Connection, Value } from './connection';
import type { FeatureTables } from './features';
import { q, rtreeInsertTriggerDdl, rtreeName } from './gpkg';
import { bulkLoadRtree } from './rtreeBulk';

/** From this many rows on, an import packs the spatial index instead of inserting box by box. */
const BULK_RTREE_MIN_ROWS = 500;
/** A load of more rows than this reports its change for the whole layer, not box by box. */
const CHANGE_GEOMETRIES_MAX = 10_000;
/** Rows per multi-row INSERT in bulk loads (19 columns × 32 stays under SQLite's 32766 variables). */
const BULK_ROWS = 32;

/**
 * Row triggers a packed load leaves out while it inserts and does once over all the new rows at the end (in fid
 * order, as the trigger would have, row after row): a trigger run per row costs about a microsecond, a fifth of
 * the row's insert. The trigger is put back with its own SQL, in the same transaction.
 */
const DEFERRED_INSERT_TRIGGERS: Partial<Record<LayerName, { name: string; rows: string }>> = {
  // project membership (migration 0009): each new pipe naming a project is listed in project_features
  pipes: {
    name: 'warmnet_pipe_project_insert',
    rows: `INSERT OR IGNORE INTO project_features (project_id, layer, feature_id)
      SELECT project_id, 'pipes', id FROM pipes WHERE fid >= ? AND project_id IS NOT NULL AND project_id != '' ORDER BY fid`,
  },
};

/**
 * NULL patterns of a layer's row groups kept prepared (columns NULL in every row of a group are written as NULL
 * in the SQL instead of bound: binding a parameter costs about as much as SQLite's work on it). Past this many
 * patterns, groups use the statement that binds every column.
 */
const NULL_PATTERNS_MAX = 32;

export class BulkLoader {
  /** Per layer: the multi-row INSERT for each pattern of bound columns (key: sum of 2^column over bound columns). */
  private readonly statements = new Map<LayerName, Map<number, Database.Statement>>();

  constructor(
    private readonly conn: Connection,
    private readonly features: FeatureTables,
    private readonly year: number,
  ) {}

  /** INSERT of BULK_ROWS rows at once binding the columns `bound` says (the others NULL), prepared on first use; undefined past NULL_PATTERNS_MAX. */
  private statement(layer: LayerName, key: number, bound: readonly boolean[]): Database.Statement | undefined {
    let byKey = this.statements.get(layer);
    if (!byKey) this.statements.set(layer, (byKey = new Map()));
    let st = byKey.get(key);
    if (!st && (byKey.size < NULL_PATTERNS_MAX || key === -1)) {
      const l = this.features.layer(layer);
      const cols = ['geom', ...l.fields.map((f) => q(f.name)), q(EXTRA_COLUMN)];
      const one = `(${cols.map((_, j) => (bound[j] ? '?' : 'NULL')).join(', ')})`;
      st = this.conn.db.prepare(`INSERT INTO ${q(layer)} (${cols.join(', ')}) VALUES ${Array(BULK_ROWS).fill(one).join(', ')}`);
      byKey.set(key, st);
    }
    return st;
  }

  /**
   * Runs the INSERT of one full group of BULK_ROWS rows whose parameters (every column) are in `batch`: columns
   * NULL in all of them are left out of the parameters (batch is compacted) and written as NULL by the statement.
   * Returns the last rowid.
   */
  private insertGroup(layer: LayerName, width: number, batch: Value[], bound: boolean[]): number {
    let key = 0;
    let all = true;
    if (width <= 52) {
      for (let j = 0; j < width; j++) {
        bound[j] = false;
        for (let r = j; r < batch.length; r += width) {
          if (batch[r] !== null) {
            bound[j] = true;
            break;
          }
        }
        if (bound[j]) key += 2 ** j;
        else all = false;
      }
    }
    if (all) {
      for (let j = 0; j < width; j++) bound[j] = true;
      key = -1;
    }
    let st = this.statement(layer, key, bound);
    if (!st) {
      for (let j = 0; j < width; j++) bound[j] = true;
      st = this.statement(layer, -1, bound);
      all = true;
    }
    if (!all) {
      let w = 0;
      for (let r = 0; r < batch.length; r += width) for (let j = 0; j < width; j++) if (bound[j]) batch[w++] = batch[r + j];
      batch.length = w;
    }
    return st!.run(batch).lastInsertRowid as number;
  }

  /** Validate every feature; issues for all of them, with file, index, id and field (duplicates and existing ids too). */
  validateAll(
    layer: LayerName,
    list: readonly unknown[],
    fileName: string,
    existing: Set<string>,
    indexOf: (i: number) => number = (i) => i,
    given?: readonly CoercedFeature[],
  ): { coerced: CoercedFeature[]; issues: ValidationIssue[] } {
    return this.validateBatch(layer, list, fileName, existing, new Map(), indexOf, given);
  }

  /**
   * validateAll for one batch of a longer stream: `seen` (id → index of its
   * first feature) carries over from batch to batch so that duplicates across
   * batches are found; `indexOf` gives a feature's index in the whole file.
   */
  validateBatch(
    layer: LayerName,
    list: readonly unknown[],
    fileName: string,
    existing: ReadonlySet<string>,
    seen: Map<string, number>,
    indexOf: (i: number) => number = (i) => i,
    given?: readonly CoercedFeature[],
  ): { coerced: CoercedFeature[]; issues: ValidationIssue[] } {
    const def = layerDef(layer)!;
    const issues: ValidationIssue[] = [];
    const coerced: CoercedFeature[] = new Array(list.length);
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

  /** Insert validated rows (defaults applied), inside the caller's transaction. */
  insert(layer: LayerName, rows: readonly CoercedFeature[]): void {
    if (rows.length === 0) return;
    const load = this.begin(layer, rows.length >= BULK_RTREE_MIN_ROWS);
    load.add(rows);
    load.finish();
  }

  /**
   * A load in parts, inside the caller's transaction: `add` inserts a batch of
   * validated rows, `finish` packs the spatial index once over all of them
   * (with `packed`; else the per-row trigger indexes each row) and reports the
   * change. Only the rows' envelopes and fids are kept between batches.
   */
  begin(layer: LayerName, packed: boolean): { add(rows: readonly CoercedFeature[]): void; finish(): void } {
    const db = this.conn.db;
    const l = this.features.layer(layer);
    const rtree = rtreeName(layer);
    let env = new Float64Array(packed ? 4096 : 0);
    let fids = new Float64Array(packed ? 1024 : 0);
    let n = 0;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    // the geometries for the change event, while few enough to be reported box by box
    let changed: Geometry[] | null = [];
    if (packed) db.exec(`DROP TRIGGER ${q(`${rtree}_insert`)}`);
    const deferred = packed ? DEFERRED_INSERT_TRIGGERS[layer] : undefined;
    const deferredSql = deferred ? (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).pluck().get(deferred.name) as string | undefined) : undefined;
    if (deferredSql) db.exec(`DROP TRIGGER ${q(deferred!.name)}`);
    const width = l.fields.length + 2;
    const bound: boolean[] = new Array(width).fill(true);
    const batch: Value[] = [];
    const add = (rows: readonly CoercedFeature[]) => {
      if (packed && n + rows.length > fids.length) {
        const cap = Math.max(fids.length * 2, n + rows.length);
        const f = new Float64Array(cap);
        f.set(fids.subarray(0, n));
        fids = f;
        const e = new Float64Array(cap * 4);
        e.set(env.subarray(0, n * 4));
        env = e;
      }
      // Rows go in BULK_ROWS at a time through one multi-row INSERT: fewer statement runs, same rowid order.
      let batchStart = 0;
      batch.length = 0;
      for (let i = 0; i < rows.length; i++) {
        const geometry = rows[i].geometry as Geometry;
        if (rows.length - batchStart >= BULK_ROWS) {
          this.features.appendRow(l, rows[i], true, batch);
          if (i - batchStart === BULK_ROWS - 1) {
            const last = this.insertGroup(layer, width, batch, bound);
            if (packed) for (let k = 0; k < BULK_ROWS; k++) fids[n + batchStart + k] = last - BULK_ROWS + 1 + k;
            batch.length = 0;
            batchStart = i + 1;
          }
        } else {
          const params: Value[] = [];
          this.features.appendRow(l, rows[i], true, params);
          const fid = l.insert.run(params).lastInsertRowid as number;
          if (packed) fids[n + i] = fid;
          batchStart = i + 1;
        }
        const e = envelopeOf(geometry)!;
        if (packed) {
          const k = (n + i) * 4;
          env[k] = e.minX;
          env[k + 1] = e.maxX;
          env[k + 2] = e.minY;
          env[k + 3] = e.maxY;
        }
        if (e.minX < x0) x0 = e.minX;
        if (e.minY < y0) y0 = e.minY;
        if (e.maxX > x1) x1 = e.maxX;
        if (e.maxY > y1) y1 = e.maxY;
        if (changed) {
          if (changed.length < CHANGE_GEOMETRIES_MAX) changed.push(geometry);
          else changed = null;
        }
      }
      n += rows.length;
    };
    const finish = () => {
      if (packed) {
        // Rows already indexed keep their (float32) boxes; the tree is rebuilt over old and new together.
        const old = db.prepare(`SELECT id, minx, maxx, miny, maxy FROM ${q(rtree)}`).raw(true).all() as number[][];
        const ids = new Float64Array(old.length + n);
        const boxes = new Float64Array(ids.length * 4);
        old.forEach((r, i) => {
          ids[i] = r[0];
          boxes.set([r[1], r[2], r[3], r[4]], i * 4);
        });
        ids.set(fids.subarray(0, n), old.length);
        boxes.set(env.subarray(0, n * 4), old.length * 4);
        bulkLoadRtree(db, rtree, ids, boxes);
        db.exec(rtreeInsertTriggerDdl(layer));
      }
      if (deferredSql) {
        // the new rows are those from the first one on (fids only grow)
        if (n > 0) db.prepare(deferred!.rows).run(fids[0]);
        db.exec(deferredSql);
      }
      if (n === 0) return;
      this.features.rowsChanged(layer);
      this.conn.touch(layer, { type: 'LineString', coordinates: [[x0, y0], [x1, y1]] as Position[] });
      this.conn.emitChange(layer, changed);
    };
    return { add, finish };
  }
}

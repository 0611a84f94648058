/**
 * Summaries of the project computed in SQL, at any size, without reading
 * whole features: the pipe totals of `warmnet info` and the map legend (one
 * GROUP BY over the class fields and the geometry's length), layer counts and
 * the extent of every layer (from the root node of its R-tree).
 *
 * The classes and the length come from core's own functions, called by SQLite
 * for each row (application-defined SQL functions), so these totals are the
 * ones `projectInfo` computes from the features, by construction.
 *
 * After one full pass the pipe totals per class are kept, and an edit adjusts
 * them instead of another pass: temporary triggers (this connection's only,
 * nothing is written to the file's schema) log each touched pipe's old and
 * new class fields and length in a temporary table inside the edit's own
 * transaction (a rollback takes the log back with it); the next read takes
 * the old contributions out and puts the new ones in. Anything the log cannot
 * be sure of goes back to the full pass: a whole layer replaced or a bulk
 * import (more than PIPE_DELTA_MAX rows), a settings change, another program's
 * write (the file's data_version moved), another classifier, a read inside an
 * open transaction.
 */
import { decodeGpkgGeometry, eachLineVertex, isEmptyGpkgGeometry } from '../../../core/geo/gpkgGeometry';
import { lonLatDistanceM } from '../../../core/geo/length';
import type { Geometry } from '../../../core/model/geojson';
import { PIPE_CLASS_FIELDS, pipeLengthM, planLevel, type PipeTotals } from '../../../core/plan/info';
import { LAYERS } from '../../../core/model/schema';
import type { Feature } from '../../../core/model/types';
import type { BBox } from '../../../core/model/geojson';
import type { Connection } from './connection';
import { q, rtreeName } from './gpkg';

/** Classifies one pipe from its class fields (in PIPE_CLASS_FIELDS order, as an object). */
export type PipeClassifier = (props: Record<string, unknown>) => string;

/** Cells of an R-tree node: 2 bytes depth (root only), 2 bytes count, then per cell an 8-byte id and four float32 (minx, maxx, miny, maxy), big-endian (SQLite's rtree.c). */
const CELL_BYTES = 8 + 4 * 4;

/** Pipes per step of pipeTotalsSteps: some tens of milliseconds of work. */
export const PIPE_ROWS_PER_STEP = 20_000;

/** Touched pipe rows logged between two reads of the totals, above which the next read is a full pass (a bulk import). */
export const PIPE_DELTA_MAX = 10_000;

const DELTA_TABLE = 'temp.warmnet_pipe_delta';

type ClassTotal = { key: string; count: number; km: number };

export class Summaries {
  private registered = false;
  private trackingReady = false;
  /** Totals per class key as of the last read, with the classifier and the file's data_version they hold for. */
  private kept: { classify: PipeClassifier; byKey: Map<string, ClassTotal>; dataVersion: number } | null = null;
  /** Whether the triggers log touched pipes (from the start of a full pass while totals are kept). */
  private tracking = false;
  /** Rows logged since the log was last emptied. */
  private logged = 0;
  /** How many pipe totals were computed by a full pass and how many from the kept totals and the log (tests read them). */
  readonly passes = { full: 0, incremental: 0 };

  constructor(private readonly conn: Connection) {
    conn.onChange((c) => {
      // another program's write or a settings change (layer null); a whole layer replaced or thousands of rows (boxes null)
      if (c.layer === null || (c.layer === 'pipes' && c.boxes === null)) this.forget();
    });
  }

  private forget(): void {
    this.kept = null;
    this.tracking = false;
  }

  private register(): void {
    if (this.registered) return;
    const db = this.conn.db;
    // pipeLengthM of the row: a LineString's geodesic length from its bytes, else the general decoder
    let sum = 0, px = NaN, py = NaN;
    const vertex = (x: number, y: number) => {
      if (!Number.isNaN(px)) sum += lonLatDistanceM(px, py, x, y);
      px = x;
      py = y;
    };
    db.function('warmnet_pipe_km', { deterministic: true }, (geom: unknown, lengthM: unknown) => {
      const blob = geom instanceof Uint8Array && geom.length >= 8 ? geom : null;
      if (blob && !isEmptyGpkgGeometry(blob)) {
        sum = 0;
        px = py = NaN;
        if (eachLineVertex(blob, vertex)) return sum / 1000;
      }
      const geometry = blob ? decodeGpkgGeometry(blob) : (null as unknown as Geometry);
      return pipeLengthM({ type: 'Feature', id: '', geometry, properties: { length_m: lengthM } } as Feature) / 1000;
    });
    this.registered = true;
  }

  /** The log table and the temporary triggers that fill it (this connection only; created on the first full pass). */
  private installTracking(): void {
    if (this.trackingReady) return;
    const db = this.conn.db;
    db.function('warmnet_pipe_track', { deterministic: false }, () => {
      if (!this.tracking) return 0;
      if (++this.logged > PIPE_DELTA_MAX) {
        // a bulk write: the next read is a full pass
        this.forget();
        return 0;
      }
      return 1;
    });
    const cols = PIPE_CLASS_FIELDS.map(q);
    const of = (row: 'OLD' | 'NEW') => `${cols.map((c) => `${row}.${c}`).join(', ')}, warmnet_pipe_km(${row}.geom, ${row}.length_m)`;
    // each logged row carries the pipe's fid: a full pass that a write lands in tells by it whether it read the row before or after
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS warmnet_pipe_delta (sign INTEGER, fid INTEGER, ${cols.join(', ')}, km REAL)`);
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS warmnet_pipe_delta_insert AFTER INSERT ON main.pipes WHEN warmnet_pipe_track()
      BEGIN INSERT INTO ${DELTA_TABLE} VALUES (1, NEW.fid, ${of('NEW')}); END`);
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS warmnet_pipe_delta_delete AFTER DELETE ON main.pipes WHEN warmnet_pipe_track()
      BEGIN INSERT INTO ${DELTA_TABLE} VALUES (-1, OLD.fid, ${of('OLD')}); END`);
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS warmnet_pipe_delta_update AFTER UPDATE ON main.pipes WHEN warmnet_pipe_track()
      BEGIN INSERT INTO ${DELTA_TABLE} VALUES (-1, OLD.fid, ${of('OLD')}); INSERT INTO ${DELTA_TABLE} VALUES (1, NEW.fid, ${of('NEW')}); END`);
    this.trackingReady = true;
  }

  private dataVersion(): number {
    return this.conn.db.pragma('data_version', { simple: true }) as number;
  }

  /** The kept totals moved by the logged rows, or null when they cannot be trusted (then a full pass follows). */
  private fromKept(classify: PipeClassifier): Map<string, ClassTotal> | null {
    const k = this.kept;
    const db = this.conn.db;
    // inside an open transaction the log may yet be rolled back: no drain
    if (!k || !this.tracking || k.classify !== classify || db.inTransaction || k.dataVersion !== this.dataVersion()) return null;
    const n = PIPE_CLASS_FIELDS.length;
    for (const row of db.prepare(`SELECT ${PIPE_CLASS_FIELDS.map(q).join(', ')}, sign, km FROM ${DELTA_TABLE}`).raw(true).iterate() as Iterable<unknown[]>) {
      const props: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) props[PIPE_CLASS_FIELDS[i]] = row[i];
      const key = classify(props);
      const sign = row[n] as number, km = row[n + 1] as number;
      let g = k.byKey.get(key);
      if (!g) k.byKey.set(key, (g = { key, count: 0, km: 0 }));
      g.count += sign;
      g.km += sign * km;
      if (g.count === 0) k.byKey.delete(key);
    }
    db.exec(`DELETE FROM ${DELTA_TABLE}`);
    this.logged = 0;
    return k.byKey;
  }

  /**
   * Pipe totals per class key and per project year and level, in aggregate
   * queries: pipes are grouped by the raw values of their class fields in SQL,
   * and each group (not each pipe) is classified.
   */
  pipeTotals(classify: PipeClassifier): PipeTotals {
    const steps = this.pipeTotalsSteps(classify, Number.MAX_SAFE_INTEGER);
    let r = steps.next();
    while (!r.done) r = steps.next();
    return r.value;
  }

  /**
   * pipeTotals in steps of about `rowsPerStep` pipes (by fid), pausing between
   * them, so that a caller can answer other requests meanwhile (a million pipes
   * take seconds). Edits may land between steps: the log tells for each touched
   * row whether the pass had read it already (its old and new contributions
   * then move the totals) or reads it later (as it is by then: the logged rows
   * go). The totals returned are those after the last write before the end.
   * Writes the log cannot follow (a bulk import, a settings change, another
   * program) start the pass again.
   */
  *pipeTotalsSteps(classify: PipeClassifier, rowsPerStep = PIPE_ROWS_PER_STEP): Generator<void, PipeTotals, void> {
    this.register();
    const db = this.conn.db;
    const kept = this.fromKept(classify);
    if (kept) {
      this.passes.incremental++;
      return { classes: [...kept.values()].map((g) => ({ ...g })), linked: this.linked() };
    }
    // A full pass: the log starts empty here, and the totals are kept if nothing was logged meanwhile.
    this.passes.full++;
    this.forget();
    const keep = !db.inTransaction;
    if (keep) {
      this.installTracking();
      db.exec(`DELETE FROM ${DELTA_TABLE}`);
      this.logged = 0;
      this.tracking = true;
    }
    const version = this.dataVersion();
    const cols = PIPE_CLASS_FIELDS.map(q).join(', ');
    const byKey = new Map<string, ClassTotal>();
    const groups = db
      .prepare(`SELECT ${cols}, count(*), total(warmnet_pipe_km(geom, length_m)) FROM pipes WHERE fid > ? AND fid <= ? GROUP BY ${PIPE_CLASS_FIELDS.map((_, i) => i + 1).join(', ')}`)
      .raw(true);
    const last = (db.prepare('SELECT max(fid) FROM pipes').pluck().get() as number | null) ?? 0;
    const logEnd = db.prepare(`SELECT coalesce(max(rowid), 0) FROM ${DELTA_TABLE}`).pluck();
    const drop = db.prepare(`DELETE FROM ${DELTA_TABLE} WHERE rowid > ? AND rowid <= ? AND fid > ? AND fid <= ?`);
    /** Rows logged while the pass paused: those of pipes it read later go (it read them as they were by then). */
    const settle = (from: number, readUpTo: number) => {
      if (!keep || !this.tracking) return;
      const to = logEnd.get() as number;
      if (to > from) drop.run(from, to, readUpTo, last);
    };
    let logged = keep ? (logEnd.get() as number) : 0;
    for (let lo = 0; lo < last; lo += rowsPerStep) {
      if (lo > 0) {
        settle(logged, lo);
        if (keep) logged = logEnd.get() as number;
      }
      if (keep && !this.tracking) return yield* this.pipeTotalsSteps(classify, rowsPerStep);
      for (const row of groups.iterate(lo, Math.min(last, lo + rowsPerStep)) as Iterable<unknown[]>) {
        const props: Record<string, unknown> = {};
        for (let i = 0; i < PIPE_CLASS_FIELDS.length; i++) props[PIPE_CLASS_FIELDS[i]] = row[i];
        const key = classify(props);
        const count = row[PIPE_CLASS_FIELDS.length] as number, km = row[PIPE_CLASS_FIELDS.length + 1] as number;
        const g = byKey.get(key);
        if (g) {
          g.count += count;
          g.km += km;
        } else byKey.set(key, { key, count, km });
      }
      if (lo + rowsPerStep < last) yield;
    }
    if (keep && this.tracking && this.dataVersion() === version) {
      // what the log still holds moves the totals read to those of now
      this.kept = { classify, byKey: new Map([...byKey].map(([k, g]) => [k, { ...g }])), dataVersion: version };
      if ((db.prepare(`SELECT count(*) FROM ${DELTA_TABLE}`).pluck().get() as number) > 0) {
        const now = this.fromKept(classify);
        if (now) return { classes: [...now.values()].map((g) => ({ ...g })), linked: this.linked() };
        return yield* this.pipeTotalsSteps(classify, rowsPerStep);
      }
    } else {
      const wrote = keep && (!this.tracking || this.dataVersion() !== version);
      this.forget();
      // the log could not follow what was written meanwhile: read again
      if (wrote) return yield* this.pipeTotalsSteps(classify, rowsPerStep);
    }
    return { classes: [...byKey.values()], linked: this.linked() };
  }

  /** Per project year and level, the pipes linked to its projects and their km (few rows, an indexed join). */
  private linked(): PipeTotals['linked'] {
    const db = this.conn.db;
    // Membership: the links, and a pipe's own project_id (kept in step by migration 0009's triggers, but another program may set it).
    const linked = (
      db
        .prepare(
          `WITH links(project_id, pipe_id) AS (
             SELECT project_id, feature_id FROM project_features WHERE layer = 'pipes'
             UNION SELECT project_id, id FROM pipes WHERE project_id IS NOT NULL),
           per_year(year, pipe_id) AS (SELECT DISTINCT p.year, l.pipe_id FROM links l JOIN projects p ON p.id = l.project_id)
           SELECT y.year AS year, t.level AS level, count(*) AS pipes, total(warmnet_pipe_km(t.geom, t.length_m)) AS km
           FROM per_year y JOIN pipes t ON t.id = y.pipe_id GROUP BY y.year, t.level`,
        )
        .all() as { year: number; level: unknown; pipes: number; km: number }[]
    ).map((r) => ({ ...r, level: planLevel(r.level) }));
    return linked;
  }

  /** Rows of project_features. */
  projectLinks(): number {
    return this.conn.db.prepare('SELECT count(*) FROM project_features').pluck().get() as number;
  }

  /**
   * Extent of every layer, the union of the cells of each R-tree's root node
   * (SQLite keeps a parent's cell the bounding box of its child through inserts
   * and deletes): the same float32-rounded box as min/max over the whole
   * index, without reading it.
   */
  bbox(): BBox | null {
    let b: BBox | null = null;
    for (const def of LAYERS) {
      const root = this.conn.db.prepare(`SELECT data FROM ${q(`${rtreeName(def.name)}_node`)} WHERE nodeno = 1`).pluck().get() as Uint8Array | undefined;
      if (!root || root.length < 4) continue;
      const view = new DataView(root.buffer, root.byteOffset, root.byteLength);
      const n = view.getUint16(2);
      for (let i = 0; i < n; i++) {
        const o = 4 + i * CELL_BYTES + 8;
        const minx = view.getFloat32(o), maxx = view.getFloat32(o + 4), miny = view.getFloat32(o + 8), maxy = view.getFloat32(o + 12);
        b = b ? [Math.min(b[0], minx), Math.min(b[1], miny), Math.max(b[2], maxx), Math.max(b[3], maxy)] : [minx, miny, maxx, maxy];
      }
    }
    return b;
  }
}

/**
 * Summaries of the project computed in SQL, at any size, without reading
 * whole features: the pipe totals of `warmnet info` and the map legend (one
 * GROUP BY over the class fields and the geometry's length), layer counts and
 * the extent of every layer (from the root node of its R-tree).
 *
 * The classes and the length come from core's own functions, called by SQLite
 * for each row (application-defined SQL functions), so these totals are the
 * ones `projectInfo` computes from the features, by construction.
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

export class Summaries {
  private registered = false;
  constructor(private readonly conn: Connection) {}

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
   * take seconds). Nothing may write between steps: the caller checks the
   * revision and starts again when it moved.
   */
  *pipeTotalsSteps(classify: PipeClassifier, rowsPerStep = PIPE_ROWS_PER_STEP): Generator<void, PipeTotals, void> {
    this.register();
    const db = this.conn.db;
    const cols = PIPE_CLASS_FIELDS.map(q).join(', ');
    const byKey = new Map<string, { key: string; count: number; km: number }>();
    const groups = db
      .prepare(`SELECT ${cols}, count(*), total(warmnet_pipe_km(geom, length_m)) FROM pipes WHERE fid > ? AND fid <= ? GROUP BY ${PIPE_CLASS_FIELDS.map((_, i) => i + 1).join(', ')}`)
      .raw(true);
    const last = (db.prepare('SELECT max(fid) FROM pipes').pluck().get() as number | null) ?? 0;
    for (let lo = 0; lo < last; lo += rowsPerStep) {
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
    return { classes: [...byKey.values()], linked };
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

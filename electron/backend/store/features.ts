/**
 * Feature rows of the layers: per-layer prepared SQL, rows ⇄ GeoJSON
 * features (geometry codec, bool fields, extra properties, computed
 * length), reads, and single-row writes that return their inverse for the
 * undo journal.
 */
import type Database from 'better-sqlite3';
import { decodeGpkgGeometry, encodeGpkgGeometry } from '../../../core/geo/gpkgGeometry';
import { lineLengthM } from '../../../core/geo/length';
import type { BBox, Geometry } from '../../../core/model/geojson';
import { EXTRA_COLUMN, layerDef, type FieldDef, type LayerDef, type LayerName } from '../../../core/model/schema';
import type { Feature } from '../../../core/model/types';
import { coerceFeature, type CoercedFeature } from '../../../core/model/validate';
import type { Connection, Value } from './connection';
import { ValidationError } from './errors';
import { columnFields, q, rtreeName } from './gpkg';
import type { Op } from './ops';

/** Per-layer SQL, prepared once per connection. */
export interface LayerSql {
  /** Features in a box through the R-tree (prepared on first use). */
  inBox?: Database.Statement;
  inBoxSizes?: Database.Statement;
  byFid?: Database.Statement;
  def: LayerDef;
  fields: FieldDef[];
  select: Database.Statement;
  selectOne: Database.Statement;
  insert: Database.Statement;
  update: Database.Statement;
  remove: Database.Statement;
  exists: Database.Statement;
  ids: Database.Statement;
}

/** Geometry blobs come from Node's buffer pool: a fresh ArrayBuffer per row costs more than the row. */
const allocBlob = (bytes: number): Uint8Array => Buffer.allocUnsafe(bytes);

function bindValue(f: FieldDef, v: Value | undefined): Value {
  if (v === undefined || v === null) return null;
  if (f.type === 'bool') return v ? 1 : 0;
  return v;
}

export class FeatureTables {
  private readonly layers = new Map<LayerName, LayerSql>();
  /** Feature counts per layer, kept until rows are inserted or deleted (rowsChanged) or another program writes. */
  private readonly counts = new Map<LayerName, number>();

  constructor(
    private readonly conn: Connection,
    private readonly year: number,
  ) {
    conn.onChange((c) => {
      // another program's write (layer null) or a whole layer replaced (boxes null)
      if (c.layer === null) this.counts.clear();
      else if (c.boxes === null) this.counts.delete(c.layer);
    });
  }

  /** Rows were inserted into or deleted from a layer: its count is read again. */
  rowsChanged(layer: LayerName): void {
    this.counts.delete(layer);
  }

  private prepare(def: LayerDef): LayerSql {
    const db = this.conn.db;
    const fields = columnFields(def.fields);
    const t = q(def.name);
    const cols = fields.map((f) => q(f.name));
    const selectCols = `geom, ${cols.join(', ')}, ${q(EXTRA_COLUMN)}`;
    const placeholders = ['?', ...fields.map(() => '?'), '?'].join(', ');
    return {
      def,
      fields,
      select: db.prepare(`SELECT ${selectCols} FROM ${t} ORDER BY fid`).raw(true),
      selectOne: db.prepare(`SELECT ${selectCols} FROM ${t} WHERE id = ?`).raw(true),
      insert: db.prepare(`INSERT INTO ${t} (${selectCols}) VALUES (${placeholders})`),
      update: db.prepare(`UPDATE ${t} SET geom = ?, ${[...cols, q(EXTRA_COLUMN)].map((c) => `${c} = ?`).join(', ')} WHERE id = ?`),
      remove: db.prepare(`DELETE FROM ${t} WHERE id = ?`),
      exists: db.prepare(`SELECT 1 FROM ${t} WHERE id = ?`).pluck(),
      ids: db.prepare(`SELECT id FROM ${t} ORDER BY fid`).pluck(),
    };
  }

  /** The prepared SQL of a layer (prepared on first use); an unknown name is a validation error. */
  layer(name: LayerName): LayerSql {
    let l = this.layers.get(name);
    if (!l) {
      const def = layerDef(name);
      if (!def) throw new ValidationError([{ message: `unknown layer "${name}"` }]);
      l = this.prepare(def);
      this.layers.set(name, l);
    }
    return l;
  }

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
    let geometry: Geometry | null = blob ? decodeGpkgGeometry(blob) : null;
    // Polygon layers are stored MULTIPOLYGON (0004); one parcel reads back as the Polygon it was.
    if (geometry?.type === 'MultiPolygon' && geometry.coordinates.length === 1) geometry = { type: 'Polygon', coordinates: geometry.coordinates[0] };
    // A NULL shape (the column allows one; only another program writes it) passes on as GeoJSON's null geometry;
    // the readers that can meet one (tiles, lengths, checks) test for it.
    return { type: 'Feature', id: props.id as string, geometry: geometry as Geometry, properties: props };
  }

  list(layer: LayerName): Feature[] {
    const l = this.layer(layer);
    const rows = l.select.all() as unknown[][];
    const out: Feature[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.rowToFeature(l, rows[i]);
    return out;
  }

  /** Pipes linked to a project: named in project_features or carrying a project_id (file order). */
  linkedPipes(): Feature[] {
    const l = this.layer('pipes');
    const cols = ['geom', ...l.fields.map((f) => q(f.name)), q(EXTRA_COLUMN)].join(', ');
    const rows = this.conn.db
      .prepare(`SELECT ${cols} FROM pipes WHERE (project_id IS NOT NULL AND project_id <> '') OR id IN (SELECT feature_id FROM project_features WHERE layer = 'pipes') ORDER BY fid`)
      .raw(true)
      .all() as unknown[][];
    return rows.map((r) => this.rowToFeature(l, r));
  }

  get(layer: LayerName, id: string): Feature | undefined {
    const l = this.layer(layer);
    const row = l.selectOne.get(id) as unknown[] | undefined;
    return row ? this.rowToFeature(l, row) : undefined;
  }

  has(layer: LayerName, id: string): boolean {
    return Boolean(this.layer(layer).exists.get(id));
  }

  ids(layer: LayerName): string[] {
    return this.layer(layer).ids.all() as string[];
  }

  /** Number of features in a layer: counted once, then kept until rows come or go (an update keeps it). */
  count(layer: LayerName): number {
    const hit = this.counts.get(layer);
    if (hit !== undefined) return hit;
    const n = this.conn.db.prepare(`SELECT count(*) FROM ${q(this.layer(layer).def.name)}`).pluck().get() as number;
    // inside a transaction the count may yet be rolled back: not kept
    if (!this.conn.db.inTransaction) this.counts.set(layer, n);
    return n;
  }

  /**
   * Features whose envelope meets `box`, found through the layer's spatial
   * index (no scan of the table). With `minSize`, features smaller than that
   * in both directions (degrees) are left out: what a low-zoom tile cannot show.
   */
  inBox(layer: LayerName, box: BBox, minSize = 0, limit = Infinity): Feature[] {
    const db = this.conn.db;
    const l = this.layer(layer);
    const t = q(l.def.name);
    const rt = q(rtreeName(l.def.name));
    const cols = ['geom', ...l.fields.map((f) => q(f.name)), q(EXTRA_COLUMN)].map((c) => `t.${c}`).join(', ');
    const where = `r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? AND (r.maxx - r.minx >= ? OR r.maxy - r.miny >= ?)`;
    const args = [box[0], box[2], box[1], box[3], minSize, minSize];
    let rows: unknown[][];
    if (Number.isFinite(limit)) {
      // more than `limit` in the box: the largest ones (what a low zoom shows), from the index alone first
      l.inBoxSizes ??= db.prepare(`SELECT r.id, max(r.maxx - r.minx, r.maxy - r.miny) FROM ${rt} r WHERE ${where}`).raw(true);
      const found = l.inBoxSizes.all(...args) as [number, number][];
      if (found.length > limit) {
        found.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        const keep = found.slice(0, limit).map((r) => r[0]).sort((a, b) => a - b);
        l.byFid ??= db.prepare(`SELECT ${cols} FROM ${t} t WHERE t.fid = ?`).raw(true);
        rows = keep.map((fid) => l.byFid!.get(fid) as unknown[]).filter(Boolean);
        return rows.map((r) => this.rowToFeature(l, r));
      }
    }
    l.inBox ??= db.prepare(`SELECT ${cols} FROM ${rt} r JOIN ${t} t ON t.fid = r.id WHERE ${where} ORDER BY r.id`).raw(true);
    rows = l.inBox.all(...args) as unknown[][];
    const out: Feature[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.rowToFeature(l, rows[i]);
    return out;
  }

  /** One page of a layer's attribute rows (the attribute table): sorted by a field, filtered on its text fields. */
  page(layer: LayerName, opts: { offset: number; limit: number; sort?: string; desc?: boolean; filter?: string }): { total: number; rows: Record<string, unknown>[] } {
    const db = this.conn.db;
    const l = this.layer(layer);
    const field = opts.sort === undefined ? undefined : l.fields.find((f) => f.name === opts.sort);
    if (opts.sort !== undefined && !field) throw new ValidationError([{ file: layer, field: opts.sort, message: `no field "${opts.sort}" in ${layer}` }]);
    const text = l.fields.filter((f) => f.type === 'text' || f.type === 'date');
    const f = opts.filter?.trim().toLowerCase();
    const where = f ? `WHERE ${text.map((t) => `instr(lower(coalesce(${q(t.name)}, '')), ?) > 0`).join(' OR ')}` : '';
    const args = f ? text.map(() => f) : [];
    const total = db.prepare(`SELECT count(*) FROM ${q(layer)} ${where}`).pluck().get(...args) as number;
    const order = field ? `${q(field.name)} IS NULL, ${q(field.name)} ${opts.desc ? 'DESC' : 'ASC'}, fid` : 'fid';
    const cols = [...l.fields.map((c) => q(c.name)), q(EXTRA_COLUMN)].join(', ');
    const raw = db.prepare(`SELECT NULL, ${cols} FROM ${q(layer)} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).raw(true).all(...args, opts.limit, opts.offset) as unknown[][];
    // rowToFeature without the geometry (column 0 is NULL)
    return { total, rows: raw.map((r) => this.rowToFeature(l, r).properties) };
  }

  /** Push a row's parameters onto `out`: geometry blob, schema values (defaults for omitted fields when asked), extras. */
  appendRow(l: LayerSql, c: CoercedFeature, applyDefaults: boolean, out: Value[]): void {
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

  /** Validate one feature with this store's year; throws ValidationError naming the layer, feature and field. */
  coerceOrThrow(layer: LayerName, feature: unknown): CoercedFeature {
    const c = coerceFeature(layer, feature, { year: this.year });
    if (c.issues.length > 0) throw new ValidationError(c.issues.map((i) => ({ ...i, file: i.file ?? layer })));
    return c;
  }

  /** Write a full feature (insert, or replace the row `replaceId` / its own id); returns the inverse operation. */
  put(layer: LayerName, c: CoercedFeature, applyDefaults: boolean, replaceId?: string): Op {
    const l = this.layer(layer);
    const oldId = replaceId ?? c.id;
    const before = this.get(layer, oldId);
    const params: Value[] = [];
    this.appendRow(l, c, applyDefaults && !before, params);
    if (before) l.update.run([...params, oldId]);
    else {
      l.insert.run(params);
      this.rowsChanged(layer);
    }
    this.conn.touch(layer, c.geometry);
    this.conn.emitChange(layer, [before?.geometry, c.geometry as Geometry], oldId === c.id ? [c.id] : [oldId, c.id]);
    if (!before) return { t: 'del', layer, id: c.id };
    return { t: 'put', layer, feature: before };
  }

  /** Delete one row; returns the feature it held, or undefined when there was none. */
  remove(layer: LayerName, id: string): Feature | undefined {
    const before = this.get(layer, id);
    if (!before) return undefined;
    this.layer(layer).remove.run(id);
    this.rowsChanged(layer);
    this.conn.touch(layer, null);
    this.conn.emitChange(layer, [before.geometry], [id]);
    return before;
  }

  /** Delete many rows; returns the features they held. */
  removeMany(layer: LayerName, ids: readonly string[]): Feature[] {
    const l = this.layer(layer);
    const wanted = new Set(ids);
    // Many ids: one scan of the layer beats a lookup per id.
    const before = ids.length > 1000 ? this.list(layer).filter((f) => wanted.has(f.id)) : (ids.map((id) => this.get(layer, id)).filter(Boolean) as Feature[]);
    for (const f of before) l.remove.run(f.id);
    this.rowsChanged(layer);
    this.conn.touch(layer, null);
    this.conn.emitChange(layer, before.map((f) => f.geometry), before.map((f) => f.id));
    return before;
  }
}

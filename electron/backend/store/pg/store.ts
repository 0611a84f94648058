/**
 * PgStore: a WarmNet project in a PostgreSQL/PostGIS schema, for several
 * people at once. Reads give the same plain data as the GeoPackage store
 * (core never knows which one fed it); writes are versioned: a save names the
 * version it started from, and a save against a stale version comes back as
 * a Conflict (mine / theirs per field), never as a silent overwrite.
 * Every write is one transaction; the server's journal (ddl.ts) records who
 * changed what, and undo takes back only the caller's own edits.
 */
import type pg from 'pg';
import { emptyLayers, type ProjectData, type ProjectFeatureRow, type ProjectRow } from '../../../../core/model/project';
import { LAYERS, TABLES, isLayerName, type LayerName } from '../../../../core/model/schema';
import { resolveSettings } from '../../../../core/model/settings';
import type { Feature } from '../../../../core/model/types';
import { coerceFeature } from '../../../../core/model/validate';
import type { FeaturePatch } from '../api';
import { ValidationError } from '../errors';
import { journalToFeature, layerCols, rowParams, rowToFeature } from './rows';
import { PG_LAYOUT_VERSION, missingColumns } from './ddl';
import { connect, ident, inTransaction, parsePgUrl, type PgTarget } from './url';

export type Role = 'viewer' | 'editor' | 'admin';

export interface VersionedFeature {
  feature: Feature;
  version: number;
}

/** One field of a conflict: what the caller wants, what the server has, what both started from (when known). */
export interface FieldConflict {
  field: string;
  mine: unknown;
  theirs: unknown;
  base?: unknown;
}

export interface Conflict {
  /** A layer, or `projects` (a renovation project row, `id` its code) or `settings` (`id` "settings", one field per setting). */
  layer: LayerName | 'projects' | 'settings';
  id: string;
  /** changed: someone saved a newer version; deleted: it is gone; exists: an insert met an existing id. */
  kind: 'changed' | 'deleted' | 'exists';
  baseVersion: number | null;
  theirVersion: number | null;
  /** Fields whose values differ between mine and theirs (`geometry` for the shape). */
  fields: FieldConflict[];
  mine: Feature | null;
  theirs: Feature | null;
}

export type SaveResult = { ok: true; version: number; feature: Feature | null } | { ok: false; conflict: Conflict };

/** A choice per field (or one for all): keep mine, take theirs, or a value typed by the user. */
export type Resolution = 'mine' | 'theirs' | Record<string, 'mine' | 'theirs' | { value: unknown }>;

export interface ChangeEvent {
  layer: string;
  id: string;
  op: 'insert' | 'update' | 'delete';
  version: number;
  user: string;
  seq: number;
}

export interface HistoryRow {
  seq: number;
  at: string;
  user: string;
  dbUser: string;
  label: string | null;
  layer: string;
  featureId: string;
  op: string;
  version: number;
  undo: boolean;
  undone: boolean;
  /** Fields that changed (for an update), with the value before and after. */
  changes: { field: string; before: unknown; after: unknown }[];
}

export class PermissionError extends Error {
  /** The failure code the bridge carries (failure.ts reads `code`). */
  readonly code = 'not_permitted';
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

/** One feature of a live save: as the client read it (with its server version) and as the client wants it (null: deleted). */
export interface LiveChange {
  layer: LayerName;
  id: string;
  before: Feature | null;
  after: Feature | null;
  /** The server version `before` was read at (null for a new feature). */
  baseVersion: number | null;
}

export type LiveSaveResult = { ok: true; versions: Record<string, number | null> } | { ok: false; conflict: Conflict };

/** The server refused for lack of a privilege (SQLSTATE 42501: a viewer's write, whatever program sends it). */
export const isPrivilegeError = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '42501';

/** Fields of a feature as compared in conflicts: the schema's properties, the extras, and `geometry`. */
export function fieldMap(f: Feature | null): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (!f) return m;
  for (const [k, v] of Object.entries(f.properties ?? {})) m.set(k, v);
  m.set('geometry', f.geometry);
  return m;
}

export const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Same fields and shape (computed fields such as length left out: they follow the geometry). */
export function sameFeature(layer: LayerName, a: Feature | null, b: Feature | null): boolean {
  return diffFields(layer, a, b).length === 0;
}

/** Fields where mine and theirs differ (computed fields such as length follow the geometry and are left out). */
export function diffFields(layer: LayerName, mine: Feature | null, theirs: Feature | null, base?: Feature | null): FieldConflict[] {
  const computed = new Set(layerCols(layer).fields.filter((f) => f.computed).map((f) => f.name));
  const a = fieldMap(mine);
  const b = fieldMap(theirs);
  const c = base ? fieldMap(base) : null;
  const out: FieldConflict[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (computed.has(k) || same(a.get(k), b.get(k))) continue;
    const fc: FieldConflict = { field: k, mine: a.get(k) ?? null, theirs: b.get(k) ?? null };
    if (c) fc.base = c.get(k) ?? null;
    out.push(fc);
  }
  return out;
}

/** The feature a resolution makes: theirs with the fields the user kept from mine (or typed). */
export function resolveFeature(conflict: Conflict, choice: Resolution): Feature | null {
  const { mine, theirs } = conflict;
  if (choice === 'mine') return mine;
  if (choice === 'theirs') return theirs;
  const start = theirs ?? mine;
  if (!start) return null;
  const props: Record<string, unknown> = { ...(start.properties ?? {}) };
  let geometry = start.geometry;
  for (const f of conflict.fields) {
    const c = choice[f.field] ?? 'theirs';
    const v = c === 'mine' ? f.mine : c === 'theirs' ? f.theirs : c.value;
    if (f.field === 'geometry') geometry = v as Feature['geometry'];
    else props[f.field] = v;
  }
  return { type: 'Feature', id: String(props.id ?? start.id), geometry, properties: props } as Feature;
}

export interface PgStoreOptions {
  /** Who edits: recorded in the journal; undo takes back this user's edits only. Defaults to the database user. */
  user?: string;
  /** Year for validation of `thisYear+10` bounds (defaults to now). */
  year?: number;
}

export class PgStore {
  readonly target: PgTarget;
  readonly user: string;
  private readonly client: pg.Client;
  private readonly s: string;
  private readonly year: number;
  private listener: pg.Client | null = null;

  private constructor(target: PgTarget, client: pg.Client, user: string, year: number) {
    this.target = target;
    this.client = client;
    this.user = user;
    this.s = ident(target.schema);
    this.year = year;
  }

  /** Open a published project (`postgres://…?schema=NAME`). */
  static async open(url: string, opts: PgStoreOptions = {}): Promise<PgStore> {
    const target = parsePgUrl(url);
    const client = await connect(target);
    try {
      const r = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [target.schema]);
      if (r.rowCount === 0) throw new Error(`${target.display}: no project "${target.schema}" on this server (publish one with "warmnet publish")`);
      const meta = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'warmnet_meta'`, [target.schema]);
      if (meta.rowCount === 0) throw new Error(`${target.display}: schema "${target.schema}" is not a WarmNet project (no warmnet_meta table)`);
      await checkLayout(client, target);
      const user = opts.user ?? ((await client.query('SELECT session_user AS u')).rows[0].u as string);
      return new PgStore(target, client, user, opts.year ?? new Date().getFullYear());
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  get location(): string {
    return this.target.display;
  }

  async close(): Promise<void> {
    if (this.listener) {
      await this.listener.end().catch(() => undefined);
      this.listener = null;
    }
    await this.client.end().catch(() => undefined);
  }

  /** The raw client (tests and the publish/check-out code in this folder). */
  get connection(): pg.Client {
    return this.client;
  }

  private t(name: string): string {
    return `${this.s}.${ident(name)}`;
  }

  private layer(name: string) {
    if (!isLayerName(name)) throw new ValidationError([{ field: 'layer', message: `unknown layer "${name}"` }]);
    return layerCols(name);
  }

  // ---------------------------------------------------------------- reading

  async description(): Promise<string | null> {
    const r = await this.client.query(`SELECT value FROM ${this.t('warmnet_meta')} WHERE key = 'description'`);
    return (r.rows[0]?.value as string | undefined) ?? null;
  }

  /** What the connected user may do here: admin (settings too), editor (features and projects), viewer (read). */
  async role(): Promise<Role> {
    const r = await this.client.query(
      `SELECT has_table_privilege(current_user, $1::regclass, 'UPDATE') AS admin, has_table_privilege(current_user, $2::regclass, 'UPDATE') AS editor`,
      [`${this.target.schema}.settings`, `${this.target.schema}.pipes`],
    );
    return r.rows[0].admin ? 'admin' : r.rows[0].editor ? 'editor' : 'viewer';
  }

  /** The newest journal entry's number: what a check-out records as the server version it came from. */
  async serverSeq(): Promise<number> {
    const r = await this.client.query(`SELECT coalesce(max(seq), 0) AS n FROM ${this.t('wn_journal')}`);
    return Number(r.rows[0].n);
  }

  private async readLayer(name: LayerName, where = '', params: unknown[] = []): Promise<{ features: Feature[]; versions: number[] }> {
    const l = layerCols(name);
    const r = await this.client.query({ text: `SELECT ${l.selectList}, wn_version FROM ${this.t(name)} ${where} ORDER BY fid`, values: params, rowMode: 'array' });
    const features: Feature[] = new Array(r.rows.length);
    const versions: number[] = new Array(r.rows.length);
    const n = l.fields.length + 2;
    for (let i = 0; i < r.rows.length; i++) {
      const row = r.rows[i] as unknown[];
      features[i] = rowToFeature(l, row);
      versions[i] = row[n] as number;
    }
    return { features, versions };
  }

  private async readAll(bbox?: [number, number, number, number]): Promise<{ data: ProjectData; versions: Record<string, Record<string, number>> }> {
    const layers = emptyLayers();
    const versions: Record<string, Record<string, number>> = {};
    for (const def of LAYERS) {
      const r = bbox
        ? await this.readLayer(def.name, 'WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4490)', bbox)
        : await this.readLayer(def.name);
      (layers as Record<LayerName, Feature[]>)[def.name] = r.features;
      const v: Record<string, number> = {};
      r.features.forEach((f, i) => (v[String(f.id)] = r.versions[i]));
      versions[def.name] = v;
    }
    return { data: { layers, projects: await this.listProjects(), projectFeatures: await this.projectFeatures(), settings: await this.settings() }, versions };
  }

  /**
   * Everything as plain data for the analyses, read in one REPEATABLE READ
   * transaction: a consistent snapshot however many people are saving.
   */
  async snapshot(): Promise<ProjectData> {
    return (await this.snapshotVersioned()).data;
  }

  /** The snapshot with each feature's version and the journal position it reflects. */
  async snapshotVersioned(bbox?: [number, number, number, number]): Promise<{ data: ProjectData; versions: Record<string, Record<string, number>>; seq: number }> {
    return inTransaction(
      this.client,
      async () => {
        const r = await this.readAll(bbox);
        return { ...r, seq: await this.serverSeq() };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async listFeatures(layer: LayerName): Promise<VersionedFeature[]> {
    const r = await this.readLayer(this.layer(layer).def.name);
    return r.features.map((feature, i) => ({ feature, version: r.versions[i] }));
  }

  async getFeature(layer: LayerName, id: string): Promise<VersionedFeature | undefined> {
    const r = await this.readLayer(this.layer(layer).def.name, 'WHERE id = $1', [id]);
    return r.features.length ? { feature: r.features[0], version: r.versions[0] } : undefined;
  }

  async listProjects(): Promise<ProjectRow[]> {
    const fields = TABLES.find((t) => t.name === 'projects')!.fields;
    const r = await this.client.query(`SELECT * FROM ${this.t('projects')} ORDER BY year, id`);
    return r.rows.map((row: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f.name, row[f.name] ?? null])) as unknown as ProjectRow);
  }

  async projectFeatures(): Promise<ProjectFeatureRow[]> {
    const r = await this.client.query(`SELECT project_id, layer, feature_id FROM ${this.t('project_features')} ORDER BY fid`);
    return r.rows as ProjectFeatureRow[];
  }

  async settings() {
    const r = await this.client.query(`SELECT key, value FROM ${this.t('settings')}`);
    const out: Record<string, unknown> = {};
    for (const row of r.rows as { key: string; value: string | null }[]) {
      try {
        out[row.key] = row.value === null ? null : JSON.parse(row.value);
      } catch {
        out[row.key] = null;
      }
    }
    return resolveSettings(out);
  }

  // ---------------------------------------------------------------- writing

  /** One write transaction, with the user and the label the journal records. */
  private async write<T>(label: string, fn: () => Promise<T>, undo = false): Promise<T> {
    return inTransaction(this.client, async () => {
      await this.client.query(`SELECT set_config('warmnet.user', $1, true), set_config('warmnet.label', $2, true), set_config('warmnet.undo', $3, true)`, [
        this.user,
        label,
        undo ? 'on' : 'off',
      ]);
      return fn();
    });
  }

  private coerce(layer: LayerName, feature: Feature) {
    const c = coerceFeature(layer, feature, { year: this.year });
    if (c.issues.length > 0) throw new ValidationError(c.issues.map((i) => ({ ...i, file: i.file ?? `${this.target.schema}.${layer}` })));
    return c;
  }

  private async lockRow(layer: LayerName, id: string): Promise<VersionedFeature | undefined> {
    const l = layerCols(layer);
    const r = await this.client.query({ text: `SELECT ${l.selectList}, wn_version FROM ${this.t(layer)} WHERE id = $1 FOR UPDATE`, values: [id], rowMode: 'array' });
    if (r.rows.length === 0) {
      // Row-level security hides a row from FOR UPDATE where the role may read but not edit it.
      const seen = await this.client.query(`SELECT 1 FROM ${this.t(layer)} WHERE id = $1`, [id]);
      if (seen.rowCount) throw this.refused('edit of', layer, id);
      return undefined;
    }
    const row = r.rows[0] as unknown[];
    return { feature: rowToFeature(l, row), version: row[l.fields.length + 2] as number };
  }

  private refused(what: string, layer: string, id: string): PermissionError {
    return new PermissionError(`${this.target.display}: ${what} ${layer} "${id}" refused for user ${this.user} (outside the area this role may edit, or not permitted)`);
  }

  private async writeRow(layer: LayerName, feature: Feature, exists: boolean): Promise<number> {
    const l = layerCols(layer);
    const c = this.coerce(layer, feature);
    if (c.id !== String(feature.properties?.id ?? feature.id)) throw new ValidationError([{ file: layer, featureId: c.id, field: 'id', message: 'id cannot change' }]);
    const params = rowParams(l, c, !exists);
    const cols = l.columnList.split(', ');
    if (exists) {
      const set = cols.map((col, i) => `${col} = ${i === 0 ? `ST_GeomFromWKB($1, 4490)` : `$${i + 1}`}`).join(', ');
      const r = await this.client.query(`UPDATE ${this.t(layer)} SET ${set} WHERE id = $${cols.length + 1} RETURNING wn_version`, [...params, c.id]);
      if (r.rowCount === 0) throw this.refused('update of', layer, c.id);
      return r.rows[0].wn_version as number;
    }
    const values = cols.map((_, i) => (i === 0 ? 'ST_GeomFromWKB($1, 4490)' : `$${i + 1}`)).join(', ');
    const r = await this.client.query(`INSERT INTO ${this.t(layer)} (${l.columnList}) VALUES (${values}) RETURNING wn_version`, params);
    return r.rows[0].wn_version as number;
  }

  /** Add a feature; an id that exists is a conflict. */
  async insertFeature(layer: LayerName, feature: Feature, label = `add ${layer}`): Promise<SaveResult> {
    this.layer(layer);
    return this.write(label, async () => {
      const id = String(feature.properties?.id ?? feature.id);
      const theirs = await this.lockRow(layer, id);
      if (theirs) return { ok: false, conflict: { layer, id, kind: 'exists', baseVersion: null, theirVersion: theirs.version, fields: diffFields(layer, feature, theirs.feature), mine: feature, theirs: theirs.feature } };
      const version = await this.writeRow(layer, feature, false);
      return { ok: true, version, feature: (await this.lockRow(layer, id))!.feature };
    });
  }

  /**
   * Save changes to a feature the caller read at `baseVersion`. When the
   * server holds a newer version the save is refused as a Conflict; `base`
   * (the feature as the caller read it) adds each field's starting value.
   */
  async updateFeature(layer: LayerName, id: string, patch: FeaturePatch, baseVersion: number, opts: { label?: string; base?: Feature } = {}): Promise<SaveResult> {
    this.layer(layer);
    return this.write(opts.label ?? `edit ${layer} ${id}`, async () => {
      const cur = await this.lockRow(layer, id);
      const start = cur?.feature ?? opts.base ?? null;
      const mine = start
        ? ({ ...start, geometry: patch.geometry ?? start.geometry, properties: { ...start.properties, ...(patch.properties ?? {}) } } as Feature)
        : null;
      if (!cur || cur.version !== baseVersion) {
        // Mine: what the caller had plus its patch, not the server's newer values.
        const b = opts.base ?? null;
        const myView = b ? ({ ...b, geometry: patch.geometry ?? b.geometry, properties: { ...b.properties, ...(patch.properties ?? {}) } } as Feature) : mine;
        return {
          ok: false,
          conflict: {
            layer,
            id,
            kind: cur ? 'changed' : 'deleted',
            baseVersion,
            theirVersion: cur?.version ?? null,
            fields: diffFields(layer, myView, cur?.feature ?? null, b),
            mine: myView,
            theirs: cur?.feature ?? null,
          },
        };
      }
      const version = await this.writeRow(layer, mine!, true);
      return { ok: true, version, feature: (await this.lockRow(layer, id))!.feature };
    });
  }

  /** Delete a feature read at `baseVersion`; a newer version on the server is a conflict. */
  async deleteFeature(layer: LayerName, id: string, baseVersion: number, label = `delete ${layer} ${id}`): Promise<SaveResult> {
    this.layer(layer);
    return this.write(label, async () => {
      const cur = await this.lockRow(layer, id);
      if (!cur) return { ok: true, version: baseVersion, feature: null };
      if (cur.version !== baseVersion) {
        return { ok: false, conflict: { layer, id, kind: 'changed', baseVersion, theirVersion: cur.version, fields: diffFields(layer, null, cur.feature), mine: null, theirs: cur.feature } };
      }
      const r = await this.client.query(`DELETE FROM ${this.t(layer)} WHERE id = $1`, [id]);
      if (r.rowCount === 0) throw this.refused('delete of', layer, id);
      return { ok: true, version: cur.version, feature: null };
    });
  }

  /** Save a conflict as the user resolved it (against the version the server has now). */
  async resolve(conflict: Conflict, choice: Resolution, label?: string): Promise<SaveResult> {
    const f = resolveFeature(conflict, choice);
    const { id } = conflict;
    if (!isLayerName(conflict.layer)) throw new ValidationError([{ field: 'layer', message: `a conflict of ${conflict.layer} is answered at check-in` }]);
    const layer = conflict.layer;
    if (!f) {
      if (conflict.theirVersion === null) return { ok: true, version: 0, feature: null };
      return this.deleteFeature(layer, id, conflict.theirVersion, label);
    }
    if (conflict.theirVersion === null) return this.insertFeature(layer, f, label);
    return this.updateFeature(layer, id, { properties: f.properties as Record<string, unknown>, geometry: f.geometry }, conflict.theirVersion, { label });
  }

  /**
   * Save what one edit of the app changed (one or more features) in one
   * transaction: each feature names the version it was read at; the first one
   * the server holds at another version (or deleted, or an id that exists)
   * makes the whole save a Conflict and nothing is written.
   */
  async saveChanges(label: string, changes: readonly LiveChange[]): Promise<LiveSaveResult> {
    try {
      return await this.write(label, async () => {
        const versions: Record<string, number | null> = {};
        for (const ch of changes) {
          const layer = this.layer(ch.layer).def.name;
          const key = `${layer}/${ch.id}`;
          const cur = await this.lockRow(layer, ch.id);
          const clash = (kind: Conflict['kind']) =>
            new SaveConflict({ layer, id: ch.id, kind, baseVersion: ch.baseVersion, theirVersion: cur?.version ?? null, fields: diffFields(layer, ch.after, cur?.feature ?? null, ch.before), mine: ch.after, theirs: cur?.feature ?? null });
          if (ch.before === null) {
            if (cur) throw clash('exists');
            if (ch.after) versions[key] = await this.writeRow(layer, ch.after, false);
            continue;
          }
          if (!cur) {
            if (ch.after === null) {
              versions[key] = null;
              continue;
            }
            throw clash('deleted');
          }
          if (cur.version !== ch.baseVersion) throw clash('changed');
          if (ch.after === null) {
            const r = await this.client.query(`DELETE FROM ${this.t(layer)} WHERE id = $1`, [ch.id]);
            if (r.rowCount === 0) throw this.refused('delete of', layer, ch.id);
            versions[key] = null;
          } else versions[key] = await this.writeRow(layer, ch.after, true);
        }
        return { ok: true, versions } as LiveSaveResult;
      });
    } catch (err) {
      if (err instanceof SaveConflict) return { ok: false, conflict: err.conflict };
      if (isPrivilegeError(err)) throw new PermissionError(`${this.target.display}: ${label} refused for user ${this.user}: this role may only view the project`);
      throw err;
    }
  }

  /** This user's edits that undo can still take back, newest first (one entry per transaction). */
  async ownEdits(limit = 20): Promise<{ seq: number; label: string; at: string }[]> {
    const r = await this.client.query(
      `SELECT max(seq) AS seq, min(label) AS label, to_char(max(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
         FROM ${this.t('wn_journal')} WHERE app_user = $1 AND NOT is_undo AND NOT undone GROUP BY txid ORDER BY max(seq) DESC LIMIT $2`,
      [this.user, limit],
    );
    return r.rows.map((row: Record<string, unknown>) => ({ seq: Number(row.seq), label: String(row.label ?? ''), at: String(row.at) }));
  }

  /**
   * Undo this user's newest edit not yet undone (all rows of its
   * transaction). Another user's later change to one of those features makes
   * it a conflict: nothing is undone, the conflict is returned.
   */
  async undo(): Promise<{ undone: number; label: string | null; features: { layer: LayerName; id: string }[] } | { conflict: Conflict }> {
    return this.write(
      'undo',
      async () => {
        const last = await this.client.query(
          `SELECT txid FROM ${this.t('wn_journal')} WHERE app_user = $1 AND NOT is_undo AND NOT undone ORDER BY seq DESC LIMIT 1`,
          [this.user],
        );
        if (last.rowCount === 0) return { undone: 0, label: null, features: [] };
        const txid = last.rows[0].txid as number;
        const entries = await this.client.query(
          `SELECT seq, label, layer, feature_id, op, version, before, before_geom FROM ${this.t('wn_journal')} WHERE txid = $1 AND app_user = $2 ORDER BY seq DESC`,
          [txid, this.user],
        );
        for (const e of entries.rows as { seq: number; label: string | null; layer: string; feature_id: string; op: string; version: number; before: Record<string, unknown> | null; before_geom: Buffer | null }[]) {
          if (!isLayerName(e.layer)) {
            throw new Error(`${this.target.display}: the newest edit of ${this.user} (${e.label ?? 'check-in'}) also changed ${e.layer}; undo on the server takes back feature edits only — correct it with a new edit`);
          }
          const layer = e.layer;
          const cur = await this.lockRow(layer, e.feature_id);
          const expected = e.op === 'delete' ? undefined : e.version;
          if ((cur?.version ?? undefined) !== expected) {
            const before = e.before ? journalToFeature(layerCols(layer), e.before, e.before_geom) : null;
            throw new UndoConflict({ layer, id: e.feature_id, kind: cur ? 'changed' : 'deleted', baseVersion: e.version, theirVersion: cur?.version ?? null, fields: diffFields(layer, before, cur?.feature ?? null), mine: before, theirs: cur?.feature ?? null });
          }
          if (e.op === 'insert') {
            const r = await this.client.query(`DELETE FROM ${this.t(layer)} WHERE id = $1`, [e.feature_id]);
            if (r.rowCount === 0) throw this.refused('undo of', layer, e.feature_id);
          } else {
            await this.writeRow(layer, journalToFeature(layerCols(layer), e.before!, e.before_geom), e.op === 'update');
          }
        }
        await this.client.query(`UPDATE ${this.t('wn_journal')} SET undone = true WHERE txid = $1 AND app_user = $2`, [txid, this.user]);
        const features = (entries.rows as { layer: LayerName; feature_id: string }[]).map((e) => ({ layer: e.layer, id: e.feature_id }));
        return { undone: entries.rowCount ?? 0, label: (entries.rows[0]?.label as string | null) ?? null, features };
      },
      true,
    ).catch((err) => {
      if (err instanceof UndoConflict) return { conflict: err.conflict };
      throw err;
    });
  }

  /**
   * Apply offline edits (check-in) in one transaction. Each change names the
   * feature as it was at check-out (`base`, with its server version). Where
   * the server still has that version the edit is applied; where the server
   * changed it since, the fields are merged three ways: fields only one side
   * changed are kept from that side; fields both changed to different values
   * are a conflict that `decide` resolves (mine / theirs / a value per field).
   * If any conflict stays unresolved nothing is written and they are returned.
   */
  async applyChanges(
    changes: readonly LocalChange[],
    decide: (c: Conflict) => Resolution | undefined,
    label = 'check-in',
    tables?: TableChanges,
  ): Promise<ApplyResult> {
    const out: ApplyResult = { committed: false, inserted: 0, updated: 0, deleted: 0, merged: 0, resolved: 0, projects: 0, links: 0, settings: 0, conflicts: [] };
    const computedOf = (layer: LayerName) => new Set(layerCols(layer).fields.filter((f) => f.computed).map((f) => f.name));
    try {
      await this.write(label, async () => {
        for (const ch of changes) {
          const layer = this.layer(ch.layer).def.name;
          const cur = await this.lockRow(layer, ch.id);
          const conflictOf = (kind: Conflict['kind'], fields: FieldConflict[]): Conflict => ({
            layer, id: ch.id, kind, baseVersion: ch.base?.version ?? null, theirVersion: cur?.version ?? null, fields, mine: ch.mine, theirs: cur?.feature ?? null,
          });
          const settle = async (c: Conflict, start: Feature | null): Promise<void> => {
            const choice = decide(c);
            if (choice === undefined) {
              out.conflicts.push(c);
              return;
            }
            out.resolved++;
            let f: Feature | null;
            if (choice === 'mine' || choice === 'theirs') {
              const pick = choice;
              f = start ? resolveFeature({ ...c, theirs: start }, Object.fromEntries(c.fields.map((x) => [x.field, pick]))) : choice === 'mine' ? ch.mine : cur?.feature ?? null;
            } else f = start ? resolveFeature({ ...c, theirs: start }, choice) : resolveFeature(c, choice);
            if (!f) {
              if (cur) {
                const r = await this.client.query(`DELETE FROM ${this.t(layer)} WHERE id = $1`, [ch.id]);
                if (r.rowCount === 0) throw this.refused('delete of', layer, ch.id);
                out.deleted++;
              }
              return;
            }
            if (cur && sameFeature(layer, f, cur.feature)) return;
            await this.writeRow(layer, f, Boolean(cur));
            if (cur) out.updated++;
            else out.inserted++;
          };
          if (ch.op === 'insert') {
            if (cur) await settle(conflictOf('exists', diffFields(layer, ch.mine, cur.feature)), null);
            else {
              await this.writeRow(layer, ch.mine!, false);
              out.inserted++;
            }
            continue;
          }
          if (!cur) {
            // Gone on the server: deleting it too is no conflict; editing it is.
            if (ch.op === 'update') await settle(conflictOf('deleted', diffFields(layer, ch.mine, null, ch.base?.feature)), null);
            continue;
          }
          if (cur.version === ch.base!.version) {
            if (ch.op === 'delete') {
              const r = await this.client.query(`DELETE FROM ${this.t(layer)} WHERE id = $1`, [ch.id]);
              if (r.rowCount === 0) throw this.refused('delete of', layer, ch.id);
              out.deleted++;
            } else {
              await this.writeRow(layer, ch.mine!, true);
              out.updated++;
            }
            continue;
          }
          if (ch.op === 'delete') {
            await settle(conflictOf('changed', diffFields(layer, null, cur.feature, ch.base!.feature)), null);
            continue;
          }
          // Three-way merge on fields.
          const computed = computedOf(layer);
          const base = fieldMap(ch.base!.feature);
          const mine = fieldMap(ch.mine);
          const theirs = fieldMap(cur.feature);
          const props: Record<string, unknown> = { ...(cur.feature.properties ?? {}) };
          let geometry = cur.feature.geometry;
          const clashes: FieldConflict[] = [];
          for (const k of new Set([...mine.keys(), ...theirs.keys()])) {
            if (computed.has(k)) continue;
            const mineChanged = !same(mine.get(k), base.get(k));
            if (!mineChanged) continue;
            const theirsChanged = !same(theirs.get(k), base.get(k));
            if (theirsChanged && !same(mine.get(k), theirs.get(k))) {
              clashes.push({ field: k, mine: mine.get(k) ?? null, theirs: theirs.get(k) ?? null, base: base.get(k) ?? null });
              continue;
            }
            if (k === 'geometry') geometry = mine.get(k) as Feature['geometry'];
            else props[k] = mine.get(k) ?? null;
          }
          const merged = { type: 'Feature', id: ch.id, geometry, properties: props } as Feature;
          if (clashes.length === 0) {
            if (!sameFeature(layer, merged, cur.feature)) {
              await this.writeRow(layer, merged, true);
              out.merged++;
            }
            continue;
          }
          await settle(conflictOf('changed', clashes), merged);
        }
        if (tables) await this.applyTables(tables, decide, out);
        if (out.conflicts.length > 0) throw new Unresolved();
      });
      out.committed = true;
    } catch (err) {
      if (!(err instanceof Unresolved)) throw err;
      out.inserted = out.updated = out.deleted = out.merged = out.resolved = 0;
      out.projects = out.links = out.settings = 0;
    }
    return out;
  }

  /**
   * The offline changes to projects, links and settings, inside the check-in's
   * transaction. Projects and settings merge three ways like features (a field
   * only one side changed keeps that side's value; both changed differently: a
   * conflict for `decide`); links are a set: made ones are added, removed ones
   * removed, others' links stay. Settings need the admin role (the server refuses otherwise).
   */
  private async applyTables(t: TableChanges, decide: (c: Conflict) => Resolution | undefined, out: ApplyResult): Promise<void> {
    const pf = TABLES.find((x) => x.name === 'projects')!.fields.map((f) => f.name);
    const pick = (c: Conflict, fc: FieldConflict, choice: Resolution): unknown => {
      const per = choice === 'mine' || choice === 'theirs' ? choice : (choice[fc.field] ?? 'theirs');
      return per === 'mine' ? fc.mine : per === 'theirs' ? fc.theirs : per.value;
    };
    for (const p of t.projects) {
      const r = await this.client.query(`SELECT * FROM ${this.t('projects')} WHERE id = $1 FOR UPDATE`, [p.id]);
      const theirs = (r.rows[0] as Record<string, unknown> | undefined) ?? null;
      const norm = (row: Record<string, unknown> | null) => (row ? Object.fromEntries(pf.map((f) => [f, row[f] ?? null])) : null);
      const [base, mine, cur] = [norm(p.base), norm(p.mine), norm(theirs)];
      if (!mine) {
        // Deleted offline: gone on the server too, or deleted unless someone changed it since.
        if (!cur) continue;
        const changed = base ? pf.filter((f) => !same(cur[f], base[f])) : pf;
        if (changed.length) {
          const c: Conflict = { layer: 'projects', id: p.id, kind: 'changed', baseVersion: null, theirVersion: null, fields: changed.map((f) => ({ field: f, mine: null, theirs: cur[f], base: base?.[f] ?? null })), mine: null, theirs: null };
          const choice = decide(c);
          if (choice === undefined) {
            out.conflicts.push(c);
            continue;
          }
          out.resolved++;
          if (choice !== 'mine') continue;
        }
        await this.client.query(`DELETE FROM ${this.t('projects')} WHERE id = $1`, [p.id]);
        out.projects++;
        continue;
      }
      const next: Record<string, unknown> = { ...(cur ?? mine) };
      const clashes: FieldConflict[] = [];
      for (const f of pf) {
        const mineChanged = !base || !same(mine[f], base[f]);
        if (!mineChanged) continue;
        const theirsChanged = cur !== null && (!base || !same(cur[f], base[f]));
        if (theirsChanged && !same(mine[f], cur![f])) clashes.push({ field: f, mine: mine[f], theirs: cur![f], base: base?.[f] ?? null });
        else next[f] = mine[f];
      }
      if (clashes.length) {
        const c: Conflict = { layer: 'projects', id: p.id, kind: cur ? 'changed' : 'deleted', baseVersion: null, theirVersion: null, fields: clashes, mine: null, theirs: null };
        const choice = decide(c);
        if (choice === undefined) {
          out.conflicts.push(c);
          continue;
        }
        out.resolved++;
        for (const fc of clashes) next[fc.field] = pick(c, fc, choice);
      }
      if (cur && pf.every((f) => same(next[f], cur[f]))) continue;
      const cols = pf.map((f) => ident(f));
      const vals = pf.map((f) => next[f] ?? null);
      if (cur) await this.client.query(`UPDATE ${this.t('projects')} SET ${cols.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE id = $${cols.length + 1}`, [...vals, p.id]);
      else await this.client.query(`INSERT INTO ${this.t('projects')} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, vals);
      out.projects++;
    }
    for (const l of t.links.remove) {
      const r = await this.client.query(`DELETE FROM ${this.t('project_features')} WHERE project_id = $1 AND layer = $2 AND feature_id = $3`, [l.project_id, l.layer, l.feature_id]);
      out.links += r.rowCount ?? 0;
    }
    for (const l of t.links.add) {
      const r = await this.client.query(`INSERT INTO ${this.t('project_features')} (project_id, layer, feature_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [l.project_id, l.layer, l.feature_id]);
      out.links += r.rowCount ?? 0;
    }
    if (t.settings.length) {
      const theirs = (await this.settings()) as unknown as Record<string, unknown>;
      const clashes = t.settings.filter((x) => !same(theirs[x.key], x.base) && !same(theirs[x.key], x.mine)).map((x) => ({ field: x.key, mine: x.mine, theirs: theirs[x.key], base: x.base }));
      const values = new Map(t.settings.map((x) => [x.key, x.mine]));
      if (clashes.length) {
        const c: Conflict = { layer: 'settings', id: 'settings', kind: 'changed', baseVersion: null, theirVersion: null, fields: clashes, mine: null, theirs: null };
        const choice = decide(c);
        if (choice === undefined) {
          out.conflicts.push(c);
          return;
        }
        out.resolved++;
        for (const fc of clashes) values.set(fc.field, pick(c, fc, choice));
      }
      for (const [k, v] of values) {
        if (same(theirs[k], v)) continue;
        try {
          await this.client.query(`INSERT INTO ${this.t('settings')} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [k, JSON.stringify(v)]);
        } catch (err) {
          if (isPrivilegeError(err)) throw new PermissionError(`${this.target.display}: settings changed offline (${[...values.keys()].join(', ')}) need the admin role; ${this.user} may not change them`);
          throw err;
        }
        out.settings++;
      }
    }
  }

  /** Who changed what and when, oldest first; one feature, one layer or everything. */
  async history(opts: { layer?: string; featureId?: string; limit?: number } = {}): Promise<HistoryRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.layer) {
      params.push(opts.layer);
      where.push(`layer = $${params.length}`);
    }
    if (opts.featureId) {
      params.push(opts.featureId);
      where.push(`feature_id = $${params.length}`);
    }
    params.push(opts.limit ?? 100000);
    const r = await this.client.query(
      `SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, app_user, db_user, label, layer, feature_id, op, version, is_undo, undone, before, after,
              before_geom IS DISTINCT FROM after_geom AS geom_changed
         FROM ${this.t('wn_journal')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return r.rows.map((row: Record<string, unknown>) => {
      const before = (row.before ?? {}) as Record<string, unknown>;
      const after = (row.after ?? {}) as Record<string, unknown>;
      const changes: HistoryRow['changes'] = [];
      for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (!same(before[k], after[k])) changes.push({ field: k, before: before[k] ?? null, after: after[k] ?? null });
      }
      if (row.op === 'update' && row.geom_changed) changes.push({ field: 'geometry', before: '(shape)', after: '(changed)' });
      return {
        seq: Number(row.seq),
        at: String(row.at),
        user: String(row.app_user),
        dbUser: String(row.db_user),
        label: (row.label as string | null) ?? null,
        layer: String(row.layer),
        featureId: String(row.feature_id),
        op: String(row.op),
        version: Number(row.version),
        undo: Boolean(row.is_undo),
        undone: Boolean(row.undone),
        changes,
      };
    });
  }

  /** Hear other clients' committed edits (LISTEN on `warmnet_<schema>`); returns a function that stops listening. */
  async listen(onChange: (e: ChangeEvent) => void): Promise<() => Promise<void>> {
    const client = await connect(this.target, 'warmnet-listen');
    this.listener = client;
    client.on('notification', (n) => {
      if (!n.payload) return;
      try {
        onChange(JSON.parse(n.payload) as ChangeEvent);
      } catch {
        /* not ours */
      }
    });
    await client.query(`LISTEN ${ident(`warmnet_${this.target.schema}`)}`);
    return async () => {
      if (this.listener === client) this.listener = null;
      await client.end().catch(() => undefined);
    };
  }
}

class Unresolved extends Error {}

/** What a check-in did (all zero with `committed` false when conflicts stayed open). */
export interface ApplyResult {
  committed: boolean;
  inserted: number;
  updated: number;
  deleted: number;
  merged: number;
  resolved: number;
  /** Renovation projects added, changed or deleted; links made or removed; settings changed. */
  projects: number;
  links: number;
  settings: number;
  conflicts: Conflict[];
}

class SaveConflict extends Error {
  constructor(readonly conflict: Conflict) {
    super(`${conflict.layer} "${conflict.id}" changed on the server since it was read`);
  }
}

/** Columns of a schema's tables, as the connected user sees them. */
export async function schemaColumns(client: pg.Client, schema: string): Promise<{ table: string; column: string }[]> {
  const r = await client.query(`SELECT table_name AS table, column_name AS column FROM information_schema.columns WHERE table_schema = $1`, [schema]);
  return r.rows as { table: string; column: string }[];
}

/** Refuse a project laid out by a newer WarmNet, or one lacking columns this one reads (published by an older one). */
async function checkLayout(client: pg.Client, target: PgTarget): Promise<void> {
  const v = await client.query(`SELECT value FROM ${ident(target.schema)}.warmnet_meta WHERE key = 'layout_version'`);
  const version = Number(v.rows[0]?.value ?? 0);
  if (version > PG_LAYOUT_VERSION) throw new Error(`${target.display}: published by a newer WarmNet (layout ${version}, this one knows up to ${PG_LAYOUT_VERSION})`);
  const missing = missingColumns(await schemaColumns(client, target.schema));
  if (missing.length) {
    throw new Error(
      `${target.display}: published by an older WarmNet, lacks ${missing.map((m) => `${m.table}.${m.column}`).join(', ')}; its owner brings it up to date with "warmnet upgrade URL"`,
    );
  }
}

/** Offline changes to the renovation projects, their links and the settings: each as checked out (`base`) and as it is now (`mine`). */
export interface TableChanges {
  /** Rows that differ from the check-out (`base` null: a new project; `mine` null: deleted offline). */
  projects: { id: string; base: Record<string, unknown> | null; mine: Record<string, unknown> | null }[];
  /** Links made and removed offline (a set: both sides' links are kept). */
  links: { add: ProjectFeatureRow[]; remove: ProjectFeatureRow[] };
  /** Settings changed offline, with their value at check-out. */
  settings: { key: string; base: unknown; mine: unknown }[];
}

/** An offline edit to check in: the feature as checked out (with its server version) and as it is now (null: deleted). */
export interface LocalChange {
  layer: LayerName;
  id: string;
  op: 'insert' | 'update' | 'delete';
  base: VersionedFeature | null;
  mine: Feature | null;
}

class UndoConflict extends Error {
  constructor(readonly conflict: Conflict) {
    super(`undo conflicts with a later change to ${conflict.layer} "${conflict.id}"`);
  }
}

/**
 * Offline work on a shared project: check-out copies the project (or the
 * features in an area) into a GeoPackage that the normal store edits without
 * a network; the copy records where it came from and every feature as it was
 * (migration 0008). Check-in sends back what changed since, merged field by
 * field with what others saved meanwhile (PgStore.applyChanges).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { LAYERS, TABLES, type LayerName } from '../../../../core/model/schema';
import type { Feature } from '../../../../core/model/types';
import { ProjectStore } from '../index';
import { PgStore, fieldMap, same, type ApplyResult, type LocalChange, type Resolution, type TableChanges } from './store';
import type { ProjectFeatureRow } from '../../../../core/model/project';
import { layerCols } from './rows';
import { ident, parsePgUrl } from './url';

/** Rows of checkout_base beside the layers' features (a layer name never takes these). */
const BASE_PROJECTS = 'projects';
const BASE_LINKS = 'project_features';
const BASE_SETTINGS = 'settings';
/** Present when the check-out recorded projects, links and settings (copies taken before did not: check-in leaves them). */
const BASE_MARK = 'checkout';
const linkKey = (r: ProjectFeatureRow) => JSON.stringify([r.project_id, r.layer, r.feature_id]);

export interface CheckoutInfo {
  checkoutId: string;
  serverUrl: string;
  schema: string;
  serverSeq: number;
  bbox: [number, number, number, number] | null;
  user: string;
  at: string;
  /** When its edits went back to the server (a copy is checked in once). */
  checkedInAt: string | null;
}

export interface CheckoutResult extends CheckoutInfo {
  file: string;
  features: Record<string, number>;
}

/** Take the project (or the features whose extent meets `bbox`) into a new GeoPackage. */
export async function checkOut(url: string, file: string, opts: { bbox?: [number, number, number, number]; user?: string } = {}): Promise<CheckoutResult> {
  if (existsSync(file)) throw new Error(`${file}: already exists; refusing to overwrite it`);
  const store = await PgStore.open(url, { user: opts.user });
  try {
    const { data, versions, seq } = await store.snapshotVersioned(opts.bbox);
    const description = await store.description();
    const id = randomUUID();
    // The server records the check-out (editors only: a viewer cannot check anything back in).
    try {
      await store.connection.query(`INSERT INTO ${ident(store.target.schema)}.wn_checkouts (id, app_user, bbox, server_seq) VALUES ($1, $2, $3, $4)`, [
        id,
        store.user,
        opts.bbox ? opts.bbox.join(',') : null,
        seq,
      ]);
    } catch (err) {
      if ((err as { code?: string }).code === '42501') {
        throw new Error(`${store.target.display}: checking out needs the editor role (${store.user} may only view; a copy could not be checked back in)`, { cause: err });
      }
      throw err;
    }
    // Links of projects to features outside the area are left out (they would point at nothing).
    if (opts.bbox) {
      const present = new Set(LAYERS.flatMap((l) => (data.layers[l.name] as Feature[]).map((f) => `${l.name}/${f.id}`)));
      data.projectFeatures = data.projectFeatures.filter((r) => present.has(`${r.layer}/${r.feature_id}`));
    }
    const local = ProjectStore.createFromData(file, data, description ? { description } : {});
    local.close();
    const info: CheckoutInfo = { checkoutId: id, serverUrl: store.target.display, schema: store.target.schema, serverSeq: seq, bbox: opts.bbox ?? null, user: store.user, at: new Date().toISOString(), checkedInAt: null };
    const db = new Database(file);
    try {
      db.transaction(() => {
        db.prepare(
          `INSERT INTO checkout (checkout_id, server_url, server_schema, server_seq, bbox, checked_out_by, checked_out_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, info.serverUrl, info.schema, seq, info.bbox ? JSON.stringify(info.bbox) : null, info.user, info.at);
        const put = db.prepare(`INSERT INTO checkout_base (layer, feature_id, version, feature) VALUES (?, ?, ?, ?)`);
        for (const l of LAYERS) for (const f of data.layers[l.name] as Feature[]) put.run(l.name, String(f.id), versions[l.name][String(f.id)], JSON.stringify(f));
        // The projects, their links and the settings as checked out: what check-in compares offline changes of them against.
        for (const p of data.projects) put.run(BASE_PROJECTS, p.id, 0, JSON.stringify(p));
        for (const r of data.projectFeatures) put.run(BASE_LINKS, linkKey(r), 0, JSON.stringify(r));
        for (const [k, v] of Object.entries(data.settings)) put.run(BASE_SETTINGS, k, 0, JSON.stringify(v ?? null));
        put.run(BASE_MARK, 'tables', 0, '1');
      })();
    } finally {
      db.close();
    }
    const features = Object.fromEntries(LAYERS.map((l) => [l.name, (data.layers[l.name] as Feature[]).length]));
    return { ...info, file, features };
  } finally {
    await store.close();
  }
}

/** The check-out a GeoPackage records, or null for a project that was not taken from a server. */
export function readCheckout(file: string): { info: CheckoutInfo; base: Map<string, { version: number; feature: Feature }> } | null {
  const store = ProjectStore.open(file); // brings an older file up to 0008
  store.close();
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT * FROM checkout ORDER BY fid DESC LIMIT 1').get() as Record<string, unknown> | undefined;
    if (!row) return null;
    const info: CheckoutInfo = {
      checkoutId: String(row.checkout_id),
      serverUrl: String(row.server_url),
      schema: String(row.server_schema),
      serverSeq: Number(row.server_seq),
      bbox: row.bbox ? (JSON.parse(String(row.bbox)) as [number, number, number, number]) : null,
      user: String(row.checked_out_by),
      at: String(row.checked_out_at),
      checkedInAt: row.checked_in_at ? String(row.checked_in_at) : null,
    };
    const base = new Map<string, { version: number; feature: Feature }>();
    for (const r of db.prepare('SELECT layer, feature_id, version, feature FROM checkout_base').all() as { layer: string; feature_id: string; version: number; feature: string }[]) {
      base.set(`${r.layer}/${r.feature_id}`, { version: r.version, feature: JSON.parse(r.feature) as Feature });
    }
    return { info, base };
  } finally {
    db.close();
  }
}

/** What changed in the GeoPackage since check-out: features, and (for check-outs that recorded them) projects, links and settings. */
export function localChanges(file: string): { info: CheckoutInfo; changes: LocalChange[]; tables: TableChanges | null } {
  const co = readCheckout(file);
  if (!co) throw new Error(`${file}: not a checked-out project (its checkout table is empty); use "warmnet publish" to put a whole project on a server`);
  if (co.info.checkedInAt) throw new Error(`${file}: its edits were checked in at ${co.info.checkedInAt}; check the project out again to go on offline`);
  const store = ProjectStore.open(file);
  const changes: LocalChange[] = [];
  let tables: TableChanges | null;
  try {
    for (const l of LAYERS) {
      const computed = new Set(layerCols(l.name).fields.filter((f) => f.computed).map((f) => f.name));
      const strip = (f: Feature) => {
        const m = fieldMap(f);
        for (const k of computed) m.delete(k);
        return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      };
      const seen = new Set<string>();
      for (const f of store.listFeatures(l.name)) {
        const id = String(f.id);
        seen.add(id);
        const b = co.base.get(`${l.name}/${id}`);
        if (!b) changes.push({ layer: l.name, id, op: 'insert', base: null, mine: f });
        else if (!same(strip(f), strip(b.feature))) changes.push({ layer: l.name, id, op: 'update', base: b, mine: f });
      }
      for (const [key, b] of co.base) {
        const [layer, ...rest] = key.split('/');
        const id = rest.join('/');
        if (layer === l.name && !seen.has(id)) changes.push({ layer: l.name as LayerName, id, op: 'delete', base: b, mine: null });
      }
    }
    tables = co.base.has(`${BASE_MARK}/tables`) ? tableChanges(co.base, store) : null;
  } finally {
    store.close();
  }
  return { info: co.info, changes, tables };
}

/** Projects, links and settings that differ from the check-out's base rows. */
function tableChanges(base: Map<string, { feature: unknown }>, store: ProjectStore): TableChanges {
  const of = (kind: string) => new Map([...base].filter(([k]) => k.startsWith(`${kind}/`)).map(([k, v]) => [k.slice(kind.length + 1), v.feature]));
  const baseProjects = of(BASE_PROJECTS) as Map<string, Record<string, unknown>>;
  const baseLinks = of(BASE_LINKS) as Map<string, ProjectFeatureRow>;
  const baseSettings = of(BASE_SETTINGS);
  const out: TableChanges = { projects: [], links: { add: [], remove: [] }, settings: [] };
  const fields = TABLES.find((t) => t.name === 'projects')!.fields.map((f) => f.name);
  const row = (r: Record<string, unknown>) => fields.map((f) => r[f] ?? null);
  const mineProjects = new Map(store.listProjects().map((p) => [p.id, p as unknown as Record<string, unknown>]));
  for (const [id, mine] of mineProjects) {
    const b = baseProjects.get(id) ?? null;
    if (!b || !same(row(mine), row(b))) out.projects.push({ id, base: b, mine });
  }
  for (const [id, b] of baseProjects) if (!mineProjects.has(id)) out.projects.push({ id, base: b, mine: null });
  const mineLinks = new Map(store.projectFeatures().map((r) => [linkKey(r), r]));
  for (const [k, r] of mineLinks) if (!baseLinks.has(k)) out.links.add.push({ project_id: r.project_id, layer: r.layer, feature_id: r.feature_id });
  for (const [k, r] of baseLinks) if (!mineLinks.has(k)) out.links.remove.push(r);
  for (const [key, value] of Object.entries(store.getSettings())) {
    const b = baseSettings.has(key) ? baseSettings.get(key) : undefined;
    if (!same(value, b)) out.settings.push({ key, base: b ?? null, mine: value });
  }
  return out;
}

export interface CheckinOptions {
  /** The server URL (defaults to the one recorded at check-out; the password from PGPASSWORD). */
  url?: string;
  user?: string;
  /** One answer for every conflict. */
  prefer?: 'mine' | 'theirs';
  /** Answers per feature, keyed `layer/id` (as listed in a conflicts JSON). */
  resolutions?: Record<string, Resolution>;
}

export interface CheckinResult extends ApplyResult {
  /** Features changed offline. */
  changes: number;
}

/** Send a checked-out GeoPackage's edits back; unresolved conflicts leave the server untouched and are returned. */
export async function checkIn(file: string, opts: CheckinOptions = {}): Promise<CheckinResult> {
  const { info, changes, tables } = localChanges(file);
  const url = opts.url ?? info.serverUrl;
  if (parsePgUrl(url).schema !== info.schema) throw new Error(`${file}: was checked out from schema "${info.schema}", not "${parsePgUrl(url).schema}"`);
  const store = await PgStore.open(url, { user: opts.user ?? info.user });
  try {
    const r = await store.applyChanges(changes, (c) => opts.resolutions?.[`${c.layer}/${c.id}`] ?? opts.prefer, `check-in ${info.checkoutId}`, tables ?? undefined);
    if (r.committed) {
      await store.connection.query(`UPDATE ${ident(info.schema)}.wn_checkouts SET checked_in_at = clock_timestamp() WHERE id = $1`, [info.checkoutId]);
      const db = new Database(file);
      try {
        db.prepare('UPDATE checkout SET checked_in_at = ? WHERE checkout_id = ?').run(new Date().toISOString(), info.checkoutId);
      } finally {
        db.close();
      }
    }
    return { changes: changes.length, ...r };
  } finally {
    await store.close();
  }
}

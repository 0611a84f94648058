/**
 * The analysis worker's own read of a project file: the layers the network
 * analyses take (pipes, valves, stations, heat sources, communities, streets)
 * and the settings, straight from the GeoPackage rows in one read transaction,
 * so the main process never builds or sends a snapshot of the whole project.
 *
 * The two big layers (pipes, valves) are read with only the columns the
 * analyses look at (NETWORK_COLUMNS); the small ones with every schema column.
 * Rows are iterated one by one (no array of all rows), each turned straight
 * into the feature the graph takes; each pipe also goes straight into the
 * flat columns the graph build starts from (kept with the pipes' array, so
 * the build need not walk a million features again). A pipe's vertices go
 * from the blob's bytes into those columns, and its feature makes its line
 * from them when asked (ColumnPipe): no coordinate arrays are held per pipe.
 * Repeated text values are one string for the whole read.
 *
 * What only the renewal candidates read (the pipes' ages and records, the
 * incidents, the plan links) is read apart, when they are asked for
 * (withCandidatesRecords).
 */
import Database from 'better-sqlite3';
import { decodeGpkgGeometry } from '../../../core/geo/gpkgGeometry';
import type { Geometry } from '../../../core/model/geojson';
import { layerDef, type FieldDef, type LayerName } from '../../../core/model/schema';
import { resolveSettings } from '../../../core/model/settings';
import type { Feature } from '../../../core/model/types';
import type { NetworkInput } from '../../../core/network/graph';
import type { CandidatesRecords } from '../../../core/network/candidates';
import type { ProjectFeatureRow } from '../../../core/model/project';
import { ColumnPipe, keepPipeColumns, keptLines, pipeReader, type PipeLines } from '../../../core/network/build/snap';
import { columnFields, q } from '../store/gpkg';
import type { FeatureChanges } from '../store/api';
import { pushAll } from '../../../core/arrays';

type DB = Database.Database;

/** The layers a NetworkInput holds. */
export const NETWORK_LAYERS = ['pipes', 'valves', 'stations', 'heat_sources', 'communities', 'streets'] as const;
type NetworkLayer = (typeof NETWORK_LAYERS)[number];

/**
 * Columns read per layer where the layer may hold hundreds of thousands of
 * rows; a layer not named here is read with all its schema columns. These are
 * the fields core/network and core/hydraulics read of a pipe or a valve (the
 * worker's results are proved equal to the whole snapshot's in runner.test.ts).
 */
export const NETWORK_COLUMNS: Partial<Record<NetworkLayer, readonly string[]>> = {
  pipes: ['id', 'level', 'dn', 'laying', 'status', 'length_m', 'circuit', 'elevation_start_m', 'elevation_end_m'],
  valves: ['id', 'kind', 'dn', 'state', 'operable'],
};

/**
 * What the renewal scoring (core/network/candidates.ts) reads beyond the
 * network: the pipes' age and record columns, the incidents' pipe, kind and
 * date (read without shapes: the scoring looks at properties alone).
 */
export const CANDIDATE_COLUMNS = {
  pipes: ['id', 'level', 'dn', 'install_year', 'design_life_years', 'leak_count_5y', 'water_loss_rate', 'condition', 'status', 'renovation_status', 'project_id'],
  incidents: ['id', 'pipe_id', 'kind', 'date'],
} as const satisfies Partial<Record<LayerName, readonly string[]>>;

/** How many rows are read between two looks at the cancel flag. */
const CANCEL_EVERY_ROWS = 16_384;

export interface ReadHooks {
  /** Called once the read transaction holds its snapshot (before the rows are read). */
  onSnapshot?(): void;
  /** Throws to stop the read (the worker's cancel). */
  checkCancel?(): void;
}

/** Open a project file for reading only (the main process is its one writer; WAL lets both work at once). */
export function openReader(path: string): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -16384');
  return db;
}

function layerFields(layer: LayerName, wanted?: readonly string[]): FieldDef[] {
  const def = layerDef(layer);
  if (!def) throw new Error(`unknown layer "${layer}"`);
  const all = columnFields(def.fields);
  return wanted ? all.filter((f) => wanted.includes(f.name)) : all;
}

/**
 * How a layer's rows read as features with the `columns` named (all its schema
 * columns when none are): the statement and the row's feature. `geometryToo`
 * false leaves the shape out (null), for a reader that looks only at properties.
 */
function layerRows(db: DB, layer: LayerName, columns?: readonly string[], geometryToo = true) {
  const fields = layerFields(layer, columns);
  const names = fields.map((f) => f.name);
  const bools = fields.map((f) => f.type === 'bool');
  const polygons = layerDef(layer)?.geometry === 'POLYGON';
  // row: [geom, fid, ...columns]
  const select = `SELECT ${geometryToo ? 'geom' : 'NULL'}, fid, ${names.map(q).join(', ')} FROM ${q(layer)}`;
  const stmt = db.prepare(`${select} ORDER BY fid`).raw(true);
  // Text values other than the code repeat from row to row ('primary', 'in_service'): one string each
  // for the read, not one per row (a million pipes hold about 80 bytes less each).
  const shared = names.map((n) => n !== 'id');
  const seen = new Map<string, string>();
  const properties = (row: unknown[]): Record<string, unknown> => {
    const props: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      let v = row[i + 2];
      if (typeof v === 'string' && shared[i]) {
        const s = seen.get(v);
        if (s === undefined) seen.set(v, v);
        else v = s;
      }
      props[names[i]] = bools[i] && v !== null ? v === 1 || v === true : v;
    }
    return props;
  };
  const feature = (row: unknown[], props = properties(row)): Feature => {
    const blob = row[0] as Uint8Array | null;
    let geometry: Geometry | null = blob ? decodeGpkgGeometry(blob) : null;
    // Polygon layers are stored MULTIPOLYGON; one part reads back as the Polygon it was (as the store reads it).
    if (polygons && geometry?.type === 'MultiPolygon' && geometry.coordinates.length === 1) geometry = { type: 'Polygon', coordinates: geometry.coordinates[0] };
    return { type: 'Feature', id: props.id as string, geometry: geometry as Geometry, properties: props };
  };
  /** The rows of the features with these codes (any order). */
  const byIds = (ids: readonly string[]): unknown[][] => {
    const out: unknown[][] = [];
    for (let k = 0; k < ids.length; k += IDS_PER_QUERY) {
      const part = ids.slice(k, k + IDS_PER_QUERY);
      pushAll(out, db.prepare(`${select} WHERE id IN (${part.map(() => '?').join(', ')})`).raw(true).all(...part) as unknown[][]);
    }
    return out;
  };
  return { rows: () => stmt.iterate() as IterableIterator<unknown[]>, properties, feature, byIds };
}

/** Codes bound in one `id IN (…)` (SQLite allows 32 766 variables). */
const IDS_PER_QUERY = 500;

/** The fid of each feature of a layer array the network read made, in its order (what a re-read by code merges on). */
const fidsOf = new WeakMap<readonly Feature[], Float64Array>();

function readLayer(db: DB, layer: LayerName, hooks: ReadHooks, columns?: readonly string[], geometryToo = true): Feature[] {
  const out: Feature[] = [];
  // The pipes' columns for the graph build are filled row by row (build/snap.ts PipeReader), sized by the
  // largest fid (rows ≤ it; the arrays grow past it should the guess fall short). A read without shapes builds no graph.
  const pipes = layer === 'pipes' && geometryToo ? pipeReader(Number(db.prepare(`SELECT coalesce(max(fid), 0) FROM ${q(layer)}`).pluck().get())) : null;
  // (a loop of its own rather than streamLayer's generator: this is the network read of every revision)
  const { rows, properties, feature } = layerRows(db, layer, columns, geometryToo);
  // A pipe's line stays in the reader's columns (ColumnPipe): no coordinate arrays per pipe.
  const lines: PipeLines = { lines: null };
  let n = 0;
  let fids: Float64Array = new Float64Array(1024);
  for (const row of rows()) {
    if (++n % CANCEL_EVERY_ROWS === 0) hooks.checkCancel?.();
    let f: Feature;
    if (pipes) {
      const props = properties(row);
      const blob = row[0] as Uint8Array | null;
      if (blob && pipes.addRow(props.id as string, props, blob)) f = new ColumnPipe(props.id as string, props, lines, out.length);
      else pipes.add((f = feature(row, props)));
    } else f = feature(row);
    if (out.length === fids.length) fids = grown(fids);
    fids[out.length] = row[1] as number;
    out.push(f);
  }
  if (pipes) {
    const cols = pipes.finish();
    lines.lines = keptLines(cols);
    keepPipeColumns(out, cols);
  }
  fidsOf.set(out, fids.subarray(0, out.length));
  return out;
}

function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** A layer's rows as features without shapes, one at a time, each time it is iterated (no array of them all). */
function streamLayer(db: DB, layer: LayerName, hooks: ReadHooks, columns: readonly string[]): Iterable<Feature> {
  const { rows, feature } = layerRows(db, layer, columns, false);
  return {
    *[Symbol.iterator]() {
      let n = 0;
      for (const row of rows()) {
        if (++n % CANCEL_EVERY_ROWS === 0) hooks.checkCancel?.();
        yield feature(row);
      }
    },
  };
}

function readSettings(db: DB): NetworkInput['settings'] {
  const stored: Record<string, unknown> = {};
  for (const r of db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string | null }[]) {
    try {
      stored[r.key] = r.value === null ? null : JSON.parse(r.value);
    } catch {
      stored[r.key] = null;
    }
  }
  return resolveSettings(stored);
}

/**
 * The network layers and settings of the file as one consistent state: read
 * inside one transaction, whose snapshot is taken before `onSnapshot` runs
 * (the caller checks there that this state is the revision it was asked for).
 */
export function readNetworkInput(db: DB, hooks: ReadHooks = {}): NetworkInput {
  return inSnapshot(db, hooks, () => {
    const settings = readSettings(db);
    const layers = {} as Record<NetworkLayer, Feature[]>;
    for (const layer of NETWORK_LAYERS) layers[layer] = readLayer(db, layer, hooks, NETWORK_COLUMNS[layer]);
    // The store reads the same rows into the same shapes (FeatureTables.list); the layer's geometry type is the table's.
    return { layers: layers as unknown as NetworkInput['layers'], settings };
  });
}

/**
 * The network as it is now, from `input` (a readNetworkInput of this file at an earlier state) and
 * the features written since (`changes`, by code): those are read again inside one read transaction
 * (its snapshot said as readNetworkInput's) and merged by fid, so each layer's features stand in the
 * order a whole read gives them (a feature deleted and brought back by undo has a new fid); a code
 * no longer there is gone. Layers the network does not read are passed over: `input` itself comes
 * back when nothing else was written. The settings are read again. Null when `input` is not such a
 * read. Equal to readNetworkInput at the same state (tested).
 */
export function patchNetworkInput(db: DB, input: NetworkInput, changes: FeatureChanges, hooks: ReadHooks = {}): NetworkInput | null {
  const layers = { ...input.layers } as Record<NetworkLayer, Feature[]>;
  for (const c of changes) if (isNetworkLayer(c.layer) && !fidsOf.has(layers[c.layer])) return null;
  return inSnapshot(db, hooks, () => {
    // Only layers the network does not read were written (and no settings: those are not told by feature).
    if (!changes.some((c) => isNetworkLayer(c.layer) && c.ids.length > 0)) return input;
    for (const { layer, ids } of changes) {
      if (!isNetworkLayer(layer) || ids.length === 0) continue;
      const old = layers[layer];
      const oldFids = fidsOf.get(old)!;
      const { feature, byIds } = layerRows(db, layer, NETWORK_COLUMNS[layer]);
      const fresh = byIds(ids).sort((a, b) => (a[1] as number) - (b[1] as number));
      const changed = new Set(ids);
      const out: Feature[] = [];
      const fids = new Float64Array(old.length + fresh.length);
      let k = 0;
      const take = (f: Feature, fid: number) => {
        fids[out.length] = fid;
        out.push(f);
      };
      for (let i = 0; i < old.length; i++) {
        if (changed.has(old[i].id)) continue;
        for (; k < fresh.length && (fresh[k][1] as number) < oldFids[i]; k++) take(feature(fresh[k]), fresh[k][1] as number);
        take(old[i], oldFids[i]);
      }
      for (; k < fresh.length; k++) take(feature(fresh[k]), fresh[k][1] as number);
      fidsOf.set(out, fids.subarray(0, out.length));
      layers[layer] = out;
    }
    return { layers: layers as unknown as NetworkInput['layers'], settings: readSettings(db) };
  });
}

const isNetworkLayer = (layer: string): layer is NetworkLayer => (NETWORK_LAYERS as readonly string[]).includes(layer);

/** `read` inside one read transaction, its snapshot taken (and said through `onSnapshot`) before it runs. */
function inSnapshot<T>(db: DB, hooks: ReadHooks, read: () => T): T {
  db.exec('BEGIN');
  try {
    // The first read fixes the snapshot the whole transaction sees.
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    hooks.onSnapshot?.();
    return read();
  } finally {
    db.exec('COMMIT');
  }
}

/**
 * The records the renewal scoring reads (CANDIDATE_COLUMNS and the plan
 * links) given to `use` inside one read transaction of their own: read when
 * the candidates are asked for, not with every network. The pipes come one at
 * a time as `use` iterates them (a million need not be held at once); the
 * transaction ends when `use` returns. `onSnapshot` as for readNetworkInput
 * (the caller checks the state is still the revision of the network it holds).
 */
export function withCandidatesRecords<T>(db: DB, hooks: ReadHooks, use: (records: CandidatesRecords) => T): T {
  return inSnapshot(db, hooks, () => {
    const incidents = readLayer(db, 'incidents', hooks, CANDIDATE_COLUMNS.incidents, false);
    // As the store reads them (ProjectLinks.links).
    const projectFeatures = db.prepare('SELECT project_id, layer, feature_id FROM project_features ORDER BY fid').all() as ProjectFeatureRow[];
    const pipes = streamLayer(db, 'pipes', hooks, CANDIDATE_COLUMNS.pipes);
    return use({ layers: { pipes, incidents } as unknown as CandidatesRecords['layers'], projectFeatures });
  });
}

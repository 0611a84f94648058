/**
 * Edit operations the drawing tools ask for, each one journal entry and one
 * transaction on the store (so one Ctrl+Z undoes the whole operation):
 * split a pipe (delete + two inserts), place a valve well on a pipe, draw a
 * pipe into a renovation project, link pipes to a project by ids or by a
 * box / lasso polygon. A linked pipe takes its project's status in the
 * renovation theme (renovation_status), written in the same transaction, so
 * QGIS sees the same colours.
 */
import booleanIntersects from '@turf/boolean-intersects';
import { layerDef, type LayerName } from '../../core/model/schema';
import type { Position } from '../../core/model/geojson';
import type { Feature } from '../../core/model/geojson';
import type { ProjectRow } from '../../core/model/project';
import { coded, validateFeature, type ValidationIssue } from '../../core/model/validate';
import { nearestOnLine, splitLineAt } from '../../core/geo/split';
import { pipesByProject, renovationStatusFor } from '../../core/plan/progress';
import { buildGraph } from '../../core/network/graph';
import { supplyTrace } from '../../core/network/supply';
import type { StoreApi } from './store/api';
import { ValidationError } from './store/errors';

/** Prefix of generated feature codes per layer (P-0123, V-045, ST-3). */
const ID_PREFIX: Partial<Record<LayerName, string>> = { pipes: 'P-', valves: 'V-', stations: 'ST-', heat_sources: 'HS-' };

/** The next free code of a layer: prefix + (largest number in use + 1), zero-padded like the existing ones. */
export function nextFeatureId(store: StoreApi, layer: LayerName): string {
  const prefix = ID_PREFIX[layer] ?? `${layer.slice(0, 2).toUpperCase()}-`;
  let max = 0;
  let width = 0;
  // the ids only (a million pipes are not read whole for a new code)
  for (const id of store.featureIds(layer)) {
    const m = /^(.*?)(\d+)$/.exec(String(id));
    if (!m || m[1] !== prefix) continue;
    if (Number(m[2]) >= max) {
      max = Number(m[2]);
      width = m[2].length;
    }
  }
  return prefix + String(max + 1).padStart(width || 4, '0');
}

/**
 * Issues an edit form shows before saving: schema problems (DN from the
 * standard list, level, years in range, required id) and an id already used
 * by another feature of the layer. `currentId` is the feature being edited.
 */
export function validateEdit(store: StoreApi, layer: LayerName, properties: Record<string, unknown>, geometry: unknown, currentId?: string): ValidationIssue[] {
  let issues = validateFeature(layer, { type: 'Feature', geometry, properties }, { year: new Date().getFullYear() });
  // A form that edits attributes only has no geometry to judge.
  if (geometry === undefined) issues = issues.filter((i) => i.field !== 'geometry');
  const id = typeof properties.id === 'string' ? properties.id.trim() : '';
  if (id !== '' && id !== currentId && store.getFeature(layer, id)) issues.push({ field: 'id', featureId: id, ...coded('duplicateId', { id, layer }) });
  return issues;
}

function projectOrThrow(store: StoreApi, projectId: string): ProjectRow {
  const p = store.listProjects().find((x) => x.id === projectId);
  if (!p) throw new ValidationError([{ file: 'projects', featureId: projectId, message: `no project "${projectId}"` }]);
  return p;
}

/** Link pipes to a project and colour them by its status; runs inside the caller's batch. */
function linkPipesInBatch(store: StoreApi, project: ProjectRow, pipeIds: string[]): void {
  if (pipeIds.length === 0) return;
  store.linkFeatures(project.id, 'pipes', pipeIds);
  const status = renovationStatusFor(project.status);
  for (const id of pipeIds) {
    const p = store.getFeature('pipes', id);
    if (p && p.properties.renovation_status !== status) store.updateFeature('pipes', id, { properties: { renovation_status: status } });
  }
}

/** Insert a feature (code generated when missing); a pipe drawn into a project is linked in the same transaction. */
export function insertEdited(store: StoreApi, layer: LayerName, feature: { geometry: Feature['geometry']; properties: Record<string, unknown> }, projectId?: string): Feature {
  const props = { ...feature.properties };
  if (props.id === undefined || props.id === null) props.id = nextFeatureId(store, layer);
  const f: Feature = { type: 'Feature', id: String(props.id), geometry: feature.geometry, properties: props };
  const project = projectId ? projectOrThrow(store, projectId) : null;
  return store.batch(`${layerDef(layer)?.label.en ?? layer}: add ${f.id}`, () => {
    const saved = store.insertFeature(layer, f);
    if (project && layer === 'pipes') linkPipesInBatch(store, project, [String(saved.id)]);
    return store.getFeature(layer, String(saved.id))!;
  });
}

/** Delete features; their project links go with them, all in one transaction. */
export function deleteEdited(store: StoreApi, layer: LayerName, ids: string[]): number {
  const links = store.projectFeatures().filter((r) => r.layer === layer && ids.includes(r.feature_id));
  return store.batch(`delete ${ids.length === 1 ? ids[0] : `${ids.length} features`}`, () => {
    for (const r of links) store.unlinkFeatures(r.project_id, layer, [r.feature_id]);
    for (const id of ids) store.deleteFeature(layer, id);
    return ids.length;
  });
}

/**
 * Split a pipe at the point nearest to `at`: the pipe is deleted and two
 * pipes with its attributes take its place (codes `<id>-1`, `<id>-2` unless
 * given), sharing the cut position; project links follow both pieces.
 */
export function splitPipe(store: StoreApi, pipeId: string, at: Position, ids?: [string, string]): [Feature, Feature] {
  const pipe = store.getFeature('pipes', pipeId);
  if (!pipe || pipe.geometry.type !== 'LineString') throw new ValidationError([{ file: 'pipes', featureId: pipeId, message: `no pipe "${pipeId}"` }]);
  const cut = splitLineAt(pipe.geometry.coordinates, at);
  if (!cut) throw new ValidationError([{ file: 'pipes', featureId: pipeId, message: 'the split point is at an end of the pipe; nothing to split' }]);
  const [idA, idB] = ids ?? [`${pipeId}-1`, `${pipeId}-2`];
  for (const id of [idA, idB]) {
    if (id !== pipeId && store.getFeature('pipes', id)) throw new ValidationError([{ file: 'pipes', featureId: id, field: 'id', ...coded('duplicateId', { id, layer: 'pipes' }) }]);
  }
  const links = store.projectFeatures().filter((r) => r.layer === 'pipes' && r.feature_id === pipeId);
  const { length_m: _computed, ...props } = pipe.properties;
  return store.batch(`split ${pipeId}`, () => {
    for (const r of links) store.unlinkFeatures(r.project_id, 'pipes', [pipeId]);
    store.deleteFeature('pipes', pipeId);
    const a = store.insertFeature('pipes', { type: 'Feature', id: idA, geometry: { type: 'LineString', coordinates: cut.first }, properties: { ...props, id: idA } } as Feature);
    const b = store.insertFeature('pipes', { type: 'Feature', id: idB, geometry: { type: 'LineString', coordinates: cut.second }, properties: { ...props, id: idB } } as Feature);
    for (const r of links) store.linkFeatures(r.project_id, 'pipes', [idA, idB]);
    return [a, b];
  });
}

/**
 * Place a valve well (or station) on the network: the point moves onto the
 * nearest pipe when that pipe is within `maxOffsetM` (the attach tolerance),
 * so the network check and isolation see it there. A valve takes the pipe's DN
 * unless given.
 */
export function placeOnNetwork(
  store: StoreApi,
  layer: 'valves' | 'stations',
  at: Position,
  properties: Record<string, unknown> = {},
): Feature {
  const tol = store.getSettings().attachToleranceM;
  let best: { pipe: Feature; at: Position; offsetM: number } | null = null;
  // Only a pipe within the tolerance can take the point: those the spatial index finds in a box of that size around it.
  const dLat = (tol / 111_000) * 1.01 + 1e-9;
  const dLon = dLat / Math.max(0.01, Math.cos((at[1] * Math.PI) / 180));
  for (const p of store.featuresInBox('pipes', [at[0] - dLon, at[1] - dLat, at[0] + dLon, at[1] + dLat])) {
    if (p.geometry.type !== 'LineString') continue;
    const n = nearestOnLine(p.geometry.coordinates, at);
    if (!best || n.offsetM < best.offsetM) best = { pipe: p, at: n.at, offsetM: n.offsetM };
  }
  const onPipe = best && best.offsetM <= tol ? best : null;
  const props: Record<string, unknown> = { ...properties };
  if (layer === 'valves' && onPipe && props.dn === undefined) props.dn = onPipe.pipe.properties.dn;
  const position = onPipe ? onPipe.at : at;
  return insertEdited(store, layer, { geometry: { type: 'Point', coordinates: [position[0], position[1]] }, properties: props });
}

/** Save a project row; a changed status recolours its linked pipes, in the same transaction. */
export function saveProject(store: StoreApi, row: Partial<ProjectRow> & { id: string }): ProjectRow {
  return store.batch(`project ${row.id}`, () => {
    const saved = store.upsertProject(row);
    const status = renovationStatusFor(saved.status);
    const linked = pipesByProject({ projectFeatures: store.projectFeatures(), layers: { pipes: store.linkedPipes() } as never }).get(saved.id);
    for (const id of linked ?? []) {
      const p = store.getFeature('pipes', id);
      if (p && p.properties.renovation_status !== status) store.updateFeature('pipes', id, { properties: { renovation_status: status } });
    }
    return saved;
  });
}

/** Pipes whose line meets a polygon (box or lasso). */
export function pipesInPolygon(store: StoreApi, ring: Position[]): string[] {
  const closed = ring.length > 0 && (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1]) ? [...ring, ring[0]] : ring;
  if (closed.length < 4) throw new ValidationError([{ field: 'polygon', message: 'a selection polygon needs at least three corners' }]);
  const poly = { type: 'Polygon' as const, coordinates: [closed] };
  // a pipe meeting the polygon meets its bounding box: the spatial index gives those, the test decides
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of closed) {
    w = Math.min(w, x);
    s = Math.min(s, y);
    e = Math.max(e, x);
    n = Math.max(n, y);
  }
  return store
    .featuresInBox('pipes', [w, s, e, n])
    .filter((p) => p.geometry.type === 'LineString' && booleanIntersects(poly as never, p.geometry as never))
    .map((p) => String(p.id));
}

/** Link pipes (by ids, or all pipes meeting a polygon) to a project in one transaction; returns the ids linked. */
export function linkPipes(store: StoreApi, projectId: string, sel: { pipeIds?: string[]; polygon?: Position[] }): string[] {
  const project = projectOrThrow(store, projectId);
  const ids = [...new Set([...(sel.pipeIds ?? []), ...(sel.polygon ? pipesInPolygon(store, sel.polygon) : [])])];
  const already = new Set(store.projectFeatures().filter((r) => r.project_id === projectId && r.layer === 'pipes').map((r) => r.feature_id));
  const fresh = ids.filter((id) => !already.has(id));
  if (fresh.length === 0) return [];
  store.batch(`link ${fresh.length} pipes to ${projectId}`, () => linkPipesInBatch(store, project, fresh));
  return fresh;
}

/** Unlink pipes from a project; they go back to no renovation unless another project holds them. */
export function unlinkPipes(store: StoreApi, projectId: string, pipeIds: string[]): void {
  store.batch(`unlink ${pipeIds.length} pipes from ${projectId}`, () => {
    store.unlinkFeatures(projectId, 'pipes', pipeIds);
    const still = pipesByProject({ projectFeatures: store.projectFeatures(), layers: { pipes: store.linkedPipes() } as never });
    const held = new Set([...still.values()].flatMap((s) => [...s]));
    for (const id of pipeIds) {
      const p = store.getFeature('pipes', id);
      if (p && !held.has(id) && p.properties.renovation_status !== 'none') store.updateFeature('pipes', id, { properties: { renovation_status: 'none' } });
    }
  });
}

/** Delete a project; its pipes go back to no renovation unless another project holds them. One undo step. */
export function deleteProjectEdited(store: StoreApi, projectId: string): void {
  projectOrThrow(store, projectId);
  store.batch(`delete project ${projectId}`, () => {
    const mine = pipesByProject({ projectFeatures: store.projectFeatures(), layers: { pipes: store.linkedPipes() } as never }).get(projectId) ?? new Set<string>();
    store.deleteProject(projectId);
    const still = pipesByProject({ projectFeatures: store.projectFeatures(), layers: { pipes: store.linkedPipes() } as never });
    const held = new Set([...still.entries()].filter(([id]) => id !== projectId).flatMap(([, s]) => [...s]));
    for (const id of mine) {
      const p = store.getFeature('pipes', id);
      if (!p || held.has(id)) continue;
      // A pipe that named the project in its own project_id field lets go of it too.
      const patch: Record<string, unknown> = {};
      if (p.properties.renovation_status !== 'none') patch.renovation_status = 'none';
      if (p.properties.project_id === projectId) patch.project_id = null;
      if (Object.keys(patch).length) store.updateFeature('pipes', id, { properties: patch });
    }
  });
}

/** Which sources reach each of the given pipes (the supply trace on the current file). */
export function sourcesReaching(store: StoreApi, pipeIds: string[]): Record<string, string[]> {
  const trace = supplyTrace(buildGraph(store.snapshot()));
  return Object.fromEntries(pipeIds.map((id) => [id, trace.pipeSources[id] ?? []]));
}

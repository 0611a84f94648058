/**
 * What the editing tools do with a finished gesture: each becomes one backend
 * call (one transaction, one undo step), then the app reloads what changed.
 * Errors from the backend (validation refusals) land in the edit store for
 * the form or the toolbar to show.
 */
import type { Position } from '../../core/model/geojson';
import type { SnapTarget } from '../../core/geo/snap';
import { invoke } from '../api';
import { loadProject } from '../store/load';
import { useAppStore } from '../store';
import { useEditStore, type FormState } from './editStore';
import { refusalOf } from './issueText';
import type { Conflict, Resolution } from '../../electron/backend/shared.contract';

/** Reload the project data and the journal after an edit; `onInfo` as loadProject's. */
export async function refresh(onInfo?: () => void): Promise<void> {
  await loadProject(onInfo);
  useEditStore.getState().setJournal(await invoke('journal:get', {}));
}

/**
 * Runs one backend call and reloads what it changed; the call's answer, or undefined when it was
 * refused. `reload: 'after'`: the answer comes once the reload has read project:info (the map has
 * asked for the tiles the call touched) and the rest of the reload goes on behind it, so a form
 * closes without waiting for the layers and the journal; the map shows the edit when they land.
 */
async function attempt<T>(fn: () => Promise<T>, reload: 'await' | 'after' = 'await'): Promise<T | undefined> {
  const st = useEditStore.getState();
  try {
    const r = await fn();
    st.setError(null);
    let told!: () => void;
    const infoRead = new Promise<void>((ok) => (told = ok));
    // the benchmark's breakdown of an edit reads when the reload was done
    const done = refresh(told).then(() => void performance.mark('wn:reloaded'));
    if (reload === 'await') await done;
    else {
      void done.catch((e: unknown) => useAppStore.getState().setError((e as Error).message));
      await infoRead;
    }
    return r;
  } catch (e) {
    const r = refusalOf(e);
    st.setError(r);
    // A live edit against a stale version: the map shows the server's row, the conflict view mine and theirs.
    if (r.code === 'conflict' && r.params?.conflict) {
      st.setConflict(r.params.conflict as Conflict);
      await refresh();
    }
    return undefined;
  }
}

/** Save the conflict as the user answered it (against the server's version now); a newer one comes back the same way. */
export async function resolveConflict(conflict: Conflict, resolution: Resolution): Promise<void> {
  const st = useEditStore.getState();
  try {
    const r = await invoke('shared:resolve', { conflict: conflict as never, resolution });
    st.setConflict(r.saved ? null : (r.conflict ?? null));
    st.setError(null);
    if (r.saved) st.setForm(null);
  } catch (e) {
    st.setError(refusalOf(e));
  }
  await refresh();
}

export async function undo(): Promise<void> {
  await attempt(() => invoke('journal:undo', {}));
}

export async function redo(): Promise<void> {
  await attempt(() => invoke('journal:redo', {}));
}

/** A pipe was drawn: open the form for its attributes, with a fresh code. */
export async function pipeDrawn(coordinates: Position[]): Promise<void> {
  const st = useEditStore.getState();
  const tool = st.tool;
  const id = await invoke('edit:nextId', { layer: 'pipes' });
  st.setForm({
    layer: 'pipes',
    mode: 'new',
    geometry: { type: 'LineString', coordinates },
    values: { id, level: 'secondary', dn: '', status: 'in_service', install_year: new Date().getFullYear() },
    projectId: tool.kind === 'drawPipe' ? tool.projectId : undefined,
  });
}

/** Open the form on an existing feature. */
export function editFeature(layer: FormState['layer'], id: string, properties: Record<string, unknown>): void {
  useEditStore.getState().setForm({ layer, mode: 'edit', currentId: id, values: { ...properties } });
}

/** Form values as the backend wants them: empty inputs are "not given", numeric text becomes numbers where the field is numeric. */
export function formProperties(values: Record<string, unknown>, numeric: (field: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k === 'length_m' || k.startsWith('_')) continue;
    if (typeof v === 'string' && numeric(k)) out[k] = v.trim() === '' ? null : Number.isFinite(Number(v)) ? Number(v) : v;
    else out[k] = v === '' && k !== 'id' ? null : v;
  }
  return out;
}

/** Save a form: the backend validates again and refuses with the reason; returns true when saved. */
export async function saveForm(form: FormState, properties: Record<string, unknown>, base?: Record<string, unknown>): Promise<boolean> {
  // the benchmark's breakdown of an edit: saved → committed → reloaded → tiles asked → drawn
  performance.mark('wn:edit-save');
  const saved = await attempt(async () => {
    if (form.mode === 'new') {
      return invoke('edit:insert', {
        layer: form.layer,
        geometry: form.geometry as never,
        properties,
        ...(form.projectId ? { projectId: form.projectId } : {}),
      });
    }
    const r = await invoke('edit:update', { layer: form.layer, id: form.currentId!, properties, ...(base ? { base } : {}) });
    performance.mark('wn:edit-committed');
    return r;
  }, 'after');
  if (saved) {
    useEditStore.getState().setForm(null);
    // the feature saved is selected; when it already is, the panels that show it keep their
    // selection (they read it again for the new revision anyway) rather than fetch it twice
    const now = useAppStore.getState().selection;
    if (!(now.type === 'single' && now.layer === form.layer && now.id === String(saved.id))) useAppStore.getState().select({ type: 'single', layer: form.layer, id: String(saved.id) }, 'map');
    return true;
  }
  return false;
}

/** A box or lasso closed in a linking tool: link every pipe it meets. */
export async function areaClosed(ring: Position[]): Promise<void> {
  const tool = useEditStore.getState().tool;
  if (tool.kind !== 'link') return;
  await attempt(() => invoke('project:link', { projectId: tool.projectId, polygon: ring as [number, number][] }));
}

/** A snapped click in split, place or click-link mode; `onPipe` when the target belongs to a pipe. */
export async function networkClick(target: SnapTarget | null, at: Position, onPipe: boolean): Promise<void> {
  const tool = useEditStore.getState().tool;
  const st = useEditStore.getState();
  if (tool.kind === 'place') {
    await attempt(() => invoke('edit:place', { layer: tool.layer, at: (target?.position ?? at) as [number, number] }));
    return;
  }
  if (!target || !onPipe) {
    st.setError(null);
    return;
  }
  if (tool.kind === 'split') await attempt(() => invoke('edit:split', { pipeId: target.featureId, at: target.position as [number, number] }));
  else if (tool.kind === 'link') await attempt(() => invoke('project:link', { projectId: tool.projectId, pipeIds: [target.featureId] }));
}

/** Save the moved / deleted vertices of the pipe being edited. */
export async function saveVertices(pipeId: string, coordinates: Position[]): Promise<void> {
  await attempt(() => invoke('edit:update', { layer: 'pipes', id: pipeId, geometry: { type: 'LineString', coordinates: coordinates as [number, number][] } }));
  useEditStore.getState().setTool({ kind: 'select' });
}

/** Delete the selected feature. */
export async function deleteSelected(): Promise<void> {
  const sel = useAppStore.getState().selection;
  if (sel.type !== 'single') return;
  const ok = await attempt(() => invoke('edit:delete', { layer: sel.layer, ids: [sel.id] }));
  if (ok !== undefined) useAppStore.getState().select({ type: 'none' }, null);
}

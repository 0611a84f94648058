/** Loads the open project from the backend into the store (again whenever the backend says it changed). */
import { LAYER_NAMES, type LayerName } from '../../core/model/schema';
import { THEME_IDS, type ThemeClassStats, type ThemeId } from '../../core/style/themes';
import type { FeatureCollection } from '../../core/model/geojson';
import { invoke, runtime } from '../api';
import { useAppStore } from './index';
import { firstIdle, mapController } from '../map/MapView';
import { patchCollection } from '../../core/model/collection';

let inflight: Promise<void> | null = null;
let queued: Promise<void> | null = null;
/** Told once the next load to start has its project:info in hand (and the map its touched tiles asked for). */
let infoWaiters: (() => void)[] = [];

/**
 * Loads (or reloads) the open project. A call during a load runs one more
 * load after it (an edit may have landed meanwhile); calls that pile up share
 * that one. A reload whose revision is the one already shown fetches nothing
 * more, so callers may refresh freely (after an edit, on a change event).
 * `onInfo` is called once the load that follows this call has read project:info
 * (the map has then asked for the tiles an edit touched), or has failed.
 */
export function loadProject(onInfo?: () => void): Promise<void> {
  if (onInfo) infoWaiters.push(onInfo);
  if (!inflight) {
    const waiters = infoWaiters;
    infoWaiters = [];
    inflight = load(() => waiters.splice(0).forEach((f) => f())).finally(() => (inflight = null));
    return inflight;
  }
  if (!queued) {
    queued = inflight.then(() => {
      queued = null;
      return loadProject();
    });
  }
  return queued;
}

async function load(infoRead: () => void): Promise<void> {
  const st = useAppStore.getState();
  try {
    // One project:info per load: a reload whose revision is the one shown stops there, any
    // other goes on with this same answer (an edit's redraw waits for no second round trip).
    const info = await invoke('project:info', {});
    performance.mark('wn:info');
    if (st.status === 'ready' && st.info && info.revision === st.info.revision && info.path === st.info.path) return;
    // A reload of the project shown, its layers drawn as before: the map reloads the tiles an edit
    // touched at once, not after the render this answer brings about (the map view's own call then
    // finds nothing to do). A layer moving between tiles and GeoJSON waits for its data as before.
    const map = mapController();
    const plan = (i: typeof info | null) => JSON.stringify([i?.tiles?.key, i?.tiles?.layers]);
    if (st.status === 'ready' && st.info?.path === info.path && plan(st.info) === plan(info) && map?.isLoaded) map.setTiles(info.tiles, info.layerVersions ?? info.revision, info.tileChanges);
    infoRead();
    // The extent frames the map while the layers are on their way; the map draws as soon
    // as the layers are in, the legend fills when its totals are.
    useAppStore.getState().setInfo(info);
    // Large layers come to the map as vector tiles (project:info lists them); only the rest as GeoJSON.
    const tiled = new Set(info.tiles?.layers ?? []);
    // The legend's totals read every feature in the backend: they are asked for once the map stands
    // idle with this load drawn (below), so that the backend answers the map's data first.
    // One theme after the other: the first waits for the backend's pass over the pipes (seconds
    // at a million) and the rest are answered from it at once. Asked together, each would hold a
    // connection of the browser's few to the backend for all that time, and the map's tiles and
    // the edits' calls would queue behind them.
    const fetchStats = async () => {
      const out: ThemeClassStats[][] = [];
      for (const theme of THEME_IDS) out.push(await invoke('theme:stats', { theme }));
      return out;
    };
    const wanted = LAYER_NAMES.filter((l) => !tiled.has(l));
    // a layer whose version did not move since the last load keeps its collection (the map then skips it)
    const before = st.status === 'ready' && st.info?.path === info.path ? st : null;
    const same = (l: LayerName) => !!before?.layers[l] && before.info?.layerVersions?.[l] !== undefined && before.info.layerVersions[l] === info.layerVersions?.[l];
    const fetch = wanted.filter((l) => !same(l));
    const layerList = await Promise.all(fetch.map((layer) => readLayer(layer, before)));
    performance.mark('wn:layers');
    const layers = Object.fromEntries(wanted.map((l) => [l, same(l) ? before!.layers[l] : layerList[fetch.indexOf(l)]])) as Partial<Record<LayerName, FeatureCollection>>;
    // until the new totals arrive the legend keeps the last ones
    useAppStore.getState().setProject({ info, layers, stats: useAppStore.getState().stats });
    // the legend's totals arrive when they do: an edit's reload does not wait for them
    const statCall = Promise.resolve(firstIdle()).then(() => new Promise((ok) => setTimeout(ok, 0))).then(() => mapController()?.whenIdle()).then(fetchStats);
    void statCall.then(
      (statList) => {
        performance.mark('wn:stats');
        const stats = Object.fromEntries(THEME_IDS.map((t, i) => [t, statList[i]])) as Record<ThemeId, ThemeClassStats[]>;
        useAppStore.getState().setStats(stats);
      },
      (e) => useAppStore.getState().setError((e as Error).message),
    );
  } catch (e) {
    useAppStore.getState().setError((e as Error).message);
  } finally {
    // a reload that stopped early (the revision shown) or failed: its waiters are told too (each once)
    infoRead();
  }
}

/**
 * A layer as layer:get gives it: caught up from the collection shown when the backend can say
 * which features were written since (an edit's reload then carries the few features it touched,
 * not the whole layer, and every other feature keeps its object), read whole otherwise.
 */
async function readLayer(layer: LayerName, before: { info: { revision: number } | null; layers: Partial<Record<LayerName, FeatureCollection>> } | null): Promise<FeatureCollection> {
  const shown = before?.layers[layer];
  if (shown && before?.info) {
    const since = await invoke('layer:since', { layer, revision: before.info.revision });
    if (since) return patchCollection(shown, since.features as FeatureCollection['features'], since.removed);
  }
  return invoke('layer:get', { layer });
}

let started: Promise<void> | null = null;
/**
 * The first load, started once, as early as possible: main.tsx calls it before
 * React renders, so the backend reads the layers while the map creates its
 * WebGL context and loads its style (the map is built in an effect, after the
 * first render, and would otherwise ask for data only once it exists).
 */
export function startLoading(): Promise<void> {
  return (started ??= loadProject());
}

let subscribed = false;
export function watchProject(): void {
  if (subscribed) return;
  subscribed = true;
  runtime.on('project:changed', () => void loadProject());
}

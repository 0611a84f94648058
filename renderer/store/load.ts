/** Loads the open project from the backend into the store (again whenever the backend says it changed). */
import { LAYER_NAMES, type LayerName } from '../../core/model/schema';
import { THEME_IDS, type ThemeClassStats, type ThemeId } from '../../core/style/themes';
import type { FeatureCollection } from '../../core/model/geojson';
import { invoke, runtime } from '../api';
import { useAppStore } from './index';

export async function loadProject(): Promise<void> {
  try {
    // All calls at once: the extent frames the map while the layers are still on their way.
    const infoCall = invoke('project:info', {}).then((info) => {
      useAppStore.getState().setInfo(info);
      return info;
    });
    const [info, layerList, statList] = await Promise.all([
      infoCall,
      Promise.all(LAYER_NAMES.map((layer) => invoke('layer:get', { layer }))),
      Promise.all(THEME_IDS.map((theme) => invoke('theme:stats', { theme }))),
    ]);
    const layers = Object.fromEntries(LAYER_NAMES.map((l, i) => [l, layerList[i]])) as Record<LayerName, FeatureCollection>;
    const stats = Object.fromEntries(THEME_IDS.map((t, i) => [t, statList[i]])) as Record<ThemeId, ThemeClassStats[]>;
    useAppStore.getState().setProject({ info, layers, stats });
  } catch (e) {
    useAppStore.getState().setError((e as Error).message);
  }
}

let subscribed = false;
export function watchProject(): void {
  if (subscribed) return;
  subscribed = true;
  runtime.on('project:changed', () => void loadProject());
}

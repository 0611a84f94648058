/**
 * What the project summary (`project:info`) is computed from, read from a
 * store: layer counts, extent, renovation projects and their links, settings,
 * and the pipe totals the caller has (kept by the store, or just counted).
 */
import { LAYER_NAMES, type LayerName } from '../../../core/model/schema';
import type { Settings } from '../../../core/model/settings';
import type { InfoParts, PipeTotals } from '../../../core/plan/info';
import type { StoreApi } from './api';

export function infoParts(store: StoreApi, settings: Settings, pipes: PipeTotals): InfoParts {
  return {
    features: Object.fromEntries(LAYER_NAMES.map((l) => [l, store.count(l)])) as Record<LayerName, number>,
    bbox: store.bbox(),
    projects: store.listProjects(),
    projectLinks: store.projectLinkCount(),
    settings,
    pipes,
  };
}

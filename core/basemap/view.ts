/**
 * What a project shows under its data and how, saved in the project file
 * (table view_state, migration 0010) so it travels with the file: the chosen
 * basemap, its opacity, the muted meeting look, and the presentation mode's
 * saved views.
 */
import type { BBox } from '../model/geojson';

export interface SavedView {
  name: string;
  bbox: BBox;
  theme: string;
}

export interface ViewState {
  /** 'none', 'gpkg:<fid>' (a basemap of the project's list) or 'online:<source id>'. */
  basemap: string;
  /** 0–1. */
  opacity: number;
  /** Grey and lighter, so the pipe colours stay readable in meetings. */
  muted: boolean;
  /** The presentation mode's saved views. */
  views: SavedView[];
}

export const DEFAULT_VIEW: ViewState = { basemap: 'none', opacity: 1, muted: false, views: [] };

function isView(v: unknown): v is SavedView {
  const o = v as SavedView;
  return !!o && typeof o.name === 'string' && Array.isArray(o.bbox) && o.bbox.length === 4 && o.bbox.every((n) => Number.isFinite(n)) && typeof o.theme === 'string';
}

/** A stored view state read leniently: anything missing or of the wrong type takes its default. */
export function parseViewState(raw: unknown): ViewState {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ViewState, unknown>>;
  return {
    basemap: typeof o.basemap === 'string' && /^(none|gpkg:\d+|online:[a-z0-9-]+)$/.test(o.basemap) ? o.basemap : DEFAULT_VIEW.basemap,
    opacity: typeof o.opacity === 'number' && o.opacity >= 0 && o.opacity <= 1 ? o.opacity : DEFAULT_VIEW.opacity,
    muted: typeof o.muted === 'boolean' ? o.muted : DEFAULT_VIEW.muted,
    views: Array.isArray(o.views) ? o.views.filter(isView) : [],
  };
}

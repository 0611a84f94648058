/**
 * The one interface every analysis view implements (as Terra Draw's modes
 * do: the shell only iterates the registry). A view module declares its id
 * and label, its state and parameters, how it runs (channels of the one
 * dispatcher, through renderer/api.ts), its form and result panel, its map
 * overlay as data, and its exports. The shell (AnalysisPanel.tsx) keeps each
 * view's state, runs it, shows progress and cancel, registers the overlay
 * with the map controller and frames the map.
 */
import type { ComponentType } from 'react';
import type { BBox, FeatureCollection } from '../../../core/model/geojson';
import type { LayerName } from '../../../core/model/schema';
import type { ArgsOf, Channel, ResultOf } from '../../../electron/backend/contract';
import type { HydraulicsMessageKey, Lang } from '../../i18n/messages';
import type { Selection } from '../../store';
import type { MapOverlay } from '../../map/overlays';
import type { AMKey } from './messages';

/** Calls a view's run makes: `start` runs a channel as the drawer's job (progress, cancel; a new start cancels the last). */
export interface RunApi {
  start<K extends Channel>(channel: K, args: ArgsOf<K>): Promise<ResultOf<K> | null>;
  invoke<K extends Channel>(channel: K, args: ArgsOf<K>): Promise<ResultOf<K>>;
}

/** What a view sees of the app while it is open. */
export interface AnalysisContext {
  lang: Lang;
  t(key: AMKey): string;
  layers: Partial<Record<LayerName, FeatureCollection>>;
  /** Layers drawn from vector tiles: no GeoJSON of them in `layers` (fetch what is needed by id or box). */
  tiled?: ReadonlySet<LayerName>;
  revision: number | undefined;
  selection: Selection;
  /** The drawer's job: running, fraction, last error and its channel. */
  running: boolean;
  /** Select a feature by id (any layer), or fly to a point when no feature has that id. */
  goTo(id: string, lon?: number, lat?: number): void;
  flyTo(lon: number, lat: number, zoom?: number): void;
  /** Listen to right-clicks on the map (lon, lat); answers the function that stops listening. */
  onMapContextMenu(cb: (lon: number, lat: number) => void): () => void;
}

export interface PanelProps<S> {
  state: S;
  setState(patch: Partial<S>): void;
  /** Runs the view (its `run`) now with the state given (default: the current one). */
  run(state?: S): void;
  api: RunApi;
  ctx: AnalysisContext;
}

export interface AnalysisExport<S> {
  id: string;
  label: AMKey | HydraulicsMessageKey;
  /** Whether the export can run now (e.g. a result exists). */
  enabled?(state: S): boolean;
  run(state: S, api: RunApi, ctx: AnalysisContext): Promise<void>;
}

export interface AnalysisView<S = unknown> {
  /** Tab id (`analysis-tab-<id>` in the page). */
  id: string;
  /** Its tab's label: a key of the analysis panel's or the app's catalogue. */
  label: AMKey | HydraulicsMessageKey;
  /** The drawer docks at the bottom for wide tables. */
  docked?: boolean;
  /** The state a view starts with (its parameters and no result). */
  initial(): S;
  /** The state after the project changed (results are stale); default: initial(). */
  stale?(state: S): S;
  /** The channel of its main run (a failed run waits for the user instead of retrying). */
  channel?: Channel;
  /** Run when the tab is shown and this says so (no result yet). */
  needsRun?(state: S): boolean;
  /** How it runs: channel calls through the api; answers the state patch (null: cancelled or replaced). */
  run?(state: S, api: RunApi, ctx: AnalysisContext): Promise<Partial<S> | null>;
  /** The parameters form above the result (optional). */
  Form?: ComponentType<PanelProps<S>>;
  /** The result panel. */
  Panel: ComponentType<PanelProps<S>>;
  /** What the map shows while the tab is open, as data (sources, layers, images). */
  overlay?(state: S, ctx: AnalysisContext): MapOverlay | null;
  /** What to frame: null/undefined key → nothing; default frames the pipes once per tab. */
  frame?: false | ((state: S, ctx: AnalysisContext) => { key: string; box: BBox | null } | null);
  exports?: AnalysisExport<S>[];
  /** Numbers for the inspector of a selected feature, shown while the view has a result. */
  Inspector?: ComponentType<{ state: S; layer: LayerName; id: string; lang: Lang }>;
}

/** Declares a view with its state type checked (the registry holds them as AnalysisView<any>). */
export function defineAnalysis<S>(view: AnalysisView<S>): AnalysisView<S> {
  return view;
}

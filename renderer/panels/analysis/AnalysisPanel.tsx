/**
 * 管网分析: the drawer that lists the registered analyses (registry.ts) as
 * tabs. It keeps each view's state (state.ts), runs a view when its tab shows
 * and it has no result (through the one job: progress, cancel), registers the
 * view's overlay with the map controller, frames the map, and offers the
 * view's exports. Everything an analysis shows or computes is in its view
 * module; every number comes from the backend channels.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LayerName } from '../../../core/model/schema';
import { say } from '../../../core/i18n';
import type { ArgsOf, Channel } from '../../../electron/backend/contract';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { mapController } from '../../map/MapView';
import { bboxOf } from '../../map/MapController';
import { am, label, type AMKey } from './messages';
import { useJob } from './job';
import { useAnalysisUi } from './state';
import { ANALYSES } from './registry';
import type { AnalysisContext, AnalysisView, RunApi } from './types';
import './analysis.css';

const POINT_LAYERS: LayerName[] = ['valves', 'stations', 'heat_sources', 'pipes', 'communities', 'incidents', 'complaints', 'streets', 'coal_areas'];
/** The map controller's key for the drawer's overlay. */
export const OVERLAY_KEY = 'analysis';

export function AnalysisPanel({ onClose }: { onClose(): void }) {
  const lang = useAppStore((s) => s.lang);
  const layers = useAppStore((s) => s.layers);
  const info = useAppStore((s) => s.info);
  const revision = info?.revision;
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const t = (k: AMKey) => am(lang, k);
  const tab = useAnalysisUi((s) => s.tab);
  const setTab = useAnalysisUi((s) => s.setTab);
  const states = useAnalysisUi((s) => s.states);
  const job = useJob();
  const [note, setNote] = useState<string | null>(null);
  const failed = useRef(new Set<string>());

  const view = ANALYSES.find((a) => a.id === tab) ?? ANALYSES[0];
  const stateOf = (v: AnalysisView<unknown>) => (useAnalysisUi.getState().states[v.id] ?? v.initial()) as unknown;
  const state = states[view.id] ?? view.initial();

  // A new revision makes every result stale; the backend recomputes (and caches) on the next run.
  useEffect(() => {
    const ui = useAnalysisUi.getState();
    if (ui.revision === revision) return;
    const next: Record<string, unknown> = {};
    for (const v of ANALYSES) if (ui.states[v.id] !== undefined) next[v.id] = v.stale ? v.stale(ui.states[v.id]) : v.initial();
    ui.resetStates(next, revision);
    failed.current.clear();
  }, [revision]);

  const tiled = useMemo(() => new Set<LayerName>(info?.tiles?.layers ?? []), [info?.tiles]);
  // A layer held in memory is searched; a tiled one (no GeoJSON of it here) is asked of the store by id.
  const layerOf = async (id: string): Promise<LayerName | null> => {
    for (const l of POINT_LAYERS) if (!tiled.has(l) && layers[l]?.features.some((x) => String(x.id ?? x.properties?.id) === id)) return l;
    for (const l of POINT_LAYERS)
      if (tiled.has(l) && (await invoke('feature:get', { layer: l, id }).then(() => true, () => false))) return l;
    return null;
  };
  const ctx: AnalysisContext = {
    lang,
    t,
    layers,
    tiled,
    revision,
    selection,
    running: job.running,
    goTo: (id, lon, lat) => {
      void layerOf(id).then((layer) => {
        if (layer) select({ type: 'single', layer, id }, 'table');
        else if (lon !== undefined && lat !== undefined) {
          const c = mapController();
          c?.map.easeTo({ center: c.screenPosition([lon, lat]), zoom: 17, duration: 300 });
        }
      });
    },
    flyTo: (lon, lat, zoom = 16) => {
      const c = mapController();
      c?.map.easeTo({ center: c.screenPosition([lon, lat]), zoom, duration: 300 });
    },
    onMapContextMenu: (cb) => {
      const c = mapController();
      const map = c?.map;
      if (!c || !map) return () => undefined;
      // The stored position of the place clicked (moved back from GCJ-02 over a GCJ-02 basemap).
      const on = (e: { lngLat: { lng: number; lat: number } }) => cb(...c.storedPosition([e.lngLat.lng, e.lngLat.lat]));
      map.on('contextmenu', on);
      return () => void map.off('contextmenu', on);
    },
  };

  // Runs a view: errors of plain calls show as a note and are not retried until the user asks.
  const inflight = useRef<string | null>(null);
  const api: RunApi = {
    start: job.start,
    invoke: <K extends Channel>(channel: K, args: ArgsOf<K>) =>
      invoke(channel, args).catch((e: Error) => {
        setNote(`${t('failed')}: ${e.message}`);
        throw e;
      }),
  };
  const setViewState = (v: AnalysisView<unknown>, patch: object) => useAnalysisUi.getState().setViewState(v.id, { ...(stateOf(v) as object), ...patch });
  const runView = (v: AnalysisView<unknown>, s?: unknown) => {
    if (!v.run) return;
    inflight.current = v.id;
    setNote(null);
    v.run(s ?? stateOf(v), api, ctx)
      .then((patch) => patch && setViewState(v, patch))
      .catch(() => failed.current.add(v.id))
      .finally(() => {
        if (inflight.current === v.id) inflight.current = null;
      });
  };

  // Run what the open tab shows when it has no result yet (a new tab's run replaces one still going;
  // a failed run waits for the user's 重新计算 instead of retrying in a loop).
  useEffect(() => {
    if (!view.needsRun?.(state) || inflight.current === view.id || failed.current.has(view.id)) return;
    if (view.channel && job.channel === view.channel && (job.running || job.error)) return;
    runView(view);
    // Dependencies: reruns on the tab, its state, the revision and the job's end only
  }, [view, state, revision, job.running]);

  // What the map shows for the open tab, registered with the map controller as data.
  const overlay = useMemo(() => view.overlay?.(state, ctx) ?? null, [view, state, layers, tiled]);
  useEffect(() => {
    mapController()?.setOverlay(OVERLAY_KEY, overlay);
  }, [overlay]);
  useEffect(() => () => mapController()?.setOverlay(OVERLAY_KEY, null), []);

  // Frame what the analysis is about beside the drawer: the view's own box, or the whole network once per tab.
  const panelRef = useRef<HTMLElement>(null);
  const framed = useRef<string>('');
  const pipesBox = useMemo(() => bboxOf(layers.pipes?.features.map((p) => p.geometry.coordinates) ?? []), [layers.pipes]);
  useEffect(() => {
    const ctl = mapController();
    const map = ctl?.map;
    if (!ctl || !map || view.frame === false) return;
    // The pipes' extent, not the project's: outlying coal areas would shrink the network to a dot.
    const want = view.frame ? view.frame(state, ctx) : { key: `theme:${view.id}`, box: pipesBox ?? info?.bbox ?? null };
    if (!want || !want.key || want.key === framed.current) return;
    const stored = want.box ?? pipesBox ?? info?.bbox;
    if (!stored) return;
    const box = ctl.screenBox(stored);
    framed.current = want.key;
    const canvas = map.getCanvas();
    const el = panelRef.current;
    // Leave the drawer's side (right, or bottom when docked there) free when the map has room for it.
    const docked = el?.classList.contains('docked');
    const right = docked ? 60 : (el?.offsetWidth ?? 440) + 70;
    const bottom = docked ? (el?.offsetHeight ?? 300) + 40 : 40;
    const padding = canvas.clientWidth > right + 200 && canvas.clientHeight > bottom + 150 ? { top: 50, bottom, left: 40, right } : 40;
    map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding, maxZoom: 17, duration: 300 });
    // Dependencies: frames when the view, its overlay or the project extent change
  }, [view, overlay, info]);

  const props = {
    state,
    setState: (patch: object) => setViewState(view, patch),
    run: (s?: unknown) => {
      failed.current.delete(view.id);
      runView(view, s);
    },
    api,
    ctx,
  };
  const { Form, Panel } = view;
  const exports = (view.exports ?? []).filter((x) => !x.enabled || x.enabled(state));

  return (
    <section
      ref={panelRef}
      className={'analysis-panel' + (view.docked ? ' docked' : '')}
      data-testid="analysis-panel"
      data-analysis={view.id}
      aria-label={t('title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h2>{t('title')}</h2>
        {exports.length > 0 && (
          <div className="analysis-exports">
            {exports.map((x) => (
              <button key={x.id} onClick={() => void x.run(state, api, ctx).catch((e: Error) => setNote(`${t('failed')}: ${e.message}`))} disabled={job.running} data-testid={`analysis-export-${x.id}`}>
                ⤓ {label(lang, x.label)}
              </button>
            ))}
          </div>
        )}
        <button className="icon" onClick={onClose} aria-label={t('close')} title={t('close')} data-testid="analysis-close">
          ×
        </button>
      </header>
      <nav className="analysis-tabs" role="tablist">
        {ANALYSES.map((a) => (
          <button key={a.id} role="tab" aria-selected={view.id === a.id} className={view.id === a.id ? 'on' : ''} onClick={() => setTab(a.id)} data-testid={`analysis-tab-${a.id}`}>
            {label(lang, a.label)}
          </button>
        ))}
      </nav>
      {Form && <Form {...props} />}
      {(job.running || job.error) && (
        <div className={'analysis-progress' + (job.error ? ' failed' : '')} data-testid="analysis-progress" role="status">
          {job.running ? (
            <>
              <span>{t('running')}</span>
              <progress max={1} value={job.fraction} />
              <span className="num">{Math.round(job.fraction * 100)}%</span>
              <button onClick={job.cancel} data-testid="analysis-cancel">
                {t('cancel')}
              </button>
            </>
          ) : (
            <span data-testid="analysis-error">{job.errorCode === 'cancelled' ? t('cancelled') : `${t('failed')}: ${job.errorSaid ? say(lang, job.errorSaid) : job.error}`}</span>
          )}
        </div>
      )}
      {note && <p className="analysis-note">{note}</p>}
      <div className="analysis-body" role="tabpanel">
        <Panel {...props} />
      </div>
    </section>
  );
}

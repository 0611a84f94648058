/**
 * 管网分析: the network analyses of issue 4 and the engineering checks of
 * issue 7 in one drawer over the map. Every number comes from the backend
 * channels (the same core code as `warmnet check / isolate / criticality /
 * loops`), computed in the worker thread with progress and cancel; this
 * component only lists results and draws them on the map.
 */
import { Fragment, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { FeatureCollection, Feature } from '../../../core/model/geojson';
import type { LayerName } from '../../../core/model/schema';
import type { Settings } from '../../../core/model/settings';
import type { CheckResult } from '../../../core/network/check';
import type { IsolationResult } from '../../../core/network/isolate';
import type { CriticalityResult } from '../../../core/network/criticality';
import type { LoopsResult } from '../../../core/network/loops';
import type { CapacityReport } from '../../../core/network/capacity';
import type { ResultOf } from '../../../electron/backend/contract';
import type { WhatIfResult } from '../../../electron/backend/analysis.contract';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { mapController } from '../../map/MapView';
import { bboxOf } from '../../map/MapController';
import { EngineeringPanel } from '../engineering/EngineeringPanel';
import { SettingsPanel } from '../engineering/SettingsPanel';
import { LOAD_MATCH_THEME, STATION_LOAD_THEME, loadMatchClass, stationLoadTheme } from '../engineering/themes';
import { am, FINDING_KIND, type AMKey } from './messages';
import { colouredPipes, drawOverlay, MARK_COLORS } from './overlay';
import { useJob } from './job';
import { useAnalysisUi } from './state';
import type { AnalysisTab } from './tabs';
import './analysis.css';

export type { AnalysisTab };
const TABS: [AnalysisTab, AMKey][] = [
  ['check', 'tabCheck'],
  ['trace', 'tabTrace'],
  ['burst', 'tabBurst'],
  ['risk', 'tabRisk'],
  ['loops', 'tabLoops'],
  ['engineering', 'tabEngineering'],
  ['settings', 'tabSettings'],
];

type Trace = ResultOf<'analysis:trace'>;
const SOURCE_PALETTE = ['#1f78b4', '#33a02c', '#ff7f00', '#e7298a', '#6a3d9a', '#b15928', '#1b9e77', '#a6761d'];
const NO_SOURCE = '#9aa5b1';
/** N-1 classes on the load a segment's isolation loses (MW; upper bounds). */
export const RISK_CLASSES: { max: number; color: string; label: string }[] = [
  { max: 0, color: '#b8c4ce', label: '0' },
  { max: 1, color: '#fdd49e', label: '≤ 1' },
  { max: 3, color: '#fc8d59', label: '1–3' },
  { max: 10, color: '#e34a33', label: '3–10' },
  { max: Infinity, color: '#99000d', label: '> 10' },
];
export const riskColor = (mw: number) => RISK_CLASSES.find((c) => mw <= c.max)!.color;

const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const onEnter = (fn: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    fn();
  }
};

const POINT_LAYERS: LayerName[] = ['valves', 'stations', 'heat_sources', 'pipes', 'communities', 'incidents', 'complaints', 'streets', 'coal_areas'];

export function AnalysisPanel({ onClose }: { onClose(): void }) {
  const lang = useAppStore((s) => s.lang);
  const layers = useAppStore((s) => s.layers);
  const revision = useAppStore((s) => s.info?.revision);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const t = (k: AMKey) => am(lang, k);
  const tab = useAnalysisUi((s) => s.tab);
  const setTab = useAnalysisUi((s) => s.setTab);
  const job = useJob();

  const [check, setCheck] = useState<CheckResult | null>(null);
  const [trace, setTrace] = useState<Trace | null>(null);
  const [burst, setBurst] = useState<{ pipeId: string; result: IsolationResult } | null>(null);
  const [risk, setRisk] = useState<CriticalityResult | null>(null);
  const [loops, setLoops] = useState<LoopsResult | null>(null);
  const [loopParams, setLoopParams] = useState<{ maxLengthM: string; budgetWan: string }>({ maxLengthM: '', budgetWan: '' });
  const [activeRank, setActiveRank] = useState<number | null>(null);
  const [whatIf, setWhatIf] = useState<WhatIfResult | null>(null);
  const [capacity, setCapacity] = useState<CapacityReport | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [note, setNote] = useState<string | null>(null);

  // A new revision makes every result stale; the backend recomputes (and caches) on the next run.
  useEffect(() => {
    setCheck(null);
    setTrace(null);
    setRisk(null);
    setLoops(null);
    setWhatIf(null);
    setCapacity(null);
    setSettings(null);
  }, [revision]);

  const selectedPipe = selection.type === 'single' && selection.layer === 'pipes' ? selection.id : null;

  const loopArgs = () => {
    const a: { maxLengthM?: number; budgetWan?: number } = {};
    const m = Number(loopParams.maxLengthM);
    const b = Number(loopParams.budgetWan);
    if (loopParams.maxLengthM.trim() && Number.isFinite(m) && m > 0) a.maxLengthM = m;
    if (loopParams.budgetWan.trim() && Number.isFinite(b) && b >= 0) a.budgetWan = b;
    return a;
  };

  // Run what the open tab shows when it has no result yet (a new tab's run replaces one still going;
  // a failed run waits for the user's 重新计算 instead of retrying in a loop).
  useEffect(() => {
    if (tab === 'settings' || tab === 'engineering') {
      if (!settings) void invoke('settings:get', {}).then(setSettings);
    }
    const want =
      tab === 'check' && !check ? 'analysis:check'
      : tab === 'trace' && !trace ? 'analysis:trace'
      : tab === 'risk' && !risk ? 'analysis:criticality'
      : tab === 'loops' && !loops ? 'analysis:loops'
      : tab === 'engineering' && !capacity ? 'analysis:capacity'
      : null;
    if (!want || (job.channel === want && (job.running || job.error))) return;
    if (want === 'analysis:check') void job.start(want, {}).then((r) => r && setCheck(r));
    if (want === 'analysis:trace') void job.start(want, {}).then((r) => r && setTrace(r));
    if (want === 'analysis:criticality') void job.start(want, {}).then((r) => r && setRisk(r));
    if (want === 'analysis:loops') void job.start(want, loopArgs()).then((r) => r && setLoops(r));
    if (want === 'analysis:capacity') void job.start(want, {}).then((r) => r && setCapacity(r));
    // Results are fetched when the tab, the revision or the settings change; the setters are stable.
  }, [tab, check, trace, risk, loops, capacity, settings, revision, job.running]);

  // 爆管分析: a pipe clicked while the tab is open is analysed at once.
  const runBurst = (pipeId: string) => void job.start('analysis:isolate', { pipeId }).then((r) => r && setBurst({ pipeId, result: r }));
  useEffect(() => {
    if (tab === 'burst' && selectedPipe && burst?.pipeId !== selectedPipe) runBurst(selectedPipe);
    // A new pipe, tab or revision starts a run; the running job is read, not watched.
  }, [tab, selectedPipe, revision]);

  // Context action: a right-click on a pipe isolates only the valve segment at that point (warmnet isolate --at).
  useEffect(() => {
    const map = mapController()?.map;
    if (!map || tab !== 'burst') return;
    const onContext = (e: { lngLat: { lng: number; lat: number } }) => {
      const { lng, lat } = e.lngLat;
      const label = `${lng.toFixed(6)}, ${lat.toFixed(6)}`;
      void job.start('analysis:isolate', { lon: lng, lat }).then((r) => r && setBurst({ pipeId: label, result: r }));
    };
    map.on('contextmenu', onContext);
    return () => {
      map.off('contextmenu', onContext);
    };
    // The handler is bound once per tab; it reads the latest state through the store.
  }, [tab]);

  const layerOf = (id: string): LayerName | null => {
    for (const l of POINT_LAYERS) if (layers[l]?.features.some((x) => String(x.id ?? x.properties?.id) === id)) return l;
    return null;
  };
  const goTo = (id: string, lon?: number, lat?: number) => {
    const layer = layerOf(id);
    if (layer) select({ type: 'single', layer, id }, 'table');
    else if (lon !== undefined && lat !== undefined) mapController()?.map.easeTo({ center: [lon, lat], zoom: 17, duration: 300 });
  };

  // What the map shows for the open tab.
  const overlay = useMemo((): { theme: FeatureCollection | null; marks: Feature[] } => {
    const pipes = layers.pipes;
    const marks: Feature[] = [];
    const pt = (lon: number, lat: number, props: Record<string, unknown>): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props });
    const byId = (l: LayerName, id: string) => layers[l]?.features.find((x) => String(x.id ?? x.properties?.id) === id);
    if (tab === 'check' && check) {
      for (const fd of check.findings) marks.push(pt(fd.lon, fd.lat, { _mark: 'finding', kind: fd.kind }));
      return { theme: null, marks };
    }
    if (tab === 'trace' && trace) {
      const colours = sourceColours(trace);
      return { theme: colouredPipes(pipes, (id) => colours.get(sourceKey(trace.pipeSources[id])) ?? null), marks };
    }
    if (tab === 'burst' && burst) {
      const r = burst.result;
      for (const id of r.pipesIsolated) {
        const p = byId('pipes', id);
        if (p) marks.push({ type: 'Feature', geometry: p.geometry, properties: { _mark: 'isolated', dn: p.properties?.dn ?? null } });
      }
      for (const id of r.communitiesCut) {
        const c = byId('communities', id);
        if (c) marks.push({ type: 'Feature', geometry: c.geometry, properties: { _mark: 'community' } });
      }
      for (const [ids, mark] of [[r.valvesToClose, 'valve'], [r.alreadyClosed, 'closed']] as const)
        for (const id of ids) {
          const v = byId('valves', id);
          if (v && v.geometry.type === 'Point') marks.push({ type: 'Feature', geometry: v.geometry, properties: { _mark: mark, id } });
        }
      return { theme: null, marks };
    }
    if (tab === 'risk' && risk) return { theme: riskTheme(pipes, risk), marks };
    if (tab === 'loops' && loops) {
      for (const o of loops.options) {
        const chosen = loops.chosen.includes(o.rank);
        marks.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [[o.from.lon, o.from.lat], [o.to.lon, o.to.lat]] },
          properties: { _mark: 'option', _rank: o.rank, _chosen: chosen, _active: o.rank === activeRank },
        });
        marks.push(pt(o.from.lon, o.from.lat, { _mark: 'end' }), pt(o.to.lon, o.to.lat, { _mark: 'end' }));
      }
      // With a what-if on, the pipes show the N-1 risk the network would have with that option built.
      return { theme: whatIf ? riskTheme(pipes, whatIf.afterResult) : null, marks };
    }
    if (tab === 'engineering' && capacity) {
      const cls = loadMatchClass(capacity);
      const colour = new Map(LOAD_MATCH_THEME.classes.map((c) => [c.value, c.color]));
      const st = settings ? stationLoadTheme(settings.stationNearLimitRatio, settings.stationOverloadRatio) : STATION_LOAD_THEME;
      for (const s of capacity.stations) {
        const feat = byId('stations', s.id);
        if (!feat || feat.geometry.type !== 'Point' || s.ratio === null) continue;
        const c = s.ratio < Number(st.classes[0].value) ? st.classes[0].color : s.ratio < Number(st.classes[1].value) ? st.classes[1].color : st.classes[2].color;
        marks.push({ type: 'Feature', geometry: feat.geometry, properties: { _mark: 'station', _c: c } });
      }
      return { theme: colouredPipes(pipes, (id) => colour.get(cls.get(id) ?? '') ?? null), marks };
    }
    return { theme: null, marks };
  }, [tab, check, trace, burst, risk, loops, activeRank, whatIf, capacity, layers, settings]);

  useEffect(() => {
    drawOverlay(mapController()?.map, overlay.theme, { type: 'FeatureCollection', features: overlay.marks });
  }, [overlay]);
  useEffect(() => () => drawOverlay(mapController()?.map, null, null), []);

  // Frame what the analysis is about beside the drawer: the affected area of a burst, the whole network for a theme.
  const panelRef = useRef<HTMLElement>(null);
  const info = useAppStore((s) => s.info);
  const framed = useRef<string>('');
  const pipesBox = useMemo(() => bboxOf(layers.pipes?.features.map((p) => p.geometry.coordinates) ?? []), [layers.pipes]);
  useEffect(() => {
    const map = mapController()?.map;
    if (!map) return;
    const key = tab === 'burst' ? `burst:${burst?.pipeId}` : tab === 'check' ? '' : `theme:${tab}`;
    if (!key || key === framed.current || (tab === 'burst' && !burst)) return;
    // The pipes' extent, not the project's: outlying coal areas would shrink the network to a dot.
    const box = tab === 'burst' ? bboxOf(overlay.marks.map((m) => m.geometry.coordinates)) : pipesBox ?? info?.bbox;
    if (!box) return;
    framed.current = key;
    const canvas = map.getCanvas();
    const el = panelRef.current;
    // Leave the drawer's side (right, or bottom when docked there) free when the map has room for it.
    const docked = el?.classList.contains('docked');
    const right = docked ? 60 : (el?.offsetWidth ?? 440) + 70;
    const bottom = docked ? (el?.offsetHeight ?? 300) + 40 : 40;
    const padding = canvas.clientWidth > right + 200 && canvas.clientHeight > bottom + 150 ? { top: 50, bottom, left: 40, right } : 40;
    map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding, maxZoom: 17, duration: 300 });
  }, [tab, overlay, info]);

  const toggleWhatIf = async (rank: number) => {
    if (activeRank === rank) {
      setActiveRank(null);
      setWhatIf(null);
      return;
    }
    setActiveRank(rank);
    setWhatIf(null);
    const r = await job.start('analysis:whatif', { optionRank: rank, ...loopArgs() });
    if (r) setWhatIf(r);
  };

  return (
    <section
      ref={panelRef}
      className={'analysis-panel' + (tab === 'loops' || tab === 'engineering' || tab === 'settings' ? ' docked' : '')}
      data-testid="analysis-panel"
      aria-label={t('title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h2>{t('title')}</h2>
        <button className="icon" onClick={onClose} aria-label={t('close')} title={t('close')} data-testid="analysis-close">
          ×
        </button>
      </header>
      <nav className="analysis-tabs" role="tablist">
        {TABS.map(([id, key]) => (
          <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'on' : ''} onClick={() => setTab(id)} data-testid={`analysis-tab-${id}`}>
            {t(key)}
          </button>
        ))}
      </nav>
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
            <span>
              {/cancel/i.test(job.error ?? '') ? t('cancelled') : `${t('failed')}: ${job.error}`}
            </span>
          )}
        </div>
      )}
      <div className="analysis-body" role="tabpanel">
        {tab === 'check' && check && <CheckView r={check} lang={lang} onGo={goTo} />}
        {tab === 'trace' && trace && <TraceView r={trace} lang={lang} onGo={goTo} />}
        {tab === 'burst' && (
          <BurstView
            lang={lang}
            selectedPipe={selectedPipe}
            burst={burst}
            running={job.running}
            onRun={() => selectedPipe && runBurst(selectedPipe)}
            onGo={goTo}
          />
        )}
        {tab === 'risk' && risk && <RiskView r={risk} lang={lang} onGo={goTo} />}
        {tab === 'loops' && (
          <LoopsView
            r={loops}
            lang={lang}
            params={loopParams}
            setParams={setLoopParams}
            onRun={() => {
              setActiveRank(null);
              setWhatIf(null);
              void job.start('analysis:loops', loopArgs()).then((r) => r && setLoops(r));
            }}
            activeRank={activeRank}
            whatIf={whatIf}
            onWhatIf={(rank) => void toggleWhatIf(rank)}
            onGo={(lon, lat) => mapController()?.map.easeTo({ center: [lon, lat], zoom: 16, duration: 300 })}
          />
        )}
        {tab === 'engineering' && (
          <>
            {capacity && (
              <Legend
                rows={[
                  ...LOAD_MATCH_THEME.classes.map((c) => ({ color: c.color, label: c.label[lang] })),
                  ...(settings ? stationLoadTheme(settings.stationNearLimitRatio, settings.stationOverloadRatio) : STATION_LOAD_THEME).classes.map((c) => ({
                    color: c.color,
                    label: `${t('stations')} ${c.label[lang]}`,
                    dot: true,
                  })),
                ]}
                title={t('loadMatchOnMap')}
              />
            )}
            <EngineeringPanel />
          </>
        )}
        {tab === 'settings' && settings && (
          <>
            {note && <p className="analysis-note">{note}</p>}
            <SettingsPanel
              settings={settings}
              lang={lang}
              onSave={async (patch) => {
                setSettings(await invoke('settings:set', { patch }));
                setNote(t('saved'));
              }}
              onReset={async (keys) => {
                setSettings(await invoke('settings:reset', { keys }));
                setNote(t('saved'));
              }}
            />
          </>
        )}
      </div>
    </section>
  );
}

/** Pipes coloured by the load lost when their valve segment is isolated. */
function riskTheme(pipes: FeatureCollection | undefined, r: CriticalityResult): FeatureCollection {
  const lost = new Map<string, number>();
  for (const s of r.segments) for (const p of s.pipes) lost.set(p, Math.max(lost.get(p) ?? 0, s.loadLostMW));
  return colouredPipes(pipes, (id) => (lost.has(id) ? riskColor(lost.get(id)!) : null));
}

/** Sources of a pipe as one class key (an area fed by S-1 and S-B is its own class). */
const sourceKey = (ids: string[] | undefined) => (ids && ids.length ? [...ids].sort().join('+') : '');
function sourceColours(trace: Trace): Map<string, string> {
  const keys = [...new Set(Object.values(trace.pipeSources).map(sourceKey))].filter(Boolean).sort();
  const m = new Map(keys.map((k, i) => [k, SOURCE_PALETTE[i % SOURCE_PALETTE.length]]));
  m.set('', NO_SOURCE);
  return m;
}

function Legend({ rows, title }: { rows: { color: string; label: string; extra?: string; dot?: boolean }[]; title?: string }) {
  return (
    <div className="analysis-legend">
      {title && <div className="muted">{title}</div>}
      {rows.map((r) => (
        <span key={r.label}>
          <i className={r.dot ? 'dot filled' : 'swatch'} style={r.dot ? { background: r.color, borderColor: '#1d1d1d' } : { background: r.color }} /> {r.label}
          {r.extra && <em> {r.extra}</em>}
        </span>
      ))}
    </div>
  );
}

function IdList({ ids, onGo, lang, testid }: { ids: string[]; onGo(id: string): void; lang: 'zh' | 'en'; testid?: string }) {
  if (!ids.length) return <span className="muted">{am(lang, 'none')}</span>;
  return (
    <span className="id-list" data-testid={testid}>
      {ids.map((id) => (
        <button key={id} className="chip" onClick={() => onGo(id)} data-id={id}>
          {id}
        </button>
      ))}
    </span>
  );
}

function CheckView({ r, lang, onGo }: { r: CheckResult; lang: 'zh' | 'en'; onGo(id: string, lon: number, lat: number): void }) {
  const [kind, setKind] = useState<string>('');
  const rows = r.findings.filter((x) => !kind || x.kind === kind);
  const t = (k: AMKey) => am(lang, k);
  return (
    <div data-testid="check-view">
      <p className="analysis-summary">
        <b data-testid="check-count">{r.findings.length}</b> {t('findings')}
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label={t('kind')}>
          <option value="">{t('allKinds')}</option>
          {Object.entries(r.counts)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => (
              <option key={k} value={k}>
                {FINDING_KIND[k]?.[lang] ?? k} ({n})
              </option>
            ))}
        </select>
      </p>
      {r.findings.length === 0 ? (
        <p className="muted">{t('noFindings')}</p>
      ) : (
        <table className="analysis-table" data-testid="check-findings">
          <thead>
            <tr>
              <th>{t('kind')}</th>
              <th>{t('feature')}</th>
              <th>{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, 500).map((x, i) => (
              <tr key={i} tabIndex={0} onClick={() => onGo(x.featureIds[0], x.lon, x.lat)} onKeyDown={onEnter(() => onGo(x.featureIds[0], x.lon, x.lat))} data-kind={x.kind}>
                <td className="nowrap">
                  <i className="dot" style={{ borderColor: MARK_COLORS.finding }} /> {FINDING_KIND[x.kind]?.[lang] ?? x.kind}
                </td>
                <td className="nowrap">{x.featureIds.join(', ')}</td>
                <td>{x.reason[lang]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function TraceView({ r, lang, onGo }: { r: Trace; lang: 'zh' | 'en'; onGo(id: string): void }) {
  const t = (k: AMKey) => am(lang, k);
  const colours = sourceColours(r);
  return (
    <div data-testid="trace-view">
      <p className="muted">{t('traceHint')}</p>
      <Legend
        rows={[...colours.entries()].map(([k, c]) => ({ color: c, label: k ? k.replace(/\+/g, ' + ') : t('noSource') }))}
      />
      <table className="analysis-table" data-testid="trace-sources">
        <thead>
          <tr>
            <th>{t('source')}</th>
            <th className="num">{t('loadMW')}</th>
            <th className="num">{t('capacityMW')}</th>
            <th className="num">{t('loadRatio')}</th>
            <th>{t('stations')}</th>
          </tr>
        </thead>
        <tbody>
          {r.sources.map((s) => (
            <tr key={s.id} tabIndex={0} onClick={() => onGo(s.id)} onKeyDown={onEnter(() => onGo(s.id))}>
              <td className="nowrap">
                <i className="swatch" style={{ background: colours.get([...colours.keys()].find((k) => k.split('+').includes(s.id)) ?? '') ?? NO_SOURCE }} /> {s.id}
              </td>
              <td className="num">{f(s.loadMW)}</td>
              <td className="num">{f(s.capacityMW)}</td>
              <td className="num">{s.loadRatio === null ? '—' : `${Math.round(s.loadRatio * 100)}%`}</td>
              <td>{s.stations.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BurstView(props: {
  lang: 'zh' | 'en';
  selectedPipe: string | null;
  burst: { pipeId: string; result: IsolationResult } | null;
  running: boolean;
  onRun(): void;
  onGo(id: string): void;
}) {
  const { lang, selectedPipe, burst, onGo } = props;
  const t = (k: AMKey) => am(lang, k);
  const r = burst?.result;
  return (
    <div data-testid="burst-view">
      <p className="analysis-summary">
        {t('selectedPipe')}: <b>{selectedPipe ?? '—'}</b>
        <button onClick={props.onRun} disabled={!selectedPipe || props.running} data-testid="burst-run">
          {t('analysePipe')}
        </button>
      </p>
      {!r && <p className="muted">{t('burstHint')}</p>}
      {r && burst && (
        <div className="card" data-testid="burst-card" data-pipe={burst.pipeId}>
          <h3>
            {t('tabBurst')} · {burst.pipeId}
          </h3>
          <div className="kpis">
            <Kpi label={t('valvesToClose')} value={String(r.valvesToClose.length)} testid="burst-valve-count" accent />
            <Kpi label={t('households')} value={r.households.toLocaleString()} testid="burst-households" />
            <Kpi label={t('heatedArea')} value={Math.round(r.heatedAreaM2).toLocaleString()} testid="burst-area" />
            <Kpi label={t('lostMW')} value={f(r.loadMW, 3)} testid="burst-mw" />
            <Kpi label={t('lengthM')} value={f(r.lengthM, 1)} testid="burst-length" />
          </div>
          <dl className="fields">
            <dt>
              <i className="sym valve-close" /> {t('valvesToClose')}
            </dt>
            <dd>
              <IdList ids={r.valvesToClose} onGo={onGo} lang={lang} testid="burst-valves" />
            </dd>
            <dt>
              <i className="sym valve-closed" /> {t('alreadyClosed')}
            </dt>
            <dd>
              <IdList ids={r.alreadyClosed} onGo={onGo} lang={lang} testid="burst-closed" />
            </dd>
            {!!r.cannotClose?.length && (
              <>
                <dt>{t('cannotClose')}</dt>
                <dd>
                  <IdList ids={r.cannotClose} onGo={onGo} lang={lang} />
                </dd>
              </>
            )}
            <dt>{t('stationsCut')}</dt>
            <dd>
              <IdList ids={r.stationsCut} onGo={onGo} lang={lang} testid="burst-stations" />
            </dd>
            <dt>{t('communitiesCut')}</dt>
            <dd>
              <IdList ids={r.communitiesCut} onGo={onGo} lang={lang} testid="burst-communities" />
            </dd>
            <dt>{t('pipesIsolated')}</dt>
            <dd>
              <IdList ids={r.pipesIsolated} onGo={onGo} lang={lang} testid="burst-pipes" />
            </dd>
          </dl>
        </div>
      )}
    </div>
  );
}

function Kpi({ label, value, testid, accent }: { label: string; value: string; testid?: string; accent?: boolean }) {
  return (
    <div className={'kpi' + (accent ? ' accent' : '')}>
      <b data-testid={testid}>{value}</b>
      <span>{label}</span>
    </div>
  );
}

function RiskView({ r, lang, onGo }: { r: CriticalityResult; lang: 'zh' | 'en'; onGo(id: string): void }) {
  const t = (k: AMKey) => am(lang, k);
  const rows = RISK_CLASSES.map((c, i) => {
    const lo = i === 0 ? -Infinity : RISK_CLASSES[i - 1].max;
    const segs = r.segments.filter((s) => s.loadLostMW > lo && s.loadLostMW <= c.max);
    return { color: c.color, label: `${c.label} MW`, extra: `${segs.length} · ${f(segs.reduce((a, s) => a + s.lengthM, 0) / 1000, 2)} km` };
  });
  const worst = [...r.segments].sort((a, b) => b.riskMWkm - a.riskMWkm).slice(0, 20);
  return (
    <div data-testid="risk-view">
      <div className="kpis">
        <Kpi label={`${t('loadAtRisk')} MW·km`} value={f(r.loadAtRiskMWkm)} testid="risk-total" accent />
        <Kpi label={t('segments')} value={String(r.segments.length)} />
        <Kpi label={t('bridges')} value={String(r.bridges.length)} testid="risk-bridge-count" />
      </div>
      <Legend rows={rows} title={t('riskLegend')} />
      {r.worstSegment && (
        <p className="analysis-summary" data-testid="risk-worst">
          {t('worstSegment')}: <b>{f(r.worstSegment.loadLostMW, 2)} MW</b> · {r.worstSegment.households.toLocaleString()} {lang === 'zh' ? '户' : 'households'} · {f(r.worstSegment.lengthM, 0)} m
          <IdList ids={r.worstSegment.pipes.slice(0, 12)} onGo={onGo} lang={lang} />
        </p>
      )}
      <table className="analysis-table">
        <thead>
          <tr>
            <th>{t('pipes')}</th>
            <th className="num">{t('lostMW')}</th>
            <th className="num">{t('households')}</th>
            <th className="num">MW·km</th>
          </tr>
        </thead>
        <tbody>
          {worst.map((s, i) => (
            <tr key={i} tabIndex={0} onClick={() => onGo(s.pipes[0])} onKeyDown={onEnter(() => onGo(s.pipes[0]))}>
              <td className="nowrap">
                <i className="swatch" style={{ background: riskColor(s.loadLostMW) }} /> {s.pipes.slice(0, 3).join(', ')}
                {s.pipes.length > 3 ? ` +${s.pipes.length - 3}` : ''}
              </td>
              <td className="num">{f(s.loadLostMW, 2)}</td>
              <td className="num">{s.households.toLocaleString()}</td>
              <td className="num">{f(s.riskMWkm, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('bridges')}</h3>
      <IdList ids={r.bridges.slice(0, 200)} onGo={onGo} lang={lang} testid="risk-bridges" />
    </div>
  );
}

function LoopsView(props: {
  r: LoopsResult | null;
  lang: 'zh' | 'en';
  params: { maxLengthM: string; budgetWan: string };
  setParams(p: { maxLengthM: string; budgetWan: string }): void;
  onRun(): void;
  activeRank: number | null;
  whatIf: WhatIfResult | null;
  onWhatIf(rank: number): void;
  onGo(lon: number, lat: number): void;
}) {
  const { r, lang, params, activeRank, whatIf } = props;
  const t = (k: AMKey) => am(lang, k);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div data-testid="loops-view">
      <form
        className="analysis-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onRun();
        }}
      >
        <label>
          {t('maxLength')}
          <input inputMode="decimal" value={params.maxLengthM} placeholder="800" onChange={(e) => props.setParams({ ...params, maxLengthM: e.target.value })} data-testid="loops-max-length" />
        </label>
        <label>
          {t('budget')}
          <input inputMode="decimal" value={params.budgetWan} placeholder="—" onChange={(e) => props.setParams({ ...params, budgetWan: e.target.value })} data-testid="loops-budget" />
        </label>
        <button type="submit" data-testid="loops-run">
          {t('rerun')}
        </button>
      </form>
      {r && (
        <>
          <div className="kpis">
            <Kpi label={`${t('loadAtRisk')} MW·km`} value={f(r.loadAtRiskMWkm)} testid="loops-risk" />
            <Kpi label={t('chosenSet')} value={r.chosen.length ? r.chosen.map((x) => `#${x}`).join(' ') : '—'} testid="loops-chosen" accent />
            <Kpi label={`${t('totalCost')} 万元`} value={f(r.totalCostWan, 1)} />
          </div>
          {whatIf && (
            <div className="card whatif" data-testid="whatif-card" data-rank={whatIf.option.rank}>
              <h3>
                {t('whatIf')} #{whatIf.option.rank}
              </h3>
              <p className="beforeafter">
                {t('loadAtRisk')}: <span data-testid="whatif-before">{f(whatIf.before)}</span> → <b data-testid="whatif-after">{f(whatIf.after)}</b> MW·km
                <span className="delta" data-testid="whatif-delta">
                  −{f(whatIf.reducedMWkm)}
                </span>
              </p>
              <Legend rows={RISK_CLASSES.map((c) => ({ color: c.color, label: `${c.label} MW` }))} title={t('whatIfMap')} />
            </div>
          )}
          {r.options.length === 0 ? (
            <p className="muted">{t('noOptions')}</p>
          ) : (
            <table className="analysis-table loops" data-testid="loops-table">
              <thead>
                <tr>
                  <th>{t('rank')}</th>
                  <th>{t('optKind')}</th>
                  <th>{t('fromTo')}</th>
                  <th className="num">{t('length')}</th>
                  <th className="num">DN</th>
                  <th className="num">{t('cost')}</th>
                  <th className="num">{t('backup')}</th>
                  <th className="num">{t('riskReduced')}</th>
                  <th className="num">{t('benefit')}</th>
                  <th>{t('whatIfOn')}</th>
                </tr>
              </thead>
              <tbody>
                {r.options.map((o) => {
                  const chosen = r.chosen.includes(o.rank);
                  return (
                    <Fragment key={o.rank}>
                      <tr
                        className={(chosen ? 'chosen ' : '') + (activeRank === o.rank ? 'active' : '')}
                        data-rank={o.rank}
                        tabIndex={0}
                        onClick={() => {
                          setOpen(open === o.rank ? null : o.rank);
                          props.onGo((o.from.lon + o.to.lon) / 2, (o.from.lat + o.to.lat) / 2);
                        }}
                        onKeyDown={onEnter(() => setOpen(open === o.rank ? null : o.rank))}
                      >
                        <td className="nowrap">
                          {chosen && <span title={t('chosen')}>★ </span>}#{o.rank}
                        </td>
                        <td>{t(o.kind === 'interconnect' ? 'interconnect' : 'loop')}</td>
                        <td className="nowrap">
                          {o.from.source} → {o.to.source}
                        </td>
                        <td className="num" data-col="lengthM">{f(o.lengthM, 0)}</td>
                        <td className="num" data-col="dn">{o.dn}</td>
                        <td className="num" data-col="costWan">{f(o.costWan, 1)}</td>
                        <td className="num" data-col="backupMW">{f(o.backupMW, 2)}</td>
                        <td className="num" data-col="riskReducedMWkm">{f(o.riskReducedMWkm, 2)}</td>
                        <td className="num" data-col="benefitPerWan">{f(o.benefitPerWan, 3)}</td>
                        <td onClick={(e) => e.stopPropagation()}>
                          <label className="switch">
                            <input type="checkbox" role="switch" checked={activeRank === o.rank} onChange={() => props.onWhatIf(o.rank)} data-testid={`whatif-${o.rank}`} aria-label={`${t('whatIf')} #${o.rank}`} />
                            <span />
                          </label>
                        </td>
                      </tr>
                      {(open === o.rank || (open === null && o.rank === 1)) && (
                        <tr key={`${o.rank}-x`} className="explain">
                          <td colSpan={10}>{o.explanation[lang]}</td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}

/**
 * 水力计算 (issue 14), registered like every other analysis: a scenario
 * (design / now / cold wave / outage, outdoor °C, sources off, loop options
 * built, friction law) run by `analysis:hydraulics` in the backend's worker
 * (progress, cancel, cached per revision and scenario); map themes for flow
 * with direction arrows, velocity, R, supply pressure, station ΔP (traffic
 * light) and supply temperature; the 水压图 to the most unfavourable or a
 * chosen station; the balancing table with its .xlsx; the numbers of a
 * clicked pipe, station or source in the inspector.
 */
import { useEffect, useRef } from 'react';
import type { HydraulicsView } from '../../../../core/hydraulics/view';
import type { ScenarioName } from '../../../../core/hydraulics/simulate';
import { hm, type HydraulicsMessageKey, type Lang } from '../../../i18n/messages';
import { say } from '../../../../core/i18n';
import { download } from '../../present/chartImage';
import { bboxOf } from '../../../map/bbox';
import { defineAnalysis, type PanelProps } from '../types';
import { Kpi, Legend, onEnter } from '../common';
import { HYD_THEMES, hydraulicsOverlay, LIGHT_COLORS, LIGHT_KEYS, themeClasses } from './themes';
import { ProfileChart, profilePng } from './ProfileChart';
import { BalancingTable } from './BalancingTable';
import { HydraulicsInspector } from './InspectorSection';
import { DEFAULT_PARAMS, hydraulicsArgs, type HydParams, type HydState } from './params';
import { grouped } from '../../../../core/format/number';

export { hydraulicsArgs, type HydParams, type HydState };


const SCENARIO_KEYS: [ScenarioName, HydraulicsMessageKey][] = [
  ['design', 'hydScenarioDesign'],
  ['now', 'hydScenarioNow'],
  ['coldwave', 'hydScenarioColdwave'],
  ['outage', 'hydScenarioOutage'],
];
const ROLE_KEYS: Record<string, HydraulicsMessageKey> = { pressure: 'hydRolePressure', head: 'hydRoleHead', flow: 'hydRoleFlow', off: 'hydRoleOff' };

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export const hydraulicsView = defineAnalysis<HydState>({
  id: 'hydraulics',
  label: 'hydTab',
  docked: true,
  initial: () => ({
    params: DEFAULT_PARAMS,
    result: null,
    baseline: null,
    theme: 'flow',
    sub: 'summary',
  }),
  stale: (s) => ({ ...s, result: null, baseline: null }),
  channel: 'analysis:hydraulics',
  needsRun: (s) => !s.result && !s.pending,
  run: async (s, api) => {
    const a = hydraulicsArgs(s.params);
    let baseline: HydraulicsView | null = null;
    if (a.options?.length) {
      const { options: _built, ...without } = a;
      baseline = await api.start('analysis:hydraulics', without);
      if (!baseline) return null;
    }
    const r = await api.start('analysis:hydraulics', a);
    return r && { result: r, baseline };
  },
  // The whole network, or the 水压图's path while the profile shows.
  frame: (s, ctx) => {
    const prof = s.sub === 'profile' ? s.result?.profile : null;
    if (prof && prof.points.length > 1) return { key: `hydraulics-profile:${prof.station}`, box: bboxOf(prof.points.map((p) => [p.lon, p.lat])) };
    return { key: 'theme:hydraulics', box: bboxOf(ctx.layers.pipes?.features.map((p) => p.geometry.coordinates) ?? []) };
  },
  overlay: (s, ctx) => (s.result?.converged ? hydraulicsOverlay(s.result, ctx.layers.pipes, s.theme, s.sub === 'profile', ctx.tiled?.has('pipes') ?? false) : null),
  exports: [
    {
      id: 'balancing',
      label: 'hydBalancingXlsx',
      enabled: (s) => !!s.result?.converged,
      run: async (s, api, ctx) => {
        const r = await api.invoke('export:balancing', { ...hydraulicsArgs(s.params), lang: ctx.lang });
        for (const file of r.files) download(new Blob([bytesOf(file.base64)], { type: file.mime }), file.name);
      },
    },
    {
      id: 'profile-png',
      label: 'hydProfilePng',
      enabled: (s) => !!s.result?.profile && s.sub === 'profile',
      run: async (s, _api, ctx) => {
        const prof = s.result?.profile;
        if (prof) download(await profilePng(prof, ctx.lang), `${hm(ctx.lang, 'hydProfileFile')}-${prof.source ?? ''}-${prof.station}.png`);
      },
    },
  ],
  Form: HydraulicsForm,
  Panel: HydraulicsPanel,
  Inspector: HydraulicsInspector,
});

function HydraulicsForm({ state, setState, run, ctx }: PanelProps<HydState>) {
  const { lang } = ctx;
  const p = state.params;
  const set = (patch: Partial<HydParams>) => setState({ params: { ...p, ...patch } });
  const sources = (ctx.layers.heat_sources?.features ?? []).map((x) => String(x.id ?? x.properties?.id));
  return (
    <form
      className="analysis-form hyd-form"
      data-testid="hydraulics-form"
      onSubmit={(e) => {
        e.preventDefault();
        run({ ...state, result: null, baseline: null });
      }}
    >
      <label>
        {hm(lang, 'hydScenario')}
        <select value={p.scenario} onChange={(e) => set({ scenario: e.target.value as ScenarioName })} data-testid="hydraulics-scenario">
          {SCENARIO_KEYS.map(([id, key]) => (
            <option key={id} value={id}>
              {hm(lang, key)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {hm(lang, 'hydOutdoorC')}
        <input inputMode="decimal" value={p.outdoorC} placeholder={p.scenario === 'now' ? '−10' : '—'} onChange={(e) => set({ outdoorC: e.target.value.replace('−', '-') })} data-testid="hydraulics-outdoor" style={{ width: 60 }} />
      </label>
      {p.scenario === 'outage' && (
        <fieldset className="hyd-sources-off" data-testid="hydraulics-sources-off">
          <legend>{hm(lang, 'hydSourcesOff')}</legend>
          {sources.map((id) => (
            <label key={id}>
              <input
                type="checkbox"
                checked={p.sourcesOff.includes(id)}
                onChange={(e) => set({ sourcesOff: e.target.checked ? [...p.sourcesOff, id] : p.sourcesOff.filter((x) => x !== id) })}
                data-source={id}
              />
              {id}
            </label>
          ))}
        </fieldset>
      )}
      <label>
        {hm(lang, 'hydOptions')}
        <input value={p.options} placeholder="1, 2" onChange={(e) => set({ options: e.target.value })} data-testid="hydraulics-options" style={{ width: 60 }} />
      </label>
      <label>
        {hm(lang, 'hydFriction')}
        <select value={p.friction} onChange={(e) => set({ friction: e.target.value as HydParams['friction'] })} data-testid="hydraulics-friction">
          <option value="colebrook">Colebrook–White</option>
          <option value="swamee-jain">Swamee–Jain</option>
        </select>
      </label>
      <button type="submit" data-testid="hydraulics-run" disabled={ctx.running}>
        {hm(lang, 'hydRun')}
      </button>
    </form>
  );
}

function HydraulicsPanel(props: PanelProps<HydState>) {
  const { state, setState, run, ctx } = props;
  const { lang } = ctx;
  const r = state.result;
  // A scenario asked for by another view (a loop option's outage): take it over and run it.
  const taken = useRef<unknown>(null);
  useEffect(() => {
    const want = state.pending;
    if (!want || taken.current === want) return;
    taken.current = want;
    const params: HydParams = {
      ...state.params,
      ...(want.scenario ? { scenario: want.scenario } : {}),
      ...(want.sourcesOff ? { sourcesOff: want.sourcesOff } : {}),
      options: want.options ? want.options.join(', ') : state.params.options,
      profileStation: '',
    };
    const next: HydState = { ...state, params, pending: undefined, result: null, baseline: null, sub: 'summary' };
    setState(next);
    run(next);
  }, [state, setState, run]);
  if (!r) return <p className="muted">{hm(lang, 'hydHint')}</p>;
  const h = (k: HydraulicsMessageKey) => hm(lang, k);
  if (!r.converged)
    return (
      <div className="card error" data-testid="hydraulics-not-converged">
        <h3>{h('hydNotConverged')}</h3>
        <p>{r.reason}</p>
        <details>
          <summary>{h('hydLog')}</summary>
          <pre>{r.log.map((x) => JSON.stringify(x)).join('\n')}</pre>
        </details>
      </div>
    );
  const unfav = r.unfavourable ? r.stations.find((s) => s.id === r.unfavourable!.station) : null;
  const unit = state.theme === 'velocity' ? 'm/s' : state.theme === 'r' ? 'Pa/m' : state.theme === 'pressure' ? 'kPa' : '℃';
  return (
    <div data-testid="hydraulics-view" data-scenario={r.scenario.name}>
      <div className="hyd-themes" role="radiogroup" aria-label={h('hydMapTheme')}>
        <span className="muted">{h('hydMapTheme')}</span>
        {HYD_THEMES.map(([id, key]) => (
          <button key={id} type="button" role="radio" aria-checked={state.theme === id} className={state.theme === id ? 'on' : ''} onClick={() => setState({ theme: id })} data-testid={`hydraulics-theme-${id}`}>
            {h(key)}
          </button>
        ))}
      </div>
      {state.theme === 'flow' ? (
        <p className="muted" data-testid="hydraulics-legend">{h('hydLineWidthFlow')}</p>
      ) : state.theme === 'dp' ? (
        <Legend testid="hydraulics-legend" rows={LIGHT_KEYS.map(([k, key]) => ({ color: LIGHT_COLORS[k], label: `${h(key)} (${r.stations.filter((s) => s.light === k).length})`, dot: true }))} title={`${h('hydMinDp')}: ${grouped(r.settings.minStationDpKpa as number, 0)}`} />
      ) : (
        <Legend testid="hydraulics-legend" rows={themeClasses(r, state.theme, unit)} />
      )}
      <nav className="analysis-tabs sub" role="tablist">
        {(['summary', 'profile', 'balancing'] as const).map((id) => (
          <button key={id} role="tab" aria-selected={state.sub === id} className={state.sub === id ? 'on' : ''} onClick={() => setState({ sub: id })} data-testid={`hydraulics-sub-${id}`}>
            {h(id === 'summary' ? 'hydViewSummary' : id === 'profile' ? 'hydViewProfile' : 'hydViewBalancing')}
          </button>
        ))}
      </nav>
      {state.sub === 'summary' && (
        <>
          <div className="kpis">
            <Kpi label={h('hydLoad')} value={grouped(r.totals.loadMW, 2)} testid="hydraulics-load" />
            <Kpi label={h('hydServed')} value={grouped(r.totals.servedMW, 2)} testid="hydraulics-served" accent />
            <Kpi label={h('hydHouseholds')} value={grouped(r.totals.servedHouseholds, 0)} testid="hydraulics-households" />
            <Kpi label={h('hydHeatLoss')} value={grouped(r.totals.heatLossMW, 2)} />
            <Kpi label={`${h('hydUnfavourable')} · ΔP kPa`} value={unfav ? `${unfav.id} · ${grouped(unfav.dpKpa, 1)}` : '—'} testid="hydraulics-unfavourable" />
            <Kpi label={h('hydIterations')} value={`${r.iterations} ✓`} testid="hydraulics-iterations" />
          </div>
          {state.baseline && <CompareCard before={state.baseline} after={r} lang={lang} options={state.params.options} />}
          <table className="analysis-table" data-testid="hydraulics-sources">
            <thead>
              <tr>
                <th>{h('hydSources')}</th>
                <th>{h('hydRole')}</th>
                <th className="num">{h('hydFlow')}</th>
                <th className="num">{h('hydHeatMw')}</th>
                <th className="num">{h('hydShare')}</th>
                <th className="num">{h('hydHead')}</th>
              </tr>
            </thead>
            <tbody>
              {r.sources.map((s) => (
                <tr key={s.id} data-source={s.id} tabIndex={0} onClick={() => ctx.goTo(s.id)} onKeyDown={onEnter(() => ctx.goTo(s.id))}>
                  <td>{s.id}</td>
                  <td>
                    {h(ROLE_KEYS[s.running ? s.role : 'off'] ?? 'hydRoleOff')}
                    {s.checkValveClosed ? <span className="muted" data-testid="hydraulics-check-valve"> · {h('hydCheckValveClosed')}</span> : null}
                  </td>
                  <td className="num" data-col="flowM3h">{grouped(s.flowM3h, 1)}</td>
                  <td className="num" data-col="heatMw">{grouped(s.heatMw, 2)}</td>
                  <td className="num" data-col="share">{grouped(s.share * 100, 1)} %</td>
                  <td className="num" data-col="headM">{grouped(s.headM, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{h('hydPressureFindings')}</h3>
          {r.pressure.findings.length === 0 ? (
            <p className="muted" data-testid="hydraulics-pressure">{h('hydNoPressureFindings')}</p>
          ) : (
            <ul className="hyd-findings" data-testid="hydraulics-pressure">
              {r.pressure.findings.slice(0, 100).map((x, i) => (
                <li key={i} tabIndex={0} onClick={() => ctx.flyTo(x.lon, x.lat, 17)} onKeyDown={onEnter(() => ctx.flyTo(x.lon, x.lat, 17))}>
                  {say(lang, x.reason)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {state.sub === 'profile' && (
        <div data-testid="hydraulics-profile" className="hyd-profile">
          <label className="analysis-form">
            {h('hydProfileTo')}
            <select
              value={state.params.profileStation}
              data-testid="hydraulics-profile-station"
              onChange={(e) => {
                const next = { ...state, params: { ...state.params, profileStation: e.target.value } };
                setState(next);
                run(next);
              }}
            >
              <option value="">
                {h('hydProfileUnfavourable')} ({r.unfavourable?.station ?? '—'})
              </option>
              {r.stations
                .filter((s) => s.served)
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id}
                  </option>
                ))}
            </select>
          </label>
          {r.profile && r.profile.points.length > 1 ? <ProfileChart profile={r.profile} lang={lang} /> : <p className="muted">—</p>}
        </div>
      )}
      {state.sub === 'balancing' && <BalancingTable rows={r.balancing} lang={lang} onGo={(id) => ctx.goTo(id)} />}
    </div>
  );
}

/** The scenario without → with the loop options built. */
function CompareCard({ before, after, lang, options }: { before: HydraulicsView; after: HydraulicsView; lang: Lang; options: string }) {
  const h = (k: HydraulicsMessageKey) => hm(lang, k);
  const row = (label: string, a: string, b: string, testid: string) => (
    <tr>
      <td>{label}</td>
      <td className="num" data-testid={`${testid}-before`}>{a}</td>
      <td className="num" data-testid={`${testid}-after`}>
        <b>{b}</b>
      </td>
    </tr>
  );
  return (
    <div className="card" data-testid="hydraulics-compare" data-options={options}>
      <table className="analysis-table beforeafter-table">
        <thead>
          <tr>
            <th />
            <th className="num">{h('hydWithoutOptions')}</th>
            <th className="num">
              {h('hydWithOptions')} #{options}
            </th>
          </tr>
        </thead>
        <tbody>
          {row(h('hydServed'), grouped(before.totals.servedMW, 2), grouped(after.totals.servedMW, 2), 'hydraulics-compare-served')}
          {row(h('hydHouseholds'), grouped(before.totals.servedHouseholds, 0), grouped(after.totals.servedHouseholds, 0), 'hydraulics-compare-households')}
          {row(h('hydLowestDp'), grouped(before.totals.minDpKpa, 1), grouped(after.totals.minDpKpa, 1), 'hydraulics-compare-dp')}
        </tbody>
      </table>
    </div>
  );
}

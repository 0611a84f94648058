/**
 * 联网方案: ranked interconnect / loop options (`warmnet loops`), each valued
 * by the outage it is for (simulated without and with the link: load served,
 * households, lowest station ΔP), the set chosen within the budget, and a
 * what-if switch that shows the N-1 risk with one option built.
 */
import { Fragment, useState } from 'react';
import type { Feature } from '../../../../core/model/geojson';
import type { OptionHydraulics, ValuedOption } from '../../../../core/hydraulics/optionValue';
import type { WhatIfResult } from '../../../../electron/backend/analysis.contract';
import type { ResultOf } from '../../../../electron/backend/contract';
import { useAnalysisUi } from '../state';
import { defineAnalysis, type PanelProps } from '../types';
import { pipeThemeOverlay, pointMark } from '../overlay';
import { Kpi, Legend, onEnter } from '../common';
import { riskTheme, RISK_CLASSES } from '../risk/view';
import { paragraph, say, t as tr } from '../../../../core/i18n';
import { grouped, wan } from '../../../../core/format/number';

/** An option as the backend answers it: valued by its outage simulated without and with it. */
export type ValuedLoopOption = ValuedOption;

interface State {
  params: { maxLengthM: string; budgetWan: string };
  result: ResultOf<'analysis:loops'> | null;
  activeRank: number | null;
  whatIf: WhatIfResult | null;
}

export function loopArgs(params: State['params']) {
  const a: { maxLengthM?: number; budgetWan?: number } = {};
  const m = Number(params.maxLengthM);
  const b = Number(params.budgetWan);
  if (params.maxLengthM.trim() && Number.isFinite(m) && m > 0) a.maxLengthM = m;
  if (params.budgetWan.trim() && Number.isFinite(b) && b >= 0) a.budgetWan = b;
  return a;
}

export const loopsView = defineAnalysis<State>({
  id: 'loops',
  label: 'tabLoops',
  docked: true,
  initial: () => ({ params: { maxLengthM: '', budgetWan: '' }, result: null, activeRank: null, whatIf: null }),
  stale: (s) => ({ params: s.params, result: null, activeRank: null, whatIf: null }),
  channel: 'analysis:loops',
  needsRun: (s) => !s.result,
  run: async (s, api) => {
    const r = await api.start('analysis:loops', loopArgs(s.params));
    return r && { result: r, activeRank: null, whatIf: null };
  },
  overlay: (s, ctx) => {
    if (!s.result) return null;
    const marks: Feature[] = [];
    for (const o of s.result.options) {
      const line = o.geometry?.length >= 2 ? o.geometry : [[o.from.lon, o.from.lat], [o.to.lon, o.to.lat]];
      marks.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: line },
        properties: { _mark: 'option', _rank: o.rank, _chosen: s.result.chosen.includes(o.rank), _active: o.rank === s.activeRank },
      });
      marks.push(pointMark(o.from.lon, o.from.lat, { _mark: 'end' }), pointMark(o.to.lon, o.to.lat, { _mark: 'end' }));
    }
    // With a what-if on, the pipes show the N-1 risk the network would have with that option built.
    const theme = s.whatIf ? riskTheme(s.whatIf.afterResult) : null;
    return pipeThemeOverlay(ctx, theme?.colours ?? null, marks, theme?.others);
  },
  Form: ({ state, setState, run, ctx }) => (
    <form
      className="analysis-form"
      onSubmit={(e) => {
        e.preventDefault();
        run();
      }}
    >
      <label>
        {ctx.t('maxLength')}
        <input inputMode="decimal" value={state.params.maxLengthM} placeholder="800" onChange={(e) => setState({ params: { ...state.params, maxLengthM: e.target.value } })} data-testid="loops-max-length" />
      </label>
      <label>
        {ctx.t('budget')}
        <input inputMode="decimal" value={state.params.budgetWan} placeholder="—" onChange={(e) => setState({ params: { ...state.params, budgetWan: e.target.value } })} data-testid="loops-budget" />
      </label>
      <button type="submit" data-testid="loops-run">
        {ctx.t('rerun')}
      </button>
    </form>
  ),
  Panel: LoopsPanel,
});

const mwPair = (h: OptionHydraulics) => `${grouped(h.before.servedMW, 1)} → ${grouped(h.after.servedMW, 1)}`;
const dpPair = (h: OptionHydraulics) => `${grouped(h.before.minDpKpa, 0)} → ${grouped(h.after.minDpKpa, 0)}`;

function LoopsPanel({ state, setState, api, ctx }: PanelProps<State>) {
  const { t, lang } = ctx;
  const { result: r, activeRank, whatIf } = state;
  const [open, setOpen] = useState<number | null>(null);
  if (!r) return null;
  const toggleWhatIf = async (rank: number) => {
    if (activeRank === rank) {
      setState({ activeRank: null, whatIf: null });
      return;
    }
    setState({ activeRank: rank, whatIf: null });
    const w = await api.start('analysis:whatif', { optionRank: rank, ...loopArgs(state.params) });
    if (w) setState({ whatIf: w });
  };
  // The option's outage in the hydraulics view (sources off, the link built).
  const openOutage = (o: ValuedLoopOption) => {
    if (o.hydraulic?.outage.kind !== 'sources') return;
    const ui = useAnalysisUi.getState();
    ui.setViewState('hydraulics', { ...((ui.states.hydraulics as object) ?? {}), pending: { scenario: 'outage', sourcesOff: o.hydraulic.outage.sourcesOff, options: [o.rank] } });
    ui.setTab('hydraulics');
  };
  return (
    <div data-testid="loops-view">
      <div className="kpis">
        <Kpi label={`${t('loadAtRisk')} MW·km`} value={grouped(r.loadAtRiskMWkm, 2)} testid="loops-risk" />
        <Kpi label={t('chosenSet')} value={r.chosen.length ? r.chosen.map((x) => `#${x}`).join(' ') : '—'} testid="loops-chosen" accent />
        <Kpi label={`${t('totalCost')} ${tr(lang, 'unit.wan')}`} value={wan(r.totalCostWan)} />
      </div>
      {whatIf && (
        <div className="card whatif" data-testid="whatif-card" data-rank={whatIf.option.rank}>
          <h3>
            {t('whatIf')} #{whatIf.option.rank}
          </h3>
          <p className="beforeafter">
            {t('loadAtRisk')}: <span data-testid="whatif-before">{grouped(whatIf.before, 2)}</span> → <b data-testid="whatif-after">{grouped(whatIf.after, 2)}</b> MW·km
            <span className="delta" data-testid="whatif-delta">
              −{grouped(whatIf.reducedMWkm, 2)}
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
              <th className="num">{t('outageServed')}</th>
              <th className="num">{t('outageMinDp')}</th>
              <th className="num">{t('benefit')}</th>
              <th>{t('whatIfOn')}</th>
            </tr>
          </thead>
          <tbody>
            {r.options.map((o) => {
              const chosen = r.chosen.includes(o.rank);
              const h = o.hydraulic;
              const expanded = open === o.rank || (open === null && o.rank === 1);
              return (
                <Fragment key={o.rank}>
                  <tr
                    className={(chosen ? 'chosen ' : '') + (activeRank === o.rank ? 'active' : '')}
                    data-rank={o.rank}
                    tabIndex={0}
                    onClick={() => {
                      setOpen(open === o.rank ? null : o.rank);
                      ctx.flyTo((o.from.lon + o.to.lon) / 2, (o.from.lat + o.to.lat) / 2, 16);
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
                    <td className="num" data-col="lengthM">{grouped(o.lengthM, 0)}</td>
                    <td className="num" data-col="dn">{o.dn}</td>
                    <td className="num" data-col="costWan">{wan(o.costWan)}</td>
                    <td className="num" data-col="backupMW">{grouped(o.backupMW, 2)}</td>
                    <td className="num" data-col="riskReducedMWkm">{grouped(o.riskReducedMWkm, 2)}</td>
                    <td className="num nowrap" data-col="servedMW">{h ? mwPair(h) : '—'}</td>
                    <td className="num nowrap" data-col="minDpKpa">{h ? dpPair(h) : '—'}</td>
                    <td className="num" data-col="benefitPerWan">{grouped(o.benefitPerWan, 3)}</td>
                    <td onClick={(e) => e.stopPropagation()}>
                      <label className="switch">
                        <input type="checkbox" role="switch" checked={activeRank === o.rank} onChange={() => void toggleWhatIf(o.rank)} data-testid={`whatif-${o.rank}`} aria-label={`${t('whatIf')} #${o.rank}`} />
                        <span />
                      </label>
                    </td>
                  </tr>
                  {expanded && (
                    <tr key={`${o.rank}-x`} className="explain">
                      <td colSpan={12}>
                        {paragraph(lang, o.explanation)}
                        {h && <OutageCard o={o} h={h} ctx={ctx} onOpen={() => openOutage(o)} />}
                        {o.hydraulicError && <p className="error">{say(lang, o.hydraulicError)}</p>}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The option's outage before → after: load served, households, lowest station ΔP. */
function OutageCard({ o, h, ctx, onOpen }: { o: ValuedLoopOption; h: OptionHydraulics; ctx: PanelProps<State>['ctx']; onOpen(): void }) {
  const { t } = ctx;
  const what = h.outage.kind === 'sources' ? `${t('outageOf')} ${h.outage.sourcesOff.join(' + ')}` : `${t('outageSegment')} ${h.outage.valvesClosed.join(', ')}`;
  return (
    <div className="card outage" data-testid={`outage-${o.rank}`} data-rank={o.rank}>
      <h3>{what}</h3>
      <div className="beforeafter-grid" role="table">
        <span />
        <span className="num">{t('before')}</span>
        <span className="num">{t('after')}</span>
        <span>{t('servedMW')}</span>
        <span className="num" data-testid="outage-served-before">{grouped(h.before.servedMW, 2)}</span>
        <b className="num" data-testid="outage-served-after">{grouped(h.after.servedMW, 2)}</b>
        <span>{t('servedHouseholds')}</span>
        <span className="num" data-testid="outage-households-before">{grouped(h.before.servedHouseholds, 0)}</span>
        <b className="num" data-testid="outage-households-after">{grouped(h.after.servedHouseholds, 0)}</b>
        <span>{t('minStationDp')}</span>
        <span className="num" data-testid="outage-dp-before">{grouped(h.before.minDpKpa, 1)}</span>
        <b className="num" data-testid="outage-dp-after">{grouped(h.after.minDpKpa, 1)}</b>
      </div>
      {h.outage.kind === 'sources' && (
        <button type="button" onClick={onOpen} data-testid={`outage-open-${o.rank}`}>
          {t('openInHydraulics')}
        </button>
      )}
    </div>
  );
}

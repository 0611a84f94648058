/** N-1 风险: pipes coloured by the load their valve segment's isolation loses (`warmnet criticality`; the app's part of it). */
import { RISK_CLASS_MAX_MW, riskClassOf, type CriticalityAnswer } from '../../../../core/network/criticality';
import { defineAnalysis, type AnalysisContext } from '../types';
import { pipeThemeOverlay } from '../overlay';
import { IdList, Kpi, Legend, onEnter } from '../common';
import { grouped } from '../../../../core/format/number';

interface State {
  result: CriticalityAnswer | null;
}

const RISK_COLORS = ['#b8c4ce', '#fdd49e', '#fc8d59', '#e34a33', '#99000d'];
const RISK_LABELS = ['0', '≤ 1', '1–3', '3–10', '> 10'];
/** N-1 classes on the load a segment's isolation loses (MW; upper bounds, core's RISK_CLASS_MAX_MW). */
export const RISK_CLASSES: { max: number; color: string; label: string }[] = RISK_CLASS_MAX_MW.map((max, i) => ({ max, color: RISK_COLORS[i], label: RISK_LABELS[i] }));
export const riskColor = (mw: number) => RISK_CLASSES[riskClassOf(mw)].color;

/**
 * The N-1 theme as the map draws it: the colour of each listed pipe's class, and the most common
 * class's colour for every pipe not listed (`others`). A city network's tiled pipes are then styled
 * by a list of the pipes that differ from most, not by a million codes.
 */
export function riskTheme(r: CriticalityAnswer): { colours: Map<string, string>; others: string } {
  const colours = new Map<string, string>();
  r.pipeClasses.forEach((ids, k) => {
    for (const id of ids) colours.set(id, RISK_CLASSES[k].color);
  });
  return { colours, others: RISK_CLASSES[r.rest].color };
}

export const riskView = defineAnalysis<State>({
  id: 'risk',
  label: 'tabRisk',
  initial: () => ({ result: null }),
  channel: 'analysis:criticality',
  needsRun: (s) => !s.result,
  run: async (_s, api) => {
    const r = await api.start('analysis:criticality', {});
    return r && { result: r };
  },
  overlay: (s, ctx) => {
    if (!s.result) return null;
    const { colours, others } = riskTheme(s.result);
    return pipeThemeOverlay(ctx, colours, null, others);
  },
  Panel: ({ state, ctx }) => (state.result ? <RiskPanel r={state.result} ctx={ctx} /> : null),
});

function RiskPanel({ r, ctx }: { r: CriticalityAnswer; ctx: AnalysisContext }) {
  const { t, lang } = ctx;
  const rows = RISK_CLASSES.map((c, i) => ({ color: c.color, label: `${c.label} MW`, extra: `${r.classes[i].segments} · ${grouped(r.classes[i].lengthM / 1000, 2)} km` }));
  return (
    <div data-testid="risk-view">
      <div className="kpis">
        <Kpi label={`${t('loadAtRisk')} MW·km`} value={grouped(r.loadAtRiskMWkm, 2)} testid="risk-total" accent />
        <Kpi label={t('segments')} value={String(r.segmentCount)} />
        <Kpi label={t('bridges')} value={String(r.bridgeCount)} testid="risk-bridge-count" />
      </div>
      <Legend rows={rows} title={t('riskLegend')} />
      {r.worstSegment && (
        <p className="analysis-summary" data-testid="risk-worst">
          {t('worstSegment')}: <b>{grouped(r.worstSegment.loadLostMW, 2)} MW</b> · {grouped(r.worstSegment.households, 0)} {t('householdsUnit')} · {grouped(r.worstSegment.lengthM, 0)} m
          <IdList ids={r.worstSegment.pipes} onGo={ctx.goTo} lang={lang} />
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
          {r.worst.map((s, i) => (
            <tr key={i} tabIndex={0} onClick={() => ctx.goTo(s.pipes[0])} onKeyDown={onEnter(() => ctx.goTo(s.pipes[0]))}>
              <td className="nowrap">
                <i className="swatch" style={{ background: riskColor(s.loadLostMW) }} /> {s.pipes.slice(0, 3).join(', ')}
                {s.pipeCount > 3 ? ` +${s.pipeCount - 3}` : ''}
              </td>
              <td className="num">{grouped(s.loadLostMW, 2)}</td>
              <td className="num">{grouped(s.households, 0)}</td>
              <td className="num">{grouped(s.riskMWkm, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('bridges')}</h3>
      <IdList ids={r.bridges} onGo={ctx.goTo} lang={lang} testid="risk-bridges" />
    </div>
  );
}

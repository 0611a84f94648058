/** N-1 风险: pipes coloured by the load their valve segment's isolation loses (`warmnet criticality`). */
import type { CriticalityResult } from '../../../../core/network/criticality';
import { defineAnalysis, type AnalysisContext } from '../types';
import { pipeThemeOverlay } from '../overlay';
import { IdList, Kpi, Legend, onEnter } from '../common';
import { grouped } from '../../../../core/format/number';

interface State {
  result: CriticalityResult | null;
}

/** N-1 classes on the load a segment's isolation loses (MW; upper bounds). */
export const RISK_CLASSES: { max: number; color: string; label: string }[] = [
  { max: 0, color: '#b8c4ce', label: '0' },
  { max: 1, color: '#fdd49e', label: '≤ 1' },
  { max: 3, color: '#fc8d59', label: '1–3' },
  { max: 10, color: '#e34a33', label: '3–10' },
  { max: Infinity, color: '#99000d', label: '> 10' },
];
export const riskColor = (mw: number) => RISK_CLASSES.find((c) => mw <= c.max)!.color;

/** The colour of each pipe by the load lost when its valve segment is isolated. */
export function riskColours(r: CriticalityResult): Map<string, string> {
  const lost = new Map<string, number>();
  for (const s of r.segments) for (const p of s.pipes) lost.set(p, Math.max(lost.get(p) ?? 0, s.loadLostMW));
  return new Map([...lost].map(([id, mw]) => [id, riskColor(mw)]));
}

/**
 * The N-1 theme as the map draws it: the most common class's colour given to every pipe not
 * listed (`others`), the others listed by code. A city network's tiled pipes are then styled by
 * a list of the pipes that differ from most, not by a million codes.
 */
export function riskTheme(r: CriticalityResult): { colours: Map<string, string>; others: string | undefined } {
  const all = riskColours(r);
  const count = new Map<string, number>();
  for (const c of all.values()) count.set(c, (count.get(c) ?? 0) + 1);
  let others: string | undefined;
  for (const [c, n] of count) if (others === undefined || n > count.get(others)!) others = c;
  const colours = new Map<string, string>();
  for (const [id, c] of all) if (c !== others) colours.set(id, c);
  return { colours, others };
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

function RiskPanel({ r, ctx }: { r: CriticalityResult; ctx: AnalysisContext }) {
  const { t, lang } = ctx;
  const rows = RISK_CLASSES.map((c, i) => {
    const lo = i === 0 ? -Infinity : RISK_CLASSES[i - 1].max;
    const segs = r.segments.filter((s) => s.loadLostMW > lo && s.loadLostMW <= c.max);
    return { color: c.color, label: `${c.label} MW`, extra: `${segs.length} · ${grouped(segs.reduce((a, s) => a + s.lengthM, 0) / 1000, 2)} km` };
  });
  const worst = [...r.segments].sort((a, b) => b.riskMWkm - a.riskMWkm).slice(0, 20);
  return (
    <div data-testid="risk-view">
      <div className="kpis">
        <Kpi label={`${t('loadAtRisk')} MW·km`} value={grouped(r.loadAtRiskMWkm, 2)} testid="risk-total" accent />
        <Kpi label={t('segments')} value={String(r.segments.length)} />
        <Kpi label={t('bridges')} value={String(r.bridges.length)} testid="risk-bridge-count" />
      </div>
      <Legend rows={rows} title={t('riskLegend')} />
      {r.worstSegment && (
        <p className="analysis-summary" data-testid="risk-worst">
          {t('worstSegment')}: <b>{grouped(r.worstSegment.loadLostMW, 2)} MW</b> · {grouped(r.worstSegment.households, 0)} {t('householdsUnit')} · {grouped(r.worstSegment.lengthM, 0)} m
          <IdList ids={r.worstSegment.pipes.slice(0, 12)} onGo={ctx.goTo} lang={lang} />
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
            <tr key={i} tabIndex={0} onClick={() => ctx.goTo(s.pipes[0])} onKeyDown={onEnter(() => ctx.goTo(s.pipes[0]))}>
              <td className="nowrap">
                <i className="swatch" style={{ background: riskColor(s.loadLostMW) }} /> {s.pipes.slice(0, 3).join(', ')}
                {s.pipes.length > 3 ? ` +${s.pipes.length - 3}` : ''}
              </td>
              <td className="num">{grouped(s.loadLostMW, 2)}</td>
              <td className="num">{grouped(s.households, 0)}</td>
              <td className="num">{grouped(s.riskMWkm, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('bridges')}</h3>
      <IdList ids={r.bridges.slice(0, 200)} onGo={ctx.goTo} lang={lang} testid="risk-bridges" />
    </div>
  );
}

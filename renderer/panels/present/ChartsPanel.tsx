/**
 * 图表 Charts: pipe km by age class and level, incidents per year,
 * renovation progress per month, station load ratios — each with a PNG
 * button. The data comes from the backend (`present:charts`), the same
 * function over the same file as `warmnet charts`, so the bars repeat
 * `warmnet info`.
 */
import { useEffect, useState } from 'react';
import type { ChartData } from '../../../core/plan/charts';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { ChartCard } from './ChartCard';
import { usePresentT } from './strings';

export { ChartCard };

/** The four charts of the open project, refreshed when the file changes; null until they arrive. */
export function useCharts(planYear?: number): ChartData[] | null {
  const info = useAppStore((s) => s.info);
  const lang = useAppStore((s) => s.lang);
  const [charts, setCharts] = useState<ChartData[] | null>(null);
  useEffect(() => {
    if (!info) return;
    let live = true;
    void invoke('present:charts', { year: info.year, lang, ...(planYear ? { planYear } : {}) }).then((c) => live && setCharts(c));
    return () => {
      live = false;
    };
  }, [info?.revision, info?.year, planYear, lang]);
  return charts;
}

export function ChartsPanel({ onClose }: { onClose?(): void }) {
  const { t } = usePresentT();
  const charts = useCharts();
  return (
    <section className="panel charts-panel" data-testid="charts-panel" style={{ overflow: 'auto', height: '100%', boxSizing: 'border-box' }}>
      <h2>
        <span style={{ flex: 1 }}>{t('charts')}</span>
        {onClose && (
          <button type="button" onClick={onClose} aria-label={t('close')} title={t('close')} data-testid="charts-close">
            ×
          </button>
        )}
      </h2>
      {!charts ? <p>…</p> : charts.map((c) => <ChartCard key={c.id} chart={c} pngLabel={t('exportPng')} />)}
    </section>
  );
}

/**
 * 图表 Charts: pipe km by age class and level, incidents per year,
 * renovation progress per month, station load ratios — each with a PNG
 * button. Mount it like the engineering panel, e.g. in App.tsx:
 *   import { ChartsPanel } from './panels/present/ChartsPanel';
 *   …{chartsOpen && <ChartsPanel onClose={() => setChartsOpen(false)} />}
 * It computes with core/plan/charts.ts on the layers the app holds, the same
 * functions as `warmnet charts`, so the bars repeat `warmnet info`.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ProjectRow } from '../../../core/model/project';
import type { Settings } from '../../../core/model/settings';
import { allCharts, defaultPlanYear, type ChartData } from '../../../core/plan/charts';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { projectDataFromLayers } from '../engineering/data';
import { ChartCard } from './ChartCard';

export { ChartCard };

export function useCharts(planYear?: number): ChartData[] | null {
  const layers = useAppStore((s) => s.layers);
  const info = useAppStore((s) => s.info);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [projects, setProjects] = useState<ProjectRow[]>([]);
  useEffect(() => {
    void invoke('settings:get', {}).then(setSettings);
    void invoke('project:list', {}).then((l) => setProjects(l.projects));
  }, [info?.revision]);
  return useMemo(() => {
    if (!settings) return null;
    const data = projectDataFromLayers(layers, settings, projects);
    const year = info?.year ?? new Date().getFullYear();
    return allCharts(data, year, planYear ?? defaultPlanYear(data, year));
  }, [layers, settings, projects, info?.year, planYear]);
}

export function ChartsPanel({ onClose }: { onClose?(): void }) {
  const charts = useCharts();
  return (
    <section className="panel charts-panel" data-testid="charts-panel" style={{ overflow: 'auto' }}>
      <h2>
        图表 Charts
        {onClose && (
          <button type="button" onClick={onClose} aria-label="close" style={{ float: 'right' }}>
            ×
          </button>
        )}
      </h2>
      {!charts ? <p>…</p> : charts.map((c) => <ChartCard key={c.id} chart={c} />)}
    </section>
  );
}

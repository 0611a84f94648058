/**
 * 演示模式 Presentation mode: full screen over the app's map, a large title
 * and legend, a strip of key figures (km renewed against the plan, budget,
 * stations overloaded, loop options found) and saved views stepped through
 * with ← / →. Esc leaves; B saves the current view; C shows the charts.
 *
 * Mount it over the map and hide the side panels while it is open, e.g. in App.tsx:
 *   import { PresentMode } from './panels/present/PresentMode';
 *   …{presenting && <PresentMode controller={controllerRef.current} getView={() => controllerRef.current?.bounds()} onExit={() => setPresenting(false)} />}
 * (`getView` returns the map's current [w, s, e, n]; without it B is disabled.)
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BBox } from '../../../core/model/geojson';
import type { ProjectRow } from '../../../core/model/project';
import type { Settings } from '../../../core/model/settings';
import { defaultPlanYear, keyFigures, type KeyFigures } from '../../../core/plan/charts';
import { prepareNetwork, runAnalysis } from '../../../core/network/analyses';
import { THEMES, type ThemeId } from '../../../core/style/themes';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { projectDataFromLayers } from '../engineering/data';
import { loadBookmarks, saveBookmarks, step, withOverview, type Bookmark } from './bookmarks';
import { ChartCard, useCharts } from './ChartsPanel';

/** The part of MapController the presentation mode drives. */
export interface PresentMap {
  zoomTo(bbox: BBox, animate?: boolean): void;
  setTheme(theme: ThemeId): void;
  resize(): void;
}

const box: React.CSSProperties = { background: 'rgba(255,255,255,0.94)', borderRadius: 8, boxShadow: '0 2px 12px rgba(0,0,0,0.18)', pointerEvents: 'auto' };

function Figure({ label, value, sub, alert }: { label: string; value: string; sub?: string; alert?: boolean }) {
  return (
    <div style={{ padding: '10px 22px', borderRight: '1px solid #e3e7ec', minWidth: 170 }}>
      <div style={{ fontSize: 15, color: '#566573' }}>{label}</div>
      <div style={{ fontSize: 34, fontWeight: 700, color: alert ? '#c0392b' : '#1c2833', lineHeight: 1.15 }}>{value}</div>
      {sub && <div style={{ fontSize: 13, color: '#566573' }}>{sub}</div>}
    </div>
  );
}

export function PresentMode({ controller, getView, onExit, title = '明安图镇城镇供热温暖工程' }: { controller: PresentMap | null; getView?: () => BBox | undefined; onExit(): void; title?: string }) {
  const info = useAppStore((s) => s.info);
  const layers = useAppStore((s) => s.layers);
  const stats = useAppStore((s) => s.stats);
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [projects, setProjects] = useState<ProjectRow[]>([]);
  const [loops, setLoops] = useState<number | null | 'computing'>('computing');
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [index, setIndex] = useState(-1);
  const [showCharts, setShowCharts] = useState(false);
  const charts = useCharts();

  useEffect(() => {
    void invoke('settings:get', {}).then(setSettings);
    void invoke('project:list', {}).then((l) => setProjects(l.projects));
  }, [info?.revision]);
  useEffect(() => {
    if (info) setBookmarks(withOverview(loadBookmarks(info.path), info.bbox, theme));
    // The saved list is read once per project; `theme` only seeds the overview.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [info?.path]);
  useEffect(() => {
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
    controller?.resize();
    return () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      controller?.resize();
    };
  }, [controller]);

  const data = useMemo(() => (settings ? projectDataFromLayers(layers, settings, projects) : null), [layers, settings, projects]);
  // Loop options need the whole network analysis: run it after the first paint so the mode opens at once.
  useEffect(() => {
    if (!data) return;
    setLoops('computing');
    const t = setTimeout(() => {
      try {
        setLoops(runAnalysis('loops', prepareNetwork(data), {}).options.length);
      } catch {
        setLoops(null);
      }
    }, 50);
    return () => clearTimeout(t);
  }, [data]);
  const figures: KeyFigures | null = useMemo(() => {
    if (!data) return null;
    return keyFigures(data, defaultPlanYear(data, new Date().getFullYear()), typeof loops === 'number' ? loops : null);
  }, [data, loops]);

  const go = useCallback(
    (i: number) => {
      const b = bookmarks[i];
      if (!b) return;
      setIndex(i);
      setTheme(b.theme);
      controller?.setTheme(b.theme);
      controller?.zoomTo(b.bbox, true);
    },
    [bookmarks, controller, setTheme],
  );
  const saveCurrent = useCallback(() => {
    const bbox = getView?.();
    if (!bbox || !info) return;
    const next = [...bookmarks, { name: `视图 ${bookmarks.length + 1}`, bbox, theme }];
    setBookmarks(next);
    saveBookmarks(info.path, next);
    setIndex(next.length - 1);
  }, [bookmarks, getView, info, theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') go(step(index, bookmarks.length, 1));
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') go(step(index, bookmarks.length, -1));
      else if (e.key === 'Escape') onExit();
      else if (e.key === 'b' || e.key === 'B') saveCurrent();
      else if (e.key === 'c' || e.key === 'C') setShowCharts((v) => !v);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, index, bookmarks.length, onExit, saveCurrent]);

  const legend = stats[theme] ?? [];
  const current = bookmarks[index];
  const f = figures;
  return (
    <div data-testid="present-mode" style={{ position: 'fixed', inset: 0, pointerEvents: 'none', zIndex: 1000, fontFamily: "'Noto Sans CJK SC','Microsoft YaHei',sans-serif" }}>
      <header style={{ ...box, position: 'absolute', top: 16, left: '50%', transform: 'translateX(-50%)', padding: '10px 36px', textAlign: 'center' }}>
        <div style={{ fontSize: 34, fontWeight: 700, color: '#1c2833' }}>{title}</div>
        <div style={{ fontSize: 17, color: '#566573' }}>
          {THEMES[theme].label.zh}
          {current ? ` · ${current.name}` : ''}
          {bookmarks.length ? `（${index + 1 > 0 ? index + 1 : '–'} / ${bookmarks.length}）` : ''}
        </div>
      </header>

      <aside data-testid="present-legend" style={{ ...box, position: 'absolute', left: 16, top: 130, padding: '14px 18px', minWidth: 250 }}>
        <div style={{ fontSize: 20, fontWeight: 700, marginBottom: 8 }}>图例 · {THEMES[theme].label.zh}</div>
        {legend.map((r) => (
          <div key={r.value} style={{ display: 'flex', alignItems: 'center', gap: 10, fontSize: 17, margin: '5px 0' }}>
            <span style={{ width: 34, height: 7, background: r.color, borderRadius: 2 }} />
            <span style={{ flex: 1 }}>{r.label.zh}</span>
            <span style={{ fontVariantNumeric: 'tabular-nums' }}>{r.km.toFixed(2)} km</span>
          </div>
        ))}
        <div style={{ display: 'flex', gap: 6, marginTop: 10 }}>
          {(Object.keys(THEMES) as ThemeId[]).map((t) => (
            <button key={t} type="button" onClick={() => (setTheme(t), controller?.setTheme(t))} style={{ fontWeight: t === theme ? 700 : 400 }}>
              {THEMES[t].label.zh}
            </button>
          ))}
        </div>
      </aside>

      <footer data-testid="present-figures" style={{ ...box, position: 'absolute', bottom: 16, left: '50%', transform: 'translateX(-50%)', display: 'flex' }}>
        {f ? (
          <>
            <Figure label={`${f.planYear}年管网改造`} value={`${f.plannedKm.toFixed(2)} km`} sub={f.targetKm !== null ? `计划 ${f.targetKm} km · 已完成 ${f.completedKm.toFixed(2)} km` : `已完成 ${f.completedKm.toFixed(2)} km`} />
            <Figure label="项目投资" value={`${f.budgetWan.toLocaleString('zh-CN')} 万元`} sub={f.targetBudgetWan !== null ? `计划 ${f.targetBudgetWan.toLocaleString('zh-CN')} 万元` : undefined} />
            <Figure label="换热站超载（小马拉大车）" value={`${f.stationsOverloaded} 座`} sub={`接近满负荷 ${f.stationsNearLimit} 座`} alert={f.stationsOverloaded > 0} />
            <Figure label="联网方案" value={loops === 'computing' ? '计算中…' : f.loopOptions === null ? '—' : `${f.loopOptions} 个`} sub="一网多源 · 环网" />
          </>
        ) : (
          <div style={{ padding: 16 }}>…</div>
        )}
      </footer>

      <nav style={{ ...box, position: 'absolute', right: 16, bottom: 16, padding: 8, display: 'flex', gap: 6 }}>
        <button type="button" onClick={() => go(step(index, bookmarks.length, -1))} aria-label="previous view">←</button>
        <button type="button" onClick={() => go(step(index, bookmarks.length, 1))} aria-label="next view">→</button>
        <button type="button" onClick={saveCurrent} disabled={!getView} title="B">保存视图</button>
        <button type="button" onClick={() => setShowCharts((v) => !v)} title="C">图表</button>
        <button type="button" onClick={onExit} title="Esc">退出</button>
      </nav>

      {showCharts && charts && (
        <section style={{ ...box, position: 'absolute', right: 16, top: 16, bottom: 90, width: 'min(760px, 48vw)', overflow: 'auto', padding: 12 }}>
          {charts.map((c) => (
            <ChartCard key={c.id} chart={c} />
          ))}
        </section>
      )}
    </div>
  );
}

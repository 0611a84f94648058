/**
 * 演示模式 Presentation mode: full screen over the app's map, a large title
 * and legend, a strip of key figures (km renewed against the plan, budget,
 * stations overloaded, loop options found) and saved views stepped through
 * with ← / →. Esc (or leaving full screen) exits; B saves the current view,
 * Delete removes the shown one; C shows the charts.
 *
 * It is rendered into document.body and hides the app's panels while open,
 * so the map fills the projector. The key figures come from the backend
 * (`present:figures`, the same function as `warmnet charts`/`info`).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { BBox } from '../../../core/model/geojson';
import type { KeyFigures } from '../../../core/plan/charts';
import { THEMES, type ThemeId } from '../../../core/style/themes';
import { invoke } from '../../api';
import { useAppStore } from '../../store';
import { loadBookmarks, OVERVIEW, saveBookmarks, step, withOverview, type Bookmark } from './bookmarks';
import { ChartCard, useCharts } from './ChartsPanel';
import { usePresentT } from './strings';
import { grouped } from '../../../core/format/number';

/** The part of MapController the presentation mode drives. */
export interface PresentMap {
  zoomTo(bbox: BBox, animate?: boolean): void;
  setTheme(theme: ThemeId): void;
  resize(): void;
}

/** Space the overlays take on each side of the screen, in pixels. */
export interface Padding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif";
const box: React.CSSProperties = { background: 'rgba(255,255,255,0.95)', borderRadius: 10, boxShadow: '0 3px 16px rgba(0,0,0,0.22)', pointerEvents: 'auto' };

// While presenting only the map is left on screen, filling it; the editing tools and zoom buttons go too.
const HIDE_APP_CHROME = `
.app > :not(.map-wrap) { display: none !important; }
.app > .map-wrap { position: fixed !important; inset: 0 !important; z-index: 1; }
.app > .map-wrap > :not(.map) { display: none !important; }
.app .maplibregl-ctrl-top-right { display: none; }
.app .maplibregl-ctrl-scale { font-size: 15px; padding: 2px 8px; }
.app .maplibregl-ctrl-bottom-left { left: 12px; bottom: 12px; }
`;

function Figure({ label, value, sub, alert, testId }: { label: string; value: string; sub?: string; alert?: boolean; testId: string }) {
  return (
    <div data-testid={testId} style={{ padding: '12px 28px', borderRight: '1px solid #e3e7ec', minWidth: 200 }}>
      <div style={{ fontSize: fs(17), color: '#566573', whiteSpace: 'nowrap' }}>{label}</div>
      <div data-role="value" style={{ fontSize: fs(38), fontWeight: 700, color: alert ? '#c0392b' : '#1c2833', lineHeight: 1.15, whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </div>
      {sub && <div style={{ fontSize: fs(15), color: '#566573', whiteSpace: 'nowrap' }}>{sub}</div>}
    </div>
  );
}

/** A font size that reads as `px` on a 1280-wide projector and grows with larger screens. */
const fs = (px: number) => `clamp(${Math.round(px * 0.85)}px, ${(px / 12.8).toFixed(2)}vw, ${Math.round(px * 1.6)}px)`;


export function PresentMode({
  controller,
  getView,
  fit,
  onExit,
  title,
}: {
  controller: PresentMap | null;
  /** The map's current view; given the overlays' padding, only the part they leave free (what a saved view recalls). */
  getView?: (padding?: Padding) => BBox | undefined;
  /** Frames a box in the part of the map the overlays leave free; without it the whole map is used. */
  fit?: (bbox: BBox, padding: Padding, animate: boolean) => void;
  onExit(): void;
  title?: string;
}) {
  const { t, lang } = usePresentT();
  const info = useAppStore((s) => s.info);
  const stats = useAppStore((s) => s.stats);
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  const [figures, setFigures] = useState<KeyFigures | null>(null);
  const [loopsDone, setLoopsDone] = useState(false);
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [index, setIndex] = useState(-1);
  const [showCharts, setShowCharts] = useState(false);
  const charts = useCharts();
  const titleRef = useRef<HTMLElement>(null);
  const legendRef = useRef<HTMLElement>(null);
  const footerRef = useRef<HTMLElement>(null);
  const navRef = useRef<HTMLElement>(null);
  const shown = useRef<BBox | null>(null);

  // The overlays' edges, measured: fonts grow with the screen, so fixed numbers would not fit every projector.
  function overlayPadding(): Padding {
    const W = window.innerWidth;
    const H = window.innerHeight;
    const r = (el: HTMLElement | null) => el?.getBoundingClientRect();
    const gap = 16;
    const pad: Padding = {
      top: (r(titleRef.current)?.bottom ?? 0) + gap,
      bottom: H - (r(footerRef.current)?.top ?? H) + gap,
      left: (r(legendRef.current)?.right ?? 0) + gap,
      right: W - (r(navRef.current)?.left ?? W) + gap,
    };
    // a small screen leaves little free space: give the map at least a third of it each way
    if (pad.left + pad.right > W * 0.67) pad.left = pad.right = W * 0.15;
    if (pad.top + pad.bottom > H * 0.67) pad.top = pad.bottom = H * 0.15;
    return pad;
  }

  const frame = useCallback(
    (bbox: BBox, animate: boolean) => {
      shown.current = bbox;
      if (!fit) return controller?.zoomTo(bbox, animate);
      fit(bbox, overlayPadding(), animate);
    },
    [controller, fit],
  );

  // Figures without the loop search come at once; the loop count follows from the analysis worker
  // (the same search and cache as the 管网分析 panel, off the backend's main thread).
  const [loopOptions, setLoopOptions] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    setLoopsDone(false);
    void invoke('present:figures', { loops: false }).then((f) => live && setFigures(f));
    void invoke('analysis:loops', { runId: `present-loops-${Date.now()}` })
      .then((r) => live && setLoopOptions(r.options.length))
      .catch(() => live && setLoopOptions(null))
      .finally(() => live && setLoopsDone(true));
    return () => {
      live = false;
    };
  }, [info?.revision]);
  useEffect(() => {
    if (!info) return;
    let live = true;
    // Saved views live in the project file (view_state); a list this browser kept from before is taken over once saved.
    const local = () => loadBookmarks(info.path);
    void invoke('basemap:list', {})
      .then((l) => live && setBookmarks(withOverview(l.view.views.length ? (l.view.views as Bookmark[]) : local(), info.bbox, theme)))
      .catch(() => live && setBookmarks(withOverview(local(), info.bbox, theme)));
    return () => {
      live = false;
    };
    // The saved list is read once per project; `theme` only seeds the overview.
  }, [info?.path]);
  // Frame the whole network once the screen has its full-screen size, and again whenever it changes size.
  useEffect(() => {
    let timer = 0;
    const refit = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => {
        controller?.resize();
        const b = shown.current ?? info?.bbox;
        if (b) frame(b, false);
      }, 150);
    };
    refit();
    window.addEventListener('resize', refit);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('resize', refit);
    };
    // Refit when the frame or the project changes, not on every render of the callbacks it reads.
  }, [frame, info?.path]);
  useEffect(() => {
    let entered = false;
    const onChange = () => {
      if (document.fullscreenElement) entered = true;
      // Esc in full screen is taken by the browser and only ends full screen: leave the mode with it.
      else if (entered) onExit();
      controller?.resize();
    };
    document.addEventListener('fullscreenchange', onChange);
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
    controller?.resize();
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      setTimeout(() => controller?.resize(), 0);
    };
  }, [controller, onExit]);

  const go = useCallback(
    (i: number) => {
      const b = bookmarks[i];
      if (!b) return;
      setIndex(i);
      setTheme(b.theme);
      controller?.setTheme(b.theme);
      frame(b.bbox, true);
    },
    [bookmarks, controller, frame, setTheme],
  );
  const persist = useCallback(
    (next: Bookmark[]) => {
      setBookmarks(next);
      // Into the project, so the views travel with the file; this browser's storage only if that fails.
      if (info) void invoke('view:set', { views: next }).catch(() => saveBookmarks(info.path, next));
    },
    [info],
  );
  const saveCurrent = useCallback(() => {
    const bbox = getView?.(fit ? overlayPadding() : undefined);
    if (!bbox) return;
    const next = [...bookmarks, { name: `${t('view')} ${bookmarks.length + 1}`, bbox, theme }];
    persist(next);
    setIndex(next.length - 1);
  }, [bookmarks, getView, persist, t, theme]);
  const deleteCurrent = useCallback(() => {
    if (index < 0 || index >= bookmarks.length) return;
    persist(bookmarks.filter((_, i) => i !== index));
    setIndex(-1);
  }, [bookmarks, index, persist]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || e.key === 'PageDown' || e.key === ' ') go(step(index, bookmarks.length, 1));
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp' || e.key === 'PageUp') go(step(index, bookmarks.length, -1));
      else if (e.key === 'Escape') onExit();
      else if (e.key === 'b' || e.key === 'B') saveCurrent();
      else if (e.key === 'Delete') deleteCurrent();
      else if (e.key === 'c' || e.key === 'C') setShowCharts((v) => !v);
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    // capture: the map and the app's own shortcuts must not also act on these keys
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [go, index, bookmarks.length, onExit, saveCurrent, deleteCurrent]);

  // 万元 is how the plan counts money; English readers get millions of yuan
  const money = (wan: number) => (lang === 'zh' ? `${grouped(wan, 0)} ${t('wan')}` : `CNY ${grouped(wan / 100, 1)} M`);
  const legend = stats[theme] ?? [];
  const current = bookmarks[index];
  const f = figures && { ...figures, loopOptions };
  const overloaded = f ? f.stationsOverloaded > 0 : false;
  return createPortal(
    <div data-testid="present-mode" data-view={index} lang={lang === 'zh' ? 'zh-CN' : 'en'} style={{ position: 'fixed', inset: 0, pointerEvents: 'none', zIndex: 1000, fontFamily: FONT, color: '#1c2833' }}>
      <style>{HIDE_APP_CHROME}</style>
      <header ref={titleRef} data-testid="present-title" style={{ ...box, position: 'absolute', top: 18, left: '50%', transform: 'translateX(-50%)', padding: '12px 44px', textAlign: 'center', maxWidth: '70vw' }}>
        <div style={{ fontSize: fs(38), fontWeight: 700, letterSpacing: lang === 'zh' ? 2 : 0, whiteSpace: 'nowrap' }}>{title ?? t('presentTitle')}</div>
        <div data-testid="present-view" style={{ fontSize: fs(19), color: '#566573', marginTop: 2 }}>
          {THEMES[theme].label[lang]}
          {current ? ` · ${current.name === OVERVIEW ? t('overview') : current.name}` : ''}
          {bookmarks.length ? `  (${index >= 0 ? index + 1 : '–'} / ${bookmarks.length})` : ''}
        </div>
      </header>

      <aside ref={legendRef} data-testid="present-legend" style={{ ...box, position: 'absolute', left: 18, top: `calc(${fs(38)} * 1.3 + ${fs(19)} * 1.5 + 64px)`, padding: '16px 20px', minWidth: 270 }}>
        <div style={{ fontSize: fs(22), fontWeight: 700, marginBottom: 10 }}>
          {t('legend')} · {THEMES[theme].label[lang]}
        </div>
        {legend.map((r) => (
          <div key={r.value} style={{ display: 'flex', alignItems: 'center', gap: 12, fontSize: fs(19), margin: '7px 0' }}>
            <span style={{ width: 40, height: 8, background: r.color, borderRadius: 2, flex: 'none' }} />
            <span style={{ flex: 1, whiteSpace: 'nowrap' }}>{r.label[lang]}</span>
            <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{grouped(r.km, 2)} km</span>
          </div>
        ))}
        <div style={{ display: 'flex', gap: 6, marginTop: 12, flexWrap: 'wrap' }}>
          {(Object.keys(THEMES) as ThemeId[]).map((id) => (
            <button
              key={id}
              type="button"
              data-testid={`present-theme-${id}`}
              onClick={() => (setTheme(id), controller?.setTheme(id))}
              style={{ fontSize: 14, padding: '4px 10px', borderRadius: 5, border: '1px solid #aab7c4', background: id === theme ? '#1d2b36' : '#fff', color: id === theme ? '#fff' : '#1c2833', cursor: 'pointer' }}
            >
              {THEMES[id].label[lang]}
            </button>
          ))}
        </div>
      </aside>

      <footer ref={footerRef} data-testid="present-figures" style={{ ...box, position: 'absolute', bottom: 18, left: '50%', transform: 'translateX(-50%)', display: 'flex' }}>
        {f ? (
          <>
            <Figure
              testId="figure-km"
              label={`${f.planYear}${t('renewedKm')}`}
              value={`${grouped(f.plannedKm, 2)} km`}
              sub={`${f.targetKm !== null ? `${t('plan')} ${grouped(f.targetKm, 2)} km · ` : ''}${t('done')} ${grouped(f.completedKm, 2)} km`}
            />
            <Figure
              testId="figure-budget"
              label={t('budget')}
              value={money(f.budgetWan)}
              sub={f.targetBudgetWan !== null ? `${t('plan')} ${money(f.targetBudgetWan)}` : undefined}
            />
            <Figure testId="figure-overloaded" label={t('overloaded')} value={`${f.stationsOverloaded} ${t('stationsUnit')}`.trim()} sub={`${t('nearLimit')} ${f.stationsNearLimit}`} alert={overloaded} />
            <Figure
              testId="figure-loops"
              label={t('loops')}
              value={!loopsDone ? t('computing') : f.loopOptions === null ? '—' : `${f.loopOptions} ${t('optionsUnit')}`.trim()}
              sub={t('loopsSub')}
            />
          </>
        ) : (
          <div style={{ padding: 20, fontSize: 18 }}>{t('computing')}</div>
        )}
      </footer>

      <nav ref={navRef} style={{ ...box, position: 'absolute', right: 18, top: '50%', transform: 'translateY(-50%)', padding: 8, display: 'flex', flexDirection: 'column', gap: 6, alignItems: 'stretch', opacity: 0.85 }}>
        <NavButton onClick={() => go(step(index, bookmarks.length, -1))} label={t('prevView')} text="←" />
        <NavButton onClick={() => go(step(index, bookmarks.length, 1))} label={t('nextView')} text="→" />
        <NavButton onClick={saveCurrent} label={`${t('saveView')} (B)`} text="+" disabled={!getView} testId="present-save-view" />
        <NavButton onClick={deleteCurrent} label={`${t('deleteView')} (Del)`} text="−" disabled={index < 0} />
        <NavButton onClick={() => setShowCharts((v) => !v)} label={`${t('charts')} (C)`} text={t('charts')} />
        <NavButton onClick={onExit} label={`${t('exit')} (Esc)`} text="✕" testId="present-exit" />
      </nav>

      {showCharts && charts && (
        <section data-testid="present-charts" style={{ ...box, position: 'absolute', right: 90, top: 110, bottom: 150, width: 'min(760px, 46vw)', overflow: 'auto', padding: 12 }}>
          {charts.map((c) => (
            <ChartCard key={c.id} chart={c} pngLabel={t('exportPng')} />
          ))}
        </section>
      )}
    </div>,
    document.body,
  );
}

function NavButton({ onClick, label, text, disabled, testId }: { onClick(): void; label: string; text: string; disabled?: boolean; testId?: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      title={label}
      aria-label={label}
      data-testid={testId}
      style={{ fontSize: 18, minWidth: 38, height: 36, padding: '0 10px', borderRadius: 6, border: '1px solid #aab7c4', background: '#fff', cursor: disabled ? 'default' : 'pointer', opacity: disabled ? 0.4 : 1 }}
    >
      {text}
    </button>
  );
}

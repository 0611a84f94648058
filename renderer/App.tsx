/** The app frame: top bar (title, search, zoom to extent, language), layers & legend, map, inspector, table, status bar. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { MapView, mapController, afterFirstDraw } from './map/MapView';
import { BasemapSwitcher } from './map/BasemapSwitcher';
import { LayerPanel } from './panels/LayerPanel';
import { Inspector } from './panels/Inspector';
import { SearchBox } from './panels/SearchBox';
import { StatusBar } from './panels/StatusBar';
import { useAppStore } from './store';
import { invoke } from './api';
import { startLoading, watchProject } from './store/load';
import { useT } from './i18n';
import { useAnalysisUi } from './panels/analysis/state';
import { am } from './panels/analysis/messages';

// Panels not needed for the first picture load in their own chunks: the start-up bundle
// is then only the map, legend and inspector (less to parse before the map can draw).
const AttributeTable = lazy(() => import('./panels/AttributeTable').then((m) => ({ default: m.AttributeTable })));
const EditingUI = lazy(() => import('./tools/EditingUI').then((m) => ({ default: m.EditingUI })));
const PresentActions = lazy(() => import('./panels/present/PresentActions').then((m) => ({ default: m.PresentActions })));
const AnalysisPanel = lazy(() => import('./panels/analysis/AnalysisPanel').then((m) => ({ default: m.AnalysisPanel })));
const ImportButton = lazy(() => import('./panels/import/ImportHost').then((m) => ({ default: m.ImportButton })));
const SharedButton = lazy(() => import('./panels/shared/SharedDialog').then((m) => ({ default: m.SharedButton })));
const ImportHost = lazy(() => import('./panels/import/ImportHost').then((m) => ({ default: m.ImportHost })));

/**
 * True once the map first stood idle with the project drawn (or after a while,
 * should it never): the always-present tools mount then, so loading their code
 * does not compete with the map's first drawing.
 */
function useAfterFirstDraw(): boolean {
  const [late, setLate] = useState(false);
  useEffect(() => {
    let live = true;
    void afterFirstDraw().then(() => live && setLate(true));
    return () => {
      live = false;
    };
  }, []);
  return late;
}

export function App() {
  const { t, lang } = useT();
  const status = useAppStore((s) => s.status);
  const error = useAppStore((s) => s.error);
  const info = useAppStore((s) => s.info);
  const tableOpen = useAppStore((s) => s.tableOpen);
  const setTable = useAppStore((s) => s.setTable);
  const setLang = useAppStore((s) => s.setLang);
  const analysis = useAnalysisUi();
  const late = useAfterFirstDraw();

  useEffect(() => {
    void startLoading();
    watchProject();
  }, []);

  useEffect(() => {
    document.title = info ? `${info.fileName} — ${t('appTitle')}` : t('appTitle');
  }, [info, lang]);

  // Once the map stands drawn, the analysis worker reads the network ahead of the first analysis
  // (at a million pipes the read is most of its time); a failure shows when an analysis runs.
  const fileName = info?.fileName;
  useEffect(() => {
    if (late && status === 'ready' && fileName) void invoke('analysis:prepare', {}).catch(() => undefined);
  }, [late, status, fileName]);

  return (
    <div className={'app' + (tableOpen ? ' with-table' : '')} data-status={status} data-lang={lang}>
      <header className="topbar">
        <div className="brand">
          <span className="logo" lang="zh" aria-hidden="true">
            暖
          </span>
          <span>{t('appTitle')}</span>
        </div>
        <SearchBox />
        <div className="actions">
          <button onClick={() => info?.bbox && mapController()?.zoomTo(info.bbox)} data-testid="zoom-extent">
            ⤢ {t('zoomExtent')}
          </button>
          <button onClick={() => (analysis.open ? analysis.hide() : analysis.show())} aria-pressed={analysis.open} data-testid="toggle-analysis">
            ◎ {am(lang, 'open')}
          </button>
          {/* A shared project opened live takes no import in the app (check it out, import into the copy). */}
          {status === 'ready' && late && !info?.shared && (
            <Suspense fallback={null}>
              <ImportButton />
            </Suspense>
          )}
          {status === 'ready' && late && (
            <Suspense fallback={null}>
              <SharedButton />
            </Suspense>
          )}
          <button onClick={() => setTable(!tableOpen)} data-testid="toggle-table">
            ▤ {t('showTable')}
          </button>
          {late && (
            <Suspense fallback={null}>
              <PresentActions />
            </Suspense>
          )}
          <button onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang" lang={lang === 'zh' ? 'en' : 'zh'}>
            {t('language')}
          </button>
        </div>
      </header>
      <LayerPanel />
      <main className="map-wrap">
        <MapView />
        {status === 'ready' && <BasemapSwitcher />}
        <Suspense fallback={null}>
          {status === 'ready' && late && <EditingUI />}
          {status === 'ready' && analysis.open && <AnalysisPanel onClose={analysis.hide} />}
          {status === 'ready' && late && <ImportHost />}
        </Suspense>
        {status === 'loading' && <div className="overlay">{t('loading')}</div>}
        {status === 'error' && (
          <div className="overlay error">
            {t('loadFailed')}: {error}
          </div>
        )}
      </main>
      <Inspector />
      {tableOpen && (
        <Suspense fallback={null}>
          <AttributeTable />
        </Suspense>
      )}
      <StatusBar />
    </div>
  );
}

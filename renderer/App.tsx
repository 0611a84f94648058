/** The app frame: top bar (title, search, zoom to extent, language), layers & legend, map, inspector, table, status bar. */
import { useEffect } from 'react';
import { MapView, mapController } from './map/MapView';
import { LayerPanel } from './panels/LayerPanel';
import { Inspector } from './panels/Inspector';
import { AttributeTable } from './panels/AttributeTable';
import { SearchBox } from './panels/SearchBox';
import { StatusBar } from './panels/StatusBar';
import { useAppStore } from './store';
import { loadProject, watchProject } from './store/load';
import { useT } from './i18n';
import { EditingUI } from './tools/EditingUI';
import { PresentActions } from './panels/present/PresentActions';
import { AnalysisPanel } from './panels/analysis/AnalysisPanel';
import { useAnalysisUi } from './panels/analysis/state';
import { am } from './panels/analysis/messages';
import { ImportButton, ImportHost } from './panels/import/ImportHost';

export function App() {
  const { t, lang } = useT();
  const status = useAppStore((s) => s.status);
  const error = useAppStore((s) => s.error);
  const info = useAppStore((s) => s.info);
  const tableOpen = useAppStore((s) => s.tableOpen);
  const setTable = useAppStore((s) => s.setTable);
  const setLang = useAppStore((s) => s.setLang);
  const analysis = useAnalysisUi();

  useEffect(() => {
    void loadProject();
    watchProject();
  }, []);

  useEffect(() => {
    document.title = info ? `${info.fileName} — ${t('appTitle')}` : t('appTitle');
  }, [info, lang]);

  return (
    <div className={'app' + (tableOpen ? ' with-table' : '')} data-status={status} data-lang={lang}>
      <header className="topbar">
        <div className="brand">
          <span className="logo">暖</span>
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
          {status === 'ready' && <ImportButton />}
          <button onClick={() => setTable(!tableOpen)} data-testid="toggle-table">
            ▤ {t('showTable')}
          </button>
          <PresentActions />
          <button onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang">
            {t('language')}
          </button>
        </div>
      </header>
      <LayerPanel />
      <main className="map-wrap">
        <MapView />
        {status === 'ready' && <EditingUI />}
        {status === 'ready' && analysis.open && <AnalysisPanel onClose={analysis.hide} />}
        {status === 'ready' && <ImportHost />}
        {status === 'loading' && <div className="overlay">{t('loading')}</div>}
        {status === 'error' && (
          <div className="overlay error">
            {t('loadFailed')}: {error}
          </div>
        )}
      </main>
      <Inspector />
      {tableOpen && <AttributeTable />}
      <StatusBar />
    </div>
  );
}

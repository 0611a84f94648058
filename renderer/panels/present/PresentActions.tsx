/**
 * The managers' entry points in the top bar: 演示 (presentation mode, also
 * F5), 图表 (charts drawer) and 导出 (export dialog). Everything they open is
 * rendered into document.body, so this mounts as one element in the bar.
 */
import { useCallback, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { BBox } from '../../../core/model/geojson';
import { mapController } from '../../map/MapView';
import { useAppStore } from '../../store';
import { ChartsPanel } from './ChartsPanel';
import { ExportDialog } from './ExportDialog';
import { PresentMode, type Padding } from './PresentMode';
import { usePresentT } from './strings';

/**
 * The map's current extent [w, s, e, n], for saved views and "export the
 * current view"; with `padding`, only the part of the map the overlays leave free.
 */
/** The view as a stored box (saved views travel with the project, so never in GCJ-02 screen positions). */
export function currentView(padding?: Padding): BBox | undefined {
  const ctl = mapController();
  const map = ctl?.map;
  if (!ctl || !map) return undefined;
  if (!padding) {
    const b = map.getBounds();
    return ctl.storedBox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
  }
  const { width, height } = map.getContainer().getBoundingClientRect();
  const nw = map.unproject([padding.left, padding.top]);
  const se = map.unproject([width - padding.right, height - padding.bottom]);
  return ctl.storedBox([Math.min(nw.lng, se.lng), Math.min(nw.lat, se.lat), Math.max(nw.lng, se.lng), Math.max(nw.lat, se.lat)]);
}

/** Fits a (stored) box into the map part the presentation overlays leave free. */
function fitView(stored: BBox, padding: Padding, animate: boolean): void {
  const ctl = mapController();
  const bbox = ctl ? ctl.screenBox(stored) : stored;
  ctl?.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding, duration: animate ? 600 : 0 });
}

export function PresentActions() {
  const { t } = usePresentT();
  const ready = useAppStore((s) => s.status === 'ready');
  const [presenting, setPresenting] = useState(false);
  const [chartsOpen, setChartsOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const exit = useCallback(() => setPresenting(false), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // F5 starts a slide show in the office programs the managers know.
      if (e.key === 'F5' && !e.ctrlKey && !e.metaKey && ready) {
        e.preventDefault();
        setPresenting(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ready]);

  return (
    <>
      <button onClick={() => setPresenting(true)} disabled={!ready} title={t('presentTip')} data-testid="present">
        ▶ {t('present')}
      </button>
      <button onClick={() => setChartsOpen((v) => !v)} disabled={!ready} data-testid="toggle-charts" aria-pressed={chartsOpen}>
        ▥ {t('charts')}
      </button>
      <button onClick={() => setExportOpen(true)} disabled={!ready} data-testid="open-export">
        ⤓ {t('export')}
      </button>
      {presenting && <PresentMode controller={mapController()} getView={currentView} fit={fitView} onExit={exit} />}
      {chartsOpen &&
        !presenting &&
        createPortal(
          <div style={{ position: 'fixed', top: 52, right: 8, bottom: 34, width: 'min(620px, 46vw)', zIndex: 800, boxShadow: '0 6px 24px rgba(0,0,0,0.25)', borderRadius: 6, overflow: 'hidden' }}>
            <ChartsPanel onClose={() => setChartsOpen(false)} />
          </div>,
          document.body,
        )}
      {exportOpen && !presenting && createPortal(<ExportDialog onClose={() => setExportOpen(false)} getView={() => currentView()} />, document.body)}
    </>
  );
}

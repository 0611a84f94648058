/** Bottom bar: cursor position in lon/lat and CGCS2000 Gauss–Krüger (CM 114° E), and the project file. */
import { useEffect, useState } from 'react';
import { useAppStore } from '../store';
import { useT } from '../i18n';

export function StatusBar() {
  const { t } = useT();
  const info = useAppStore((s) => s.info);
  const [cursor, setCursor] = useState<{ lonLat: string; gk: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    // One-line notices (an online basemap that failed), shown until the next one.
    const on = (e: Event) => setNotice((e as CustomEvent<string>).detail);
    window.addEventListener('warmnet:status', on);
    return () => window.removeEventListener('warmnet:status', on);
  }, []);
  useEffect(() => {
    // the projection library loads with the first pointer move, not with the page
    let format: typeof import('../map/coords').formatCursor | null = null;
    let live = true;
    let last: { lng: number; lat: number } | null = null;
    const on = (e: Event) => {
      const ll = (e as CustomEvent<{ lng: number; lat: number } | null>).detail;
      if (!ll) {
        last = null;
        return setCursor(null);
      }
      last = ll;
      if (format) return setCursor(format(ll.lng, ll.lat));
      void import('../map/coords').then((m) => {
        format = m.formatCursor;
        if (live && last) setCursor(format(last.lng, last.lat));
      });
    };
    window.addEventListener('warmnet:cursor', on);
    return () => {
      live = false;
      window.removeEventListener('warmnet:cursor', on);
    };
  }, []);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="cursor-lonlat">{cursor ? cursor.lonLat : '—'}</span>
      <span title={t('gk')} data-testid="cursor-gk">
        {t('gk')}: {cursor ? cursor.gk : '—'}
      </span>
      <span className="grow" />
      {notice && (
        <span className="notice" data-testid="status-notice" title={notice}>
          ⚠ {notice}
        </span>
      )}
      <span className="muted">
        {t('file')}: {info?.fileName ?? '—'}
      </span>
    </footer>
  );
}

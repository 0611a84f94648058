/** Search by feature id or name across layers; picking a hit selects and frames it. */
import { useEffect, useState } from 'react';
import { layerDef } from '../../core/model/schema';
import type { SearchHit } from '../../electron/backend/contract';
import { invoke } from '../api';
import { useAppStore } from '../store';
import { pick, useT } from '../i18n';

export function SearchBox() {
  const { t, lang } = useT();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const select = useAppStore((s) => s.select);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setHits(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      invoke('search:find', { query: q, limit: 30 })
        .then((h) => live && setHits(h))
        .catch(() => live && setHits([]));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const choose = (h: SearchHit) => {
    select({ type: 'single', layer: h.layer, id: h.id }, 'search');
    setHits(null);
    setQuery(h.id);
  };

  return (
    <div className="search" data-testid="search">
      <input
        type="search"
        value={query}
        placeholder={t('search')}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && hits?.length) choose(hits[0]);
          if (e.key === 'Escape') setHits(null);
        }}
      />
      {hits && (
        <ul className="hits">
          {hits.length === 0 && <li className="muted">{t('noResults')}</li>}
          {hits.map((h) => (
            <li key={h.layer + h.id} onClick={() => choose(h)}>
              <span className="badge">{pick(layerDef(h.layer)?.label, lang)}</span> <b>{h.id}</b> {h.name ?? ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

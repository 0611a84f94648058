/**
 * The attribute table's header bar, the same for the in-memory and the paged
 * table: the layer chooser, the filter, the row count (given as children) and
 * the button that hides the table.
 */
import type { ReactNode } from 'react';
import { LAYERS, type LayerName } from '../../core/model/schema';
import { useAppStore } from '../store';
import { pick, useT } from '../i18n';

export function TableHeader({ layer, filter, onFilter, children }: { layer: LayerName; filter: string; onFilter: (text: string) => void; children: ReactNode }) {
  const { t, lang } = useT();
  const setTable = useAppStore((s) => s.setTable);
  return (
    <header>
      <select value={layer} onChange={(e) => setTable(true, e.target.value as LayerName)} data-testid="table-layer">
        {LAYERS.map((l) => (
          <option key={l.name} value={l.name}>
            {pick(l.label, lang)}
          </option>
        ))}
      </select>
      <input className="filter" placeholder={t('filter')} value={filter} onChange={(e) => onFilter(e.target.value)} data-testid="table-filter" />
      {children}
      <button className="link right" onClick={() => setTable(false)}>
        {t('hideTable')} ▾
      </button>
    </header>
  );
}

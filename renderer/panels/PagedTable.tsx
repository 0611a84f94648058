/**
 * The attribute table of a layer drawn from vector tiles: the renderer does
 * not hold its features, so rows come from the store a page at a time
 * (`layer:page`, sorted and filtered there) as the virtualised list scrolls.
 * Same look and behaviour as the in-memory table: sort by a column, filter by
 * a text, a row click selects and frames the feature.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { layerDef, type LayerName } from '../../core/model/schema';
import { useAppStore } from '../store';
import { TableHeader } from './TableHeader';
import { invoke } from '../api';
import { formatValue, pick, useT } from '../i18n';

const ROW_H = 26;
const PAGE = 200;

export function PagedTable({ layer }: { layer: LayerName }) {
  const { t, lang } = useT();
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const revision = useAppStore((s) => s.info?.revision);
  const [sort, setSort] = useState<{ field: string; desc: boolean } | null>(null);
  const [filter, setFilter] = useState('');
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, Record<string, unknown>[]>>(new Map());
  const asked = useRef(new Set<number>());
  const def = layerDef(layer)!;
  const query = useMemo(() => ({ layer, sort: sort?.field, desc: sort?.desc, filter: filter.trim() || undefined, revision }), [layer, sort, filter, revision]);

  // a new layer, order, filter or revision starts over from the first page
  useEffect(() => {
    asked.current = new Set([0]);
    let live = true;
    void invoke('layer:page', { layer, offset: 0, limit: PAGE, sort: query.sort, desc: query.desc, filter: query.filter }).then((p) => {
      if (!live) return;
      setTotal(p.total);
      setPages(new Map([[0, p.rows]]));
    });
    return () => {
      live = false;
    };
  }, [query, layer]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 20 });
  const items = virtual.getVirtualItems();
  useEffect(() => {
    const want = new Set(items.map((v) => Math.floor(v.index / PAGE)));
    for (const p of want) {
      if (asked.current.has(p)) continue;
      asked.current.add(p);
      const q = query;
      void invoke('layer:page', { layer, offset: p * PAGE, limit: PAGE, sort: q.sort, desc: q.desc, filter: q.filter }).then((r) => {
        if (q !== query) return;
        setPages((old) => new Map(old).set(p, r.rows));
      });
    }
  }, [items, query, layer]);

  const selectedId = selection.type === 'single' && selection.layer === layer ? selection.id : null;
  const widths = def.fields.map((f) => (f.name === 'id' ? 90 : f.type === 'text' ? 120 : 90));
  const totalWidth = widths.reduce((a, b) => a + b, 0);
  const toggle = (field: string) => setSort((s) => (!s || s.field !== field ? { field, desc: false } : !s.desc ? { field, desc: true } : null));

  return (
    <section className="table-panel" data-testid="attribute-table" data-layer={layer} data-paged="true">
      <TableHeader layer={layer} filter={filter} onFilter={setFilter}>
        <span className="muted" data-testid="table-count">
          {total} {t('rows')}
        </span>
      </TableHeader>
      <div className="grid" ref={scroller}>
        <div className="thead" style={{ width: totalWidth }}>
          {def.fields.map((f, i) => (
            <div key={f.name} className="th" style={{ width: widths[i] }} onClick={() => toggle(f.name)} data-col={f.name} title={f.name}>
              {pick(f.label, lang) + (f.unit ? ` (${f.unit})` : '')}
              {sort?.field === f.name ? (sort.desc ? ' ▼' : ' ▲') : ''}
            </div>
          ))}
        </div>
        <div style={{ height: virtual.getTotalSize(), width: totalWidth, position: 'relative' }}>
          {items.map((v) => {
            const row = pages.get(Math.floor(v.index / PAGE))?.[v.index % PAGE];
            const id = row ? String(row.id) : null;
            return (
              <div
                key={v.index}
                className={'tr' + (id !== null && id === selectedId ? ' selected' : '')}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_H }}
                onClick={() => id !== null && select({ type: 'single', layer, id }, 'table')}
                data-row={id ?? undefined}
              >
                {def.fields.map((f, i) => (
                  <div key={f.name} className="td" style={{ width: widths[i] }}>
                    {row ? formatValue(row[f.name], lang) : '…'}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

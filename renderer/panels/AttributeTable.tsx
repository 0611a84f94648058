/**
 * The attribute table of one layer: virtualised rows (thousands stay
 * smooth), sortable by any column, filtered by a text that matches any cell.
 * A row click selects and frames the feature; a map selection scrolls here.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
  type ColumnDef,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { layerDef } from '../../core/model/schema';
import { useAppStore } from '../store';
import { TableHeader } from './TableHeader';
import { unitText } from '../../core/i18n';
import { formatValue, isData, pick, useT } from '../i18n';
import { PagedTable } from './PagedTable';

type Row = Record<string, unknown> & { id: string };
const col = createColumnHelper<Row>();
const ROW_H = 26;

/** The table of the chosen layer: in memory, or paged from the store for a layer drawn from tiles. */
export function AttributeTable() {
  const layer = useAppStore((s) => s.tableLayer);
  const tiled = useAppStore((s) => s.info?.tiles?.layers.includes(layer) ?? false);
  return tiled ? <PagedTable layer={layer} /> : <MemoryTable />;
}

function MemoryTable() {
  const { t, lang } = useT();
  const layer = useAppStore((s) => s.tableLayer);
  const setTable = useAppStore((s) => s.setTable);
  const fc = useAppStore((s) => s.layers[layer]);
  const selection = useAppStore((s) => s.selection);
  const origin = useAppStore((s) => s.selectionOrigin);
  const select = useAppStore((s) => s.select);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [filter, setFilter] = useState('');

  const def = layerDef(layer)!;
  const rows = useMemo<Row[]>(() => (fc?.features ?? []).map((f) => ({ ...f.properties, id: String(f.id ?? f.properties.id) })), [fc]);
  const columns = useMemo(
    () =>
      def.fields.map((f) =>
        col.accessor((r) => r[f.name] as unknown, {
          id: f.name,
          header: () => pick(f.label, lang) + (f.unit ? ` (${unitText(lang, f.unit)})` : ''),
          cell: (c) => formatValue(c.getValue(), lang, f),
          sortUndefined: 'last',
          size: f.name === 'id' ? 90 : f.type === 'text' ? 120 : 90,
        }),
      ),
    [def, lang],
  ) as ColumnDef<Row, unknown>[];
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    globalFilterFn: (row, _col, value: string) => {
      const q = value.toLowerCase();
      return def.fields.some((f) => {
        const v = row.original[f.name];
        return v !== null && v !== undefined && (String(v).toLowerCase().includes(q) || formatValue(v, lang, f).toLowerCase().includes(q));
      });
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const model = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: model.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 12 });

  const selectedId = selection.type === 'single' && selection.layer === layer ? selection.id : null;

  // A selection made on the map brings its layer's table and row into view.
  useEffect(() => {
    if (selection.type !== 'single' || origin === 'table') return;
    if (selection.layer !== layer) {
      setTable(true, selection.layer);
      return;
    }
    const i = model.findIndex((r) => r.original.id === selection.id);
    if (i >= 0) virtual.scrollToIndex(i, { align: 'center' });
    // Scroll only when the selection (or the table shown) changes, not when rows re-render.
  }, [selection, origin, layer]);

  const totalWidth = table.getTotalSize();
  return (
    <section className="table-panel" data-testid="attribute-table" data-layer={layer}>
      <TableHeader layer={layer} filter={filter} onFilter={setFilter}>
        <span className="muted">
          {model.length} / {rows.length} {t('rows')}
        </span>
      </TableHeader>
      <div className="grid" ref={scroller}>
        <div className="thead" style={{ width: totalWidth }}>
          {table.getHeaderGroups()[0].headers.map((h) => (
            <div
              key={h.id}
              className="th"
              style={{ width: h.getSize() }}
              onClick={h.column.getToggleSortingHandler()}
              data-col={h.id}
              title={String(h.id)}
            >
              {flexRender(h.column.columnDef.header, h.getContext())}
              {{ asc: ' ▲', desc: ' ▼' }[h.column.getIsSorted() as string] ?? ''}
            </div>
          ))}
        </div>
        <div style={{ height: virtual.getTotalSize(), width: totalWidth, position: 'relative' }}>
          {virtual.getVirtualItems().map((v) => {
            const r = model[v.index];
            return (
              <div
                key={r.id}
                className={'tr' + (r.original.id === selectedId ? ' selected' : '')}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_H }}
                onClick={() => select({ type: 'single', layer, id: r.original.id }, 'table')}
                data-row={r.original.id}
              >
                {r.getVisibleCells().map((c) => (
                  <div key={c.id} className="td" style={{ width: c.column.getSize() }} data-value={isData(c.getValue(), def.fields.find((f) => f.name === c.column.id)) ? '' : undefined}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
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

/**
 * 水力平衡: per station the ΔP its control valve has to throttle (ΔP − its
 * minimum) and the flow it would take before balancing (every valve fully
 * open) against its design flow. Virtualised rows, sortable columns; a row
 * selects the station.
 */
import { useMemo, useRef, useState } from 'react';
import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BalancingRow } from '../../../../core/hydraulics/simulate';
import { hm, type Lang } from '../../../i18n/messages';
import { grouped } from '../../../../core/format/number';

const col = createColumnHelper<BalancingRow>();
const ROW_H = 26;

export function BalancingTable({ rows, lang, onGo }: { rows: BalancingRow[]; lang: Lang; onGo(id: string): void }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'excessDpKpa', desc: true }]);
  const columns = useMemo(
    () =>
      [
        col.accessor('station', { header: hm(lang, 'hydStation'), cell: (c) => c.getValue(), size: 90 }),
        col.accessor('dpKpa', { header: hm(lang, 'hydStationDp'), cell: (c) => grouped(c.getValue(), 1), size: 90 }),
        col.accessor('minDpKpa', { header: hm(lang, 'hydMinDp'), cell: (c) => grouped(c.getValue(), 0), size: 90 }),
        col.accessor('excessDpKpa', { header: hm(lang, 'hydExcessDp'), cell: (c) => grouped(c.getValue(), 1), size: 110 }),
        col.accessor('designFlowM3h', { header: hm(lang, 'hydDesignFlow'), cell: (c) => grouped(c.getValue(), 1), size: 100 }),
        col.accessor((r) => r.unbalancedFlowM3h ?? null, { id: 'unbalancedFlowM3h', header: hm(lang, 'hydUnbalancedFlow'), cell: (c) => grouped(c.getValue() as number | null, 1), size: 110, sortUndefined: 'last' }),
        col.accessor((r) => r.deviationPct ?? null, {
          id: 'deviationPct',
          header: hm(lang, 'hydDeviation'),
          cell: (c) => {
            const v = c.getValue() as number | null;
            return v === null ? '—' : `${v > 0 ? '+' : ''}${grouped(v, 1)} %`;
          },
          size: 90,
          sortUndefined: 'last',
        }),
      ] as ColumnDef<BalancingRow, unknown>[],
    [lang],
  );
  const table = useReactTable({ data: rows, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });
  const scroller = useRef<HTMLDivElement>(null);
  const all = table.getRowModel().rows;
  const virt = useVirtualizer({ count: all.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 12 });
  const items = virt.getVirtualItems();
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virt.getTotalSize() - items[items.length - 1].end : 0;
  return (
    <div ref={scroller} className="hyd-balancing" data-testid="hydraulics-balancing" style={{ maxHeight: 300, overflow: 'auto' }}>
      <table className="analysis-table">
        <thead style={{ position: 'sticky', top: 0, background: '#fff', zIndex: 1 }}>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th
                  key={h.id}
                  className={h.id === 'station' ? '' : 'num'}
                  style={{ cursor: 'pointer', minWidth: h.getSize() }}
                  onClick={h.column.getToggleSortingHandler()}
                  aria-sort={h.column.getIsSorted() === 'asc' ? 'ascending' : h.column.getIsSorted() === 'desc' ? 'descending' : 'none'}
                >
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  {h.column.getIsSorted() === 'asc' ? ' ▲' : h.column.getIsSorted() === 'desc' ? ' ▼' : ''}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr style={{ height: padTop }}>
              <td colSpan={columns.length} />
            </tr>
          )}
          {items.map((vi) => {
            const r = all[vi.index];
            return (
              <tr key={r.id} style={{ height: ROW_H }} data-station={r.original.station} tabIndex={0} onClick={() => onGo(r.original.station)} className={r.original.excessDpKpa < 0 ? 'short' : ''}>
                {r.getVisibleCells().map((c) => (
                  <td key={c.id} className={c.column.id === 'station' ? 'nowrap' : 'num'} data-col={c.column.id}>
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr style={{ height: padBottom }}>
              <td colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A ruled table on a page, laid out in mm: header band, zebra rows, cut to the room available. */
import { t, type Lang } from '../i18n';
import type { Cell, LedgerColumn } from '../plan/ledger';
import { MM_PER_PT, fitText, type DrawCommand } from './displayList';
import { INK, MUTED } from './furniture';
import { grouped } from '../format/number';

export interface TableColumn extends LedgerColumn {
  /** Share of the table width. */
  weight: number;
  align?: 'left' | 'right' | 'center';
  format?: (v: Cell) => string;
}

export interface TableResult {
  commands: DrawCommand[];
  height: number;
  rowsShown: number;
}

export function fmtCell(v: Cell | undefined, numFmt?: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (numFmt?.startsWith('#,##0')) return grouped(v, numFmt.includes('.00') ? 2 : 0);
    const m = numFmt?.match(/^0\.(0+)$/);
    if (m) return v.toFixed(m[1].length);
    return String(Math.round(v * 1000) / 1000);
  }
  return v;
}

export function drawTable(
  x: number,
  y: number,
  w: number,
  columns: TableColumn[],
  rows: Record<string, Cell>[],
  opts: { sizePt: number; maxHeight: number; totals?: Record<string, Cell>; lang?: Lang },
): TableResult {
  const out: DrawCommand[] = [];
  const size = opts.sizePt;
  const rowH = size * MM_PER_PT * 1.75;
  const totalWeight = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (c.weight / totalWeight) * w);
  const xs: number[] = [];
  widths.reduce((acc, cw, i) => ((xs[i] = acc), acc + cw), x);
  const cellText = (c: TableColumn, v: Cell | undefined, i: number, r: number, bold: boolean) => {
    const align = c.align ?? (typeof v === 'number' ? 'right' : 'left');
    const pad = 1.2;
    const tx = align === 'right' ? xs[i] + widths[i] - pad : align === 'center' ? xs[i] + widths[i] / 2 : xs[i] + pad;
    const raw = bold && (v === undefined || v === null) ? '' : c.format ? c.format(v ?? null) : fmtCell(v, c.numFmt);
    const text = fitText(raw, size, widths[i] - 2 * pad);
    out.push({ kind: 'text', x: tx, y: r + rowH / 2, text, sizePt: size, color: INK, bold, align, baseline: 'middle' });
  };
  out.push({ kind: 'rect', x, y, w, h: rowH, fill: { color: '#dce6f1' } });
  columns.forEach((c, i) => out.push({ kind: 'text', x: xs[i] + widths[i] / 2, y: y + rowH / 2, text: fitText(c.header, size, widths[i] - 1), sizePt: size, color: INK, bold: true, align: 'center', baseline: 'middle' }));
  let cy = y + rowH;
  const room = Math.max(0, Math.floor((opts.maxHeight - rowH * (opts.totals ? 3 : 2)) / rowH));
  const shown = rows.length <= room + 1 ? rows.length : room;
  for (let r = 0; r < shown; r++) {
    if (r % 2 === 1) out.push({ kind: 'rect', x, y: cy, w, h: rowH, fill: { color: '#f4f6f8' } });
    columns.forEach((c, i) => cellText(c, rows[r][c.key], i, cy, false));
    cy += rowH;
  }
  if (shown < rows.length) {
    out.push({ kind: 'text', x: x + 1.2, y: cy + rowH / 2, text: t(opts.lang ?? 'zh', 'table.more', { n: rows.length - shown }), sizePt: size, color: MUTED, baseline: 'middle' });
    cy += rowH;
  }
  if (rows.length === 0) {
    out.push({ kind: 'text', x: x + 1.2, y: cy + rowH / 2, text: t(opts.lang ?? 'zh', 'common.none'), sizePt: size, color: MUTED, baseline: 'middle' });
    cy += rowH;
  }
  if (opts.totals) {
    out.push({ kind: 'polyline', points: [x, cy, x + w, cy], stroke: { color: INK, widthMm: 0.2 } });
    columns.forEach((c, i) => cellText(c, opts.totals![c.key], i, cy, true));
    cy += rowH;
  }
  out.push({ kind: 'rect', x, y, w, h: cy - y, stroke: { color: '#9aa5b1', widthMm: 0.2 } });
  out.push({ kind: 'polyline', points: [x, y + rowH, x + w, y + rowH], stroke: { color: '#9aa5b1', widthMm: 0.2 } });
  return { commands: out, height: cy - y, rowsShown: shown };
}

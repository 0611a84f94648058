/**
 * Ledger files: .xlsx (one worksheet per ledger sheet, styled for printing)
 * and CSV (UTF-8 with BOM so Excel on a Chinese Windows opens it as UTF-8).
 */
import { t, type Lang } from '../../../core/i18n';
import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
import type { Cell, Ledger, LedgerBlock, LedgerSheet } from '../../../core/plan/ledger';
import { pushAll } from '../../../core/arrays';

const HEADER_FILL = 'FFDCE6F1';
const TITLE_FONT = { name: '微软雅黑', size: 14, bold: true } as const;
const BODY_FONT = { name: '微软雅黑', size: 10 } as const;
const THIN = { style: 'thin' as const, color: { argb: 'FF9AA5B1' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function sheetColumnsWidth(sheet: LedgerSheet): number[] {
  const widths: number[] = [];
  for (const b of sheet.blocks) b.columns.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 8, c.width ?? 10)));
  return widths;
}

function writeBlock(ws: ExcelJS.Worksheet, block: LedgerBlock, startRow: number): number {
  let r = startRow;
  if (block.title) {
    const cell = ws.getCell(r, 1);
    cell.value = block.title;
    cell.font = { ...BODY_FONT, size: 11, bold: true };
    r++;
  }
  const header = ws.getRow(r);
  block.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { ...BODY_FONT, bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = BORDER;
  });
  r++;
  const put = (values: Record<string, Cell>, bold: boolean) => {
    const row = ws.getRow(r);
    block.columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const v = values[c.key];
      cell.value = v === undefined ? null : v;
      cell.font = { ...BODY_FONT, bold };
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: typeof v === 'string' && v.length > 12 };
      if (typeof v === 'number' && c.numFmt) cell.numFmt = c.numFmt;
    });
    r++;
  };
  for (const row of block.rows) put(row, false);
  if (block.totals) put(block.totals, true);
  return r;
}

export async function writeXlsx(ledger: Pick<Ledger, 'sheets'>, outPath: string, meta: { title: string; date: string; lang?: Lang }): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'WarmNet';
  wb.title = meta.title;
  wb.created = new Date(`${meta.date}T00:00:00Z`);
  for (const sheet of ledger.sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
      headerFooter: { oddFooter: `&L${meta.title}&C${t(meta.lang ?? 'zh', 'export.pageFooter')}&R${meta.date}` },
    });
    sheetColumnsWidth(sheet).forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.getCell(1, 1).value = sheet.title;
    ws.getCell(1, 1).font = TITLE_FONT;
    ws.getRow(1).height = 24;
    let r = 3;
    for (const block of sheet.blocks) r = writeBlock(ws, block, r) + 1;
    // Keep the header of a single-table sheet in view while scrolling.
    if (sheet.blocks.length === 1) ws.views = [{ state: 'frozen', ySplit: sheet.blocks[0].title ? 4 : 3 }];
  }
  await wb.xlsx.writeFile(outPath);
}

/** Decimals a number format shows (`0.000` → 3, `#,##0.00` → 2, `#,##0` → 0). */
function decimals(numFmt: string | undefined): number | null {
  if (!numFmt) return null;
  const m = numFmt.match(/\.(0+)$/);
  return m ? m[1].length : 0;
}

/** Text a spreadsheet would take for a formula or a command: =, +, -, @, tab or CR first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Numbers stay numbers (a negative value is written as -3.5);
 * text that a spreadsheet would run as a formula (a community named
 * `=HYPERLINK(…)`) is written as text: a leading single quote, and quoted.
 */
export function csvCell(v: Cell | undefined, numFmt?: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    // CSV shows what the workbook shows: numbers at their format's decimals, no thousands separators.
    const d = decimals(numFmt);
    return d === null ? String(v) : String(+v.toFixed(d));
  }
  const s = String(v);
  if (FORMULA_START.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function blockCsv(block: LedgerBlock, prefix: Cell[] = []): string[] {
  const lines = [[...prefix.map(() => ''), ...block.columns.map((c) => c.header)].map((h) => csvCell(h)).join(',')];
  const rows = block.totals ? [...block.rows, block.totals] : block.rows;
  for (const row of rows) lines.push([...prefix.map((p) => csvCell(p)), ...block.columns.map((c) => csvCell(row[c.key], c.numFmt))].join(','));
  return lines;
}

/**
 * CSV holds one table, so the project list (the plan's format) goes to the
 * named file and the one-list-per-community tables to `<name>_小区清单.csv`
 * beside it, each block under its own heading line. Returns the files written.
 */
export async function writeCsv(ledger: Ledger, outPath: string, lang: Lang = 'zh'): Promise<string[]> {
  const BOM = '\ufeff';
  const projects = ledger.sheets[0];
  await writeFile(outPath, BOM + blockCsv(projects.blocks[0]).join('\r\n') + '\r\n', 'utf8');
  const lines: string[] = [];
  for (const sheet of ledger.sheets.slice(1)) {
    lines.push(csvCell(sheet.title));
    for (const block of sheet.blocks) {
      if (block.title) lines.push(csvCell(block.title));
      pushAll(lines, blockCsv(block));
      lines.push('');
    }
  }
  const second = outPath.replace(/(\.csv)?$/i, `_${t(lang, 'export.communityCsv')}.csv`);
  await writeFile(second, BOM + lines.join('\r\n') + '\r\n', 'utf8');
  return [outPath, second];
}

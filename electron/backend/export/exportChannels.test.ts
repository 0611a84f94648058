import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { analysisEvents } from '../analysis.handlers';
import type { AnalysisProgress } from '../analysis.contract';
import type { ExportResult } from './exportContract';
import { useTestProject } from '../testProject';

const YEAR = 2026;
const project = useTestProject({ prefix: 'export-ch', year: YEAR });

const save = (r: ExportResult, i = 0) => {
  const p = join(project.dir, r.files[i].name);
  writeFileSync(p, Buffer.from(r.files[i].base64, 'base64'));
  return p;
};

describe('export channels', () => {
  it('export:map answers a one-page A3 landscape PDF with the title as text, and reports progress under its runId', async () => {
    const seen: AnalysisProgress[] = [];
    const on = (p: AnalysisProgress) => seen.push(p);
    analysisEvents.on('analysis:progress', on);
    const r = (await project.dispatch('export:map', { format: 'pdf', paper: 'A3', orientation: 'landscape', dpi: 150, theme: 'leak', title: '测试标题 Test', unit: '某单位', runId: 'm1' })) as ExportResult;
    analysisEvents.off('analysis:progress', on);
    expect(r.files).toHaveLength(1);
    expect(r.files[0].mime).toBe('application/pdf');
    expect(r.files[0].name).toMatch(/leakage-A3-.*\.pdf$/);
    const pdf = save(r);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\b/);
    expect(info).toMatch(/1190\.55? x 841\.8/); // A3 landscape in points
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('测试标题 Test');
    expect(text).toContain('某单位');
    expect(seen.filter((p) => p.runId === 'm1').at(-1)?.fraction).toBe(1);
  });

  it('export:map PNG has the pixel size of the paper at the dpi', async () => {
    const r = (await project.dispatch('export:map', { format: 'png', paper: 'A4', orientation: 'portrait', dpi: 150, theme: 'age' })) as ExportResult;
    const png = Buffer.from(r.files[0].base64, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // 210 × 297 mm at 150 dpi
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Math.round((210 / 25.4) * 150), Math.round((297 / 25.4) * 150)]);
  });

  it('export:ledger xlsx reads back with every sheet; csv gives one file per sheet', async () => {
    const x = (await project.dispatch('export:ledger', { format: 'xlsx' })) as ExportResult;
    expect(x.files).toHaveLength(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(save(x));
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(x.count);
    expect(wb.worksheets.length).toBeGreaterThan(1);
    const c = (await project.dispatch('export:ledger', { format: 'csv' })) as ExportResult;
    expect(c.files.length).toBeGreaterThan(1);
    expect(c.files.every((f) => f.name.endsWith('.csv'))).toBe(true);
  });

  it('export:atlas answers one page per community', async () => {
    const r = (await project.dispatch('export:atlas', {})) as ExportResult;
    const info = execFileSync('pdfinfo', [save(r)], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(r.count);
    expect(r.count).toBe(project.store.listFeatures('communities').length);
  });
});

/**
 * English output has no CJK character outside data: ledger headers and
 * titles (xlsx and CSV as written), printed map sheet and atlas furniture,
 * charts, and `warmnet <command> --lang en` on the Mingantu sample. Data —
 * every string the project holds (names, notes, the file's description) — is
 * taken out of the text first, since data stays as written in every language.
 * The same outputs in Chinese (the default) keep their Chinese words.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAtlas } from '../../core/carto/atlas';
import { fixtureProject } from '../../core/carto/fixture';
import { buildMapSheet } from '../../core/carto/mapSheet';
import { MAP_THEMES } from '../../core/carto/themes';
import type { ProjectData } from '../../core/model/project';
import { allCharts } from '../../core/plan/charts';
import { buildLedger } from '../../core/plan/ledger';
import { exportLedger } from '../../electron/backend/export/mapExport';
import { ProjectStore } from '../../electron/backend/store/index';
import { runCli } from '../../electron/cli/testing';
import { generateSample } from '../../gis-data/generate/index';

const CJK = /[\p{Script=Han}\u3000-\u303f\uff01-\uff60]/u;

/** Every string value the project holds, longest first (so a name is removed before a part of it). */
function dataStrings(data: ProjectData, extra: string[] = []): string[] {
  const out = new Set<string>(extra);
  for (const layer of Object.values(data.layers)) for (const f of layer) for (const v of [f.id, ...Object.values(f.properties)]) if (typeof v === 'string' && v) out.add(v);
  for (const p of data.projects) for (const v of Object.values(p)) if (typeof v === 'string' && v) out.add(v);
  return [...out].sort((a, b) => b.length - a.length);
}

/** Lines of `text` that still hold CJK once the data strings are taken out. */
function cjkOutsideData(text: string, data: string[]): string[] {
  return text.split('\n').filter((line) => {
    let rest = line;
    for (const d of data) if (CJK.test(d) && rest.includes(d)) rest = rest.split(d).join('');
    return CJK.test(rest);
  });
}

const texts = (commands: { kind: string; text?: string }[]) => commands.flatMap((c) => (c.kind === 'text' && c.text ? [c.text] : [])).join('\n');

describe('ledgers, sheets and charts in English', () => {
  const data = fixtureProject();
  const strings = dataStrings(data, ['u', 'n']);

  it('every ledger sheet name, title, block title, header and total is English', () => {
    const ledger = buildLedger(data, 2024, 'en');
    const words: string[] = [];
    for (const s of ledger.sheets) {
      if (!s.communityId) words.push(s.name);
      words.push(s.title);
      for (const b of s.blocks) {
        words.push(b.title ?? '', ...b.columns.map((c) => c.header));
        for (const r of [...b.rows, b.totals ?? {}]) for (const v of Object.values(r)) if (typeof v === 'string') words.push(v);
      }
    }
    expect(cjkOutsideData(words.join('\n'), strings)).toEqual([]);
    // …and Chinese stays the default.
    expect(buildLedger(data, 2024).sheets[0].blocks[0].columns.map((c) => c.header)).toContain('序号');
  });

  it('map sheets of every theme and both papers: furniture in English', () => {
    for (const theme of MAP_THEMES)
      for (const [paper, orientation] of [['A3', 'landscape'], ['A4', 'portrait']] as const) {
        const page = buildMapSheet(data, { paper, orientation, theme, year: 2024, issuingUnit: 'u', date: '2024-10-01', dataNote: 'n', lang: 'en' });
        expect(cjkOutsideData(texts(page.commands), strings), `${theme} ${paper}`).toEqual([]);
      }
    const zh = buildMapSheet(data, { paper: 'A3', orientation: 'landscape', theme: 'age', year: 2024, issuingUnit: 'u', date: '2024-10-01', dataNote: 'n' });
    expect(texts(zh.commands)).toContain('图例');
  });

  it('the community atlas in English', () => {
    const pages = buildAtlas(data, buildLedger(data, 2024, 'en'), { year: 2024, date: '2024-10-01', issuingUnit: 'u', dataNote: 'n', lang: 'en' });
    expect(pages.length).toBe(2);
    for (const p of pages) expect(cjkOutsideData(texts(p.commands), strings)).toEqual([]);
  });

  it('charts in English: titles, units, series, categories, references, notes', () => {
    for (const c of allCharts(data, 2024, 2024, 'en')) {
      const words = [c.title, c.unit, c.note ?? '', ...c.series.map((s) => s.label), ...(c.references ?? []).map((r) => r.label), c.cumulative?.label ?? ''];
      if (!c.categoriesAreData) words.push(...c.categories);
      expect(cjkOutsideData(words.join('\n'), strings), c.id).toEqual([]);
    }
  });
});

describe('files and the command line in English, on the Mingantu sample', () => {
  let dir: string;
  let path: string;
  let sample: ProjectData;
  let strings: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'warmnet-en-'));
    path = join(dir, 'mingantu.gpkg');
    sample = generateSample();
    ProjectStore.createFromData(path, sample).close();
    const store = ProjectStore.open(path);
    strings = dataStrings(store.snapshot(), [store.description() ?? '']);
    store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the xlsx ledger as written: sheet names, titles and headers in English', async () => {
    const out = join(dir, 'ledger.xlsx');
    const store = ProjectStore.open(path);
    await exportLedger(store.snapshot(), out, { year: 2024, lang: 'en' });
    store.close();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const cells: string[] = [];
    wb.eachSheet((ws) => {
      cells.push(ws.name);
      ws.eachRow((row) => row.eachCell((c) => typeof c.value === 'string' && cells.push(c.value)));
    });
    expect(cells.length).toBeGreaterThan(100);
    expect(cjkOutsideData(cells.join('\n'), strings)).toEqual([]);
  });

  it('the CSV ledger as written (both files) in English', async () => {
    const out = join(dir, 'csv', 'ledger.csv');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'csv'));
    const store = ProjectStore.open(path);
    const r = await exportLedger(store.snapshot(), out, { year: 2024, lang: 'en' });
    store.close();
    expect(r.files).toHaveLength(2);
    expect(readdirSync(join(dir, 'csv')).join(' ')).not.toMatch(CJK);
    for (const f of r.files) {
      const text = readFileSync(f, 'utf8').replace(/"/g, '');
      expect(cjkOutsideData(text, strings), f).toEqual([]);
    }
  });

  it('warmnet ledger --lang en writes the CSV ledger in English', async () => {
    const out = join(dir, 'cli-ledger.csv');
    const r = await runCli(['ledger', path, '--out', out, '--year', '2024', '--lang', 'en']);
    expect(r.status, r.stderr).toBe(0);
    const header = readFileSync(out, 'utf8').split('\n')[0];
    expect(header).toContain('Project ID');
    expect(cjkOutsideData(readFileSync(out, 'utf8').replace(/"/g, ''), strings)).toEqual([]);
  });

  const commands: [string, string[]][] = [
    ['info', []],
    ['check', []],
    ['check', ['--supply']],
    ['criticality', []],
    ['loops', []],
    ['capacity', ['--all']],
    ['candidates', ['--all']],
    ['hydraulics', []],
    ['hydraulics', ['--scenario', 'outage', '--source-off', 'S-2', '--option', '1']],
  ];
  for (const [cmd, extra] of commands)
    it(`warmnet ${cmd} ${extra.join(' ')} --lang en`, async () => {
      const en = await runCli([cmd, path, ...extra, '--lang', 'en']);
      expect(en.status, en.stderr).toBe(0);
      expect(en.stdout.length).toBeGreaterThan(50);
      expect(cjkOutsideData(en.stdout, strings)).toEqual([]);
      // the default stays bilingual: Chinese is there without --lang
      const both = await runCli([cmd, path, ...extra]);
      expect(both.stdout).toMatch(CJK);
    });

  it('warmnet isolate --lang en, and a wrong --lang is a usage error', async () => {
    const pipe = sample.layers.pipes.find((p) => p.properties.level === 'secondary')!.id;
    const en = await runCli(['isolate', path, '--pipe', pipe, '--lang', 'en']);
    expect(en.status, en.stderr).toBe(0);
    expect(cjkOutsideData(en.stdout, strings)).toEqual([]);
    expect((await runCli(['info', path, '--lang', 'fr'])).status).toBe(2);
  });
});

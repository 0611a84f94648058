/* eslint-disable @typescript-eslint/no-explicit-any -- CLI JSON is read field by field; its shape is what the test checks */
/**
 * End to end through the `warmnet` commands on a real GeoPackage: the files
 * are read back by independent tools (poppler's pdfinfo / pdftotext /
 * pdftoppm / pdffonts, Python's openpyxl) and compared with `warmnet info`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { main } from '../../cli';
import { ProjectStore } from '../store/index';
import { fixtureProject } from '../../../core/carto/fixture';
import { sheetLayout } from '../../../core/carto/layout';
import { AGE_COLORS } from '../../../core/style/palette';
import { allCharts } from '../../../core/plan/charts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let dir: string;
let gpkg: string;
let empty: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-export-'));
  gpkg = join(dir, 'town.gpkg');
  ProjectStore.createFromData(gpkg, fixtureProject()).close();
  empty = join(dir, 'nopipes.gpkg');
  const bare = fixtureProject();
  // Same sheet without pipes: the pixel count below must see the difference.
  bare.layers.pipes = [bare.layers.pipes[0]];
  bare.layers.pipes[0].properties.install_year = null;
  ProjectStore.createFromData(empty, bare).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<void> {
  const code = await main(args);
  expect(code, `warmnet ${args.join(' ')}`).toBe(0);
}

function infoJson(file: string): any {
  const out = execFileSync(process.execPath, [join(repo, 'bin/warmnet.mjs'), 'info', file, '--json', '--year', '2026'], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** Pixels inside the map frame of an A3 landscape sheet rendered at `dpi` that match an age colour. */
async function agePixels(pdf: string, dpi: number): Promise<Record<string, number>> {
  const prefix = join(dir, `render-${Math.random().toString(36).slice(2)}`);
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', pdf, prefix]);
  const img = await loadImage(readFileSync(`${prefix}.png`));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const f = sheetLayout('A3', 'landscape').map;
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  const { data } = ctx.getImageData(px(f.x), px(f.y), px(f.w), px(f.h));
  const targets = Object.entries(AGE_COLORS).map(([k, hex]) => [k, parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)] as const);
  const counts: Record<string, number> = Object.fromEntries(targets.map(([k]) => [k, 0]));
  for (let i = 0; i < data.length; i += 4) {
    for (const [k, r, g, b] of targets) {
      if (Math.abs(data[i] - r) <= 10 && Math.abs(data[i + 1] - g) <= 10 && Math.abs(data[i + 2] - b) <= 10) counts[k]++;
    }
  }
  return counts;
}

describe('warmnet export-map', () => {
  it('writes a one-page A3 landscape PDF of the age theme whose title and legend are text and whose network is visible', async () => {
    const pdf = join(dir, 'age.pdf');
    await cli('export-map', gpkg, '--out', pdf, '--paper', 'A3', '--orientation', 'landscape', '--theme', 'age', '--title', '明安图镇供热管网管龄分布图', '--date', '2026-11-27');
    const meta = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(meta).toMatch(/Pages:\s+1\n/);
    const [, w, h] = meta.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/)!;
    expect(Number(w)).toBeCloseTo((420 / 25.4) * 72, 0);
    expect(Number(h)).toBeCloseTo((297 / 25.4) * 72, 0);

    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('明安图镇供热管网管龄分布图');
    for (const label of ['图例', '<10年', '10–20年', '20–30年', '超期服役', '年份不详', '一级管网', '换热站', '比例尺', '编制单位', '2026-11-27', '数据说明']) expect(text).toContain(label);

    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    const cjk = fonts.split('\n').filter((l) => /CJK|Han|Hei|YaHei/i.test(l));
    expect(cjk.length).toBeGreaterThan(0);
    for (const l of cjk) expect(l).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/); // embedded, subset

    const seen = await agePixels(pdf, 100);
    // 1.1 km past design life, 0.9 km under 10 years in the fixture.
    expect(seen.past_life).toBeGreaterThan(300);
    expect(seen.lt10).toBeGreaterThan(300);
    expect(seen['10to20']).toBeGreaterThan(100);

    const control = join(dir, 'control.pdf');
    await cli('export-map', empty, '--out', control, '--theme', 'age');
    const none = await agePixels(control, 100);
    expect(none.past_life + none.lt10 + none['10to20']).toBeLessThan(seen.past_life / 20);
  });

  it('writes a 300-dpi A3 PNG of exactly 4961 × 3508 pixels with its dpi recorded', async () => {
    const png = join(dir, 'map.png');
    await cli('export-map', gpkg, '--out', png, '--paper', 'A3', '--orientation', 'landscape', '--dpi', '300', '--theme', 'leakage');
    const buf = readFileSync(png);
    expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(buf.readUInt32BE(16)).toBe(4961);
    expect(buf.readUInt32BE(20)).toBe(3508);
    const phys = buf.indexOf('pHYs');
    expect(phys).toBeGreaterThan(0);
    expect(buf.readUInt32BE(phys + 4)).toBe(Math.round(300 / 0.0254));

    const portrait = join(dir, 'a4.png');
    await cli('export-map', gpkg, '--out', portrait, '--paper', 'A4', '--orientation', 'portrait', '--dpi', '150');
    const b2 = readFileSync(portrait);
    expect([b2.readUInt32BE(16), b2.readUInt32BE(20)]).toEqual([1240, 1754]);
  });

  it('rejects a wrong theme or paper with a usage error', async () => {
    expect(await main(['export-map', gpkg, '--out', join(dir, 'x.pdf'), '--theme', 'colour'])).toBe(2);
    expect(await main(['export-map', gpkg, '--out', join(dir, 'x.pdf'), '--paper', 'A0'])).toBe(2);
    expect(await main(['export-map', gpkg, '--out', join(dir, 'x.svg')])).toBe(2);
  });
});

describe('warmnet ledger', () => {
  it('writes an .xlsx that openpyxl reads back with the expected sheets, rows and totals equal to `warmnet info`', async () => {
    const xlsx = join(dir, 'ledger.xlsx');
    await cli('ledger', gpkg, '--out', xlsx, '--year', '2026');
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}, ensure_ascii=False, default=str))`;
    const book = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, xlsx], { encoding: 'utf8' })) as Record<string, unknown[][]>;
    const info = infoJson(gpkg);
    expect(Object.keys(book)).toEqual(['项目清单', '管网统计', '小区汇总', '幸福小区', '锦绣家园']);

    const list = book['项目清单'];
    const header = list.find((r) => r[0] === '序号')!;
    expect(header).toEqual(['序号', '项目编号', '项目名称', '年度', '类型', '问题', '任务', '措施', '责任单位', '时限', '状态', '投资(万元)', '关联管线(km)']);
    const projectRows = list.filter((r) => typeof r[0] === 'number');
    expect(projectRows).toHaveLength(info.projects);
    const total = list.find((r) => r[0] === '合计')!;
    const budget = info.plan.reduce((s: number, p: any) => s + p.budgetWan, 0);
    expect(total[11]).toBeCloseTo(budget, 2);

    const stats = book['管网统计'];
    const row = (label: string) => stats.find((r) => r[0] === label)!;
    // Stored at full precision: the very numbers `warmnet info --json` prints (shown with 3 decimals).
    expect(row('一级管网')[2]).toBe(info.pipes.kmByLevel.primary);
    expect(row('二级管网')[2]).toBe(info.pipes.kmByLevel.secondary);
    expect(row('庭院管网')[2]).toBe(info.pipes.kmByLevel.courtyard);
    const totals = stats.filter((r) => r[0] === '合计');
    expect(totals[0][1]).toBe(info.pipes.count);
    expect(totals[0][2]).toBe(info.pipes.km);
    expect(row('超期服役(≥设计寿命)')[2]).toBe(info.pipes.kmByAgeClass.past_life);
    const planRow = stats.find((r) => r[0] === 2024)!;
    expect(planRow[2]).toBe(info.plan[0].budgetWan);
    expect(planRow[3]).toBe(info.plan[0].km.primary);
    expect(planRow[4]).toBe(info.plan[0].secondaryCourtyardKm);

    const summary = book['小区汇总'];
    expect(summary.filter((r) => typeof r[0] === 'string' && /^C-/.test(r[0] as string))).toHaveLength(info.features.communities);
    const c1 = book['幸福小区'].map((r) => r.join('|')).join('\n');
    for (const s of ['1号换热站', 'P-003', 'P-004', '2022-01-10', '爆管', '室温低', 'PRJ-2', '低温户数']) expect(c1).toContain(s);

    // The charts repeat the same numbers.
    const store = ProjectStore.open(gpkg);
    const [age, , progress] = allCharts(store.snapshot(), 2026, 2024);
    store.close();
    const primaryBar = age.series.reduce((s, se) => s + se.values[0], 0);
    expect(primaryBar).toBeCloseTo(info.pipes.kmByLevel.primary, 2);
    expect(progress.cumulative!.values.at(-1)).toBeCloseTo(info.plan[0].totalKm, 2);
  });

  it('writes CSV with a UTF-8 BOM and the plan’s columns, plus the community lists beside it', async () => {
    const csv = join(dir, 'ledger.csv');
    await cli('ledger', gpkg, '--out', csv);
    const raw = readFileSync(csv);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.toString('utf8').slice(1).trim().split(/\r\n/);
    expect(lines[0]).toBe('序号,项目编号,项目名称,年度,类型,问题,任务,措施,责任单位,时限,状态,投资(万元),关联管线(km)');
    expect(lines).toHaveLength(1 + 2 + 1);
    const communities = readFileSync(join(dir, 'ledger_小区清单.csv'), 'utf8');
    expect(communities.charCodeAt(0)).toBe(0xfeff);
    expect(communities).toContain('一小区一清单：锦绣家园（C-02）');
  });
});

describe('warmnet atlas and charts', () => {
  it('writes one atlas page per community, each with its name as text', async () => {
    const pdf = join(dir, 'atlas.pdf');
    await cli('atlas', gpkg, '--out', pdf, '--date', '2026-11-27');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+2\n/);
    const page2 = execFileSync('pdftotext', ['-f', '2', '-l', '2', pdf, '-'], { encoding: 'utf8' });
    expect(page2).toContain('锦绣家园');
    expect(page2).toContain('P-005');
  });

  it('writes every chart as PNG and SVG', async () => {
    const out = join(dir, 'charts');
    await cli('charts', gpkg, '--out', out, '--dpi', '100');
    for (const id of ['pipe-age-level', 'incidents-per-year', 'renovation-progress', 'station-load']) {
      const png = readFileSync(join(out, `${id}.png`));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(Math.round((180 / 25.4) * 100));
      expect(readFileSync(join(out, `${id}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    }
  });
});

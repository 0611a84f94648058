import { describe, expect, it } from 'vitest';
import { fixtureProject, at } from './fixture';
import { fitProjection, niceScaleBar } from './projection';
import { pagePixels, pageSizeMm, sheetLayout } from './layout';
import { buildMapSheet } from './mapSheet';
import { buildAtlas } from './atlas';
import { chartPage } from './chart';
import { textWidthMm, type DrawCommand } from './displayList';
import { formatDM } from './furniture';
import { AGE_COLORS, LEAK_COLORS } from '../style/palette';
import { CLASS_LABELS } from '../model/classes';
import { projectInfo } from '../plan/info';
import { buildLedger } from '../plan/ledger';
import { pipeKmByAgeAndLevel } from '../plan/charts';
import { distanceM } from '../geo/length';

const base = { year: 2026, date: '2026-11-27', issuingUnit: '测试单位', dataNote: '测试数据说明' } as const;
const texts = (cmds: DrawCommand[]) => cmds.filter((c): c is Extract<DrawCommand, { kind: 'text' }> => c.kind === 'text').map((c) => c.text);

describe('page geometry', () => {
  it('gives print pixel sizes for A3 and A4 at common dpi', () => {
    const a3 = pageSizeMm('A3', 'landscape');
    expect(pagePixels(a3.w, a3.h, 300)).toEqual({ width: 4961, height: 3508 });
    const a4 = pageSizeMm('A4', 'portrait');
    expect(pagePixels(a4.w, a4.h, 150)).toEqual({ width: 1240, height: 1754 });
  });

  it('keeps the map frame, title and panel inside the border for every paper and orientation', () => {
    for (const paper of ['A4', 'A3'] as const)
      for (const o of ['landscape', 'portrait'] as const) {
        const L = sheetLayout(paper, o);
        for (const f of [L.map, L.title, L.panel]) {
          expect(f.x).toBeGreaterThanOrEqual(L.border.x - 1e-9);
          expect(f.y).toBeGreaterThanOrEqual(L.border.y - 1e-9);
          expect(f.x + f.w).toBeLessThanOrEqual(L.border.x + L.border.w + 1e-9);
          expect(f.y + f.h).toBeLessThanOrEqual(L.border.y + L.border.h + 1e-9);
        }
        expect(L.map.w * L.map.h).toBeGreaterThan(0.45 * L.w * L.h);
      }
  });

  it('projects ground distances to paper at the stated scale', () => {
    const frame = { x: 10, y: 10, w: 300, h: 200 };
    const proj = fitProjection([at(0, 0)[0], at(0, 0)[1], at(2000, 1000)[0], at(2000, 1000)[1]], frame);
    const a = at(100, 100);
    const b = at(1100, 700);
    const [ax, ay] = proj.toPage(a);
    const [bx, by] = proj.toPage(b);
    const paperMm = Math.hypot(bx - ax, by - ay);
    expect(paperMm / (distanceM(a, b) * proj.mmPerM)).toBeCloseTo(1, 2);
    // North is up: a point further north has a smaller page y.
    expect(by).toBeLessThan(ay);
  });

  it('chooses a round scale-bar length that fits', () => {
    const bar = niceScaleBar(0.05, 60); // 1:20 000, up to 60 mm → 1 km = 50 mm
    expect(bar.metres).toBe(1000);
    expect(bar.mm).toBeCloseTo(50);
    expect(bar.label).toBe('1 km');
    const small = niceScaleBar(0.5, 45); // 1:2 000 → 50 m = 25 mm
    expect(small.metres).toBe(50);
    expect([1, 2, 5]).toContain(Number(String(niceScaleBar(0.0123, 40).metres).replace(/0+$/, '')));
  });

  it('labels graticule ticks in degrees and zero-padded minutes', () => {
    expect(formatDM(115 + 2 / 60, 1)).toBe('115°02′');
    expect(formatDM(42 + 17.5 / 60, 0.5)).toBe('42°17.5′');
    expect(formatDM(115 + 2 / 60, 0.5)).toBe('115°02.0′');
  });

  it('estimates Chinese text as one em per character', () => {
    expect(textWidthMm('明安图镇', 10)).toBeCloseTo(4 * 10 * (25.4 / 72));
  });
});

describe('map sheet', () => {
  it('carries the title, every legend class with its km, scale, unit, date and data note', () => {
    const data = fixtureProject();
    const page = buildMapSheet(data, { ...base, paper: 'A3', orientation: 'landscape', theme: 'age', title: '会议用图' });
    const t = texts(page.commands);
    expect(t).toContain('会议用图');
    for (const c of ['lt10', '10to20', '20to30', 'past_life', 'unknown'] as const) expect(t).toContain(CLASS_LABELS[c].zh);
    const info = projectInfo(data, 2026);
    for (const c of ['lt10', 'past_life'] as const) expect(t).toContain(info.themes.age[c].km.toFixed(2));
    expect(t.some((s) => /^1:[\d,]+$/.test(s))).toBe(true);
    expect(t.join('\n')).toContain('测试单位');
    expect(t.join('\n')).toContain('2026-11-27');
    expect(t.join('\n')).toContain('测试数据说明');
    expect(t).toContain('N');
    expect(page.widthMm).toBe(420);
    expect(page.heightMm).toBe(297);
  });

  it('colours each pipe by its theme class from the palette', () => {
    const data = fixtureProject();
    const colours = (theme: 'age' | 'leakage') =>
      new Set(buildMapSheet(data, { ...base, paper: 'A4', orientation: 'portrait', theme }).commands.flatMap((c) => (c.kind === 'polyline' ? [c.stroke.color] : [])));
    const age = colours('age');
    // P-001 laid 1990 is past its 30-year life in 2026; P-003 laid 2018 is under 10 years.
    expect(age.has(AGE_COLORS.past_life)).toBe(true);
    expect(age.has(AGE_COLORS.lt10)).toBe(true);
    const leak = colours('leakage');
    expect(leak.has(LEAK_COLORS.four_plus)).toBe(true);
    expect(leak.has(AGE_COLORS.past_life)).toBe(false);
  });

  it('draws nothing of the network when the project has no pipes', () => {
    const data = fixtureProject();
    data.layers.pipes = [];
    const page = buildMapSheet(data, { ...base, paper: 'A3', orientation: 'landscape', theme: 'age' });
    const drawnAge = page.commands.filter((c) => c.kind === 'polyline' && c.points.length > 4 && Object.values(AGE_COLORS).includes(c.stroke.color));
    expect(drawnAge).toHaveLength(0);
  });
});

describe('broken geometry', () => {
  it('skips features without a drawable geometry instead of failing the sheet, atlas or ledger', () => {
    const data = fixtureProject();
    const broken = structuredClone(data.layers.pipes[2]);
    broken.id = 'P-BAD';
    (broken as { geometry: unknown }).geometry = null;
    const nan = structuredClone(data.layers.pipes[3]);
    nan.id = 'P-NAN';
    nan.geometry.coordinates[1] = [Number.NaN, 42.3];
    data.layers.pipes.push(broken, nan);
    (data.layers.incidents[0] as { geometry: unknown }).geometry = null;
    const page = buildMapSheet(data, { ...base, paper: 'A4', orientation: 'landscape', theme: 'age' });
    expect(page.commands.every((c) => c.kind !== 'polyline' || c.points.every(Number.isFinite))).toBe(true);
    const ledger = buildLedger(data, 2026);
    expect(ledger.sheets).toHaveLength(5);
    expect(buildAtlas(data, ledger, base)).toHaveLength(2);
  });
});

describe('atlas and charts', () => {
  it('lays out one page per community with its name and ledger tables', () => {
    const data = fixtureProject();
    const pages = buildAtlas(data, buildLedger(data, 2026), base);
    expect(pages).toHaveLength(2);
    const t = texts(pages[0].commands);
    expect(t).toContain('幸福小区');
    expect(t).toContain('P-004');
    expect(t.some((s) => s.startsWith('事故记录'))).toBe(true);
    expect(t).toContain('第 1 页 / 共 2 页');
  });

  it('prints each bar total of the age chart', () => {
    const data = fixtureProject();
    const chart = pipeKmByAgeAndLevel(data, 2026);
    const t = texts(chartPage(chart).commands);
    const info = projectInfo(data, 2026);
    expect(t).toContain(info.pipes.kmByLevel.primary.toFixed(1));
  });
});

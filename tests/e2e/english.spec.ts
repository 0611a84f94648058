/**
 * English mode is English everywhere the interface speaks: with the language
 * switched to English, every screen — main window with legend, inspector and
 * table, each analysis tab and engineering view, the projects panel and its
 * form, every import wizard step, the presentation mode, the charts panel and
 * the export dialog — shows no CJK character outside data values. Data
 * (names, ids and anything else a user typed or imported) is marked in the
 * DOM with `data-value` and left out, as is text marked `lang="zh"` (the
 * language switch, which names the other language in its own script).
 * Browser mode on a temporary copy of the sample. The screens that say why
 * (the import wizard's CRS, encoding and mapping decisions and a refusal, the
 * loop options' explanations, the burst analysis with its valve mark on the
 * map, hydraulic balancing) are opened with something to say, and the
 * balancing .xlsx is read back: its headers and words English too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { bridgeCall } from './bridgeCall';
import { openApp, startApp, type RunningApp } from './server';

// Each screen is its own test; one with CJK text does not keep the others from being checked.
test.describe.configure({ mode: 'default' });

let app: RunningApp;
let page: Page;

test.beforeAll(async ({ browser }) => {
  app = await startApp();
  page = await browser.newPage();
  await openApp(page, app.url);
  await page.getByTestId('lang').click();
  await expect(page.locator('.app')).toHaveAttribute('data-lang', 'en');
});

test.afterAll(async () => {
  await page?.close();
  app?.stop();
});

/**
 * Visible text, titles, placeholders and option labels with a CJK character,
 * outside `[data-value]` and `[lang=zh]`; each with the nearest test id.
 */
async function cjkOutsideData(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]/;
    const out: string[] = [];
    const excluded = (el: Element | null) => !!el?.closest('[data-value],[lang="zh"]');
    const where = (el: Element | null) => el?.closest('[data-testid]')?.getAttribute('data-testid') ?? el?.tagName.toLowerCase() ?? '?';
    const visible = (el: Element) => {
      const r = (el as HTMLElement).getBoundingClientRect?.();
      if (el instanceof HTMLOptionElement) return true;
      return !!r && (r.width > 0 || r.height > 0) && getComputedStyle(el).visibility !== 'hidden';
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !CJK.test(n.textContent ?? '') || excluded(el) || el.closest('script,style') || !visible(el)) continue;
      out.push(`${where(el)}: ${n.textContent!.trim().slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('[title],[placeholder],[aria-label]')) {
      if (excluded(el) || !visible(el)) continue;
      for (const a of ['title', 'placeholder', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v && CJK.test(v)) out.push(`${where(el)} @${a}: ${v.slice(0, 80)}`);
      }
    }
    if (CJK.test(document.title)) out.push(`document.title: ${document.title}`);
    return [...new Set(out)];
  });
}

async function expectEnglish(screen: string) {
  // Let lazy panels and running analyses settle before reading the screen.
  await page.waitForTimeout(300);
  expect.soft(await cjkOutsideData(page), screen).toEqual([]);
}

test('main window: top bar, layers and legend of every theme, status bar', async () => {
  await expectEnglish('main window');
  const themes = page.locator('[data-testid=layer-panel] [role=tab][data-theme]');
  const n = await themes.count();
  expect(n).toBeGreaterThanOrEqual(4);
  for (let i = 0; i < n; i++) {
    await themes.nth(i).click();
    await expectEnglish(`legend of theme ${await themes.nth(i).getAttribute('data-theme')}`);
  }
});

test('inspector and attribute table of each layer', async () => {
  await page.getByTestId('toggle-table').click();
  await expect(page.getByTestId('attribute-table')).toBeVisible();
  const layers = page.getByTestId('table-layer');
  for (const value of await layers.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))) {
    await layers.selectOption(value);
    await expectEnglish(`table of ${value}`);
    const first = page.locator('[data-testid=attribute-table] .tr').first();
    if (await first.count()) {
      await first.click();
      await expect(page.getByTestId('inspector-id')).toBeVisible();
      await expectEnglish(`inspector of ${value}`);
    }
  }
  await page.getByTestId('toggle-table').click();
});

test('every analysis tab and engineering view', async () => {
  await page.getByTestId('toggle-analysis').click();
  await expect(page.getByTestId('analysis-panel')).toBeVisible();
  const tabs = await page.locator('[data-testid^=analysis-tab-]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid')!));
  expect(tabs.length).toBeGreaterThanOrEqual(6);
  for (const tab of tabs) {
    await page.getByTestId(tab).click();
    await expect(page.getByTestId('analysis-progress')).toHaveCount(0, { timeout: 60_000 });
    await expectEnglish(tab);
    if (tab === 'analysis-tab-engineering') {
      for (const view of ['capacity', 'candidates', 'coldwave']) {
        await page.getByTestId(`engineering-tab-${view}`).click();
        await expect(page.getByTestId(`${view}-view`)).toBeVisible({ timeout: 60_000 });
        await expectEnglish(`engineering ${view}`);
      }
    }
  }
  await page.getByTestId('analysis-close').click();
});

test('projects panel and the project form', async () => {
  await page.getByTestId('toggle-projects').click();
  await expect(page.getByTestId('projects-panel')).toBeVisible();
  await expectEnglish('projects panel');
  await page.getByTestId('project-new').click();
  await expect(page.getByTestId('project-form')).toBeVisible();
  await expectEnglish('project form');
  await page.keyboard.press('Escape');
  await page.getByTestId('toggle-projects').click();
});

test('import wizard: every step', async () => {
  await page.getByTestId('toggle-import').click();
  await expect(page.getByTestId('import-wizard')).toBeVisible();
  await expectEnglish('import: file step');
  const csv = ['id,name,x,y,dn', 'EV-1,Well one,38500100,4680100,200', 'EV-2,Well two,38500200,4680150,250'].join('\n');
  await page.setInputFiles('[data-testid=import-file]', { name: 'wells.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-layer').selectOption('valves');
  await expect(page.getByTestId('import-mapping')).toBeVisible();
  await expectEnglish('import: target, coordinates and mapping');
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 30_000 });
  await expectEnglish('import: preview and check');
  await page.getByTestId('import-go').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
  await expectEnglish('import: done');
  await page.getByTestId('import-close').click();
  await page.getByTestId('undo').click();
});

test('presentation mode, charts panel and export dialog', async () => {
  await page.getByTestId('present').click();
  await expect(page.getByTestId('present-mode')).toBeVisible();
  await expectEnglish('presentation mode');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('present-mode')).toBeHidden();
  await page.getByTestId('toggle-charts').click();
  await expect(page.getByTestId('charts-panel')).toBeVisible();
  await expect(page.locator('[data-testid=charts-panel] svg').first()).toBeVisible({ timeout: 30_000 });
  await expectEnglish('charts panel');
  await page.getByTestId('charts-close').click();
  await page.getByTestId('open-export').click();
  await expect(page.getByTestId('export-dialog')).toBeVisible();
  await expectEnglish('export dialog');  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toBeHidden();
});

test('import wizard: the CRS decided from the coordinates, the encoding, the field evidence and a refusal say why in English', async () => {
  await page.getByTestId('toggle-import').click();
  await expect(page.getByTestId('import-wizard')).toBeVisible();
  // Eastings with the zone prefix 38: the wizard decides the CRS from the numbers and says so.
  const csv = ['id,name,x,y', 'EV-11,Well eleven,38500100,4680100', 'EV-12,Well twelve,38500200,4680150'].join('\n');
  await page.setInputFiles('[data-testid=import-file]', { name: 'zone38.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-layer').selectOption('valves');
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-crs-detected')).toContainText('eastings carry zone prefix 38');
  await expect(page.getByTestId('import-encoding-why')).toContainText('plain ASCII');
  await expect(page.getByTestId('import-evidence-name')).toContainText("the schema's own field name");
  await expectEnglish('import: CRS, encoding and mapping decided');
  // Gauss–Krüger metres without a zone prefix: refused, saying why and where the project lies.
  const bare = ['id,name,x,y', 'EV-21,Well 21,500100,4680100', 'EV-22,Well 22,500200,4680150'].join('\n');
  await page.setInputFiles('[data-testid=import-file]', { name: 'nozone.csv', mimeType: 'text/csv', buffer: Buffer.from(bare) });
  await page.getByTestId('import-layer').selectOption('valves');
  await expect(page.getByTestId('import-problems')).toContainText('without a zone prefix', { timeout: 30_000 });
  await expect(page.getByTestId('import-problems')).toContainText('the project lies in');
  await expect(page.getByTestId('import-crs-detected')).toContainText('declares no coordinate system');
  await expectEnglish('import: CRS refused');
  // A row the reader cannot read and a file it refuses: place and reason in English (the file's data as written).
  const badRow = ['id,name,x,y', 'EV-31,Well 31,38500100,4680100', 'EV-32,Well 32,abc,4680150'].join('\n');
  await page.setInputFiles('[data-testid=import-file]', { name: 'badrow.csv', mimeType: 'text/csv', buffer: Buffer.from(badRow) });
  await page.getByTestId('import-layer').selectOption('valves');
  await expect(page.getByTestId('import-problems')).toContainText('row 3, column "x"', { timeout: 30_000 });
  await expect(page.getByTestId('import-problems')).toContainText('"abc" is not a number');
  await expectEnglish('import: a bad row');
  await page.setInputFiles('[data-testid=import-file]', { name: 'lonely.shp', mimeType: 'application/octet-stream', buffer: Buffer.alloc(120) });
  await page.getByTestId('import-layer').selectOption('pipes');
  await expect(page.getByTestId('import-problems')).toContainText('lonely.dbf is missing (the attribute table of the shapefile)', { timeout: 30_000 });
  await expectEnglish('import: a file refused');
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('import-wizard')).toBeHidden();
});

test('burst: the valves to close, and their map mark in English', async () => {
  const crit = await bridgeCall<{ worstSegment?: { pipes: string[] }; worst: { pipes: string[] }[] }>(page, 'analysis:criticality', {});
  const pipeId = crit.worstSegment?.pipes[0] ?? crit.worst[0].pipes[0];
  const search = page.getByTestId('search').locator('input');
  await search.fill(pipeId);
  await page.locator('.hits li', { hasText: pipeId }).first().click();
  await expect(page.getByTestId('inspector-id')).toHaveText(pipeId);
  await page.getByTestId('inspector-burst').click();
  await expect(page.getByTestId('burst-card')).toHaveAttribute('data-pipe', pipeId);
  expect(await page.getByTestId('burst-card').locator('[data-testid=burst-valves] .chip').count()).toBeGreaterThan(0);
  const mark = () => page.evaluate(() => window.warmnetDebug!.controller.map.getLayoutProperty('analysis-valve-label', 'text-field') as unknown);
  await expect.poll(mark).toBe('OFF');
  await expectEnglish('burst analysis');
});

test('loop options: the explanation of each option, in English', async () => {
  await page.getByTestId('analysis-tab-loops').click();
  await expect(page.locator('[data-testid=loops-table] tbody tr[data-rank="1"]')).toBeVisible({ timeout: 60_000 });
  const explain = page.locator('[data-testid=loops-table] tr.explain').first();
  await expect(explain).toContainText(/Join the primary networks of|Close a loop in the/, { timeout: 60_000 });
  await expectEnglish('loop options with their explanation');
});

test('hydraulics: the balancing table and its .xlsx in English (station ids as written)', async () => {
  await page.getByTestId('analysis-tab-hydraulics').click();
  await expect(page.getByTestId('hydraulics-view')).toBeVisible();
  await expect(page.getByTestId('analysis-progress')).toHaveCount(0, { timeout: 120_000 });
  await page.getByTestId('hydraulics-sub-balancing').click();
  const table = page.getByTestId('hydraulics-balancing');
  await expect(table.locator('tbody tr[data-station]').first()).toBeVisible({ timeout: 60_000 });
  await expectEnglish('hydraulics balancing');
  const stations = await table.locator('tbody tr[data-station]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-station')!));
  const [xlsx] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('analysis-export-balancing').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/-Balancing-design-.*\.xlsx$/);
  const file = join(mkdtempSync(join(tmpdir(), 'warmnet-en-')), 'balancing.xlsx');
  await xlsx.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['Balancing']);
  const cells: string[] = [];
  wb.worksheets[0].eachRow((row) => row.eachCell((c) => typeof c.value === 'string' && cells.push(c.value)));
  expect(cells).toEqual(expect.arrayContaining(['Station', 'Load kW', 'Available ΔP kPa', 'Verdict']));
  // Station ids and the project's own name (the title starts with it) are data.
  const data = new Set(stations);
  const words = cells.filter((c) => !data.has(c)).map((c) => c.replace(/^.* — balancing table/, 'balancing table'));
  expect(words.filter((w) => /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]/.test(w))).toEqual([]);
  await page.getByTestId('analysis-close').click();
});

/**
 * The import wizard end to end, in browser mode on a temporary copy of the
 * sample: a surveyor's CSV of valve wells in CGCS2000 3° Gauss–Krüger
 * coordinates with the zone prefix (X = northing, Y = easting, Chinese
 * headers) is uploaded; the wizard names the CRS it detected and why, has
 * guessed the fields, previews the wells on the map, imports them in one
 * step, the attribute table lists them, and one undo takes them away.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapIdle, openApp, startApp, ROOT, type RunningApp } from './server';

test.describe.configure({ mode: 'serial' });

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const N = 6;
let app: RunningApp;
let page: Page;
let csv: string;

/** Wells spread around the middle of the project, written in EPSG:4526 by PROJ. */
function wellsCsv(centre: [number, number]): string {
  const lonlat = Array.from({ length: N }, (_, i) => [centre[0] + (i - N / 2) * 0.002, centre[1] + (i % 2) * 0.001]);
  const out = execFileSync('cs2cs', ['-f', '%.3f', 'EPSG:4490', 'EPSG:4526'], { input: lonlat.map(([x, y]) => `${y} ${x}`).join('\n') + '\n', encoding: 'utf8' });
  const gk = out.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  // cs2cs answers northing easting for EPSG:4526 (its axis order); surveyors write X = northing, Y = easting.
  const rows = gk.map(([n, e], i) => `W-IMP-${i + 1},导入${i + 1}号井,${n},${e},DN${[150, 200, 250][i % 3]},${2010 + i}`);
  return ['编号,名称,X,Y,口径,安装年份', ...rows].join('\n') + '\n';
}

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  app = await startApp();
  page = await browser.newPage();
  await openApp(page, app.url);
  const box = await page.evaluate(() => window.warmnetDebug!.controller.map.getBounds().toArray());
  csv = wellsCsv([(box[0][0] + box[1][0]) / 2, (box[0][1] + box[1][1]) / 2]);
});

test.afterAll(async () => {
  await page?.close();
  app?.stop();
});

const valveCount = () => page.evaluate(() => window.warmnetDebug!.controller.features('valves').length);

test('a bad row is named and nothing can be imported', async () => {
  await page.click('[data-testid=toggle-import]');
  await expect(page.locator('[data-testid=import-wizard]')).toBeVisible();
  const bad = csv.replace(/\n(W-IMP-3,[^,]*,)[^,]*,/, '\n$1abc,');
  await page.setInputFiles('[data-testid=import-file]', { name: '阀门井.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.selectOption('[data-testid=import-layer]', 'valves');
  // Chinese mode: the place and the reason are Chinese, the column name and the value as the file has them.
  await expect(page.locator('[data-testid=import-problems]')).toContainText('第 4 行，“X”列');
  await expect(page.locator('[data-testid=import-problems]')).toContainText('“abc”不是数字');
  await expect(page.locator('[data-testid=import-problems]')).not.toContainText('is not a number');
  await expect(page.locator('[data-testid=import-go]')).toBeDisabled();
  await page.locator('[data-testid=import-wizard]').screenshot({ path: join(ARTIFACTS, 'import-wizard-problems.png') });
});

test('with "skip bad records" ticked the rest imports, the skipped row is listed with a report, and one undo takes it back', async () => {
  const before = await valveCount();
  await page.check('[data-testid=import-skip-invalid]');
  await expect(page.locator('[data-testid=import-skipped]')).toContainText('第 4 行');
  await expect(page.locator('[data-testid=import-ok]')).toBeVisible();
  // Each guess shows why: the name, and how many values read as the field's.
  await expect(page.locator('[data-testid=import-evidence-dn]')).toContainText('口径');
  await expect(page.locator('[data-testid=import-evidence-dn]')).toContainText(`${N} 个值中 ${N} 个可读作 dn`);
  await expect(page.locator('[data-testid=import-encoding-why]')).toContainText('UTF-8');
  await page.click('[data-testid=import-go]');
  await expect(page.locator('[data-testid=import-done]')).toContainText(String(N - 1));
  await expect(page.locator('[data-testid=import-skipped-done]')).toContainText('第 4 行');
  const download = page.waitForEvent('download');
  await page.click('[data-testid=import-report]');
  const file = await (await download).path();
  const report = readFileSync(file!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  // The report is written in the wizard's language.
  expect(report[0]).toBe('fid,位置,字段,原因');
  expect(report[1]).toBe('3,第 4 行，“X”列,,“abc”不是数字');
  await expect.poll(valveCount).toBe(before + N - 1);
  await page.click('[data-testid=undo]');
  await expect.poll(valveCount).toBe(before);
  await page.click('[data-testid=import-another]');
});

test('the CSV in Gauss–Krüger coordinates: CRS detected with its reason, fields guessed, preview on the map', async () => {
  await page.setInputFiles('[data-testid=import-file]', { name: '阀门井.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.selectOption('[data-testid=import-layer]', 'valves');
  const detected = page.locator('[data-testid=import-crs-detected]');
  await expect(detected).toContainText('EPSG:4526');
  await expect(detected).toContainText('38');
  await expect(page.locator('[data-testid=import-map-id]')).toHaveValue('编号');
  await expect(page.locator('[data-testid=import-map-dn]')).toHaveValue('口径');
  await expect(page.locator('[data-testid=import-map-install_year]')).toHaveValue('安装年份');
  await expect(page.locator('[data-testid=import-ok]')).toBeVisible();
  await expect(page.locator('[data-testid=import-summary]')).toContainText(String(N));
  // the preview is drawn in the project's place, inside the current view
  await expect
    .poll(async () => {
      await mapIdle(page);
      return page.evaluate(() => window.warmnetDebug!.controller.map.queryRenderedFeatures({ layers: ['import-preview-point'] }).length);
    })
    .toBe(N);
  await page.locator('[data-testid=import-wizard]').screenshot({ path: join(ARTIFACTS, 'import-wizard.png') });
  await page.screenshot({ path: join(ARTIFACTS, 'import-wizard-map.png') });
  // every string of the wizard follows the language switch
  await page.click('[data-testid=lang]');
  await expect(page.locator('[data-testid=import-wizard] h2')).toHaveText('Import data');
  await expect(page.locator('[data-testid=import-crs-detected]')).toContainText('guessed from the numbers');
  await page.locator('[data-testid=import-wizard]').screenshot({ path: join(ARTIFACTS, 'import-wizard-en.png') });
  await page.click('[data-testid=lang]');
});

test('import writes the wells in one step, the table lists them, undo takes them away', async () => {
  const before = await valveCount();
  await page.click('[data-testid=import-go]');
  await expect(page.locator('[data-testid=import-done]')).toContainText(String(N));
  await expect.poll(valveCount).toBe(before + N);
  await page.screenshot({ path: join(ARTIFACTS, 'import-wizard-done.png') });
  await expect(page.locator('[data-testid=attribute-table]')).toHaveAttribute('data-layer', 'valves');
  await page.fill('[data-testid=table-filter]', 'W-IMP');
  await expect(page.locator('[data-testid=attribute-table] .tr')).toHaveCount(N);
  await expect(page.locator('[data-testid=attribute-table]')).toContainText('导入1号井');
  await expect(page.locator('[data-testid=undo]')).toBeEnabled();
  await page.click('[data-testid=undo]');
  await expect.poll(valveCount).toBe(before);
});

test('loose shapefile parts from ogr2ogr (EPSG:4547, Chinese fields): CRS from the .prj, lines previewed, closing writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-e2e-shp-'));
  try {
    const box = await page.evaluate(() => window.warmnetDebug!.controller.map.getBounds().toArray());
    const [x, y] = [(box[0][0] + box[1][0]) / 2, (box[0][1] + box[1][1]) / 2];
    const lines = Array.from({ length: 4 }, (_, i) => ({
      type: 'Feature',
      properties: { 编号: `P-IMP-${i + 1}`, 管径: `DN${200 + 50 * (i % 2)}`, 级别: '二级', 材质: '钢管' },
      geometry: { type: 'LineString', coordinates: [[x + i * 0.001, y], [x + i * 0.001, y + 0.002]] },
    }));
    writeFileSync(join(dir, 'src.geojson'), JSON.stringify({ type: 'FeatureCollection', features: lines }));
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', '-nln', '管线', join(dir, 'out'), join(dir, 'src.geojson')]);
    const parts = readdirSync(join(dir, 'out')).map((name) => ({ name, mimeType: 'application/octet-stream', buffer: readFileSync(join(dir, 'out', name)) }));
    const before = await page.evaluate(() => window.warmnetDebug!.controller.features('pipes').length);
    await page.click('[data-testid=import-another]');
    await page.setInputFiles('[data-testid=import-file]', parts);
    await page.selectOption('[data-testid=import-layer]', 'pipes');
    await expect(page.locator('[data-testid=import-files]')).toContainText('管线.shp');
    await expect(page.locator('[data-testid=import-crs-detected]')).toContainText('EPSG:4547');
    await expect(page.locator('[data-testid=import-crs-detected]')).toContainText('.prj');
    await expect(page.locator('[data-testid=import-map-dn]')).toHaveValue('管径');
    await expect(page.locator('[data-testid=import-ok]')).toBeVisible();
    await expect
      .poll(async () => {
        await mapIdle(page);
        return page.evaluate(() => window.warmnetDebug!.controller.map.queryRenderedFeatures({ layers: ['import-preview-line'] }).length);
      })
      .toBeGreaterThan(0);
    await page.click('[data-testid=import-close]');
    await expect(page.locator('[data-testid=import-wizard]')).toHaveCount(0);
    // clearing goes through the map's worker: read the source once the map has settled
    const left = async () => {
      await mapIdle(page);
      return page.evaluate(() => window.warmnetDebug!.controller.map.querySourceFeatures('import-preview').length);
    };
    await expect.poll(left).toBe(0);
    expect(await page.evaluate(() => window.warmnetDebug!.controller.features('pipes').length)).toBe(before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files that cannot be read are refused in the language of the app, naming the file; the language switch says them again', async () => {
  await page.click('[data-testid=toggle-import]');
  await expect(page.locator('[data-testid=import-wizard]')).toBeVisible();
  // A shapefile without its attribute table.
  await page.setInputFiles('[data-testid=import-file]', { name: '坏管线.shp', mimeType: 'application/octet-stream', buffer: Buffer.alloc(120) });
  await page.selectOption('[data-testid=import-layer]', 'pipes');
  const problems = page.locator('[data-testid=import-problems]');
  await expect(problems).toContainText('缺少 坏管线.dbf（shapefile 的属性表）');
  await expect(page.locator('[data-testid=import-go]')).toBeDisabled();
  // A CSV without coordinates: the place (row 1) and the reason in Chinese, its column names as written.
  await page.setInputFiles('[data-testid=import-file]', { name: '无坐标.csv', mimeType: 'text/csv', buffer: Buffer.from('编号,名称\nV-1,甲\n') });
  await page.selectOption('[data-testid=import-layer]', 'valves');
  await expect(problems).toContainText('第 1 行');
  await expect(problems).toContainText('未找到坐标列');
  await expect(problems).toContainText('编号, 名称');
  await expect(problems).not.toContainText('no coordinate columns');
  await page.locator('[data-testid=import-wizard]').screenshot({ path: join(ARTIFACTS, 'import-wizard-refused-zh.png') });
  // The same refusal in English after the switch, without asking the backend again.
  await page.click('[data-testid=lang]');
  await expect(problems).toContainText('row 1');
  await expect(problems).toContainText('no coordinate columns found');
  await page.click('[data-testid=lang]');
  await expect(problems).toContainText('未找到坐标列');
  await page.click('[data-testid=import-close]');
  await expect(page.locator('[data-testid=import-wizard]')).toHaveCount(0);
});

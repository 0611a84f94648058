/**
 * Basemaps end to end (issue 16), in browser mode on a temporary copy of the
 * sample with a stand-in orthophoto (a GeoTIFF made by GDAL in the test run,
 * CGCS2000 Gauss–Krüger CM 114° E) added by `warmnet basemap add`:
 * the sample with its offline vector basemap, the orthophoto under the
 * network (chosen in the switcher, saved in the project), the muted meeting
 * look, and an A3 PDF with the basemap and its attribution (poppler checks).
 * No request leaves the machine. Screenshots go to tests/artifacts/.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowserMode, mapIdle, openApp, ROOT, SAMPLE } from './server';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 760 } });

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const BIN = join(ROOT, 'bin', 'warmnet.mjs');
let dir: string;
let project: string;
let child: ChildProcess;
let url: string;
let page: Page;
const tileStatus: number[] = [];
const outside: string[] = [];

const cli = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'warmnet-basemap-e2e-'));
  project = join(dir, 'project.gpkg');
  copyFileSync(SAMPLE, project);
  execFileSync('/usr/bin/python3', [join(ROOT, 'tests/fixtures/basemap/ortho_for_sample.py'), project, join(dir, 'ortho.tif')]);
  cli('basemap', 'add', join(dir, 'ortho.tif'), '--into', project, '--name', '正射影像2024', '--attribution', '示例测绘（GDAL 生成）');
  ({ child, url } = await launchBrowserMode(project));
  page = await browser.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(url).origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
  });
  page.on('response', (r) => {
    if (r.url().includes('/basemap/')) tileStatus.push(r.status());
  });
  await openApp(page, url, { drawn: true });
});

test.afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const idle = () => mapIdle(page);

test('the sample opens on its offline vector basemap, with no network', async () => {
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.basemap)).toBe('gpkg:1');
  await idle();
  expect(tileStatus.filter((s) => s === 200).length).toBeGreaterThan(0);
  const layers = await page.evaluate(() => window.warmnetDebug!.controller.map.getStyle().layers.map((l) => l.id));
  expect(layers).toContain('basemap-v-road-name');
  // The basemap is under the data: its layers come before the first project layer.
  expect(layers.indexOf('basemap-v-landuse')).toBeLessThan(layers.indexOf('communities-fill'));
  await page.screenshot({ path: join(ARTIFACTS, 'basemap-sample-offline.png') });
  expect(outside).toEqual([]);
});

test('the orthophoto chosen in the switcher draws under the network and is saved in the project', async () => {
  await page.getByTestId('basemap-toggle').click();
  const select = page.getByTestId('basemap-select');
  const ortho = await select.locator('option', { hasText: '正射影像2024' }).getAttribute('value');
  expect(ortho).toMatch(/^gpkg:\d+$/);
  await select.selectOption(ortho!);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.basemap)).toBe(ortho);
  await page.getByTestId('basemap-toggle').click();
  await idle();
  const raster = await page.evaluate(() => window.warmnetDebug!.controller.map.getStyle().layers.filter((l) => l.type === 'raster').map((l) => l.id));
  expect(raster).toEqual(['basemap-r0-layer']);
  expect(await page.evaluate(() => window.warmnetDebug!.controller.basemapAttribution())).toBe('示例测绘（GDAL 生成）');
  await page.screenshot({ path: join(ARTIFACTS, 'basemap-orthophoto.png') });
  // Saved in the project (asked over the bridge: another process opening the file would count as an outside change).
  const saved = await page.evaluate(async () => {
    const r = await fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'basemap:list', args: {} }) });
    return ((await r.json()) as { result: { view: { basemap: string }; basemaps: { id: string; name: string }[] } }).result;
  });
  expect(saved.view.basemap).toBe(ortho);
  expect(saved.basemaps.find((b) => b.name === '正射影像2024')!.id).toBe(ortho);
});

test('the muted meeting look turns the basemap grey and lighter', async () => {
  await page.getByTestId('basemap-toggle').click();
  await page.getByTestId('basemap-muted').check();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.basemapMuted)).toBe('true');
  await page.getByTestId('basemap-toggle').click();
  await idle();
  const paint = await page.evaluate(() => window.warmnetDebug!.controller.map.getPaintProperty('basemap-r0-layer', 'raster-saturation'));
  expect(paint).toBe(-1);
  await page.screenshot({ path: join(ARTIFACTS, 'basemap-muted.png') });
  // Back to full colour for the export below.
  await page.getByTestId('basemap-toggle').click();
  await page.getByTestId('basemap-muted').uncheck();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.basemapMuted)).toBe('false');
});

test('an A3 PDF carries the basemap under the network with its attribution', async () => {
  const pdf = join(ARTIFACTS, 'basemap-a3.pdf');
  cli('export-map', project, '--out', pdf, '--paper', 'A3', '--date', '2026-12-06');
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  expect(info).toMatch(/Page size:\s+1190\.\d+ x 841\.\d+ pts/);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('底图：示例测绘（GDAL 生成）');
  expect(execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' })).toMatch(/image\s+\d{4}\s+\d{4}/);
  execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', pdf, join(ARTIFACTS, 'basemap-a3')]);
  expect(outside).toEqual([]);
});

/**
 * 水力计算 in the app, end to end (browser mode on a temporary copy of the
 * sample): the design scenario shows both sources' share, the most
 * unfavourable station and its ΔP as `warmnet hydraulics --json` computes
 * them (in this test, on a copy); the map themes switch (flow with direction
 * arrows, velocity, R, supply pressure, station ΔP, supply temperature); a
 * clicked pipe shows its numbers in the inspector; the 水压图 runs to the
 * unfavourable station or a chosen one; the balancing table and its .xlsx;
 * the top loop option's outage before → after; a station cut off from every
 * source is refused with its id. Screenshots go to test-results/.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixed as f, mapIdle, openAppWithCopy, warmnetJson as warmnet, ROOT, type AppSession } from './server';

test.describe.configure({ mode: 'serial' });

const SHOTS = join(ROOT, 'test-results');
let page: Page;
let copy: string;
let session: AppSession | undefined;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON as printed
let design: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON as printed
let loops: any;

test.beforeAll(async ({ browser }) => {
  mkdirSync(SHOTS, { recursive: true });
  session = await openAppWithCopy(browser, { copyPrefix: 'warmnet-e2e-hyd-', viewport: { width: 1440, height: 900 } });
  ({ page, copy } = session);
  design = warmnet('hydraulics', copy);
  loops = warmnet('loops', copy);
});

test.afterAll(() => session?.close());

const idle = () => mapIdle(page);
const overlayLayers = () => page.evaluate(() => window.warmnetDebug!.controller.overlay('analysis')?.layers.map((l) => l.id) ?? []);

test('design scenario: both sources’ share, the unfavourable station and its ΔP as warmnet hydraulics computes them', async () => {
  await page.getByTestId('toggle-analysis').click();
  await page.getByTestId('analysis-tab-hydraulics').click();
  const view = page.getByTestId('hydraulics-view');
  await expect(view).toHaveAttribute('data-scenario', 'design');
  const running = design.sources.filter((s: { heatMw: number }) => s.heatMw > 0);
  expect(running.length).toBeGreaterThanOrEqual(2);
  const total = running.reduce((a: number, s: { heatMw: number }) => a + s.heatMw, 0);
  for (const s of running) {
    const row = view.locator(`[data-testid=hydraulics-sources] tr[data-source="${s.id}"]`);
    await expect(row.locator('[data-col=heatMw]')).toHaveText(f(s.heatMw, 2));
    await expect(row.locator('[data-col=share]')).toHaveText(`${f((s.heatMw / total) * 100, 1)} %`);
    await expect(row.locator('[data-col=headM]')).toHaveText(f(s.headM, 1));
  }
  const unfav = design.stations.find((s: { id: string }) => s.id === design.unfavourable.station);
  await expect(page.getByTestId('hydraulics-unfavourable')).toHaveText(`${unfav.id} · ${f(unfav.dpKpa, 1)}`);
  // The flow theme: the pipes' flows and the arrows along them, registered with the map controller as data.
  expect(await overlayLayers()).toEqual(expect.arrayContaining(['hydraulics-pipe-line', 'hydraulics-flow-arrows', 'hydraulics-unfavourable']));
  const drawn = await page.evaluate(() => {
    const o = window.warmnetDebug!.controller.overlay('analysis')!;
    return o.sources['hydraulics-pipes'].features.map((x) => [x.properties.id, x.properties.q]);
  });
  const flows = new Map(design.pipes.map((p: { id: string; flowM3h: number }) => [p.id, p.flowM3h]));
  expect(drawn.length).toBeGreaterThan(100);
  for (const [id, q] of drawn.slice(0, 50)) expect(q).toBeCloseTo(flows.get(id as string) as number, 6);
  await idle();
  await page.screenshot({ path: join(SHOTS, 'hydraulics-flow.png') });
});

test('themes switch: velocity, R, supply pressure, station ΔP (traffic light), supply temperature', async () => {
  for (const theme of ['velocity', 'r', 'pressure', 'temp']) {
    await page.getByTestId(`hydraulics-theme-${theme}`).click();
    await expect(page.getByTestId(`hydraulics-theme-${theme}`)).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('hydraulics-legend').locator('span').first()).toBeVisible();
    expect(await overlayLayers()).not.toContain('hydraulics-flow-arrows');
  }
  await page.getByTestId('hydraulics-theme-dp').click();
  const short = design.stations.filter((s: { dpKpa: number | null }) => s.dpKpa !== null && s.dpKpa < 100).length;
  await expect(page.getByTestId('hydraulics-legend')).toContainText(`(${short})`);
  await idle();
  await page.screenshot({ path: join(SHOTS, 'hydraulics-dp.png') });
  await page.getByTestId('hydraulics-theme-flow').click();
});

test('a pipe on the unfavourable path shows its numbers in the inspector', async () => {
  const pipeId: string = design.unfavourable.path[Math.floor(design.unfavourable.path.length / 2)];
  const pipe = design.pipes.find((p: { id: string }) => p.id === pipeId);
  const search = page.getByTestId('search').locator('input');
  await search.fill(pipeId);
  await page.locator('.hits li', { hasText: pipeId }).first().click();
  const section = page.getByTestId('inspector-hydraulics');
  await expect(section.locator('[data-field=hyd-flowM3h]')).toHaveText(f(pipe.flowM3h, 2));
  await expect(section.locator('[data-field=hyd-velocityMs]')).toHaveText(f(pipe.velocityMs, 3));
  await expect(section.locator('[data-field=hyd-rPam]')).toHaveText(f(pipe.rPam, 1));
});

test('水压图: from a source to the unfavourable station, then to a station picked', async () => {
  await page.getByTestId('hydraulics-sub-profile').click();
  const chart = page.getByTestId('hydraulics-profile-chart');
  await expect(chart).toHaveAttribute('data-station', design.unfavourable.station);
  await expect(chart).toHaveAttribute('data-source', design.unfavourable.path.length ? /S-/ : '');
  for (const word of ['供水压力线', '回水压力线', '静水压线', '地形线', design.unfavourable.station]) await expect(chart.locator('svg')).toContainText(word);
  expect(await overlayLayers()).toContain('hydraulics-path-halo');
  await chart.scrollIntoViewIfNeeded();
  await idle();
  await page.screenshot({ path: join(SHOTS, 'hydraulics-profile.png') });
  const other = design.stations.find((s: { id: string; dpKpa: number | null }) => s.id !== design.unfavourable.station && s.dpKpa !== null).id;
  await page.getByTestId('hydraulics-profile-station').selectOption(other);
  await expect(chart).toHaveAttribute('data-station', other);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analysis-export-profile-png').click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const file = join(SHOTS, 'hydraulics-profile-download.png');
  await png.saveAs(file);
  expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  await page.getByTestId('hydraulics-profile-station').selectOption('');
});

test('水力平衡: excess ΔP per station as the CLI gives it; the .xlsx downloads', async () => {
  await page.getByTestId('hydraulics-sub-balancing').click();
  const table = page.getByTestId('hydraulics-balancing');
  const top = [...design.balancing].sort((a: { excessDpKpa: number }, b: { excessDpKpa: number }) => b.excessDpKpa - a.excessDpKpa)[0];
  const row = table.locator(`tr[data-station="${top.station}"]`);
  await expect(row.locator('[data-col=excessDpKpa]')).toHaveText(f(top.excessDpKpa, 1));
  await expect(table.locator('tbody tr[data-station]').first()).toHaveAttribute('data-station', top.station);
  await idle();
  await page.screenshot({ path: join(SHOTS, 'hydraulics-balancing.png') });
  const [xlsx] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('analysis-export-balancing').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/水力平衡.*\.xlsx$/);
});

test('meeting export: the 水压图 as a PDF figure from the export dialog (pdftotext reads its words)', async () => {
  await page.getByTestId('open-export').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByTestId('export-tab-profile').click();
  await expect(dialog.getByTestId('export-profile-scenario')).toHaveAttribute('data-scenario', 'design');
  await expect(dialog.getByTestId('export-profile-station')).toContainText(design.unfavourable.station);
  await dialog.getByTestId('export-profile-format').getByLabel('PDF').check();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-start').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`水压图-design-${design.unfavourable.station}-.*\\.pdf$`));
  const pdf = join(SHOTS, 'hydraulics-profile.pdf');
  await download.saveAs(pdf);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  for (const word of ['水压图', design.unfavourable.station, '供水压力线', '回水压力线', '静水压线', '地形线']) expect(text).toContain(word);
  execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', pdf, join(SHOTS, 'hydraulics-profile-pdf')]);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('the top loop option: its outage before → after in the loop options, then run in hydraulics', async () => {
  await page.getByTestId('analysis-tab-loops').click();
  const top = loops.options[0];
  expect(top.hydraulic.outage.kind).toBe('sources');
  const card = page.getByTestId('outage-1');
  await expect(card.getByTestId('outage-served-before')).toHaveText(f(top.hydraulic.before.servedMW, 2));
  await expect(card.getByTestId('outage-served-after')).toHaveText(f(top.hydraulic.after.servedMW, 2));
  await expect(card.getByTestId('outage-dp-before')).toHaveText(f(top.hydraulic.before.minDpKpa, 1));
  await expect(card.getByTestId('outage-dp-after')).toHaveText(f(top.hydraulic.after.minDpKpa, 1));
  await page.locator('[data-testid=loops-table] tr[data-rank="1"] [data-col=servedMW]').waitFor();
  await card.getByTestId('outage-open-1').click();
  const compare = page.getByTestId('hydraulics-compare');
  await expect(page.getByTestId('hydraulics-view')).toHaveAttribute('data-scenario', 'outage');
  await expect(compare.getByTestId('hydraulics-compare-served-before')).toHaveText(f(top.hydraulic.before.servedMW, 2));
  await expect(compare.getByTestId('hydraulics-compare-served-after')).toHaveText(f(top.hydraulic.after.servedMW, 2));
  await expect(compare.getByTestId('hydraulics-compare-dp-before')).toHaveText(f(top.hydraulic.before.minDpKpa, 1));
  await expect(compare.getByTestId('hydraulics-compare-dp-after')).toHaveText(f(top.hydraulic.after.minDpKpa, 1));
  await page.getByTestId('hydraulics-theme-dp').click();
  await compare.scrollIntoViewIfNeeded();
  await idle();
  await page.screenshot({ path: join(SHOTS, 'loop-option-outage.png') });
});

test('English labels in the hydraulics view', async () => {
  await page.getByTestId('lang').click();
  await expect(page.getByTestId('analysis-tab-hydraulics')).toHaveText('Hydraulics');
  await expect(page.getByTestId('hydraulics-sources')).toContainText('Heat MW');
  await page.getByTestId('lang').click();
});

test('the "now" scenario at −10 °C: the load and the unfavourable station of warmnet hydraulics --scenario now --outdoor-c -10', async () => {
  const now = warmnet('hydraulics', copy, '--scenario', 'now', '--outdoor-c', '-10');
  await page.getByTestId('hydraulics-scenario').selectOption('now');
  await page.getByTestId('hydraulics-outdoor').fill('−10');
  await page.getByTestId('hydraulics-options').fill('');
  await page.getByTestId('hydraulics-run').click();
  await expect(page.getByTestId('hydraulics-view')).toHaveAttribute('data-scenario', 'now');
  await page.getByTestId('hydraulics-sub-summary').click();
  const load = now.stations.reduce((a: number, s: { loadKw: number }) => a + s.loadKw, 0) / 1000;
  await expect(page.getByTestId('hydraulics-load')).toHaveText(f(load, 2));
  const unfav = now.stations.find((s: { id: string }) => s.id === now.unfavourable.station);
  await expect(page.getByTestId('hydraulics-unfavourable')).toHaveText(`${unfav.id} · ${f(unfav.dpKpa, 1)}`);
  expect(load).toBeLessThan(design.stations.reduce((a: number, s: { loadKw: number }) => a + s.loadKw, 0) / 1000);
});

test('progress and cancel: loop options with other parameters are valued by outage simulations in the worker; 取消 stops them', async () => {
  await page.getByTestId('analysis-tab-loops').click();
  await expect(page.getByTestId('loops-table')).toBeVisible();
  await page.getByTestId('loops-max-length').fill('950');
  await page.getByTestId('loops-run').click();
  const progress = page.getByTestId('analysis-progress');
  await expect(progress.locator('progress')).toBeVisible();
  await page.getByTestId('analysis-cancel').click();
  await expect(progress).toContainText('已取消');
  await page.getByTestId('loops-max-length').fill('');
});

test('bad input: a station with no path to a source is refused, naming the station', async () => {
  // Move one station far from every pipe (an edit through the app's API), then run the design scenario.
  const station: string = design.stations[0].id;
  const moved = await page.evaluate(async (id) => {
    const post = (channel: string, args: unknown) =>
      fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel, args }) }).then((r) => r.json());
    const fc = await post('layer:get', { layer: 'stations' });
    const feat = fc.result.features.find((x: { id: string; properties: { id: string } }) => String(x.id ?? x.properties.id) === id);
    const [lon, lat] = feat.geometry.coordinates;
    return post('edit:update', { layer: 'stations', id, geometry: { type: 'Point', coordinates: [lon + 0.05, lat + 0.05] } });
  }, station);
  expect(moved.ok).toBe(true);
  await page.getByTestId('analysis-tab-hydraulics').click();
  await page.getByTestId('hydraulics-scenario').selectOption('design');
  await page.getByTestId('hydraulics-options').fill('');
  await page.getByTestId('hydraulics-run').click();
  const error = page.getByTestId('analysis-error');
  await expect(error).toContainText(station);
  await expect(error).toContainText('无路径连到运行中的热源');
  await page.screenshot({ path: join(SHOTS, 'hydraulics-bad-input.png') });
});

/**
 * Managers' side end to end (issue 6): presentation mode with its key figures
 * equal to `warmnet info --json`, two saved views stepped through with the
 * arrow keys, the charts panel, and an A3 landscape PDF of the age theme
 * exported from the app's dialog and checked with poppler (pdfinfo,
 * pdftotext, pdftoppm). Browser mode on a temporary copy of the sample.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { THEMES } from '../../core/style/themes';
import { mapIdle, openApp, startApp, warmnetInfo, ROOT, type RunningApp } from './server';

test.describe.configure({ mode: 'serial' });
// A meeting-room projector: 1280 × 720 is the smallest common one.
test.use({ viewport: { width: 1280, height: 720 } });

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
type BBox = [number, number, number, number];

let app: RunningApp;
let page: Page;
let tmp: string;
let views: { name: string; bbox: BBox; theme: 'age' | 'level' }[];

interface PlanYear {
  year: number;
  budgetWan: number;
  totalKm: number;
  target?: { budgetWan: number } | null;
}

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'warmnet-present-'));
  app = await startApp();
  const info = warmnetInfo(app.infoPath) as unknown as { bbox: BBox };
  const [w, s, e, n] = info.bbox;
  const mx = (w + e) / 2;
  const my = (s + n) / 2;
  // Two saved views: the west half on the age theme, the north-east quarter on the level theme.
  views = [
    { name: '西片 West', bbox: [w, s, mx, n], theme: 'age' },
    { name: '东北片 North-east', bbox: [mx, my, e, n], theme: 'level' },
  ];
  page = await browser.newPage({ acceptDownloads: true });
  await page.addInitScript(
    ([key, value]) => {
      if (!localStorage.getItem(key)) localStorage.setItem(key, value);
    },
    [`warmnet.bookmarks.${app.projectPath}`, JSON.stringify({ version: 1, bookmarks: views })] as const,
  );
  await openApp(page, app.url, { drawn: true });
});

test.afterAll(async () => {
  await page?.close();
  app?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const idle = () => mapIdle(page);
const center = () => page.evaluate(() => window.warmnetDebug!.controller.map.getCenter().toArray() as [number, number]);
const num = (s: string) => Number(s.replace(/[^\d.]/g, ''));

test('presentation mode: full screen map, large legend, key figures equal to warmnet info', async () => {
  const info = warmnetInfo(app.infoPath) as unknown as { plan: PlanYear[]; themes: Record<string, Record<string, { km: number }>> };
  await page.getByTestId('present').click();
  const mode = page.getByTestId('present-mode');
  await expect(mode).toBeVisible();
  // only the map is left of the app
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.getByTestId('layer-panel')).toBeHidden();

  const km = page.getByTestId('figure-km');
  await expect(km.locator('[data-role=value]')).toContainText('km');
  const year = Number(/(\d{4})/.exec((await km.textContent()) ?? '')![1]);
  const plan = info.plan.find((p) => p.year === year);
  expect(plan, `warmnet info has the plan year ${year}`).toBeTruthy();
  expect(num((await km.locator('[data-role=value]').textContent())!)).toBeCloseTo(plan!.totalKm, 2);
  expect(num((await page.getByTestId('figure-budget').locator('[data-role=value]').textContent())!)).toBe(plan!.budgetWan);
  // loop options: the count `warmnet loops --json` finds on the same project
  const cliLoops = (JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/warmnet.mjs'), 'loops', app.infoPath, '--json'], { cwd: ROOT, encoding: 'utf8' })) as { options: unknown[] }).options.length;
  await expect(page.getByTestId('figure-loops').locator('[data-role=value]')).toHaveText(new RegExp(`^${cliLoops}\\b`), { timeout: 60_000 });

  // the legend repeats warmnet info's km per age class
  const legend = await page.getByTestId('present-legend').textContent();
  for (const [cls, row] of Object.entries(info.themes.age)) {
    if (row.km > 0) expect(legend, `age class ${cls}`).toContain(`${row.km.toFixed(2)} km`);
  }
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'present-1280x720.png') });
});

test('arrow keys step through the two saved views; Esc leaves', async () => {
  const view = page.getByTestId('present-view');
  await expect(view).toContainText('/ 2');
  for (const [i, v] of views.entries()) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('present-mode')).toHaveAttribute('data-view', String(i));
    await expect(view).toContainText(`${v.name}  (${i + 1} / 2)`);
    await expect(view).toContainText(THEMES[v.theme].label.zh);
    // the map flies to the view: its centre ends inside the saved box
    await expect
      .poll(async () => {
        const [x, y] = await center();
        return x > v.bbox[0] && x < v.bbox[2] && y > v.bbox[1] && y < v.bbox[3];
      })
      .toBe(true);
  }
  // wraps around to the first view
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('present-mode')).toHaveAttribute('data-view', '0');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('present-mode')).toHaveAttribute('data-view', '1');

  // a large projector, then back to the age theme for the export
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByTestId('present-theme-age').click();
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'present-1920x1080.png') });
  await page.setViewportSize({ width: 1280, height: 720 });

  // B saves the view on screen as a third one, Delete removes it again
  await page.keyboard.press('b');
  await expect(view).toContainText('(3 / 3)');
  // Saved in the project file (view_state), not the browser: asked over the bridge.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const r = await fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'basemap:list', args: {} }) });
        return ((await r.json()) as { result: { view: { views: unknown[] } } }).result.view.views.length;
      }),
    )
    .toBe(3);
  await page.keyboard.press('Delete');
  await expect(view).toContainText('/ 2)');

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('present-mode')).toHaveCount(0);
  await expect(page.locator('.topbar')).toBeVisible();
  // F5 enters again, in English this time; Esc leaves again
  await page.getByTestId('lang').click();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('present-mode')).toBeVisible();
  await expect(page.getByTestId('figure-budget')).toContainText('Investment');
  await expect(page.getByTestId('present-legend')).toContainText('Legend');
  await page.screenshot({ path: join(ARTIFACTS, 'present-en.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('present-mode')).toHaveCount(0);
  await page.getByTestId('lang').click();
});

test('charts panel: four charts, each downloads as PNG', async () => {
  await page.getByTestId('toggle-charts').click();
  const panel = page.getByTestId('charts-panel');
  await expect(panel.locator('figure.chart-card')).toHaveCount(4);
  // the bars the panel draws are warmnet info's km: per level (stack totals) and per age class (series totals)
  const info = warmnetInfo(app.infoPath) as unknown as { pipes: { kmByLevel: Record<string, number>; kmByAgeClass: Record<string, number> } };
  const charts = await page.evaluate(async () => {
    const r = await fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'present:charts', args: {} }) });
    return (await r.json()).result as { id: string; series: { key: string; values: number[] }[] }[];
  });
  const age = charts.find((c) => c.id === 'pipe-age-level')!;
  Object.values(info.pipes.kmByLevel).forEach((km, i) => expect(age.series.reduce((t, se) => t + se.values[i], 0)).toBeCloseTo(km, 2));
  for (const se of age.series) expect(se.values.reduce((a, b) => a + b, 0)).toBeCloseTo(info.pipes.kmByAgeClass[se.key] ?? 0, 2);
  await expect(page.getByTestId('chart-pipe-age-level').locator('svg')).toContainText('庭院管网');
  await page.screenshot({ path: join(ARTIFACTS, 'charts-panel.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-png-pipe-age-level').click()]);
  const file = join(tmp, download.suggestedFilename());
  await download.saveAs(file);
  expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  await page.getByTestId('charts-close').click();
  await expect(panel).toHaveCount(0);
});

test('export dialog: A3 landscape PDF of the age theme, one page, title and legend as text, network drawn', async () => {
  await page.getByTestId('open-export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('export-theme')).toHaveAttribute('data-theme', 'age');
  await dialog.getByTestId('export-paper').getByLabel('A3').check();
  await dialog.getByTestId('export-orientation').getByRole('radio').first().check(); // 横向 landscape
  const title = '明安图镇供热管网管龄图 会议用';
  await page.getByTestId('export-title').fill(title);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-start').click()]);
  const pdf = join(tmp, 'sheet.pdf');
  await download.saveAs(pdf);
  expect(download.suggestedFilename()).toMatch(/-age-A3-.*\.pdf$/);
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-ok', 'true');

  const pdfinfo = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  expect(pdfinfo).toMatch(/Pages:\s+1\b/);
  expect(pdfinfo).toMatch(/Page size:\s+1190\.55 x 841\.89/); // A3 landscape, points
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain(title);
  expect(text).toContain('图例');
  for (const c of THEMES.age.classes) expect(text, `legend row ${c.value}`).toContain(c.label.zh);

  // drawn: the age colours cover a visible share of the rendered page
  const ppm = execFileSync('pdftoppm', ['-r', '30', '-singlefile', pdf], { maxBuffer: 64 << 20 });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const px = ppm.subarray(header[0].length);
  let coloured = 0;
  for (let i = 0; i < w * h * 3; i += 3) if (Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 80) coloured++;
  expect(coloured / (w * h)).toBeGreaterThan(0.002);
  await page.screenshot({ path: join(ARTIFACTS, 'export-dialog.png') });
});

test('export dialog: the atlas shows its progress and downloads one page per community', async () => {
  const info = warmnetInfo(app.infoPath) as unknown as { features: { communities: number } };
  await page.getByTestId('export-tab-atlas').click();
  // sample the progress bar while the run is busy
  await page.evaluate(() => {
    const w = window as unknown as { __fractions: number[] };
    w.__fractions = [];
    const timer = setInterval(() => {
      const busy = (document.querySelector('[data-testid=export-start]') as HTMLButtonElement | null)?.disabled;
      const bar = document.querySelector('[data-testid=export-progress]') as HTMLProgressElement | null;
      if (busy && bar) w.__fractions.push(bar.value);
      if (!bar) clearInterval(timer);
    }, 40);
  });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-start').click()]);
  const pdf = join(tmp, 'atlas.pdf');
  await download.saveAs(pdf);
  const fractions = await page.evaluate(() => (window as unknown as { __fractions: number[] }).__fractions);
  expect(fractions.some((f) => f > 0 && f < 1), `progress seen: ${fractions.slice(0, 20).join(',')}`).toBe(true);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  expect(pages).toBe(info.features.communities);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toHaveCount(0);
});

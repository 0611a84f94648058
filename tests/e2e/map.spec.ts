/**
 * The map app end to end: browser mode, the real backend on a temporary copy
 * of the sample, Debian Chromium. One page is shared by the tests (serial) so
 * the software renderer starts once; every request it makes is recorded.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mapIdle, openApp, startApp, warmnetInfo, ROOT, type RunningApp } from './server';

test.describe.configure({ mode: 'serial' });

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const THEMES = ['age', 'leak', 'renovation', 'level'] as const;
const INFO_KEY = { age: 'age', leak: 'leakage', renovation: 'renovation', level: 'level' } as const;
const AGE_CLASSES = ['lt10', '10to20', '20to30', 'past_life'] as const;

let app: RunningApp;
let page: Page;
const requests: string[] = [];
/** The bridge's calls, by channel, in order. */
const calls: string[] = [];

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  app = await startApp();
  page = await browser.newPage();
  page.on('request', (r) => {
    requests.push(r.url());
    if (r.url().endsWith('/api/invoke')) calls.push(String((JSON.parse(r.postData() ?? '{}') as { channel?: string }).channel));
  });
  // A request the CSP blocks never reaches the network (no 'request' event), so record attempts too.
  await page.addInitScript(() => {
    const w = window as unknown as { __blocked: string[] };
    w.__blocked = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__blocked.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openApp(page, app.url, { drawn: true });
});

test.afterAll(async () => {
  await page?.close();
  app?.stop();
});

const idle = () => mapIdle(page);

test('the sample opens: layers drawn, legend filled, title names the file', async () => {
  const drawn = await page.evaluate(() => {
    const c = window.warmnetDebug!.controller;
    return { pipes: c.features('pipes').length, rendered: c.map.queryRenderedFeatures().filter((f) => f.source === 'pipes').length };
  });
  expect(drawn.pipes, 'pipes loaded').toBeGreaterThan(0);
  expect(drawn.rendered, 'pipes rendered in view').toBeGreaterThan(0);
  await expect(page).toHaveTitle(/project\.gpkg/);
  await expect(page.locator('[data-testid=legend] tbody tr')).not.toHaveCount(0);
});

test('each theme’s legend shows non-zero counts equal to warmnet info, and a screenshot is kept', async () => {
  const info = warmnetInfo(app.infoPath);
  for (const theme of THEMES) {
    await page.click(`button[data-theme=${theme}]`);
    await expect(page.locator('[data-testid=legend]')).toHaveAttribute('data-theme', theme);
    const rows = await page.locator('[data-testid=legend] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ cls: tr.getAttribute('data-class')!, count: Number(tr.getAttribute('data-count')), km: Number(tr.getAttribute('data-km')) })),
    );
    const expected = info.themes[INFO_KEY[theme]];
    const total = rows.reduce((a, r) => a + r.count, 0);
    expect(total, `${theme}: pipes in the legend`).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.count, `${theme}/${r.cls} count`).toBe(expected[r.cls]?.count ?? 0);
      expect(r.km, `${theme}/${r.cls} km`).toBeCloseTo(expected[r.cls]?.km ?? 0, 2);
    }
    // every class warmnet info counts appears in the legend
    const infoTotal = Object.values(expected).reduce((a, c) => a + c.count, 0);
    expect(total, `${theme}: legend total = info total`).toBe(infoTotal);
    await idle();
    await page.screenshot({ path: join(ARTIFACTS, `theme-${theme}.png`) });
  }
});

/**
 * For a pipe, a screen point on it where nothing else (labels, points, other
 * pipes) is drawn, after centring the map on its longest segment.
 */
async function isolatedPointOn(pipeId: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate(async (id) => {
    const c = window.warmnetDebug!.controller;
    const map = c.map;
    const feat = c.feature({ layer: 'pipes', id });
    if (!feat || feat.geometry.type !== 'LineString') return null;
    const coords = feat.geometry.coordinates as number[][];
    let best = 0;
    let bestLen = -1;
    for (let i = 1; i < coords.length; i++) {
      const d = Math.hypot(coords[i][0] - coords[i - 1][0], coords[i][1] - coords[i - 1][1]);
      if (d > bestLen) {
        bestLen = d;
        best = i;
      }
    }
    const a = coords[best - 1], b = coords[best];
    for (const t of [0.5, 0.35, 0.65, 0.2, 0.8]) {
      map.jumpTo({ center: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], zoom: 16.2 });
      await c.whenIdle();
      const canvas = map.getCanvas();
      const x = Math.round(canvas.clientWidth / 2), y = Math.round(canvas.clientHeight / 2);
      const around = map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]]);
      const others = around.filter((h) => !(h.source === 'pipes' && h.properties.id === id) && ['pipes', 'valves', 'stations', 'heat_sources', 'incidents', 'complaints'].includes(h.source) || h.layer.type === 'symbol');
      const mine = around.some((h) => h.layer.id === 'pipes-line' && h.properties.id === id);
      if (mine && others.length === 0) return { x, y };
    }
    return null;
  }, pipeId);
}

/** The colour drawn at a point of the map canvas (drawing buffer is preserved). */
async function pixelAt(p: { x: number; y: number }): Promise<[number, number, number]> {
  return page.evaluate(({ x, y }) => {
    const src = window.warmnetDebug!.controller.map.getCanvas();
    const ratio = src.width / src.clientWidth;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const d = g.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, p);
}

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** Thick in-service pipes of each age class, thickest first (from the data the map holds). */
async function candidatesByAgeClass(): Promise<Record<string, string[]>> {
  return page.evaluate((classes) => {
    const feats = window.warmnetDebug!.controller.features('pipes');
    const seen = new Map<string, { id: string; dn: number; cls: string }>();
    for (const f of feats) {
      const p = f.properties as Record<string, unknown>;
      if (p.status === 'planned' || p.status === 'abandoned') continue;
      seen.set(String(f.id), { id: String(f.id), dn: Number(p.dn), cls: String(p._class_age) });
    }
    const out: Record<string, string[]> = {};
    for (const c of classes) out[c] = [...seen.values()].filter((s) => s.cls === c).sort((a, b) => b.dn - a.dn).slice(0, 12).map((s) => s.id);
    return out;
  }, [...AGE_CLASSES]);
}

let clickable: { id: string; point: { x: number; y: number }; center: [number, number]; zoom: number } | null = null;

test('the colour under a pipe of each age class is its legend colour', async () => {
  await page.click('button[data-theme=age]');
  const legend = Object.fromEntries(
    await page.locator('[data-testid=legend] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-class'), tr.getAttribute('data-color')])),
  ) as Record<string, string>;
  const candidates = await candidatesByAgeClass();
  let checked = 0;
  for (const cls of AGE_CLASSES) {
    let done = false;
    for (const id of candidates[cls]) {
      const p = await isolatedPointOn(id);
      if (!p) continue;
      const got = await pixelAt(p);
      const want = hex(legend[cls]);
      for (let i = 0; i < 3; i++) expect(Math.abs(got[i] - want[i]), `${cls} (${id}) rgb ${got} vs legend ${legend[cls]}`).toBeLessThanOrEqual(10);
      if (!clickable) {
        const view = await page.evaluate(() => {
          const m = window.warmnetDebug!.controller.map;
          const c = m.getCenter();
          return { center: [c.lng, c.lat] as [number, number], zoom: m.getZoom() };
        });
        clickable = { id, point: p, ...view };
      }
      done = true;
      checked++;
      break;
    }
    if (candidates[cls].length > 0) expect(done, `found an isolated pipe of class ${cls}`).toBe(true);
  }
  expect(checked, 'age classes checked').toBeGreaterThanOrEqual(3);
});

test('clicking a pipe shows its id, DN, install year and computed length', async () => {
  expect(clickable).not.toBeNull();
  const { id, point, center, zoom } = clickable!;
  await page.evaluate(({ center, zoom }) => window.warmnetDebug!.controller.map.jumpTo({ center, zoom }), { center, zoom });
  await idle();
  const box = (await page.locator('[data-testid=map] canvas').boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
  const inspector = page.locator('[data-testid=inspector]');
  await expect(inspector.getByTestId('inspector-id')).toHaveText(id);
  const props = await page.evaluate((pid) => {
    return window.warmnetDebug!.controller.feature({ layer: 'pipes', id: pid })!.properties as Record<string, unknown>;
  }, id);
  await expect(inspector.locator('dd[data-field=dn]')).toHaveText(`${props.dn} mm`);
  await expect(inspector.locator('dd[data-field=install_year]')).toHaveText(String(props.install_year));
  await expect(inspector.locator('dd[data-field=computed_length]')).toHaveText(`${Number(props.length_m).toFixed(1)} m`);
  expect(Number(props.length_m)).toBeGreaterThan(0);
  await page.screenshot({ path: join(ARTIFACTS, 'inspector.png') });
});

test('once the map stands drawn, the analysis worker is asked to read the network ahead of the first analysis', async () => {
  await expect.poll(() => calls.includes('analysis:prepare')).toBe(true);
  // after the map's own calls, not before the first picture
  expect(calls.indexOf('analysis:prepare')).toBeGreaterThan(calls.indexOf('project:info'));
});

test('the app made no request beyond its own origin', async () => {
  expect(requests.length).toBeGreaterThan(5);
  const foreign = requests.filter((u) => !u.startsWith(app.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:' + app.origin));
  expect(foreign).toEqual([]);
  const blocked = await page.evaluate(() => (window as unknown as { __blocked: string[] }).__blocked);
  expect(blocked, 'requests the CSP had to block').toEqual([]);
});

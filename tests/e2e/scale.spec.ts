/**
 * A large project in the app, end to end: a generated grid network
 * (WARMNET_E2E_SCALE_SIZE pipe segments, default 100,000; any size at or
 * above the mapTileMinFeatures setting, 20,000 by default, takes the tile
 * path) opens with its pipes drawn from the backend's vector tiles, pans and
 * zooms, the attribute table pages from the store, a click picks a pipe (inspector), the attribute form edits it and
 * the map redraws it from the recut tile, and 爆管分析 lists the valves that
 * `warmnet isolate` gives on a copy of the file.
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ROOT, launchBrowserMode, mapIdle } from './server';
import { bridgeCall } from './bridgeCall';
import { gridProject } from '../bench/grid';

test.describe.configure({ mode: 'serial' });

const SIZE = Number(process.env.WARMNET_E2E_SCALE_SIZE ?? 100_000);
let dir: string;
let child: ChildProcess;
let page: Page;
let url: string;

const call = <T>(channel: string, args: unknown): Promise<T> => bridgeCall<T>(page, channel, args);

const idle = () => mapIdle(page);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  dir = mkdtempSync(join(tmpdir(), 'warmnet-e2e-scale-'));
  const path = join(dir, 'scale.gpkg');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/e2e/make-scale.ts'), path, String(SIZE)], { cwd: ROOT });
  ({ child, url } = await launchBrowserMode(path));
  page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  await page.goto(url);
  await expect(page.locator('.app')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
});

test.afterAll(async () => {
  await page?.close();
  child?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the pipes come as vector tiles; the map pans and zooms', async () => {
  test.setTimeout(300_000);
  const info = await call<{ counts: { pipes: number }; tiles: { layers: string[] } }>('project:info', {});
  expect(info.counts.pipes).toBe(SIZE);
  expect(info.tiles.layers).toContain('pipes');
  await page.waitForFunction(() => window.warmnetDebug?.firstDataIdleMs !== undefined, undefined, { timeout: 240_000 });
  expect(await page.evaluate(() => window.warmnetDebug!.controller.isTiled('pipes'))).toBe(true);
  // the renderer holds no GeoJSON of the pipes: what is drawn came from tiles
  const drawn = await page.evaluate(() => window.warmnetDebug!.controller.map.querySourceFeatures('pipes', { sourceLayer: 'pipes' }).length);
  expect(drawn).toBeGreaterThan(100);

  const canvas = page.locator('[data-testid=map] canvas');
  const box = (await canvas.boundingBox())!;
  const before = await page.evaluate(() => window.warmnetDebug!.controller.map.getCenter().toArray());
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2 - 100, { steps: 6 });
  await page.mouse.up();
  await idle();
  const after = await page.evaluate(() => window.warmnetDebug!.controller.map.getCenter().toArray());
  expect(after[0]).toBeGreaterThan(before[0]);
  const z0 = await page.evaluate(() => window.warmnetDebug!.controller.map.getZoom());
  await page.evaluate(() => window.warmnetDebug!.controller.map.zoomTo(window.warmnetDebug!.controller.map.getZoom() + 2, { duration: 0 }));
  await idle();
  expect(await page.evaluate(() => window.warmnetDebug!.controller.map.getZoom())).toBeCloseTo(z0 + 2, 1);
});

test('the attribute table of the tiled pipes pages from the store', async () => {
  await page.getByTestId('toggle-table').click();
  await page.getByTestId('table-layer').selectOption('pipes');
  const table = page.getByTestId('attribute-table');
  await expect(table).toHaveAttribute('data-paged', 'true');
  await expect(table.getByTestId('table-count')).toHaveText(new RegExp(`^${SIZE} `));
  // sorted by id, descending, in the store: the last id comes first
  await table.locator('.th[data-col=id]').click();
  await table.locator('.th[data-col=id]').click();
  const last = `P-${String(SIZE - 1).padStart(6, '0')}`;
  await expect(table.locator('.tr').first()).toHaveAttribute('data-row', last);
  await table.getByTestId('table-filter').fill(last);
  await expect(table.getByTestId('table-count')).toHaveText(/^1 /);
  await page.getByTestId('toggle-table').click();
});

test('a click picks a pipe; an edit commits and the map redraws it; 爆管分析 matches warmnet isolate', async () => {
  test.setTimeout(300_000);
  // a pipe in the middle of the grid, where it is
  const pipes = gridProject(SIZE).layers.pipes;
  const pipe = pipes[Math.floor(pipes.length / 4) + 17];
  const [a, b] = (pipe.geometry as { coordinates: number[][] }).coordinates;
  const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  await page.evaluate((c) => window.warmnetDebug!.controller.map.jumpTo({ center: c as [number, number], zoom: 18 }), mid);
  await idle();
  const box = (await page.locator('[data-testid=map] canvas').boundingBox())!;
  const at = await page.evaluate((c) => window.warmnetDebug!.controller.map.project(c as [number, number]), mid);
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await expect(page.getByTestId('inspector-id')).toHaveText(pipe.id as string);

  // edit its DN in the form: committed (backend) and drawn from the recut tile
  const newDn = pipe.properties.dn === 400 ? 350 : 400;
  await page.getByTestId('tool-edit-attributes').click();
  const form = page.locator('[data-testid=attribute-form]');
  await expect(form).toBeVisible();
  await form.locator('input[name=dn]').fill(String(newDn));
  await form.locator('[data-testid=form-save]').click();
  await expect(form).toBeHidden();
  const stored = await call<{ feature: { properties: { dn: number } } }>('feature:get', { layer: 'pipes', id: pipe.id });
  expect(stored.feature.properties.dn).toBe(newDn);
  await expect
    .poll(async () => {
      await idle();
      return page.evaluate(
        (id) => window.warmnetDebug!.controller.map.querySourceFeatures('pipes', { sourceLayer: 'pipes', filter: ['==', ['get', 'id'], id] })[0]?.properties.dn,
        pipe.id as string,
      );
    }, { timeout: 60_000 })
    .toBe(newDn);

  // isolation of the picked pipe, as the command line computes it on a copy of the file
  const copy = join(dir, 'copy.gpkg');
  copyFileSync(join(dir, 'scale.gpkg'), copy);
  // the edit may still sit in the write-ahead log
  if (existsSync(join(dir, 'scale.gpkg-wal'))) copyFileSync(join(dir, 'scale.gpkg-wal'), `${copy}-wal`);
  const want = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, 'bin/warmnet.mjs'), 'isolate', copy, '--pipe', pipe.id as string, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 200_000_000 }),
  );
  await page.getByTestId('inspector-burst').click();
  const card = page.getByTestId('burst-card');
  await expect(card).toBeVisible({ timeout: 120_000 });
  await expect
    .poll(() => card.locator('[data-testid=burst-valves] .chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), { timeout: 120_000 })
    .toEqual(want.valvesToClose);
  expect(want.valvesToClose.length).toBeGreaterThan(0);
});

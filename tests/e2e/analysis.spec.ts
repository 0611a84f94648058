/* eslint-disable @typescript-eslint/no-explicit-any -- CLI JSON is read field by field; its shape is what the test checks */
/**
 * 管网分析 in the app, end to end (browser mode on a temporary copy of the
 * sample): select a pipe → 爆管分析 lists the same valves as `warmnet isolate`;
 * the loop-options table shows rank 1 with `warmnet loops`' numbers; the
 * what-if switch lowers the load at risk by the option's riskReducedMWkm.
 * Screenshots of each view go to tests/artifacts/.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixed as f, mapIdle, openAppWithCopy, warmnetJson as warmnet, ROOT, type AppSession } from './server';

test.describe.configure({ mode: 'serial' });

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
let page: Page;
let cli: { crit: any; loops: any; isolate: any; pipeId: string };
let copy: string;
let session: AppSession | undefined;

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The CLI reads a copy, so the running app does not see another program touch its file.
  session = await openAppWithCopy(browser, { copyPrefix: 'warmnet-e2e-cli-', viewport: { width: 1440, height: 860 } });
  ({ page, copy } = session);
  const crit = warmnet('criticality', copy);
  const pipeId: string = crit.worstSegment?.pipes[0] ?? crit.segments[0].pipes[0];
  cli = { crit, pipeId, isolate: warmnet('isolate', copy, '--pipe', pipeId), loops: warmnet('loops', copy) };
});

test.afterAll(() => session?.close());

const idle = () => mapIdle(page);

test('网络检查 lists findings; a click selects the feature', async () => {
  await page.getByTestId('toggle-analysis').click();
  const panel = page.getByTestId('analysis-panel');
  await expect(panel.getByTestId('check-view')).toBeVisible();
  const check = warmnet('check', copy);
  await expect(panel.getByTestId('check-count')).toHaveText(String(check.findings.length));
  if (check.findings.length > 0) {
    await panel.locator('[data-testid=check-findings] tbody tr').first().click();
    await expect(page.getByTestId('inspector-id')).toHaveText(check.findings[0].featureIds[0]);
  }
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-check.png') });
});

test('select a pipe → 爆管分析 shows the valves to close that warmnet isolate gives', async () => {
  const search = page.getByTestId('search').locator('input');
  await search.fill(cli.pipeId);
  await page.locator('.hits li', { hasText: cli.pipeId }).first().click();
  await expect(page.getByTestId('inspector-id')).toHaveText(cli.pipeId);
  await page.getByTestId('inspector-burst').click();
  const card = page.getByTestId('burst-card');
  await expect(card).toHaveAttribute('data-pipe', cli.pipeId);
  const valves = await card.locator('[data-testid=burst-valves] .chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  expect(valves).toEqual(cli.isolate.valvesToClose);
  expect(valves.length).toBeGreaterThan(0);
  await expect(card.getByTestId('burst-households')).toHaveText(cli.isolate.households.toLocaleString('en-US'));
  await expect(card.getByTestId('burst-mw')).toHaveText(f(cli.isolate.loadMW, 3));
  // The valves to close are drawn with their own symbol on the map.
  await idle();
  const drawn = await page.evaluate(() => {
    const m = window.warmnetDebug!.controller.map;
    const ids = m.querySourceFeatures('analysis-marks', { filter: ['==', ['get', '_mark'], 'valve'] }).map((x) => String(x.properties.id));
    return [...new Set(ids)];
  });
  expect(drawn.sort()).toEqual([...cli.isolate.valvesToClose].sort());
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-burst.png') });
});

test('a right-click on a pipe isolates the valve segment at that point, as warmnet isolate --at', async () => {
  const point = await page.evaluate((id) => {
    const c = window.warmnetDebug!.controller;
    const coords = c.feature({ layer: 'pipes', id })!.geometry.coordinates as number[][];
    const mid: [number, number] = [(coords[0][0] + coords[1][0]) / 2, (coords[0][1] + coords[1][1]) / 2];
    const p = c.map.project(mid);
    return { x: p.x, y: p.y };
  }, cli.pipeId);
  const box = (await page.locator('[data-testid=map] canvas').boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y, { button: 'right' });
  const card = page.getByTestId('burst-card');
  await expect(card).toHaveAttribute('data-pipe', /^\d+\.\d{6}, \d+\.\d{6}$/);
  const at = (await card.getAttribute('data-pipe'))!.replace(' ', '');
  const want = warmnet('isolate', copy, '--at', at);
  const valves = await card.locator('[data-testid=burst-valves] .chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  expect(valves).toEqual(want.valvesToClose);
  await expect(card.getByTestId('burst-households')).toHaveText(want.households.toLocaleString('en-US'));
});

test('N-1 风险 shows the load at risk of warmnet criticality', async () => {
  await page.getByTestId('analysis-tab-risk').click();
  await expect(page.getByTestId('risk-total')).toHaveText(f(cli.crit.loadAtRiskMWkm));
  await expect(page.getByTestId('risk-bridge-count')).toHaveText(String(cli.crit.bridges.length));
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-risk.png') });
});

test('联网方案: rank 1 with the CLI numbers; what-if lowers the load at risk by riskReducedMWkm', async () => {
  await page.getByTestId('analysis-tab-loops').click();
  const top = cli.loops.options[0];
  const row = page.locator('[data-testid=loops-table] tbody tr[data-rank="1"]');
  await expect(row).toBeVisible();
  await expect(row.locator('[data-col=lengthM]')).toHaveText(f(top.lengthM, 0));
  await expect(row.locator('[data-col=dn]')).toHaveText(String(top.dn));
  await expect(row.locator('[data-col=costWan]')).toHaveText(f(top.costWan, 1));
  await expect(row.locator('[data-col=backupMW]')).toHaveText(f(top.backupMW, 2));
  await expect(row.locator('[data-col=riskReducedMWkm]')).toHaveText(f(top.riskReducedMWkm, 2));
  await expect(row.locator('[data-col=benefitPerWan]')).toHaveText(f(top.benefitPerWan, 3));
  await expect(row).toContainText(`${top.from.source} → ${top.to.source}`);
  await page.getByTestId('whatif-1').check();
  const card = page.getByTestId('whatif-card');
  await expect(card).toHaveAttribute('data-rank', '1');
  await expect(card.getByTestId('whatif-before')).toHaveText(f(cli.crit.loadAtRiskMWkm));
  await expect(card.getByTestId('whatif-delta')).toHaveText(`−${f(top.riskReducedMWkm)}`);
  await expect(card.getByTestId('whatif-after')).toHaveText(f(cli.crit.loadAtRiskMWkm - top.riskReducedMWkm));
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-loops.png') });
});

test('供热溯源, 工程校核 and 工程参数 open; settings save and reset', async () => {
  await page.getByTestId('analysis-tab-trace').click();
  await expect(page.getByTestId('trace-sources')).toBeVisible();
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-trace.png') });
  await page.getByTestId('analysis-tab-engineering').click();
  await expect(page.getByTestId('capacity-summary')).toBeVisible();
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-engineering.png') });
  // 改造候选 in the app are warmnet candidates' list, in its order.
  const asOf = '2025-06-01';
  const want = warmnet('candidates', copy, '--as-of', asOf);
  await page.getByTestId('engineering-tab-candidates').click();
  await page.getByTestId('candidates-asof').fill(asOf);
  const rows = page.locator('[data-testid=candidates-table] tbody tr');
  // The list for today shows until the one for asOf arrives.
  await expect
    .poll(() => rows.evaluateAll((trs) => trs.slice(0, 10).map((tr) => tr.getAttribute('data-id'))))
    .toEqual(want.pipes.slice(0, 10).map((p: { id: string }) => p.id));
  // 极寒天气: the pasted forecast is checked by the backend, as warmnet coldwave; a bad line is named.
  const forecast = join(ROOT, 'tests/fixtures/forecasts/hourly-49h.csv');
  const cold = warmnet('coldwave', copy, '--forecast', forecast);
  await page.getByTestId('engineering-tab-coldwave').click();
  await page.getByTestId('coldwave-csv').fill(readFileSync(forecast, 'utf8'));
  await page.getByTestId('coldwave-run').click();
  await expect(page.getByTestId('coldwave-result')).toHaveAttribute('data-triggered', cold.triggered ? 'yes' : 'no');
  await expect(page.getByTestId('coldwave-flow-by')).toContainText(cold.flowIncreaseBy);
  await page.getByTestId('coldwave-csv').fill(readFileSync(join(ROOT, 'tests/fixtures/forecasts/bad-text-number.csv'), 'utf8'));
  await page.getByTestId('coldwave-run').click();
  await expect(page.getByTestId('coldwave-error')).toContainText('minus 25');
  await expect(page.getByTestId('coldwave-result')).toHaveCount(0);
  await page.getByTestId('analysis-tab-settings').click();
  const row = page.locator('[data-testid=settings-panel] tr[data-key=stationOverloadRatio]');
  await row.locator('input').fill('1.1');
  await page.getByTestId('settings-save').click();
  await expect(row).toHaveAttribute('data-changed', 'yes');
  await row.getByRole('button').click();
  await expect(row).toHaveAttribute('data-changed', 'no');
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-settings.png') });
});

test('progress reaches the renderer as analysis:progress events under the run id', async () => {
  const events = await page.evaluate(async () => {
    const got: { runId: string; fraction: number }[] = [];
    const es = new EventSource('api/events');
    es.addEventListener('analysis:progress', (m) => got.push(JSON.parse((m as MessageEvent).data)));
    await new Promise((ok) => es.addEventListener('open', ok, { once: true }));
    const res = await fetch('api/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'analysis:check', args: { runId: 'e2e-progress' } }) });
    const body = await res.json();
    await new Promise((ok) => setTimeout(ok, 300));
    es.close();
    return { ok: body.ok, got };
  });
  expect(events.ok).toBe(true);
  const mine = events.got.filter((e) => e.runId === 'e2e-progress');
  expect(mine.length).toBeGreaterThan(0);
  expect(mine[mine.length - 1].fraction).toBe(1);
});

test('English labels', async () => {
  await page.getByTestId('lang').click();
  await page.getByTestId('analysis-tab-loops').click();
  await expect(page.getByTestId('analysis-tab-loops')).toHaveText('Loop options');
  await expect(page.locator('[data-testid=loops-table] thead')).toContainText('Risk reduced MW·km');
  await page.getByTestId('analysis-tab-burst').click();
  await expect(page.getByTestId('burst-card')).toContainText('Valves to close');
  await idle();
  await page.screenshot({ path: join(ARTIFACTS, 'analysis-burst-en.png') });
  await page.getByTestId('lang').click();
});

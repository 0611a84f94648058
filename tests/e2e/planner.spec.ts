/**
 * Planners end to end, in browser mode on a temporary copy of the sample:
 * draw a pipe snapped to two network nodes with Terra Draw (mouse clicks at
 * the nodes' projected screen positions, a few pixels off so snapping has to
 * work), fill its form (bad values refused with the reason), see it in the
 * attribute table with its length, undo / redo, restart the backend, the
 * supply trace sees it joined and ogrinfo reads it; then a 2025 renovation
 * project gets five pipes by box selection and they turn "planned".
 */
import { test, expect, type Page } from '@playwright/test';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import booleanIntersects from '@turf/boolean-intersects';
import { launchBrowserMode, mapIdle, ROOT, SAMPLE } from './server';
import { bridgeCall } from './bridgeCall';
import { lineLengthM } from '../../core/geo/length';

test.describe.configure({ mode: 'serial' });

type Pos = [number, number];
interface PipeLite {
  id: string;
  coords: Pos[];
  level: string;
  status: string;
  renovation: string;
  length: number;
}

let dir: string;
let projectPath: string;
let server: { child: ChildProcess; url: string } | null = null;
let page: Page;
let drawnId = '';

const startServer = () => launchBrowserMode(projectPath);

async function stopServer(): Promise<void> {
  if (!server) return;
  const { child } = server;
  server = null;
  await new Promise<void>((ok) => {
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}

async function openApp(): Promise<void> {
  await page.goto(server!.url);
  await expect(page.locator('.app')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await page.evaluate(() => window.warmnetDebug!.ready);
  await page.waitForFunction(() => !!window.warmnetEdit?.controller);
}

const idle = () => mapIdle(page);

const call = <T>(channel: string, args: unknown): Promise<T> => bridgeCall<T>(page, channel, args);

/** How many pieces of the pipe the map's `pipes` source holds in its loaded tiles (0: not drawn). */
const drawnInSource = (id: string): Promise<number> =>
  page.evaluate((pid) => window.warmnetDebug!.controller.map.querySourceFeatures('pipes', { filter: ['==', ['get', 'id'], pid] }).length, id);

async function pipes(): Promise<PipeLite[]> {
  return page.evaluate(() =>
    window.warmnetDebug!.controller.features('pipes').map((f) => ({
      id: String(f.id ?? f.properties.id),
      coords: (f.geometry as { coordinates: [number, number][] }).coordinates,
      level: String(f.properties.level),
      status: String(f.properties.status),
      renovation: String(f.properties.renovation_status),
      length: Number(f.properties.length_m),
    })),
  );
}

/** Page coordinates of a lon/lat on the map canvas. */
async function screenOf(p: Pos): Promise<{ x: number; y: number }> {
  return page.evaluate((pos) => {
    const map = window.warmnetDebug!.controller.map;
    const r = map.getCanvas().getBoundingClientRect();
    const s = map.project(pos);
    return { x: r.left + s.x, y: r.top + s.y };
  }, p);
}

async function frame(points: Pos[], padding = 140): Promise<void> {
  await page.evaluate(
    ([pts, pad]) => {
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      window.warmnetDebug!.controller.map.fitBounds(
        [
          [Math.min(...xs), Math.min(...ys)],
          [Math.max(...xs), Math.max(...ys)],
        ],
        { padding: pad, duration: 0 },
      );
    },
    [points, padding] as const,
  );
  await idle();
}

const M_PER_DEG = 111_320;
const distM = (a: Pos, b: Pos) => Math.hypot((a[0] - b[0]) * M_PER_DEG * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * M_PER_DEG);

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-planner-'));
  projectPath = join(dir, 'project.gpkg');
  if (!existsSync(SAMPLE)) throw new Error('gis-data/mingantu.gpkg is missing (npm run sample)');
  copyFileSync(SAMPLE, projectPath);
  server = await startServer();
  page = await browser.newPage();
  await openApp();
});

test.afterAll(async () => {
  await page?.close();
  await stopServer();
  rmSync(dir, { recursive: true, force: true });
});

test('draw a 3-vertex pipe snapped to two nodes; bad attributes refused; table, undo/redo, restart, trace, ogrinfo', async () => {
  const all = await pipes();
  const fed = all.filter((p) => p.status === 'in_service' && p.level === 'secondary');
  const trace = await call<Record<string, string[]>>('edit:trace', { pipeIds: fed.slice(0, 400).map((p) => p.id) });
  // Two pipe ends 80–160 m apart, both fed, with nothing else within 25 m of the straight line between them.
  const ends = fed.filter((p) => trace[p.id]?.length).flatMap((p) => [p.coords[0], p.coords[p.coords.length - 1]].map((c) => ({ c: c as Pos, pipe: p })));
  let pair: { a: (typeof ends)[number]; b: (typeof ends)[number]; mid: Pos } | null = null;
  for (const a of ends) {
    for (const b of ends) {
      if (a.pipe.id === b.pipe.id) continue;
      const d = distM(a.c, b.c);
      if (d < 80 || d > 160) continue;
      // The middle vertex sits off the straight line, 30 m to one side, away from every other pipe.
      const nx = -(b.c[1] - a.c[1]);
      const ny = b.c[0] - a.c[0];
      const k = 30 / Math.hypot(nx * M_PER_DEG * Math.cos((a.c[1] * Math.PI) / 180), ny * M_PER_DEG);
      const mid: Pos = [(a.c[0] + b.c[0]) / 2 + nx * k, (a.c[1] + b.c[1]) / 2 + ny * k];
      const clear = all.every((p) => p.coords.every((c) => distM(c as Pos, mid) > 25));
      if (clear) {
        pair = { a, b, mid };
        break;
      }
    }
    if (pair) break;
  }
  expect(pair, 'two fed pipe ends 80–160 m apart').not.toBeNull();
  const { a, b, mid } = pair!;
  await frame([a.c, b.c, mid]);

  await page.click('[data-testid=tool-draw-pipe]');
  await expect(page.locator('[data-testid=edit-hint]')).toBeVisible();
  // Clicks land a few pixels off the nodes: only snapping puts the ends exactly on them.
  const sa = await screenOf(a.c);
  const sm = await screenOf(mid);
  const sb = await screenOf(b.c);
  await page.mouse.move(sa.x + 4, sa.y - 3);
  await page.mouse.click(sa.x + 4, sa.y - 3);
  await page.mouse.move(sm.x, sm.y, { steps: 4 });
  await page.mouse.click(sm.x, sm.y);
  await page.mouse.move(sb.x - 3, sb.y + 4, { steps: 4 });
  await page.mouse.click(sb.x - 3, sb.y + 4);
  await page.keyboard.press('Enter');

  const form = page.locator('[data-testid=attribute-form]');
  await expect(form).toBeVisible();
  drawnId = await form.locator('input[name=id]').inputValue();
  expect(drawnId).toMatch(/^P-\d+$/);
  const before = (await pipes()).length;

  // Refused values: the reason shows at the field in the UI's language (Chinese first, then English), and Save writes nothing.
  const maxYear = new Date().getFullYear() + 10;
  const refused: [string, string, string | RegExp, string | RegExp][] = [
    ['dn', '123', /^123 不在可选值中（20, 25, .*）$/, /^123 is not one of 20, 25, /],
    ['install_year', '2099', `2099 大于最大值 ${maxYear}`, `2099 is above the maximum ${maxYear}`],
    ['id', '', '必填', 'is required'],
    ['id', a.pipe.id, `编号“${a.pipe.id}”在管线中已存在`, `id "${a.pipe.id}" already exists in pipes`],
  ];
  await form.locator('input[name=dn]').fill('150');
  for (const [field, value, zh, en] of refused) {
    const input = form.locator(`input[name=${field}]`);
    const old = await input.inputValue();
    await input.fill(value);
    await expect(form.locator(`[data-testid=issue-${field}]`)).toHaveText(zh);
    await page.getByTestId('lang').click();
    await expect(form.locator(`[data-testid=issue-${field}]`)).toHaveText(en);
    await page.getByTestId('lang').click();
    await expect(form.locator(`[data-testid=issue-${field}]`)).toHaveText(zh);
    await form.locator('[data-testid=form-save]').click();
    await expect(form).toBeVisible();
    if (field === 'dn') await page.screenshot({ path: join(ROOT, 'tests', 'artifacts', 'planner-form-refused.png') });
    await input.fill(old);
    await expect(form.locator(`[data-testid=issue-${field}]`)).toHaveCount(0);
  }
  const journalBefore = await call<{ undo: unknown[] }>('journal:get', {});
  expect((await pipes()).length).toBe(before);
  // the backend calls the save brings about, by channel and layer
  const asked: string[] = [];
  const onRequest = (r: import('@playwright/test').Request) => {
    const m = /"channel":"([^"]+)"(?:.*"layer":"([a-z_]+)")?/.exec(r.postData() ?? '');
    if (m) asked.push(m[2] ? `${m[1]} ${m[2]}` : m[1]);
  };
  page.on('request', onRequest);
  await form.locator('[data-testid=form-save]').click();
  await expect(form).toBeHidden();
  expect((await call<{ undo: unknown[] }>('journal:get', {})).undo.length).toBe(journalBefore.undo.length + 1);

  await expect.poll(async () => (await pipes()).some((p) => p.id === drawnId)).toBe(true);
  // The reload caught the pipes up with the one pipe written (layer:since), not by reading the
  // layer again, and the map's own source holds it: MapLibre was given the change.
  page.off('request', onRequest);
  expect(asked).toContain('layer:since pipes');
  expect(asked.filter((c) => c.startsWith('layer:get'))).toEqual([]);
  await idle();
  await expect.poll(() => drawnInSource(drawnId)).toBeGreaterThan(0);
  const drawn = (await pipes()).find((p) => p.id === drawnId)!;
  expect(drawn.coords).toHaveLength(3);
  expect(drawn.coords[0]).toEqual(a.c);
  expect(drawn.coords[2]).toEqual(b.c);
  expect(drawn.length).toBeCloseTo(lineLengthM(drawn.coords), 6);

  // In the attribute table with its computed length.
  await page.click('[data-testid=toggle-table]');
  await page.selectOption('[data-testid=table-layer]', 'pipes');
  await page.fill('[data-testid=table-filter]', drawnId);
  const row = page.locator(`[data-testid=attribute-table] [data-row="${drawnId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(drawn.length.toFixed(2));

  // The supply trace reaches it from the same source(s) as the pipes it joins.
  const reach = await call<Record<string, string[]>>('edit:trace', { pipeIds: [drawnId, a.pipe.id] });
  expect(reach[drawnId].length).toBeGreaterThan(0);
  expect(reach[drawnId]).toEqual(expect.arrayContaining(reach[a.pipe.id]));

  // Undo (Ctrl+Z) removes it, redo (Ctrl+Shift+Z) restores it.
  await page.locator('.map').click({ position: { x: 5, y: 300 } }).catch(() => undefined);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.locator('body').press('Control+z');
  await expect.poll(async () => (await pipes()).some((p) => p.id === drawnId)).toBe(false);
  await expect.poll(() => drawnInSource(drawnId)).toBe(0);
  await page.locator('body').press('Control+Shift+Z');
  await expect.poll(async () => (await pipes()).some((p) => p.id === drawnId)).toBe(true);
  await expect.poll(() => drawnInSource(drawnId)).toBeGreaterThan(0);

  // The backend restarts: the pipe is in the file, GDAL reads it, and undo still knows it.
  await stopServer();
  const ogr = execFileSync('ogrinfo', ['-ro', '-al', '-q', '-where', `id = '${drawnId}'`, projectPath, 'pipes'], { encoding: 'utf8' });
  expect(ogr).toContain(`id (String) = ${drawnId}`);
  expect(ogr).toMatch(/LINESTRING \(/);
  server = await startServer();
  await openApp();
  expect((await pipes()).some((p) => p.id === drawnId)).toBe(true);
  const j = await call<{ undo: { label: string }[] }>('journal:get', {});
  expect(j.undo[0].label).toContain(drawnId);
  const reach2 = await call<Record<string, string[]>>('edit:trace', { pipeIds: [drawnId] });
  expect(reach2[drawnId]).toEqual(reach[drawnId]);
});

test('a 2025 project links 5 pipes by box; km per level shown; the pipes turn planned in the renovation theme', async () => {
  const all = await pipes();
  // A box (in metres around a pipe's middle) that meets exactly five pipes, none of them in a project yet.
  let found: { box: Pos[]; ids: string[] } | null = null;
  outer: for (const p of all.filter((x) => x.renovation === 'none' && x.status === 'in_service').slice(0, 300)) {
    const c = p.coords[Math.floor(p.coords.length / 2)] as Pos;
    const kx = 1 / (M_PER_DEG * Math.cos((c[1] * Math.PI) / 180));
    const ky = 1 / M_PER_DEG;
    for (let h = 20; h <= 140; h += 10) {
      const box: Pos[] = [
        [c[0] - h * kx, c[1] - h * ky],
        [c[0] + h * kx, c[1] - h * ky],
        [c[0] + h * kx, c[1] + h * ky],
        [c[0] - h * kx, c[1] + h * ky],
      ];
      const poly = { type: 'Polygon' as const, coordinates: [[...box, box[0]]] };
      const hit = all.filter((q) => booleanIntersects(poly, { type: 'LineString', coordinates: q.coords }));
      if (hit.length > 5) break;
      if (hit.length === 5 && hit.every((q) => q.renovation === 'none')) {
        found = { box, ids: hit.map((q) => q.id).sort() };
        break outer;
      }
    }
  }
  expect(found, 'a box meeting exactly five pipes').not.toBeNull();
  const { box, ids } = found!;

  await page.click('[data-theme=renovation]');
  const plannedBefore = Number(await page.locator('[data-testid=legend] tr[data-class=planned]').getAttribute('data-count'));

  await page.click('[data-testid=toggle-projects]');
  await page.click('[data-testid=project-new]');
  const pf = page.locator('[data-testid=project-form]');
  await pf.locator('input[name=id]').fill('PR-2025-E2E');
  await pf.locator('input[name=name]').fill('二级管网改造试点');
  await pf.locator('input[name=year]').fill('2025');
  await pf.locator('input[name=deadline]').fill('2025-09-15');
  await pf.locator('input[name=budget_wan]').fill('85');
  await pf.locator('[data-testid=project-save]').click();
  const projectRow = page.locator('[data-testid=project-list] tr[data-project=PR-2025-E2E]');
  await expect(projectRow).toBeVisible();
  await expect(page.locator('[data-testid=project-tools]')).toHaveAttribute('data-project', 'PR-2025-E2E');

  // Close the drawer while selecting so it does not cover the map, then box-select with two clicks.
  await page.click('[data-testid=link-box]');
  await page.click('[data-testid=toggle-projects]');
  await frame(box, 160);
  const c1 = await screenOf(box[0]);
  const c2 = await screenOf(box[2]);
  await page.mouse.move(c1.x, c1.y);
  await page.mouse.click(c1.x, c1.y);
  await page.mouse.move(c2.x, c2.y, { steps: 6 });
  await page.mouse.click(c2.x, c2.y);

  await page.click('[data-testid=toggle-projects]');
  await expect(projectRow).toHaveAttribute('data-pipes', '5');
  // The map takes the reloaded data a moment after the panel.
  await expect.poll(async () => (await pipes()).filter((p) => ids.includes(p.id)).map((p) => p.renovation)).toEqual(Array(5).fill('planned'));
  const linked = (await pipes()).filter((p) => ids.includes(p.id));
  for (const level of ['primary', 'secondary', 'courtyard']) {
    const km = linked.filter((p) => p.level === level).reduce((s, p) => s + p.length, 0) / 1000;
    await expect(projectRow.locator(`td[data-level=${level}]`)).toHaveText(km.toFixed(3));
  }
  await expect(page.locator('[data-testid=project-totals] tr[data-year="2025"]')).toBeVisible();
  await expect(page.locator('[data-testid=legend] tr[data-class=planned]')).toHaveAttribute('data-count', String(plannedBefore + 5));

  // The plan year 2024 shows its targets; overdue items are listed.
  await expect(page.locator('[data-testid=plan-primary]')).toHaveAttribute('data-target', '0.8');
  await expect(page.locator('[data-testid=plan-secondary]')).toHaveAttribute('data-target', '10.5');
  await expect(page.locator('[data-testid=plan-budget]')).toHaveAttribute('data-target', '1900');
  await idle();
  await page.screenshot({ path: join(ROOT, 'tests', 'artifacts', 'planner-projects.png') });
});

test('a change made by another program (GDAL, as QGIS would) is reloaded and announced', async () => {
  const target = (await pipes()).find((p) => p.status === 'in_service')!;
  const dn = await page.evaluate((id) => window.warmnetDebug!.controller.feature({ layer: 'pipes', id })!.properties.dn, target.id);
  const next = dn === 200 ? 250 : 200;
  await expect(page.locator('[data-testid=external-change]')).toHaveCount(0);
  execFileSync('ogrinfo', [projectPath, '-q', '-sql', `UPDATE pipes SET dn = ${next} WHERE id = '${target.id}'`], { encoding: 'utf8' });
  await expect(page.locator('[data-testid=external-change]')).toBeVisible();
  await expect
    .poll(() => page.evaluate((id) => window.warmnetDebug!.controller.feature({ layer: 'pipes', id })!.properties.dn, target.id))
    .toBe(next);
  await page.click('[data-testid=external-change-dismiss]');
  await expect(page.locator('[data-testid=external-change]')).toHaveCount(0);
});

test('split the drawn pipe, place a valve well on it, move a vertex; each one undo step', async () => {
  expect(drawnId).not.toBe('');
  const drawn = (await pipes()).find((p) => p.id === drawnId)!;
  if (await page.locator('[data-testid=projects-panel]').isVisible()) await page.click('[data-testid=toggle-projects]');
  await frame(drawn.coords, 120);
  const journalLen = async () => (await call<{ undo: unknown[] }>('journal:get', {})).undo.length;
  const at = (a: Pos, b: Pos, t: number): Pos => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];

  // Move the middle vertex (select the pipe in the table, then drag in vertex mode).
  // Select it with a click on the map (select tool), halfway along its second segment.
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid=edit-toolbar]')).toHaveAttribute('data-tool', 'select');
  const onPipe = await screenOf(at(drawn.coords[1], drawn.coords[2], 0.5));
  await page.mouse.click(onPipe.x, onPipe.y);
  await expect(page.locator('[data-testid=inspector-id]')).toHaveText(drawnId);
  await page.click('[data-testid=tool-vertices]');
  await page.waitForFunction(() => window.warmnetEdit!.controller!.editedGeometry()?.length === 3);
  await idle();
  const v = await screenOf(drawn.coords[1]);
  const editedMid = () => page.evaluate(() => window.warmnetEdit!.controller!.editedGeometry()![1]);
  // Terra Draw tells a drag from a click by movement after the press; a second try covers a press that landed before its selection points were drawn.
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.mouse.move(v.x, v.y, { steps: 2 });
    await page.mouse.down();
    await page.mouse.move(v.x + 15, v.y + 10, { steps: 10 });
    await page.mouse.move(v.x + 30, v.y + 20, { steps: 10 });
    await page.mouse.up();
    if (distM((await editedMid()) as Pos, drawn.coords[1]) > 1) break;
  }
  let n = await journalLen();
  await page.click('[data-testid=save-vertices]');
  await expect.poll(journalLen).toBe(n + 1);
  // The map shows the saved line once the app has reloaded.
  await expect.poll(async () => distM((await pipes()).find((p) => p.id === drawnId)!.coords[1] as Pos, drawn.coords[1])).toBeGreaterThan(1);
  const moved = (await pipes()).find((p) => p.id === drawnId)!;
  expect(moved.coords[0]).toEqual(drawn.coords[0]);
  expect(moved.coords[2]).toEqual(drawn.coords[2]);
  expect(distM(moved.coords[1], drawn.coords[1])).toBeGreaterThan(1);

  // Split it in its first segment.
  await page.click('[data-testid=tool-split]');
  const cut = at(moved.coords[0], moved.coords[1], 0.5);
  const sc = await screenOf(cut);
  n = await journalLen();
  await page.mouse.click(sc.x, sc.y);
  await expect.poll(async () => (await pipes()).filter((p) => p.id.startsWith(`${drawnId}-`)).length).toBe(2);
  expect((await pipes()).some((p) => p.id === drawnId)).toBe(false);
  expect(await journalLen()).toBe(n + 1);
  // on the map too: the pipe's source gave up the whole and holds both halves
  const halves = (await pipes()).filter((p) => p.id.startsWith(`${drawnId}-`)).map((p) => p.id);
  await expect.poll(() => drawnInSource(drawnId)).toBe(0);
  for (const h of halves) await expect.poll(() => drawnInSource(h)).toBeGreaterThan(0);

  // A valve well placed a few pixels beside the second piece sits on it.
  await page.click('[data-testid=tool-place-valve]');
  const spot = at(moved.coords[1], moved.coords[2], 0.5);
  const sv = await screenOf(spot);
  const valvesBefore = await page.evaluate(() => window.warmnetDebug!.controller.features('valves').length);
  await page.mouse.click(sv.x + 3, sv.y + 2);
  await expect.poll(() => page.evaluate(() => window.warmnetDebug!.controller.features('valves').length)).toBe(valvesBefore + 1);
  await page.keyboard.press('Escape');

  // Undo twice: the valve goes, the pipe is whole again.
  await page.click('[data-testid=undo]');
  await expect.poll(() => page.evaluate(() => window.warmnetDebug!.controller.features('valves').length)).toBe(valvesBefore);
  await page.click('[data-testid=undo]');
  await expect.poll(async () => (await pipes()).some((p) => p.id === drawnId)).toBe(true);
  await expect.poll(() => drawnInSource(drawnId)).toBeGreaterThan(0);
  for (const h of halves) await expect.poll(() => drawnInSource(h)).toBe(0);
});

test('link by click and by lasso into the same project', async () => {
  if (await page.locator('[data-testid=projects-panel]').isVisible()) await page.click('[data-testid=toggle-projects]');
  const linkedIds = async () => {
    const list = await call<{ lengths: { id: string; pipes: string[] }[] }>('project:list', {});
    return list.lengths.find((l) => l.id === 'PR-2025-E2E')!.pipes;
  };
  const before = await linkedIds();
  const all = await pipes();
  // Two unlinked pipes with a long first segment: its middle is far from every node.
  const free = all.filter((p) => !before.includes(p.id) && p.renovation === 'none' && distM(p.coords[0], p.coords[1]) > 60);
  const midOf = (p: PipeLite): Pos => [(p.coords[0][0] + p.coords[1][0]) / 2, (p.coords[0][1] + p.coords[1][1]) / 2];
  const alone = free.filter((p) => all.every((q) => q.id === p.id || q.coords.every((c, i) => i === 0 || distM(midOf({ ...q, coords: [q.coords[i - 1], c] }), midOf(p)) > 40)));
  const [byClick, byLasso] = alone;
  expect(byLasso, 'two pipes to link').toBeDefined();

  await page.click('[data-testid=toggle-projects]');
  await page.locator('[data-testid=project-list] tr[data-project=PR-2025-E2E]').click();
  await page.click('[data-testid=link-click]');
  await page.click('[data-testid=toggle-projects]');
  await frame([byClick.coords[0], byClick.coords[1]], 160);
  const sc = await screenOf(midOf(byClick));
  await page.mouse.click(sc.x + 2, sc.y + 2);
  await expect.poll(linkedIds).toContain(byClick.id);

  await page.click('[data-testid=toggle-projects]');
  await page.click('[data-testid=link-lasso]');
  await page.click('[data-testid=toggle-projects]');
  await frame([byLasso.coords[0], byLasso.coords[1]], 160);
  const c = await screenOf(midOf(byLasso));
  // A freehand ring of 25 px around the pipe's middle: click, move round, click.
  await page.mouse.move(c.x + 25, c.y);
  await page.mouse.click(c.x + 25, c.y);
  for (let k = 1; k <= 24; k++) {
    const a = (k / 24) * 2 * Math.PI;
    await page.mouse.move(c.x + 25 * Math.cos(a), c.y + 25 * Math.sin(a));
  }
  await page.mouse.click(c.x + 25, c.y + 1);
  await expect.poll(linkedIds).toContain(byLasso.id);
  await expect.poll(async () => (await pipes()).filter((p) => p.id === byClick.id || p.id === byLasso.id).map((p) => p.renovation)).toEqual(['planned', 'planned']);
});

test('keyboard and tool bar: snap tolerance kept; Esc cancels a pipe in progress, Enter finishes it; a vertex deleted by right-click; Delete deletes the selected pipe', async () => {
  expect(drawnId).not.toBe('');
  if (await page.locator('[data-testid=projects-panel]').isVisible()) await page.click('[data-testid=toggle-projects]');
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid=edit-toolbar]')).toHaveAttribute('data-tool', 'select');
  const journalLen = async () => (await call<{ undo: unknown[] }>('journal:get', {})).undo.length;
  const snapPx = () => page.evaluate(() => window.warmnetEdit!.controller!.snapPx);

  // The snap tolerance: 12 px unless the user sets it; what is set reaches the drawing tools and is kept.
  const snapBox = page.locator('[data-testid=snap-px]');
  await expect(snapBox).toHaveValue('12');
  expect(await snapPx()).toBe(12);
  await snapBox.fill('20');
  await snapBox.blur();
  await expect.poll(snapPx).toBe(20);
  expect(await page.evaluate(() => localStorage.getItem('warmnet.snapPx'))).toBe('20');
  await snapBox.fill('99');
  await snapBox.blur();
  await expect(snapBox).toHaveValue('40');
  await snapBox.fill('12');
  await snapBox.blur();
  await expect.poll(snapPx).toBe(12);

  const drawn = (await pipes()).find((p) => p.id === drawnId)!;
  expect(drawn.coords).toHaveLength(3);
  await frame(drawn.coords, 160);
  const at = (a: Pos, b: Pos, t: number): Pos => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  const n0 = await journalLen();

  // Esc drops the line being drawn (nothing saved, no form); a second Esc leaves the tool.
  const s0 = await screenOf(drawn.coords[0]);
  const inProgress = () => page.evaluate(() => window.warmnetEdit!.controller!.draw.getSnapshot().length);
  await page.click('[data-testid=tool-draw-pipe]');
  await page.mouse.move(s0.x + 60, s0.y + 60);
  await page.mouse.click(s0.x + 60, s0.y + 60);
  await page.mouse.move(s0.x + 120, s0.y + 70, { steps: 3 });
  await page.mouse.click(s0.x + 120, s0.y + 70);
  await expect.poll(inProgress).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  await expect.poll(inProgress).toBe(0);
  await expect(page.locator('[data-testid=attribute-form]')).toHaveCount(0);
  await expect(page.locator('[data-testid=edit-toolbar]')).toHaveAttribute('data-tool', 'drawPipe');

  // Enter finishes a line: its form opens; Esc in the form closes it without saving.
  await page.mouse.move(s0.x + 60, s0.y + 60);
  await page.mouse.click(s0.x + 60, s0.y + 60);
  await page.mouse.move(s0.x + 120, s0.y + 70, { steps: 3 });
  await page.mouse.click(s0.x + 120, s0.y + 70);
  await page.keyboard.press('Enter');
  const form = page.locator('[data-testid=attribute-form]');
  await expect(form).toBeVisible();
  await form.locator('input[name=id]').press('Escape');
  await expect(form).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid=edit-toolbar]')).toHaveAttribute('data-tool', 'select');
  expect(await journalLen()).toBe(n0);

  // Right-click on the middle vertex in vertex mode deletes it; saving writes a 2-point pipe.
  const onPipe = await screenOf(at(drawn.coords[1], drawn.coords[2], 0.5));
  await page.mouse.click(onPipe.x, onPipe.y);
  await expect(page.locator('[data-testid=inspector-id]')).toHaveText(drawnId);
  await page.click('[data-testid=tool-vertices]');
  await page.waitForFunction(() => window.warmnetEdit!.controller!.editedGeometry()?.length === 3, undefined, { timeout: 15_000 });
  await idle();
  const v = await screenOf(drawn.coords[1]);
  const vertexCount = () => page.evaluate(() => window.warmnetEdit!.controller!.editedGeometry()!.length);
  for (let attempt = 0; attempt < 3 && (await vertexCount()) === 3; attempt++) {
    await page.mouse.move(v.x, v.y, { steps: 2 });
    await page.mouse.click(v.x, v.y, { button: 'right' });
    await page.waitForTimeout(100);
  }
  expect(await vertexCount()).toBe(2);
  await page.click('[data-testid=save-vertices]');
  await expect.poll(journalLen).toBe(n0 + 1);
  await expect.poll(async () => (await pipes()).find((p) => p.id === drawnId)?.coords.length).toBe(2);
  const two = (await pipes()).find((p) => p.id === drawnId)!;
  expect(two.coords).toEqual([drawn.coords[0], drawn.coords[2]]);

  // Delete (the key) deletes the selected pipe; Ctrl+Z brings it back.
  const mid = await screenOf(at(two.coords[0], two.coords[1], 0.5));
  await page.mouse.click(mid.x, mid.y);
  await expect(page.locator('[data-testid=inspector-id]')).toHaveText(drawnId);
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await pipes()).some((p) => p.id === drawnId)).toBe(false);
  expect(await journalLen()).toBe(n0 + 2);
  await page.locator('body').press('Control+z');
  await expect.poll(async () => (await pipes()).some((p) => p.id === drawnId)).toBe(true);
});

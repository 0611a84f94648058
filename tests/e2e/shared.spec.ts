/**
 * The shared project in the app, against a real throwaway PostgreSQL +
 * PostGIS: the connection form shows the role the server gives (a viewer is
 * offered no check-out), saves the connection without its password, checks
 * the project out beside the open one; that copy, edited offline while the
 * office changes the same pipe on the server, is opened in the app and
 * checked in: the conflict is shown side by side and saved as chosen.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startPgServer, type PgServer } from '../../scripts/pgserver.mjs';
import { ProjectStore } from '../../electron/backend/store/index';
import { readProjectAt } from '../../electron/backend/store/location';
import { grantRole, publishProject } from '../../electron/backend/store/pg/publish';
import { PgStore } from '../../electron/backend/store/pg/store';
import { launchBrowserMode, SAMPLE } from './server';

test.describe.configure({ mode: 'serial' });

let pgs: PgServer;
let url = '';
let dir = '';
let data0: Awaited<ReturnType<typeof readProjectAt>>['data'];
const children: ChildProcess[] = [];

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-e2e-shared-'));
  process.env.WARMNET_CONFIG_DIR = join(dir, 'config');
  pgs = await startPgServer();
  url = `${pgs.url}?schema=e2e`;
  const { data, description } = await readProjectAt(SAMPLE);
  data0 = data;
  await publishProject(url, data, { description });
  await grantRole(url, { user: 'e2e_ed', role: 'editor', password: 'ed-pw-1' });
  await grantRole(url, { user: 'e2e_view', role: 'viewer', password: 'view-pw-1' });
});

test.afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await pgs?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openApp(page: Page, project: string): Promise<void> {
  const { child, url: appUrl } = await launchBrowserMode(project);
  children.push(child);
  await page.goto(appUrl);
  await expect(page.locator('.app')).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('open-shared').click();
  await expect(page.getByTestId('shared-dialog')).toBeVisible();
}

test('connect, see the role, save without the password, check out', async ({ page }) => {
  const local = join(dir, 'local.gpkg');
  copyFileSync(SAMPLE, local);
  await openApp(page, local);
  const port = new URL(pgs.url).port;
  await page.getByTestId('conn-port').fill(port);
  await page.getByTestId('conn-database').fill('warmnet');
  await page.getByTestId('conn-schema').fill('e2e');
  // A viewer: no check-out offered.
  await page.getByTestId('conn-user').fill('e2e_view');
  await page.getByTestId('conn-password').fill('view-pw-1');
  await page.getByTestId('conn-connect').click();
  await expect(page.getByTestId('role')).toContainText('只读');
  await expect(page.getByTestId('checkout')).toHaveCount(0);
  // An editor.
  await page.getByTestId('conn-user').fill('e2e_ed');
  await page.getByTestId('conn-password').fill('ed-pw-1');
  await page.getByTestId('conn-label').fill('office');
  await page.getByTestId('conn-save').click();
  await expect(page.getByTestId('saved-office')).toBeVisible();
  expect(readFileSync(join(dir, 'config', 'connections.json'), 'utf8')).not.toContain('ed-pw-1');
  await page.getByTestId('conn-connect').click();
  await expect(page.getByTestId('role')).toContainText('编辑');
  await page.getByTestId('checkout-file').fill('offline.gpkg');
  await page.getByTestId('checkout').click();
  await expect(page.getByTestId('shared-message')).toContainText('offline.gpkg');
});

test('check in from the offline copy: the conflict side by side, saved as chosen', async ({ page }) => {
  const offline = join(dir, 'offline.gpkg');
  const local = ProjectStore.open(offline);
  const id = String(local.listFeatures('pipes')[7].id);
  local.updateFeature('pipes', id, { properties: { dn: 150, material: 'PE-offline' } });
  local.close();
  const office = await PgStore.open(url, { user: 'office' });
  const v = (await office.getFeature('pipes', id))!;
  expect((await office.updateFeature('pipes', id, { properties: { dn: 200 } }, v.version)).ok).toBe(true);

  await openApp(page, offline);
  await expect(page.getByTestId('checkout-info')).toContainText('schema=e2e');
  await page.getByTestId('checkin-password').fill('ed-pw-1');
  await page.getByTestId('shared-role').click();
  await expect(page.getByTestId('role')).toContainText('编辑');
  // Someone else's edit on the server shows up in the open dialog.
  await expect(page.getByTestId('remote-edits')).toBeVisible();
  const other = String(data0.layers.valves[2].id);
  const ov = (await office.getFeature('valves', other))!;
  expect((await office.updateFeature('valves', other, { properties: { name: 'live' } }, ov.version)).ok).toBe(true);
  await expect(page.getByTestId('remote-edits')).toContainText(`office 修改 阀门井 ${other}`, { timeout: 15_000 });
  await page.getByTestId('checkin').click();
  const row = page.getByTestId(`row-pipes/${id}|dn`);
  await expect(row).toContainText('150');
  await expect(row).toContainText('200');
  await page.getByTestId(`pipes/${id}|dn|mine`).check();
  await page.getByTestId('apply-resolutions').click();
  await expect(page.getByTestId('shared-message')).toContainText('已检入');
  const p = (await office.getFeature('pipes', id))!.feature.properties!;
  await office.close();
  expect([p.dn, p.material]).toEqual([150, 'PE-offline']);
});

test('open the server project live: edit a pipe, undo, see another client’s edit, answer a conflict; a viewer gets no tools', async ({ page }) => {
  const local = join(dir, 'local-live.gpkg');
  copyFileSync(SAMPLE, local);
  await openApp(page, local);
  const connectAs = async (user: string, password: string) => {
    await page.getByTestId('conn-port').fill(new URL(pgs.url).port);
    await page.getByTestId('conn-database').fill('warmnet');
    await page.getByTestId('conn-schema').fill('e2e');
    await page.getByTestId('conn-user').fill(user);
    await page.getByTestId('conn-password').fill(password);
    await page.getByTestId('conn-connect').click();
    await expect(page.getByTestId('role')).toBeVisible();
    await page.getByTestId('open-live').click();
    await expect(page.getByTestId('shared-dialog')).toHaveCount(0);
    await expect(page).toHaveTitle(/^e2e @/);
  };
  const select = async (id: string) => {
    const search = page.getByTestId('search').locator('input');
    await search.fill(id);
    await page.locator('.hits li', { hasText: id }).first().click();
    await expect(page.getByTestId('inspector-id')).toHaveText(id);
  };
  const office = await PgStore.open(url, { user: 'office' });
  const onServer = async (id: string) => (await office.getFeature('pipes', id))!;

  await connectAs('e2e_ed', 'ed-pw-1');
  // An edit in the form is saved on the server, as this user.
  const mine = String(data0.layers.pipes[20].id);
  await select(mine);
  await page.getByTestId('tool-edit-attributes').click();
  const form = page.getByTestId('attribute-form');
  await form.locator('input[name=name]').fill('edited live');
  await form.getByTestId('form-save').click();
  await expect(form).toBeHidden();
  expect((await onServer(mine)).feature.properties.name).toBe('edited live');
  expect((await office.history({ featureId: mine })).at(-1)).toMatchObject({ user: 'e2e_ed', op: 'update' });
  // Undo takes it back on the server.
  await page.getByTestId('undo').click();
  await expect.poll(async () => (await onServer(mine)).feature.properties.name ?? null).toBe(data0.layers.pipes[20].properties.name ?? null);

  // Another client's committed edit appears in the open app.
  const other = String(data0.layers.pipes[21].id);
  await select(other);
  const v = await onServer(other);
  const t0 = Date.now();
  expect((await office.updateFeature('pipes', other, { properties: { name: 'office live' } }, v.version)).ok).toBe(true);
  await expect(page.getByTestId('inspector')).toContainText('office live', { timeout: 5_000 });
  console.log(`e2e: another client's edit shown in the app after ${Date.now() - t0} ms`);

  // The form was read before the office changed the DN: saving another DN is a conflict, shown side by side.
  await page.getByTestId('tool-edit-attributes').click();
  const dn0 = Number(v.feature.properties.dn);
  const [theirs, minePick] = [100, 150, 200, 250, 300].filter((d) => d !== dn0);
  const v2 = await onServer(other);
  expect((await office.updateFeature('pipes', other, { properties: { dn: theirs } }, v2.version)).ok).toBe(true);
  await expect(page.getByTestId('inspector')).toContainText(String(theirs), { timeout: 5_000 });
  await form.locator('input[name=dn]').fill(String(minePick));
  await form.getByTestId('form-save').click();
  const conflict = page.getByTestId('live-conflict');
  await expect(conflict).toBeVisible();
  const row = conflict.getByTestId(`row-pipes/${other}|dn`);
  await expect(row).toContainText(String(minePick));
  await expect(row).toContainText(String(theirs));
  expect((await onServer(other)).feature.properties.dn).toBe(theirs);
  await conflict.getByTestId(`pipes/${other}|dn|mine`).check();
  await conflict.getByTestId('apply-resolutions').click();
  await expect(conflict).toBeHidden();
  const final = (await onServer(other)).feature.properties;
  expect([final.dn, final.name]).toEqual([minePick, 'office live']);

  // Back to the file, then the same project as a viewer: no editing tools.
  await page.getByTestId('open-shared').click();
  await page.getByTestId('close-live').click();
  await expect(page).toHaveTitle(/^local-live\.gpkg/);
  await page.getByTestId('open-shared').click();
  await connectAs('e2e_view', 'view-pw-1');
  await expect(page.getByTestId('read-only')).toBeVisible();
  await expect(page.getByTestId('tool-edit-attributes')).toHaveCount(0);
  await office.close();
});

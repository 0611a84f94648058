/**
 * The app's shared-project channels on a real server, through the same
 * dispatcher the renderer's calls go through: saved connections hold no
 * password, the role comes from the server, check-out writes a GeoPackage
 * beside the open project, and check-in from that project returns conflicts
 * side by side and then applies the user's per-field answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../../electron/backend/store/index';
import { createDispatcher } from '../../electron/backend/handlers';
import type { SharedConnection, SharedStatus } from '../../electron/backend/shared.contract';
import type { CheckinResult } from '../../electron/backend/store/pg/checkout';
import { PgStore } from '../../electron/backend/store/pg/store';
import { grantRole } from '../../electron/backend/store/pg/publish';
import { publishSample, useTestDb } from './server';

const SAMPLE = fileURLToPath(new URL('../../gis-data/mingantu.gpkg', import.meta.url));

describe('shared-project channels', () => {
  const db = useTestDb();
  let dir = '';
  let url = '';
  let conn: SharedConnection;
  const opened: ProjectStore[] = [];
  const dispatcherFor = (path: string) => {
    const store = ProjectStore.open(path);
    opened.push(store);
    return { store, call: createDispatcher(() => store) };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wn-shared-'));
    process.env.WARMNET_CONFIG_DIR = join(dir, 'config');
    url = await publishSample(db, 'ui_mingantu');
    await grantRole(url, { user: 'ui_ed', role: 'editor', password: 'ed-secret-1' });
    await grantRole(url, { user: 'ui_view', role: 'viewer', password: 'view-secret-1' });
    const u = new URL(db.url);
    conn = { host: u.hostname, port: Number(u.port), database: u.pathname.slice(1), user: 'ui_ed', schema: 'ui_mingantu' };
  });
  afterAll(() => {
    for (const s of opened) s.close();
    delete process.env.WARMNET_CONFIG_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves connections without the password; tells the role; a viewer is told viewer', async () => {
    const local = join(dir, 'local.gpkg');
    copyFileSync(SAMPLE, local);
    const { call } = dispatcherFor(local);
    await expect(call('shared:saveConnection', { label: 'office', connection: { ...conn, password: 'ed-secret-1' } })).rejects.toThrow(/password/);
    const list = await call('shared:saveConnection', { label: 'office', connection: conn });
    expect(list).toEqual([{ label: 'office', ...conn }]);
    const file = readFileSync(join(dir, 'config', 'connections.json'), 'utf8');
    expect(file).not.toContain('secret');
    expect(await call('shared:connections', {})).toEqual(list);
    expect(await call('shared:connect', { connection: conn, password: 'ed-secret-1' })).toMatchObject({ role: 'editor', features: expect.any(Number) });
    expect(await call('shared:connect', { connection: { ...conn, user: 'ui_view' }, password: 'view-secret-1' })).toMatchObject({ role: 'viewer' });
    await expect(call('shared:connect', { connection: conn, password: 'wrong' })).rejects.toThrow(/cannot connect .*password authentication failed/);
    expect(await call('shared:status', {})).toEqual({ checkout: null, role: null });
  });

  it('checks out beside the open project, then checks in with conflicts answered per field', async () => {
    const { call } = dispatcherFor(join(dir, 'local.gpkg'));
    const co = (await call('shared:checkout', { connection: conn, password: 'ed-secret-1', fileName: 'ui-checkout.gpkg' })) as { path: string; checkoutId: string };
    expect(co.path).toBe(join(dir, 'ui-checkout.gpkg'));

    const offline = dispatcherFor(co.path);
    const id = String(offline.store.listFeatures('pipes')[3].id);
    await offline.call('edit:update', { layer: 'pipes', id, properties: { dn: 150, name: 'offline name' } });
    const office = await PgStore.open(url, { user: 'office' });
    const v = (await office.getFeature('pipes', id))!;
    expect((await office.updateFeature('pipes', id, { properties: { dn: 200, name: 'office name' } }, v.version)).ok).toBe(true);
    await office.close();

    const status = (await offline.call('shared:status', { password: 'ed-secret-1' })) as SharedStatus;
    expect(status).toMatchObject({ checkout: { checkoutId: co.checkoutId, schema: 'ui_mingantu', user: 'ui_ed' }, role: 'editor' });

    const first = (await offline.call('shared:checkin', { password: 'ed-secret-1' })) as CheckinResult;
    expect(first.committed).toBe(false);
    expect(first.conflicts).toHaveLength(1);
    expect(first.conflicts[0].fields.map((f) => [f.field, f.base !== undefined, f.mine, f.theirs])).toEqual([
      ['name', true, 'offline name', 'office name'],
      ['dn', true, 150, 200],
    ]);
    const second = (await offline.call('shared:checkin', {
      password: 'ed-secret-1',
      resolutions: { [`pipes/${id}`]: { dn: 'theirs', name: { value: 'agreed name' } } },
    })) as CheckinResult;
    expect(second).toMatchObject({ committed: true, resolved: 1 });
    const check = await PgStore.open(url);
    const p = (await check.getFeature('pipes', id))!.feature.properties!;
    await check.close();
    expect([p.dn, p.name]).toEqual([200, 'agreed name']);
    expect(((await offline.call('shared:status', {})) as SharedStatus).checkout!.checkedInAt).not.toBeNull();
  });
});

/**
 * The app's shared-project channels on a real server, through the same
 * dispatcher the renderer's calls go through: saved connections hold no
 * password, the role comes from the server, check-out writes a GeoPackage
 * beside the open project, and check-in from that project returns conflicts
 * side by side and then applies the user's per-field answers; while it is
 * open, others' committed edits on the server are heard.
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
    expect(list).toEqual([{ label: 'office', ...conn, passwordSaved: false }]);
    // Browser mode has no OS keychain: asking to remember the password is refused, nothing is written.
    await expect(call('shared:saveConnection', { label: 'office', connection: conn, rememberPassword: 'ed-secret-1' })).rejects.toThrow(/no OS keychain here/);
    const file = readFileSync(join(dir, 'config', 'connections.json'), 'utf8');
    expect(file).not.toContain('secret');
    expect(await call('shared:connections', {})).toEqual({ connections: list, keychain: false });
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

    // Others' committed edits are heard while the copy is open (latency: npm run bench -- pgload).
    expect(await offline.call('shared:watch', { password: 'ed-secret-1' })).toEqual({ watching: true });
    const other = String(offline.store.listFeatures('valves')[0].id);
    const office2 = await PgStore.open(url, { user: 'office-2' });
    const ov = (await office2.getFeature('valves', other))!;
    const t0 = performance.now();
    expect((await office2.updateFeature('valves', other, { properties: { name: 'seen live' } }, ov.version)).ok).toBe(true);
    await office2.close();
    let heard: { events: { id: string; user: string; op: string }[] } = { events: [] };
    while (heard.events.length === 0 && performance.now() - t0 < 15_000) {
      heard = (await offline.call('shared:remote', { since: 0 })) as typeof heard;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(heard.events).toEqual([expect.objectContaining({ layer: 'valves', id: other, op: 'update', user: 'office-2' })]);

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

/**
 * A shared project opened live in the app, on a real server, through the
 * same dispatcher the renderer's calls go through: layers, features and
 * analyses are read from the server's project, an edit is a versioned save
 * there, undo takes back only the user's own edit, two clients editing the
 * same pipe at once give one conflict and lose nothing, others' committed
 * edits reach the map's data within a second, and a viewer is told it may
 * not edit and is refused by the server when it tries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection } from '../../core/model/geojson';
import { ProjectStore } from '../../electron/backend/store/index';
import { createDispatcher } from '../../electron/backend/handlers';
import { failureOf } from '../../electron/backend/failure';
import type { ProjectInfo } from '../../electron/backend/contract';
import type { JournalState } from '../../electron/backend/editing.contract';
import type { Conflict, LiveInfo, SharedConnection } from '../../electron/backend/shared.contract';
import { PgStore } from '../../electron/backend/store/pg/store';
import { grantRole } from '../../electron/backend/store/pg/publish';
import { publishSample, useTestDb } from './server';

const SAMPLE = fileURLToPath(new URL('../../gis-data/mingantu.gpkg', import.meta.url));

describe('a shared project opened live in the app', () => {
  const db = useTestDb();
  let dir = '';
  let url = '';
  let conn: SharedConnection;
  const opened: ProjectStore[] = [];
  const dispatchers: ReturnType<typeof createDispatcher>[] = [];

  /** A window: its own GeoPackage, then the server project opened live as `user`. */
  async function client(user: string, password: string) {
    const local = join(dir, `${user}-${dispatchers.length}.gpkg`);
    copyFileSync(SAMPLE, local);
    const store = ProjectStore.open(local);
    opened.push(store);
    const call = createDispatcher(() => store, 2026);
    dispatchers.push(call);
    const info = (await call('shared:openLive', { connection: { ...conn, user }, password })) as LiveInfo;
    return { call, info, local: store };
  }
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return failureOf(e);
    }
    throw new Error('expected a refusal');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wn-live-'));
    process.env.WARMNET_CONFIG_DIR = join(dir, 'config');
    url = await publishSample(db, 'live_mingantu');
    await grantRole(url, { user: 'live_a', role: 'editor', password: 'a-secret-1' });
    await grantRole(url, { user: 'live_b', role: 'editor', password: 'b-secret-1' });
    await grantRole(url, { user: 'live_c', role: 'editor', password: 'c-secret-1' });
    await grantRole(url, { user: 'live_v', role: 'viewer', password: 'v-secret-1' });
    const u = new URL(db.url);
    conn = { host: u.hostname, port: Number(u.port), database: u.pathname.slice(1), user: 'live_a', schema: 'live_mingantu' };
  });
  afterAll(async () => {
    for (const d of dispatchers) await d.close();
    for (const s of opened) s.close();
    delete process.env.WARMNET_CONFIG_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the server project through the same channels; an edit and its undo happen on the server', async () => {
    const a = await client('live_a', 'a-secret-1');
    expect(a.info).toMatchObject({ role: 'editor', user: 'live_a', schema: 'live_mingantu' });
    expect(a.info.url).not.toContain('secret');
    const info = (await a.call('project:info', {})) as ProjectInfo;
    expect(info.shared).toMatchObject({ role: 'editor', user: 'live_a' });
    expect(info.fileName).toContain('live_mingantu');

    const server = await PgStore.open(url);
    const onServer = await server.listFeatures('pipes');
    const pipes = (await a.call('layer:get', { layer: 'pipes' })) as FeatureCollection;
    expect(pipes.features.map((f) => f.id).sort()).toEqual(onServer.map((v) => v.feature.id).sort());
    // The analyses read the same project: the isolation of a pipe from the live project equals the one from the GeoPackage.
    const pipeId = String(onServer[5].feature.id);
    const localCall = createDispatcher(() => a.local, 2026);
    expect(await a.call('analysis:isolate', { pipeId })).toEqual(await localCall('analysis:isolate', { pipeId }));

    const before = (await server.getFeature('pipes', pipeId))!;
    const saved = (await a.call('edit:update', { layer: 'pipes', id: pipeId, properties: { material: 'live-steel', dn: 300 } })) as { properties: Record<string, unknown> };
    expect(saved.properties.material).toBe('live-steel');
    const after = (await server.getFeature('pipes', pipeId))!;
    expect(after.feature.properties.material).toBe('live-steel');
    expect(after.version).toBe(before.version + 1);
    // The GeoPackage the window opened is untouched.
    expect(a.local.getFeature('pipes', pipeId)!.properties.material).toBe(before.feature.properties.material);
    const hist = await server.history({ featureId: pipeId });
    expect(hist.at(-1)).toMatchObject({ user: 'live_a', dbUser: 'live_a', op: 'update' });

    const j = (await a.call('journal:get', {})) as JournalState;
    expect(j.undo.length).toBeGreaterThan(0);
    expect(j.redo).toEqual([]);
    const undone = (await a.call('journal:undo', {})) as JournalState;
    expect(undone.done).not.toBeNull();
    expect((await server.getFeature('pipes', pipeId))!.feature.properties).toMatchObject({ material: before.feature.properties.material, dn: before.feature.properties.dn });
    const detail = (await a.call('feature:get', { layer: 'pipes', id: pipeId })) as { feature: { properties: Record<string, unknown> } };
    expect(detail.feature.properties.material).toBe(before.feature.properties.material);
    // Nothing of mine left to undo: the next undo does nothing, and never touches others' edits.
    expect(((await a.call('journal:undo', {})) as JournalState).done).toBeNull();

    // A split is one save: the pipe goes, two pieces come, in one server transaction.
    const line = onServer.find((v) => v.feature.geometry.type === 'LineString' && (v.feature.geometry.coordinates as number[][]).length >= 3)!;
    const coords = line.feature.geometry.coordinates as [number, number][];
    const pieces = (await a.call('edit:split', { pipeId: String(line.feature.id), at: coords[1] })) as { id: string }[];
    expect(await server.getFeature('pipes', String(line.feature.id))).toBeUndefined();
    for (const p of pieces) expect(await server.getFeature('pipes', p.id)).toBeDefined();
    await a.call('journal:undo', {});
    expect(await server.getFeature('pipes', String(line.feature.id))).toBeDefined();
    for (const p of pieces) expect(await server.getFeature('pipes', p.id)).toBeUndefined();
    await server.close();
  });

  it('two clients save the same pipe at once: one conflict, mine and theirs side by side, nothing lost', async () => {
    const a = await client('live_a', 'a-secret-1');
    const b = await client('live_b', 'b-secret-1');
    const server = await PgStore.open(url);
    const id = String((await server.listFeatures('pipes'))[9].feature.id);
    const results = await Promise.allSettled([
      a.call('edit:update', { layer: 'pipes', id, properties: { dn: 150, name: 'A name' } }),
      b.call('edit:update', { layer: 'pipes', id, properties: { dn: 200 } }),
    ]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    const f = failureOf((failed[0] as PromiseRejectedResult).reason);
    expect(f.code).toBe('conflict');
    const conflict = f.params!.conflict as Conflict;
    expect(conflict).toMatchObject({ layer: 'pipes', id, kind: 'changed' });
    const dn = conflict.fields.find((x) => x.field === 'dn')!;
    expect([dn.mine, dn.theirs].sort()).toEqual([150, 200]);
    // The winner's edit is on the server, and the loser's copy shows it (theirs) instead of its refused one.
    const winner = results[0].status === 'fulfilled' ? a : b;
    const loser = winner === a ? b : a;
    const serverNow = (await server.getFeature('pipes', id))!.feature.properties;
    expect(serverNow.dn).toBe(winner === a ? 150 : 200);
    const loserView = (await loser.call('feature:get', { layer: 'pipes', id })) as { feature: { properties: Record<string, unknown> } };
    expect(loserView.feature.properties.dn).toBe(serverNow.dn);
    // The loser keeps its own DN and types a name: saved against the server's version now.
    const saved = (await loser.call('shared:resolve', { conflict, resolution: { dn: 'mine', name: { value: 'agreed' } } })) as { saved: boolean };
    expect(saved.saved).toBe(true);
    const final = (await server.getFeature('pipes', id))!.feature.properties;
    expect([final.dn, final.name]).toEqual([winner === a ? 200 : 150, 'agreed']);
    // Both copies come to the server's row (the winner hears it by NOTIFY).
    for (const c of [a, b]) {
      let p: Record<string, unknown>;
      const t0 = Date.now();
      do {
        p = ((await c.call('feature:get', { layer: 'pipes', id })) as { feature: { properties: Record<string, unknown> } }).feature.properties;
        if (p.name === 'agreed') break;
        await new Promise((r) => setTimeout(r, 20));
      } while (Date.now() - t0 < 5000);
      expect([p.dn, p.name]).toEqual([final.dn, 'agreed']);
    }
    await server.close();
  });

  it('others’ committed edits reach the live project within a second', async () => {
    const a = await client('live_c', 'c-secret-1');
    const office = await PgStore.open(url, { user: 'office' });
    const valve = (await office.listFeatures('valves'))[3];
    const rev0 = ((await a.call('project:info', {})) as ProjectInfo).revision;
    const t0 = performance.now();
    expect((await office.updateFeature('valves', String(valve.feature.id), { properties: { name: 'heard live' } }, valve.version)).ok).toBe(true);
    let seen = false;
    let ms = 0;
    while (!seen && performance.now() - t0 < 5000) {
      const fc = (await a.call('layer:get', { layer: 'valves' })) as FeatureCollection;
      seen = fc.features.some((f) => f.id === valve.feature.id && f.properties?.name === 'heard live');
      ms = performance.now() - t0;
      if (!seen) await new Promise((r) => setTimeout(r, 10));
    }
    await office.close();
    expect(seen).toBe(true);
    expect(ms).toBeLessThan(1000);
    expect(((await a.call('project:info', {})) as ProjectInfo).revision).toBeGreaterThan(rev0);
    const heard = (await a.call('shared:remote', { since: 0 })) as { events: { user: string; id: string }[] };
    expect(heard.events).toContainEqual(expect.objectContaining({ user: 'office', id: String(valve.feature.id) }));
    // Others' edits are not mine to undo.
    const j = (await a.call('journal:get', {})) as JournalState;
    expect(j.undo).toEqual([]);
  });

  it('a form read before someone else saved: their other fields are kept, the same field is a conflict', async () => {
    const a = await client('live_c', 'c-secret-1');
    const office = await PgStore.open(url, { user: 'office' });
    const row = (await office.listFeatures('pipes'))[14];
    const id = String(row.feature.id);
    const read = ((await a.call('feature:get', { layer: 'pipes', id })) as { feature: { properties: Record<string, unknown> } }).feature.properties;
    const { length_m: _computed, ...form } = read;
    expect((await office.updateFeature('pipes', id, { properties: { name: 'office name', material: 'office steel' } }, row.version)).ok).toBe(true);
    // The working copy hears it (NOTIFY) …
    const t0 = Date.now();
    while (((await a.call('feature:get', { layer: 'pipes', id })) as { feature: { properties: Record<string, unknown> } }).feature.properties.name !== 'office name' && Date.now() - t0 < 5000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    // … and a save of the form as it was read: the name (changed by both) is a conflict, nothing written.
    const f = await refusal(a.call('edit:update', { layer: 'pipes', id, properties: { ...form, name: 'my name', dn: 250 }, base: form }));
    expect(f.code).toBe('conflict');
    expect((f.params!.conflict as Conflict).fields).toEqual([{ field: 'name', mine: 'my name', theirs: 'office name', base: form.name ?? null }]);
    expect((await office.getFeature('pipes', id))!.feature.properties).toMatchObject({ name: 'office name', dn: row.feature.properties.dn });
    // Without the clash only my field is saved, on top of theirs (their material stays).
    await a.call('edit:update', { layer: 'pipes', id, properties: { ...form, dn: 250 }, base: form });
    expect((await office.getFeature('pipes', id))!.feature.properties).toMatchObject({ name: 'office name', material: 'office steel', dn: 250 });
    await office.close();
  });

  it('a viewer is told it may not edit, and the server refuses its write', async () => {
    const v = await client('live_v', 'v-secret-1');
    expect(v.info.role).toBe('viewer');
    expect(((await v.call('project:info', {})) as ProjectInfo).shared?.role).toBe('viewer');
    const server = await PgStore.open(url);
    const pipe = (await server.listFeatures('pipes'))[2];
    const f = await refusal(v.call('edit:update', { layer: 'pipes', id: String(pipe.feature.id), properties: { name: 'viewer was here' } }));
    expect(f.code).toBe('not_permitted');
    expect((await server.getFeature('pipes', String(pipe.feature.id)))!.version).toBe(pipe.version);
    // The copy is put back too: the map does not show a write the server refused.
    const shown = (await v.call('feature:get', { layer: 'pipes', id: String(pipe.feature.id) })) as { feature: { properties: Record<string, unknown> } };
    expect(shown.feature.properties.name).toBe(pipe.feature.properties.name ?? null);
    // What a live project does not take from the app (settings) is refused with a clear reason.
    expect((await refusal(v.call('settings:set', { patch: { attachToleranceM: 3 } }))).code).toBe('shared_refused');
    await server.close();
  });

  it('back to the GeoPackage: the working copy goes away', async () => {
    const a = await client('live_a', 'a-secret-1');
    const live = (await a.call('project:info', {})) as ProjectInfo;
    expect(existsSync(live.path)).toBe(true);
    expect(await a.call('shared:closeLive', {})).toEqual({ closed: true });
    const local = (await a.call('project:info', {})) as ProjectInfo;
    expect(local.shared).toBeNull();
    expect(local.path).toBe(a.local.path);
    expect(existsSync(live.path)).toBe(false);
  });
});

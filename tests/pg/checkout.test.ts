/**
 * Offline round trip: check the project out into a GeoPackage, edit it there
 * with the normal store (no server), meanwhile someone edits the server —
 * one pipe in a field the offline user also changed (a conflict), another in
 * a different field (merged) — then check in: first without answers (nothing
 * written, the conflict listed with mine / theirs / base), then with the
 * user's answers; the server ends as the user chose, nobody's edit lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../electron/backend/store/index';
import { PgStore } from '../../electron/backend/store/pg/store';
import { readCheckout } from '../../electron/backend/store/pg/checkout';
import { runCli } from '../../electron/cli/testing';
import { publishSample, useTestDb } from './server';

describe('check-out and check-in', () => {
  const db = useTestDb();
  let url = '';
  let dir = '';
  beforeAll(async () => {
    url = await publishSample(db, 'co_mingantu');
    dir = mkdtempSync(join(tmpdir(), 'wn-co-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round trip with a conflicting server edit in between, resolved as the user chose', async () => {
    const file = join(dir, 'offline.gpkg');
    const co = await runCli(['checkout', url, file, '--user', 'field-team', '--json']);
    expect(co.status, co.stderr).toBe(0);
    const info = JSON.parse(co.stdout) as { checkoutId: string; serverSeq: number; features: Record<string, number> };
    expect(info.features.pipes).toBeGreaterThan(100);
    expect(readCheckout(file)!.info).toMatchObject({ checkoutId: info.checkoutId, schema: 'co_mingantu', user: 'field-team', checkedInAt: null });
    expect((await db.query(`SELECT app_user, server_seq FROM co_mingantu.wn_checkouts WHERE id = $1`, [info.checkoutId])).rows).toEqual([
      { app_user: 'field-team', server_seq: String(info.serverSeq) },
    ]);

    // Offline: the normal GeoPackage store.
    const local = ProjectStore.open(file);
    const pipes = local.listFeatures('pipes');
    const [a, b, c] = [pipes[0], pipes[1], pipes[2]];
    const valve = local.listFeatures('valves')[0];
    local.updateFeature('pipes', String(a.id), { properties: { dn: 400, material: 'offline-material' } });
    local.updateFeature('pipes', String(b.id), { properties: { condition: 1 } });
    local.updateFeature('pipes', String(c.id), { properties: { name: 'renamed offline' } });
    local.deleteFeature('valves', String(valve.id));
    local.insertFeature('valves', { type: 'Feature', id: 'V-OFF-1', geometry: { type: 'Point', coordinates: [123.51, 47.21] }, properties: { id: 'V-OFF-1', dn: 150 } } as never);
    local.close();

    // Meanwhile on the server: pipe a's diameter (conflict with the offline dn) and pipe b's material (no clash).
    const office = await PgStore.open(url, { user: 'office' });
    try {
      const av = (await office.getFeature('pipes', String(a.id)))!;
      expect((await office.updateFeature('pipes', String(a.id), { properties: { dn: 250 } }, av.version)).ok).toBe(true);
      const bv = (await office.getFeature('pipes', String(b.id)))!;
      expect((await office.updateFeature('pipes', String(b.id), { properties: { material: 'office-material' } }, bv.version)).ok).toBe(true);
    } finally {
      await office.close();
    }

    // Check-in without answers: nothing written, the conflict listed.
    const conflictsFile = join(dir, 'conflicts.json');
    const first = await runCli(['checkin', file, url, '--conflicts', conflictsFile]);
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/1 conflicts, nothing written/);
    const conflicts = JSON.parse(readFileSync(conflictsFile, 'utf8')) as { layer: string; id: string; fields: { field: string; mine: unknown; theirs: unknown; base: unknown }[] }[];
    expect(conflicts.map((x) => `${x.layer}/${x.id}`)).toEqual([`pipes/${a.id}`]);
    expect(conflicts[0].fields).toEqual([{ field: 'dn', mine: 400, theirs: 250, base: a.properties!.dn }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM co_mingantu.valves WHERE id = 'V-OFF-1'`)).rows[0].n).toBe(0);

    // The user keeps the office's diameter for pipe a; the offline material of a goes in (no clash there).
    const answers = join(dir, 'answers.json');
    writeFileSync(answers, JSON.stringify({ [`pipes/${a.id}`]: { dn: 'theirs' } }));
    const second = await runCli(['checkin', file, url, '--resolve', answers, '--json']);
    expect(second.status, second.stderr).toBe(0);
    const r = JSON.parse(second.stdout) as Record<string, unknown>;
    expect(r).toMatchObject({ committed: true, changes: 5, inserted: 1, deleted: 1, merged: 1, resolved: 1 });

    const server = await PgStore.open(url);
    try {
      const pa = (await server.getFeature('pipes', String(a.id)))!.feature.properties!;
      expect([pa.dn, pa.material]).toEqual([250, 'offline-material']);
      const pb = (await server.getFeature('pipes', String(b.id)))!.feature.properties!;
      expect([pb.condition, pb.material]).toEqual([1, 'office-material']);
      expect((await server.getFeature('pipes', String(c.id)))!.feature.properties!.name).toBe('renamed offline');
      expect(await server.getFeature('valves', String(valve.id))).toBeUndefined();
      expect((await server.getFeature('valves', 'V-OFF-1'))!.feature.properties!.dn).toBe(150);
      const h = await server.history({ featureId: String(a.id) });
      expect(h.map((e) => e.user)).toEqual(['office', 'field-team']);
      expect(h[1].label).toBe(`check-in ${info.checkoutId}`);
    } finally {
      await server.close();
    }
    // A copy is checked in once.
    const again = await runCli(['checkin', file, url]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/were checked in at .*check the project out again/);
  });

  it('--prefer mine overrides the server; an area check-out holds only the features there', async () => {
    const file = join(dir, 'area.gpkg');
    const server = await PgStore.open(url, { user: 'office' });
    try {
      const all = await server.listFeatures('pipes');
      const p0 = (all[10].feature.geometry as { coordinates: number[][] }).coordinates[0];
      const bbox = [p0[0] - 0.002, p0[1] - 0.002, p0[0] + 0.002, p0[1] + 0.002];
      const co = await runCli(['checkout', url, file, '--bbox', bbox.join(','), '--json']);
      expect(co.status, co.stderr).toBe(0);
      const n = (JSON.parse(co.stdout) as { features: Record<string, number> }).features.pipes;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(all.length);
      const local = ProjectStore.open(file);
      const id = String(all[10].feature.id);
      expect(local.getFeature('pipes', id)).toBeDefined();
      local.updateFeature('pipes', id, { properties: { leak_count_5y: 17 } });
      local.close();
      const cur = (await server.getFeature('pipes', id))!;
      expect((await server.updateFeature('pipes', id, { properties: { leak_count_5y: 23 } }, cur.version)).ok).toBe(true);
      const ci = await runCli(['checkin', file, url, '--prefer', 'mine']);
      expect(ci.status, ci.stderr).toBe(0);
      expect((await server.getFeature('pipes', id))!.feature.properties!.leak_count_5y).toBe(17);
    } finally {
      await server.close();
    }
  });
});

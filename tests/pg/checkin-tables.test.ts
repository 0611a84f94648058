/**
 * Check-in carries more than features: renovation projects (added, changed,
 * deleted offline), their links to pipes and the project's settings go back
 * too, merged field by field with what others saved on the server meanwhile;
 * a setting both sides changed is a conflict answered like a feature's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../electron/backend/store/index';
import { checkIn, checkOut } from '../../electron/backend/store/pg/checkout';
import { PgStore } from '../../electron/backend/store/pg/store';
import { publishSample, useTestDb } from './server';

describe('check-in of projects, links and settings', () => {
  const db = useTestDb();
  let url = '';
  let dir = '';
  beforeAll(async () => {
    url = await publishSample(db, 'ct_mingantu');
    dir = mkdtempSync(join(tmpdir(), 'wn-ct-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('projects, links and settings merge with the server’s; a setting changed on both sides is a conflict', async () => {
    const file = join(dir, 'offline.gpkg');
    await checkOut(url, file, { user: 'planner' });

    const local = ProjectStore.open(file);
    const [p1, p2, p3] = local.listProjects();
    expect(p3).toBeDefined();
    const links = local.projectFeatures().filter((r) => r.layer === 'pipes');
    const removed = links.find((r) => r.project_id === p1.id)!;
    const linked = new Set(links.map((r) => r.feature_id));
    const free = local.listFeatures('pipes').filter((p) => !linked.has(String(p.id))).map((p) => String(p.id));
    local.upsertProject({ id: 'PRJ-OFFLINE', name: 'offline project', year: 2027, kind: 'pipe', status: 'planned' });
    local.upsertProject({ ...p1, name: 'renamed offline' });
    // Deleting a project takes its links with it (they go from the server too).
    const p3Links = local.projectFeatures().filter((r) => r.project_id === p3.id).length;
    local.deleteProject(p3.id);
    local.linkFeatures(p2.id, 'pipes', [free[0]]);
    local.unlinkFeatures(removed.project_id, 'pipes', [removed.feature_id]);
    local.setSettings({ attachToleranceM: 2.5, outdoorDesignC: -28 });
    local.close();

    // Meanwhile on the server: another field of p1, a link of its own, and the same setting.
    await db.query(`UPDATE ct_mingantu.projects SET responsible = 'office' WHERE id = $1`, [p1.id]);
    await db.query(`INSERT INTO ct_mingantu.project_features (project_id, layer, feature_id) VALUES ($1, 'pipes', $2)`, [p2.id, free[1]]);
    await db.query(`UPDATE ct_mingantu.settings SET value = '-30' WHERE key = 'outdoorDesignC'`);

    const server = await PgStore.open(url);
    try {
      const first = await checkIn(file, { url });
      expect(first.committed).toBe(false);
      expect(first.conflicts).toEqual([
        expect.objectContaining({ layer: 'settings', id: 'settings', fields: [{ field: 'outdoorDesignC', mine: -28, theirs: -30, base: expect.any(Number) }] }),
      ]);
      // Nothing written while a conflict is open.
      expect((await server.listProjects()).find((p) => p.id === 'PRJ-OFFLINE')).toBeUndefined();
      expect((await server.settings()).attachToleranceM).not.toBe(2.5);

      const second = await checkIn(file, { url, resolutions: { 'settings/settings': { outdoorDesignC: 'mine' } } });
      expect(second).toMatchObject({ committed: true, resolved: 1, projects: 3, links: 2 + p3Links, settings: 2 });
      const projects = await server.listProjects();
      expect(projects.find((p) => p.id === 'PRJ-OFFLINE')).toMatchObject({ name: 'offline project', year: 2027 });
      expect(projects.find((p) => p.id === p1.id)).toMatchObject({ name: 'renamed offline', responsible: 'office' });
      expect(projects.find((p) => p.id === p3.id)).toBeUndefined();
      const pf = (await server.projectFeatures()).map((r) => `${r.project_id}/${r.feature_id}`);
      expect(pf).toContain(`${p2.id}/${free[0]}`);
      expect(pf).toContain(`${p2.id}/${free[1]}`);
      expect(pf).not.toContain(`${removed.project_id}/${removed.feature_id}`);
      expect(pf.filter((k) => k.startsWith(`${p3.id}/`))).toEqual([]);
      const settings = await server.settings();
      expect([settings.attachToleranceM, settings.outdoorDesignC]).toEqual([2.5, -28]);
      // Who changed the projects is in the server's journal, under the check-in.
      expect((await server.history({ layer: 'projects' })).map((h) => h.featureId)).toEqual(expect.arrayContaining(['PRJ-OFFLINE', p1.id, p3.id]));
    } finally {
      await server.close();
    }
  });

  it('settings changed offline by an editor are refused by the server: the whole check-in writes nothing', async () => {
    const { grantRole } = await import('../../electron/backend/store/pg/publish');
    await grantRole(url, { user: 'ct_ed', role: 'editor', password: 'ed-secret-2' });
    const u = new URL(db.urlAs('ct_ed', 'ed-secret-2'));
    u.searchParams.set('schema', 'ct_mingantu');
    const file = join(dir, 'editor.gpkg');
    await checkOut(u.toString(), file);
    const local = ProjectStore.open(file);
    const pipe = local.listFeatures('pipes')[4];
    local.updateFeature('pipes', String(pipe.id), { properties: { name: 'editor offline' } });
    local.setSettings({ attachToleranceM: 4 });
    local.close();
    await expect(checkIn(file, { url: u.toString() })).rejects.toThrow(/settings changed offline \(attachToleranceM\) need the admin role/);
    const server = await PgStore.open(url);
    expect((await server.getFeature('pipes', String(pipe.id)))!.feature.properties.name).not.toBe('editor offline');
    await server.close();
  });
});

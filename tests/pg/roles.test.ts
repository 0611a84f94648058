/**
 * Roles on the server: a viewer's write is refused by PostgreSQL itself
 * (connecting as that role with pg, no WarmNet code in the way); an editor
 * edits features but not settings nor the journal; an editor limited to an
 * area (row-level security) cannot touch features outside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgStore, PermissionError } from '../../electron/backend/store/pg/store';
import { runCli } from '../../electron/cli/testing';
import { publishSample, useTestDb } from './server';

describe('roles and grants', () => {
  const db = useTestDb();
  let url = '';
  let inside = '';
  let outside = '';
  const opened: PgStore[] = [];
  const as = async (user: string) => {
    const u = new URL(url);
    u.username = user;
    u.password = `pw-${user}`;
    const s = await PgStore.open(u.toString());
    opened.push(s);
    return s;
  };
  const raw = async (user: string) => {
    const c = new pg.Client({ connectionString: db.urlAs(user, `pw-${user}`) });
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    url = await publishSample(db, 'roles_mingantu');
    for (const [user, role, extra] of [
      ['r_vera', 'viewer', []],
      ['r_ed', 'editor', []],
      ['r_ada', 'admin', []],
    ] as const) {
      const r = await runCli(['grant', url, '--user', user, '--role', role, '--password', `pw-${user}`, ...extra]);
      expect(r.status, r.stderr).toBe(0);
    }
    // Zoe edits only the pipes around one of them.
    const admin = await PgStore.open(url);
    const all = await admin.listFeatures('pipes');
    await admin.close();
    const c = (v: (typeof all)[number]) => (v.feature.geometry as { coordinates: number[][] }).coordinates[0];
    const first = c(all[0]);
    const far = all.reduce((best, v) => (Math.hypot(c(v)[0] - first[0], c(v)[1] - first[1]) > Math.hypot(c(best)[0] - first[0], c(best)[1] - first[1]) ? v : best));
    inside = String(all[0].feature.id);
    outside = String(far.feature.id);
    const bbox = [first[0] - 0.0005, first[1] - 0.0005, first[0] + 0.0005, first[1] + 0.0005].join(',');
    const r = await runCli(['grant', url, '--user', 'r_zoe', '--role', 'editor', '--password', 'pw-r_zoe', '--bbox', bbox]);
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
  });

  it('a viewer reads, and the server refuses its writes even with the UI bypassed', async () => {
    const vera = await as('r_vera');
    expect(await vera.role()).toBe('viewer');
    expect((await vera.snapshot()).layers.pipes.length).toBeGreaterThan(100);
    const c = await raw('r_vera');
    try {
      await expect(c.query(`UPDATE roles_mingantu.pipes SET dn = 100 WHERE id = $1`, [inside])).rejects.toThrow(/permission denied for table pipes/);
      await expect(c.query(`DELETE FROM roles_mingantu.valves`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`UPDATE roles_mingantu.settings SET value = '1'`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`INSERT INTO roles_mingantu.wn_journal (txid, app_user, db_user, layer, feature_id, op, version) VALUES (1, 'x', 'x', 'pipes', 'x', 'update', 1)`)).rejects.toThrow(/permission denied/);
    } finally {
      await c.end();
    }
    const co = await runCli(['checkout', db.urlAs('r_vera', 'pw-r_vera') + '?schema=roles_mingantu', join(tmpdir(), `wn-vera-${process.pid}.gpkg`)]);
    expect(co.status).toBe(1);
    expect(co.stderr).toMatch(/checking out needs the editor role \(r_vera may only view/);
    expect(co.stderr).not.toContain('pw-r_vera');
    const v = (await vera.getFeature('pipes', inside))!;
    await expect(vera.updateFeature('pipes', inside, { properties: { dn: 100 } }, v.version)).rejects.toThrow(/permission denied/);
  });

  it('an editor edits features but not the settings, and cannot write the journal', async () => {
    const ed = await as('r_ed');
    expect(await ed.role()).toBe('editor');
    const v = (await ed.getFeature('pipes', outside))!;
    const r = await ed.updateFeature('pipes', outside, { properties: { material: 'PE' } }, v.version);
    expect(r.ok).toBe(true);
    const h = await ed.history({ featureId: outside });
    expect(h.at(-1)).toMatchObject({ user: 'r_ed', dbUser: 'r_ed', op: 'update' });
    const c = await raw('r_ed');
    try {
      await expect(c.query(`UPDATE roles_mingantu.settings SET value = '1'`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`DELETE FROM roles_mingantu.wn_journal`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`INSERT INTO roles_mingantu.wn_journal (txid, app_user, db_user, layer, feature_id, op, version) VALUES (1, 'x', 'x', 'pipes', 'x', 'update', 1)`)).rejects.toThrow(/permission denied/);
    } finally {
      await c.end();
    }
    const ada = await as('r_ada');
    expect(await ada.role()).toBe('admin');
  });

  it('an editor limited to a renovation project edits only the features linked to it', async () => {
    const links = await db.query<{ project_id: string; feature_id: string }>(`SELECT project_id, feature_id FROM roles_mingantu.project_features WHERE layer = 'pipes' ORDER BY fid`);
    const project = links.rows[0].project_id;
    const linked = links.rows.find((r) => r.project_id === project)!.feature_id;
    const mine = new Set(links.rows.filter((r) => r.project_id === project).map((r) => r.feature_id));
    const other = (await db.query<{ id: string }>(`SELECT id FROM roles_mingantu.pipes ORDER BY fid`)).rows.find((r) => !mine.has(r.id))!.id;
    const g = await runCli(['grant', url, '--user', 'r_pat', '--role', 'editor', '--password', 'pw-r_pat', '--project', project]);
    expect(g.status, g.stderr).toBe(0);
    const none = await runCli(['grant', url, '--user', 'r_pat', '--role', 'editor', '--project', 'NO-SUCH']);
    expect(none.stderr).toMatch(/no project "NO-SUCH" in the ledger/);
    const pat = await as('r_pat');
    const a = (await pat.getFeature('pipes', linked))!;
    expect((await pat.updateFeature('pipes', linked, { properties: { condition: 3 } }, a.version)).ok).toBe(true);
    const b = (await pat.getFeature('pipes', other))!;
    await expect(pat.updateFeature('pipes', other, { properties: { condition: 3 } }, b.version)).rejects.toThrow(PermissionError);
  });

  it('an editor limited to an area edits inside it only (row-level security)', async () => {
    const zoe = await as('r_zoe');
    const inV = (await zoe.getFeature('pipes', inside))!;
    expect((await zoe.updateFeature('pipes', inside, { properties: { condition: 2 } }, inV.version)).ok).toBe(true);
    const outV = (await zoe.getFeature('pipes', outside))!;
    await expect(zoe.updateFeature('pipes', outside, { properties: { condition: 2 } }, outV.version)).rejects.toThrow(PermissionError);
    const c = await raw('r_zoe');
    try {
      const r = await c.query(`UPDATE roles_mingantu.pipes SET condition = 4 WHERE id = $1`, [outside]);
      expect(r.rowCount).toBe(0);
      // Moving a feature it may edit out of its area is refused as well.
      await expect(c.query(`UPDATE roles_mingantu.pipes SET geom = ST_Translate(geom, 1, 1) WHERE id = $1`, [inside])).rejects.toThrow(/row-level security/);
    } finally {
      await c.end();
    }
    expect((await zoe.getFeature('pipes', outside))!.feature.properties!.condition).toBe(outV.feature.properties!.condition);
  });
});

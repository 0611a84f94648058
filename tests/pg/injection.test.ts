/**
 * SQL injection attempts in every text field of every layer and of the
 * project ledger, in unknown (extra) properties and their names, in feature
 * ids, in the user name and edit label the journal stores as text, in a
 * login name given to `grant` and in schema names: each is stored and read
 * back exactly as typed, and every table is still there.
 */
import { describe, expect, it } from 'vitest';
import { LAYERS, TABLES } from '../../core/model/schema';
import type { ProjectData } from '../../core/model/project';
import { readProjectAt } from '../../electron/backend/store/location';
import { publishProject, grantRole } from '../../electron/backend/store/pg/publish';
import { PgStore } from '../../electron/backend/store/pg/store';
import { checkOut } from '../../electron/backend/store/pg/checkout';
import { runCli } from '../../electron/cli/testing';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestDb } from './server';

const SAMPLE = fileURLToPath(new URL('../../gis-data/mingantu.gpkg', import.meta.url));
const ATTACKS = [
  `'); DROP TABLE pipes; --`,
  `x' OR '1'='1`,
  `"; DROP SCHEMA inj CASCADE; --`,
  `$1 $$ $body$ \\' \\\\`,
  `'||(SELECT pg_sleep(5))||'`,
  `Robert'); DELETE FROM wn_journal; --`,
];

describe('SQL injection attempts', () => {
  const db = useTestDb();

  it('stores and reads back every hostile text exactly, in every text field, id, user and label', async () => {
    const { data } = await readProjectAt(SAMPLE);
    let k = 0;
    const attack = () => ATTACKS[k++ % ATTACKS.length];
    const hostile: ProjectData = JSON.parse(JSON.stringify(data));
    for (const l of LAYERS) {
      const texts = l.fields.filter((f) => f.type === 'text' && !f.enum && f.name !== 'id' && f.name !== 'project_id');
      for (const f of (hostile.layers as Record<string, { properties: Record<string, unknown> }[]>)[l.name].slice(0, 3)) {
        for (const t of texts) f.properties[t.name] = attack();
        f.properties[`note'); DROP TABLE valves; --`] = attack();
      }
    }
    const ptexts = TABLES.find((t) => t.name === 'projects')!.fields.filter((f) => f.type === 'text' && !f.enum && f.name !== 'id');
    for (const p of hostile.projects) for (const t of ptexts) (p as unknown as Record<string, unknown>)[t.name] = attack();
    const url = `${db.url}?schema=inj`;
    await publishProject(url, hostile, { description: attack() });
    const back = await readProjectAt(url);
    expect(JSON.stringify(back.data)).toBe(JSON.stringify(hostile));

    // Edits with hostile values, id, user name and label.
    const user = `mallory'); DELETE FROM inj.pipes; --`;
    const s = await PgStore.open(url, { user });
    try {
      const pipe = back.data.layers.pipes[5];
      const v = (await s.getFeature('pipes', String(pipe.id)))!;
      const label = `edit'); TRUNCATE inj.wn_journal; --`;
      const r = await s.updateFeature('pipes', String(pipe.id), { properties: { name: ATTACKS[0], material: ATTACKS[1] } }, v.version, { label });
      expect(r.ok).toBe(true);
      const badId = `V-'); DROP TABLE inj.valves; --`;
      const ins = await s.insertFeature('valves', { type: 'Feature', id: badId, geometry: { type: 'Point', coordinates: [123.5, 47.2] }, properties: { id: badId, dn: 200, name: ATTACKS[2] } } as never);
      expect(ins.ok).toBe(true);
      expect((await s.getFeature('valves', badId))!.feature.properties!.name).toBe(ATTACKS[2]);
      const h = await s.history({ featureId: String(pipe.id) });
      expect(h.at(-1)).toMatchObject({ user, label });
      expect((await s.history({ featureId: badId }))[0].featureId).toBe(badId);
      // Conflicts and history lookups take hostile ids as values.
      expect(await s.getFeature('pipes', `x' OR '1'='1`)).toBeUndefined();
    } finally {
      await s.close();
    }

    // A hostile login name for grant is quoted by the server: it becomes that (odd) role, nothing else happens.
    const odd = `eve"; DROP SCHEMA inj CASCADE; --`;
    await grantRole(url, { user: odd, role: 'viewer', password: `pw'; DROP TABLE inj.pipes; --` });
    expect((await db.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1`, [odd])).rows[0].n).toBe(1);

    // Schema names are checked before they reach SQL.
    for (const bad of [`inj;drop`, `inj"`, `INJ`, `a b`, `x'--`]) {
      const r = await runCli(['info', `${db.url}?schema=${encodeURIComponent(bad)}`]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/is not a valid project name/);
    }
    const dir = mkdtempSync(join(tmpdir(), 'wn-inj-'));
    try {
      await checkOut(url, join(dir, 'c.gpkg'), { user: `o'); DROP TABLE inj.wn_checkouts; --` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Everything is still there.
    const tables = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'inj'`);
    expect(tables.rows[0].n).toBe(LAYERS.length + TABLES.length + 5);
    const pipes = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inj.pipes`);
    expect(pipes.rows[0].n).toBe(data.layers.pipes.length);
    const journal = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inj.wn_journal`);
    expect(journal.rows[0].n).toBe(2);
  });
});

/**
 * Two clients on one published project: versions, conflicts shown per field
 * and resolved without losing either edit, NOTIFY of committed edits (its
 * latency is measured by the pgload bench), undo of one's own edits only, and the history of a feature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgStore, type ChangeEvent, type SaveResult } from '../../electron/backend/store/pg/store';
import { runCli } from '../../electron/cli/testing';
import { publishSample, useTestDb } from './server';

const ok = (r: SaveResult) => {
  if (!r.ok) throw new Error(`unexpected conflict on ${r.conflict.layer}/${r.conflict.id}`);
  return r;
};

describe('editing a shared project', () => {
  const db = useTestDb();
  let url = '';
  let alice: PgStore;
  let bob: PgStore;
  let pipes: string[] = [];

  beforeAll(async () => {
    url = await publishSample(db, 'edit_mingantu');
    alice = await PgStore.open(url, { user: 'alice' });
    bob = await PgStore.open(url, { user: 'bob' });
    pipes = (await alice.listFeatures('pipes')).map((v) => String(v.feature.id));
  });
  afterAll(async () => {
    await alice?.close();
    await bob?.close();
  });

  it('gives every feature a version; a save bumps it', async () => {
    const p = (await alice.getFeature('pipes', pipes[0]))!;
    expect(p.version).toBe(1);
    const r = ok(await alice.updateFeature('pipes', pipes[0], { properties: { material: '钢管' } }, p.version));
    expect(r.version).toBe(2);
    expect(r.feature!.properties!.material).toBe('钢管');
    expect((await bob.getFeature('pipes', pipes[0]))!.version).toBe(2);
  });

  it('two clients editing the same pipe: one conflict, mine and theirs per field, nothing lost', async () => {
    const id = pipes[1];
    const readByAlice = (await alice.getFeature('pipes', id))!;
    const readByBob = (await bob.getFeature('pipes', id))!;
    const heard: ChangeEvent[] = [];
    const stop = await bob.listen((e) => heard.push(e));
    const t0 = performance.now();
    ok(await alice.updateFeature('pipes', id, { properties: { dn: 300 } }, readByAlice.version));
    // Heard at commit (how fast: npm run bench -- pgload prints the notification latency).
    while (heard.length === 0 && performance.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 5));
    await stop();
    expect(heard).toEqual([{ layer: 'pipes', id, op: 'update', version: readByAlice.version + 1, user: 'alice', seq: expect.any(Number) }]);

    // Bob still holds the old version and changes the condition: refused as a conflict.
    const r = await bob.updateFeature('pipes', id, { properties: { condition: 5 } }, readByBob.version, { base: readByBob.feature });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const c = r.conflict;
    expect(c.kind).toBe('changed');
    expect(c.baseVersion).toBe(readByBob.version);
    expect(c.theirVersion).toBe(readByBob.version + 1);
    const byField = Object.fromEntries(c.fields.map((f) => [f.field, f]));
    expect(byField.dn).toEqual({ field: 'dn', mine: readByBob.feature.properties!.dn, theirs: 300, base: readByBob.feature.properties!.dn });
    expect(byField.condition).toEqual({ field: 'condition', mine: 5, theirs: readByBob.feature.properties!.condition, base: readByBob.feature.properties!.condition });
    // Not written: the server still has Alice's edit only.
    expect((await alice.getFeature('pipes', id))!.feature.properties!.condition).toBe(readByBob.feature.properties!.condition);

    // Bob merges: his condition, her diameter.
    const merged = ok(await bob.resolve(c, { condition: 'mine', dn: 'theirs' }));
    expect(merged.feature!.properties!.dn).toBe(300);
    expect(merged.feature!.properties!.condition).toBe(5);
    expect(merged.version).toBe(readByBob.version + 2);
  });

  it('a delete against a stale version is a conflict too; an insert of an existing id as well', async () => {
    const id = pipes[2];
    const v = (await alice.getFeature('pipes', id))!;
    ok(await bob.updateFeature('pipes', id, { properties: { name: 'bob was here' } }, v.version));
    const del = await alice.deleteFeature('pipes', id, v.version);
    expect(del.ok).toBe(false);
    if (!del.ok) expect(del.conflict.theirs!.properties!.name).toBe('bob was here');
    const ins = await alice.insertFeature('pipes', v.feature);
    expect(ins.ok).toBe(false);
    if (!ins.ok) expect(ins.conflict.kind).toBe('exists');
    expect((await alice.getFeature('pipes', id))!.feature.properties!.name).toBe('bob was here');
  });

  it('undo undoes only your own edits, and refuses when someone changed the feature since', async () => {
    const [p, q, r] = [pipes[3], pipes[4], pipes[5]];
    const pv = (await alice.getFeature('pipes', p))!;
    const before = pv.feature.properties!.leak_count_5y;
    ok(await alice.updateFeature('pipes', p, { properties: { leak_count_5y: 9 } }, pv.version));
    const qv = (await alice.getFeature('pipes', q))!;
    ok(await alice.updateFeature('pipes', q, { properties: { leak_count_5y: 7 } }, qv.version));
    const rv = (await bob.getFeature('pipes', r))!;
    ok(await bob.updateFeature('pipes', r, { properties: { leak_count_5y: 8 } }, rv.version));

    // Alice's undo takes back her q edit, not Bob's later r edit.
    const u1 = await alice.undo();
    expect(u1).toMatchObject({ undone: 1 });
    expect((await alice.getFeature('pipes', q))!.feature.properties!.leak_count_5y).toBe(qv.feature.properties!.leak_count_5y);
    expect((await alice.getFeature('pipes', r))!.feature.properties!.leak_count_5y).toBe(8);

    // Bob changes p after Alice: her undo of p would overwrite him, so it is a conflict and nothing changes.
    const pNow = (await bob.getFeature('pipes', p))!;
    ok(await bob.updateFeature('pipes', p, { properties: { condition: 1 } }, pNow.version));
    const u2 = await alice.undo();
    expect('conflict' in u2 && u2.conflict.id).toBe(p);
    const pAfter = (await alice.getFeature('pipes', p))!.feature.properties!;
    expect(pAfter.leak_count_5y).toBe(9);
    expect(pAfter.condition).toBe(1);
    expect(before).not.toBe(9);

    // The same from the command line: a conflict, exit 1, nothing undone.
    const cli = await runCli(['undo', url, '--user', 'alice']);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`pipes/${p}: changed by someone else since`);
    expect(cli.stderr).toMatch(/nothing undone/);
    expect((await alice.getFeature('pipes', p))!.feature.properties!.leak_count_5y).toBe(9);

    // An insert is undone by deleting it.
    const newValve = { type: 'Feature', id: 'V-NEW-1', geometry: { type: 'Point', coordinates: [123.5, 47.2] }, properties: { id: 'V-NEW-1', dn: 200 } };
    ok(await bob.insertFeature('valves', newValve as never));
    const byCli = await runCli(['undo', url, '--user', 'bob', '--json']);
    expect(byCli.status, byCli.stderr).toBe(0);
    expect(JSON.parse(byCli.stdout)).toMatchObject({ undone: 1 });
    expect(await bob.getFeature('valves', 'V-NEW-1')).toBeUndefined();
  });

  it('keeps who changed what and when, per feature, exportable as JSON and CSV', async () => {
    const id = pipes[1];
    const h = await alice.history({ layer: 'pipes', featureId: id });
    expect(h.map((e) => [e.user, e.op])).toEqual([
      ['alice', 'update'],
      ['bob', 'update'],
    ]);
    expect(h[0].changes).toEqual([{ field: 'dn', before: expect.any(Number), after: 300 }]);
    expect(h[1].changes.map((c) => c.field)).toEqual(['condition']);
    expect(Date.parse(h[0].at)).toBeGreaterThan(Date.now() - 600_000);

    const json = await runCli(['history', url, '--feature', id, '--json']);
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(2);
    const csv = await runCli(['history', url, '--feature', id, '--csv']);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,user,db_user,layer,feature_id,op,version,label,undo,undone,field,before,after');
    expect(lines[1]).toMatch(new RegExp(`,alice,warmnet,pipes,${id},update,\\d+,`));
    expect(lines[1]).toMatch(/,dn,\d+,300$/);
  });

  it('reads a consistent snapshot while others save', async () => {
    // Bob saves continuously while Alice snapshots: every snapshot sees whole transactions only.
    await bob.connection.query(`UPDATE edit_mingantu.pipes SET leak_count_5y = 0 WHERE id = ANY($1)`, [[pipes[10], pipes[11]]]);
    let stop = false;
    const saver = (async () => {
      let n = 0;
      while (!stop) {
        await bob.connection.query(`BEGIN`);
        await bob.connection.query(`UPDATE edit_mingantu.pipes SET leak_count_5y = $1 WHERE id = ANY($2)`, [n % 50, [pipes[10], pipes[11]]]);
        await bob.connection.query(`COMMIT`);
        n++;
      }
    })();
    for (let i = 0; i < 5; i++) {
      const snap = await alice.snapshot();
      const a = snap.layers.pipes.find((f) => f.id === pipes[10])!.properties!.leak_count_5y;
      const b = snap.layers.pipes.find((f) => f.id === pipes[11])!.properties!.leak_count_5y;
      expect(a).toBe(b);
    }
    stop = true;
    await saver;
  });
});

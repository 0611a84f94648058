/**
 * A client killed with SIGKILL in the middle of a save (a child process,
 * transaction open, 100 rows updated, no COMMIT): the server rolls it back —
 * no row of the unfinished edit, no journal entry of it, every version
 * matching the journal — and the edits it committed before are whole.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { publishSample, useTestDb } from './server';

const CHILD = fileURLToPath(new URL('./kill.child.mjs', import.meta.url));

function runUntilMid(url: string, schema: string, committed: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, url, schema, String(committed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      for (const l of d.toString().split('\n').filter(Boolean)) {
        lines.push(l);
        if (l === 'mid') child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('a client killed mid-save', () => {
  const db = useTestDb();

  it('leaves the server consistent: the unfinished edit is gone, the committed ones are whole', async () => {
    const url = await publishSample(db, 'kill_mingantu');
    const before = await db.query<{ id: string; leak_count_5y: number }>(`SELECT id, leak_count_5y::int AS leak_count_5y FROM kill_mingantu.pipes ORDER BY fid`);
    const lines = await runUntilMid(url.replace(/\?schema=.*/, ''), 'kill_mingantu', 2);
    expect(lines).toEqual(['done 1', 'done 2', 'mid']);
    // The server notices the dead connection and rolls its transaction back.
    for (let i = 0; i < 100; i++) {
      const open = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
      if (open.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await db.query<{ id: string; leak_count_5y: number; wn_version: number }>(`SELECT id, leak_count_5y::int AS leak_count_5y, wn_version FROM kill_mingantu.pipes ORDER BY fid`);
    const firstHundred = new Set(after.rows.slice(0, 100).map((r) => r.id));
    for (const [i, r] of after.rows.entries()) {
      if (firstHundred.has(r.id)) {
        expect(r.leak_count_5y, r.id).toBe(2); // the last committed edit, not 99
        expect(r.wn_version, r.id).toBe(3);
      } else {
        expect(r.leak_count_5y, r.id).toBe(before.rows[i].leak_count_5y);
        expect(r.wn_version, r.id).toBe(1);
      }
    }
    const journal = await db.query<{ label: string; n: number }>(
      `SELECT label, count(*)::int AS n FROM kill_mingantu.wn_journal WHERE app_user = 'killed-client' GROUP BY label ORDER BY label`,
    );
    expect(journal.rows).toEqual([
      { label: 'edit 1', n: 100 },
      { label: 'edit 2', n: 100 },
    ]);
    // Every version is 1 + the journal's updates of that feature.
    const mismatch = await db.query(
      `SELECT p.id FROM kill_mingantu.pipes p
         LEFT JOIN (SELECT feature_id, count(*) AS n FROM kill_mingantu.wn_journal WHERE layer = 'pipes' AND op = 'update' GROUP BY feature_id) j ON j.feature_id = p.id
        WHERE p.wn_version <> 1 + coalesce(j.n, 0)`,
    );
    expect(mismatch.rows).toEqual([]);
  });
});

/**
 * Load on a shared project (loopback only): EDITORS simulated editors, each
 * making EDITS edits to one published project at once. Each edit adds 1 to
 * `leak_count_5y` of a pipe drawn from a small hot set, read-modify-write
 * through PgStore with the version it read; a conflict is answered by
 * reading again and redoing the edit, as a user would. If any conflict went
 * undetected an increment would be lost, so the check is exact: the hot
 * pipes' counts grow by EDITORS × EDITS, and the journal holds EDITS updates
 * per editor. Prints p50/p95 save latency and the latency of the NOTIFY a
 * separate listening client hears for each committed save.
 *
 * Sizes: WARMNET_PGLOAD_EDITORS (default 10), WARMNET_PGLOAD_EDITS (per
 * editor, default 100; the full run is 1000), WARMNET_PGLOAD_HOT (pipes
 * edited, default 40).
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPgServer } from '../../scripts/pgserver.mjs';
import { readProjectAt } from '../../electron/backend/store/location';
import { publishProject } from '../../electron/backend/store/pg/publish';
import { PgStore, type ChangeEvent } from '../../electron/backend/store/pg/store';
import { seededRandom } from '../../core/random';

const EDITORS = Number(process.env.WARMNET_PGLOAD_EDITORS ?? 10);
const EDITS = Number(process.env.WARMNET_PGLOAD_EDITS ?? 100);
const HOT = Number(process.env.WARMNET_PGLOAD_HOT ?? 40);
const SAMPLE = fileURLToPath(new URL('../../gis-data/mingantu.gpkg', import.meta.url));

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export default async function bench(): Promise<void> {
  const server = await startPgServer();
  try {
    const url = `${server.url}?schema=load`;
    const { data, description } = await readProjectAt(SAMPLE);
    await publishProject(url, data, { description });
    const hot = data.layers.pipes.slice(0, HOT).map((f) => String(f.id));
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const sum = async () => Number((await admin.query(`SELECT sum(coalesce(leak_count_5y, 0))::bigint AS s FROM load.pipes WHERE id = ANY($1)`, [hot])).rows[0].s);
    const start = await sum();

    // One more client listens, as another user's map would.
    const saved = new Map<string, number>();
    const notifyLatency: number[] = [];
    const heard = new Map<string, number>();
    const watcher = await PgStore.open(url, { user: 'watcher' });
    await watcher.listen((e: ChangeEvent) => {
      const key = `${e.id}@${e.version}`;
      const t = performance.now();
      const at = saved.get(key);
      if (at !== undefined) notifyLatency.push(Math.max(0, t - at));
      else heard.set(key, t);
    });

    const saveLatency: number[] = [];
    let conflicts = 0;
    const editors = await Promise.all(Array.from({ length: EDITORS }, (_, i) => PgStore.open(url, { user: `editor-${i + 1}` })));
    const t0 = performance.now();
    await Promise.all(
      editors.map(async (store, i) => {
        const rnd = seededRandom(1000 + i);
        for (let n = 0; n < EDITS; n++) {
          const id = hot[Math.floor(rnd() * hot.length)];
          for (;;) {
            const cur = (await store.getFeature('pipes', id))!;
            const count = Number(cur.feature.properties!.leak_count_5y ?? 0);
            const a = performance.now();
            const r = await store.updateFeature('pipes', id, { properties: { leak_count_5y: count + 1 } }, cur.version, { base: cur.feature });
            const b = performance.now();
            saveLatency.push(b - a);
            if (r.ok) {
              const key = `${id}@${r.version}`;
              const early = heard.get(key);
              if (early !== undefined) {
                // Heard before the saving client had its COMMIT answer: latency 0.
                notifyLatency.push(0);
                heard.delete(key);
              } else saved.set(key, b);
              break;
            }
            conflicts++;
          }
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    // Let the last notifications arrive.
    for (let i = 0; i < 100 && notifyLatency.length < EDITORS * EDITS; i++) await new Promise((r) => setTimeout(r, 20));

    const end = await sum();
    const perUser = (await admin.query(`SELECT app_user, count(*)::int AS n FROM load.wn_journal WHERE op = 'update' GROUP BY app_user ORDER BY app_user`)).rows as { app_user: string; n: number }[];
    const expected = EDITORS * EDITS;
    const lost = expected - (end - start);
    saveLatency.sort((x, y) => x - y);
    notifyLatency.sort((x, y) => x - y);
    console.log(`${EDITORS} editors × ${EDITS} edits on ${HOT} hot pipes (one project, loopback); ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`);
    console.log(`  saves committed: ${end - start} of ${expected}; lost edits: ${lost}; conflicts detected (and redone): ${conflicts}`);
    console.log(`  journal updates per editor: ${perUser.map((r) => r.n).join(', ')} (each should be ${EDITS})`);
    console.log(`  save latency   p50 ${pct(saveLatency, 50).toFixed(1)} ms, p95 ${pct(saveLatency, 95).toFixed(1)} ms, max ${pct(saveLatency, 100).toFixed(1)} ms (${saveLatency.length} saves incl. conflicts)`);
    console.log(`  notify latency p50 ${pct(notifyLatency, 50).toFixed(1)} ms, p95 ${pct(notifyLatency, 95).toFixed(1)} ms, max ${pct(notifyLatency, 100).toFixed(1)} ms (${notifyLatency.length} heard of ${expected})`);
    console.log(`  throughput ${(expected / wall).toFixed(0)} committed edits/s (${wall.toFixed(1)} s)`);
    const ok = lost === 0 && perUser.length === EDITORS && perUser.every((r) => r.n === EDITS) && notifyLatency.length === expected;
    console.log(ok ? '  OK: 0 lost edits, every conflict detected, every save heard' : '  FAILED');
    for (const s of editors) await s.close();
    await watcher.close();
    await admin.end();
    if (!ok) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

// A client that dies in the middle of a save: it opens a transaction on the
// project, updates 100 pipes as one edit (journal rows written by the
// trigger), says "mid" and waits to be killed with SIGKILL before COMMIT.
// Before that it commits `committed` whole edits, each announced "done N".
import pg from 'pg';

const [url, schema, committed] = process.argv.slice(2);
const c = new pg.Client({ connectionString: url });
await c.connect();
const ids = (await c.query(`SELECT id FROM "${schema}".pipes ORDER BY fid LIMIT 100`)).rows.map((r) => r.id);
const edit = async (n) => {
  await c.query('BEGIN');
  await c.query(`SELECT set_config('warmnet.user', 'killed-client', true), set_config('warmnet.label', $1, true)`, [`edit ${n}`]);
  for (const id of ids) await c.query(`UPDATE "${schema}".pipes SET leak_count_5y = $1 WHERE id = $2`, [n, id]);
};
for (let n = 1; n <= Number(committed); n++) {
  await edit(n);
  await c.query('COMMIT');
  process.stdout.write(`done ${n}\n`);
}
await edit(99);
process.stdout.write('mid\n');
setInterval(() => {}, 1000);

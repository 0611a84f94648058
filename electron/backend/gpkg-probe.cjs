/**
 * Child process of gpkgGuard.ts: tries the views of another tool's GeoPackage
 * apart from the app, under SQLite's hard heap limit, and says how many rows
 * each gives (up to a limit). The parent kills it when its time is up, so a
 * recursive view that never ends costs nothing but this process. Plain
 * CommonJS (no TypeScript, no bundling) so Node and Electron's utility
 * process both start it as it is. A watcher thread ends the process when its
 * memory passes the limit (SQLite's own heap limit needs memory statistics,
 * which this build may leave off): the main thread is busy inside SQLite.
 * argv: <file.gpkg> <views as JSON> <max rows> <heap limit bytes>
 */
'use strict';
const Database = require('better-sqlite3');
const { existsSync, writeSync } = require('node:fs');
const { Worker } = require('node:worker_threads');

const [path, viewsJson, maxRowsText, heapText] = process.argv.slice(2);
const binding = process.env.WARMNET_SQLITE_BINDING;
const send = (msg) => writeSync(1, JSON.stringify(msg) + '\n');
const ceiling = process.memoryUsage.rss() + Number(heapText);
// The watcher also ends the process when its parent is gone (a cancelled or killed import leaves nothing running).
new Worker(
  `const { writeSync } = require('node:fs');
   const parent = ${process.ppid};
   setInterval(() => {
     try {
       process.kill(parent, 0);
     } catch {
       process.kill(process.pid, 'SIGKILL');
     }
     if (process.memoryUsage.rss() > ${ceiling}) {
       writeSync(1, JSON.stringify({ ok: false, memory: true, message: 'memory limit' }) + '\\n');
       process.kill(process.pid, 'SIGKILL');
     }
   }, 20);`,
  { eval: true },
).unref();
try {
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(binding && existsSync(binding) ? { nativeBinding: binding } : {}) });
  db.pragma(`hard_heap_limit = ${Number(heapText)}`);
  // Sorts and temporary results stay in memory, under the heap limit (not on the disk).
  db.pragma('temp_store = MEMORY');
  const maxRows = Number(maxRowsText);
  const rows = {};
  for (const view of JSON.parse(viewsJson)) {
    let n = 0;
    const st = db.prepare(`SELECT * FROM "${String(view).replace(/"/g, '""')}" LIMIT ?`);
    for (const _ of st.iterate(maxRows + 1)) n++;
    rows[view] = n;
  }
  db.close();
  send({ ok: true, rows });
  process.exit(0);
} catch (err) {
  const message = String((err && err.message) || err);
  send({ ok: false, memory: /out of memory|SQLITE_NOMEM/i.test(message) || (err && err.code === 'SQLITE_NOMEM'), message });
  process.exit(0);
}

/**
 * Child of import-concurrency.test.ts and import-crash.test.ts: edits a
 * project through the store as the app does, while another process writes
 * to it. Usage: edits.child.ts <project.gpkg> <count> <tag> [log]
 * Each edit is an insert of pipe <tag>-<n> or an update of the one before;
 * every failure is counted (and its message kept). With a log, `begin` /
 * `done` lines go there (synchronously) around each edit. Prints one JSON
 * line: { done, failed, errors }.
 */
import { appendFileSync } from 'node:fs';
import { ProjectStore } from '../../electron/backend/store/index';

const [path, countText, tag, log] = process.argv.slice(2);
const count = Number(countText);
const store = ProjectStore.open(path);
const pause = new Int32Array(new SharedArrayBuffer(4));
let done = 0;
let failed = 0;
const errors: string[] = [];
const say = (line: string) => log && appendFileSync(log, line + '\n');
for (let n = 1; n <= count; n++) {
  const id = `${tag}-${n}`;
  try {
    if (n % 4 === 0) {
      const target = `${tag}-${n - 1}`;
      say(`begin update ${target} ${n % 5 + 1}`);
      store.updateFeature('pipes', target, { properties: { condition: (n % 5) + 1 } });
      say(`done update ${target} ${n % 5 + 1}`);
    } else {
      say(`begin insert ${id}`);
      const x = 115.0 + (n % 100) * 0.0002;
      store.insertFeature('pipes', {
        type: 'Feature',
        id,
        geometry: { type: 'LineString', coordinates: [[x, 42.28], [x + 0.0003, 42.2803]] },
        properties: { id, level: 'courtyard', dn: 80, install_year: 2020 },
      });
      say(`done insert ${id}`);
    }
    done++;
  } catch (err) {
    failed++;
    if (errors.length < 5) errors.push(String((err as Error).message));
  }
  // Spread over the other writer's work, as a user's edits are.
  Atomics.wait(pause, 0, 0, 25);
}
store.close();
process.stdout.write(JSON.stringify({ done, failed, errors }) + '\n');

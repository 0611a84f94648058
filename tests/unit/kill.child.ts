/**
 * Child of kill.test.ts: a long series of edits on a project through the
 * store, as the app makes them. Before each edit it logs `begin <op>`, after
 * the commit `done <op>` (synchronous appends, so a line in the log is on disk
 * before the next edit starts). The parent kills it with SIGKILL at a random
 * moment. Usage: kill.child.ts <project.gpkg> <log file> <run number>
 */
import { appendFileSync } from 'node:fs';
import { ProjectStore } from '../../electron/backend/store/index';
import { splitPipe } from '../../electron/backend/editing';

const [path, log, run] = process.argv.slice(2);
const store = ProjectStore.open(path);
const first = store.listFeatures('pipes')[0];
const [x0, y0] = (first.geometry as { coordinates: number[][] }).coordinates[0];

const say = (line: string) => appendFileSync(log, line + '\n');
let n = 0;
const mine: string[] = [];
for (;;) {
  n++;
  const id = `K-${run}-${n}`;
  const kind = n % 7 === 0 && mine.length ? 'delete' : n % 5 === 0 && mine.length ? 'split' : n % 3 === 0 && mine.length ? 'update' : 'insert';
  if (kind === 'insert') {
    say(`begin insert ${id}`);
    const dx = (n % 50) * 0.0001;
    store.insertFeature('pipes', {
      type: 'Feature',
      id,
      geometry: { type: 'LineString', coordinates: [[x0 + dx, y0 + 0.0002 * Number(run)], [x0 + dx + 0.0004, y0 + 0.0002 * Number(run) + 0.0001]] },
      properties: { id, level: 'courtyard', dn: 80, install_year: 2025 },
    });
    mine.push(id);
    say(`done insert ${id}`);
  } else if (kind === 'update') {
    const target = mine[mine.length - 1];
    const condition = (n % 5) + 1;
    say(`begin update ${target} ${condition}`);
    store.updateFeature('pipes', target, { properties: { condition } });
    say(`done update ${target} ${condition}`);
  } else if (kind === 'split') {
    const target = mine.pop()!;
    say(`begin split ${target}`);
    const g = store.getFeature('pipes', target)!.geometry as { coordinates: number[][] };
    const [a, b] = g.coordinates;
    splitPipe(store, target, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
    mine.push(`${target}-1`, `${target}-2`);
    say(`done split ${target}`);
  } else {
    const target = mine.shift()!;
    say(`begin delete ${target}`);
    store.deleteFeature('pipes', target);
    say(`done delete ${target}`);
  }
}

/**
 * The legend's totals on a project large enough that the backend's pass over
 * the pipes goes in steps: edits landing between the steps (rows the pass has
 * read and rows it reads later, updates, inserts, deletes) are followed, so the
 * pass neither starts again nor answers stale totals: one pass, shared by the
 * callers of the old revision and of the new one, with the totals a fresh
 * connection's full pass gives.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from './store/index';
import { createDispatcher } from './handlers';
import { PIPE_ROWS_PER_STEP, type PipeClassifier } from './store/summary';
import { pipeClassKey } from '../../core/plan/info';
import { gridProject } from '../../tests/bench/grid';

let dir: string;
let store: ProjectStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-legend-'));
  store = ProjectStore.createFromData(join(dir, 'grid.gpkg'), gridProject(PIPE_ROWS_PER_STEP + 5000));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('legend totals while the project is edited', () => {
  it('a write during the pass is taken into it: one pass, shared by every caller, with the totals of now', async () => {
    const summaries = (store as unknown as { summaries: { passes: { full: number; incremental: number } } }).summaries;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are read field by field
    const call = createDispatcher(() => store, 2026) as (c: string, a: unknown) => Promise<any>;
    const before = summaries.passes.full;
    // the handler runs its first step at once, then waits for the event loop's next turn
    const first = call('theme:stats', { theme: 'age' });
    expect(summaries.passes.full).toBe(before + 1);
    const pipe = store.listFeatures('pipes')[7];
    const dn = pipe.properties.dn === 400 ? 350 : 400;
    store.updateFeature('pipes', String(pipe.id), { properties: { dn, install_year: 1962 } });
    const second = call('theme:stats', { theme: 'age' });
    const [a, b] = await Promise.all([first, second]);
    // one pass for both: not started again, not a second beside it
    expect(summaries.passes.full).toBe(before + 1);
    expect(a).toEqual(b);
    // the totals of the revision now, as a new backend reads them
    const fresh = ProjectStore.open(store.path);
    try {
      const want = await createDispatcher(() => fresh, 2026)('theme:stats' as never, { theme: 'age' } as never);
      expect(a).toEqual(want);
    } finally {
      fresh.close();
    }
  });

  it('edits between the steps of a pass, before and behind where it reads, give the totals of a full pass after them', () => {
    type Steps = { pipeTotalsSteps(c: PipeClassifier, rows?: number): Generator<void, { classes: { key: string; count: number; km: number }[] }, void>; passes: { full: number; incremental: number } };
    const summaries = (store as unknown as { summaries: Steps }).summaries;
    const settings = store.getSettings();
    const classify: PipeClassifier = (p) => pipeClassKey(p, settings, 2026);
    const pipes = store.listFeatures('pipes');
    const n = pipes.length;
    const before = summaries.passes.full;
    const steps = summaries.pipeTotalsSteps(classify, 5000);
    steps.next(); // read fids up to 5000
    // a pipe already read and one not yet read change class; one of each goes; a new one comes
    store.updateFeature('pipes', String(pipes[10].id), { properties: { install_year: 1961, dn: 600 } });
    store.updateFeature('pipes', String(pipes[n - 10].id), { properties: { install_year: 1963, dn: 700 } });
    steps.next();
    store.deleteFeature('pipes', String(pipes[20].id));
    store.deleteFeature('pipes', String(pipes[n - 20].id));
    store.updateFeature('pipes', String(pipes[n - 10].id), { properties: { install_year: 1964 } });
    const extra = { ...pipes[30], id: 'P-EXTRA', properties: { ...pipes[30].properties, id: 'P-EXTRA', install_year: 1960 } };
    store.insertFeature('pipes', extra as never);
    let r = steps.next();
    while (!r.done) r = steps.next();
    expect(summaries.passes.full).toBe(before + 1);
    expect(r.value.classes.reduce((a, g) => a + g.count, 0)).toBe(n - 1);
    // the pass's totals are kept: the next edit moves them, with no full pass
    store.updateFeature('pipes', String(pipes[40].id), { properties: { dn: 500 } });
    const after = store.pipeTotals(classify);
    expect(summaries.passes.full).toBe(before + 1);
    // equal to a full pass of another connection over the file as it is now
    const fresh = ProjectStore.open(store.path);
    try {
      const want = new Map(fresh.pipeTotals((p) => pipeClassKey(p, settings, 2026)).classes.map((g) => [g.key, g]));
      const got = new Map(after.classes.map((g) => [g.key, g]));
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [k, g] of want) {
        expect(got.get(k)!.count, k).toBe(g.count);
        expect(got.get(k)!.km, k).toBeCloseTo(g.km, 6);
      }
    } finally {
      fresh.close();
    }
  });
});

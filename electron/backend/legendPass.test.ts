/**
 * The legend's totals on a project large enough that the backend's pass over
 * the pipes goes in steps: a write while it runs voids that pass, and the
 * callers of the old revision and of the new one share one pass of the new
 * revision (no second pass beside it), with the totals a fresh read gives.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from './store/index';
import { createDispatcher } from './handlers';
import { PIPE_ROWS_PER_STEP } from './store/summary';
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
  it('a write during the pass leaves one pass of the new revision, shared by every caller', async () => {
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
    // the void pass and the one of the new revision: not a third beside them
    expect(summaries.passes.full).toBe(before + 2);
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
});

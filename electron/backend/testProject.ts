/**
 * For the channel tests: a real temporary GeoPackage (the small fixture
 * project of tests/e2e/fixture.ts, or a copy of the Mingantu sample), opened
 * with the store and served by the one dispatcher, for all the tests of the
 * calling file; closed and removed after them.
 */
import { afterAll, beforeAll } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from './store/index';
import { createDispatcher } from './handlers';
import { writeFixtureProject } from '../../tests/e2e/fixture';

export const SAMPLE = fileURLToPath(new URL('../../gis-data/mingantu.gpkg', import.meta.url));

export interface TestProject {
  /** The temporary folder that holds the project (and whatever a test writes beside it). */
  readonly dir: string;
  readonly path: string;
  readonly store: ProjectStore;
  readonly dispatch: ReturnType<typeof createDispatcher>;
}

/**
 * `prefix` names the temporary folder; `from: 'sample'` copies the sample
 * when it is there and writes the fixture otherwise; `after` runs once the
 * store is closed, before the folder goes.
 */
export function useTestProject(opts: { prefix: string; year?: number; from?: 'fixture' | 'sample'; after?: () => unknown }): TestProject {
  const year = opts.year ?? 2026;
  let open: TestProject | null = null;
  const get = (): TestProject => {
    if (!open) throw new Error('the test project opens in beforeAll');
    return open;
  };
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), `warmnet-${opts.prefix}-`));
    const path = join(dir, opts.from === 'sample' ? 'sample.gpkg' : 'fixture.gpkg');
    if (opts.from === 'sample' && existsSync(SAMPLE)) copyFileSync(SAMPLE, path);
    else writeFixtureProject(path, year);
    const store = ProjectStore.open(path);
    open = { dir, path, store, dispatch: createDispatcher(() => store, year) };
  });
  afterAll(async () => {
    if (!open) return;
    try {
      open.store.close();
      await opts.after?.();
    } finally {
      rmSync(open.dir, { recursive: true, force: true });
      open = null;
    }
  });
  return {
    get dir() {
      return get().dir;
    },
    get path() {
      return get().path;
    },
    get store() {
      return get().store;
    },
    get dispatch() {
      return get().dispatch;
    },
  };
}

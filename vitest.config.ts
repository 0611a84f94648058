import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'tests/unit/**/*.test.ts', 'gis-data/**/*.test.ts'],
        },
      },
      {
        // Tests on a real PostgreSQL + PostGIS: one throwaway server per run, started only when one of these files runs.
        extends: true,
        test: {
          name: 'pg',
          include: ['tests/pg/**/*.test.ts'],
          globalSetup: ['tests/pg/global-setup.ts'],
        },
      },
    ],
  },
});

/** One throwaway PostgreSQL + PostGIS server for the whole test run (tests/pg/server.ts gives each file its own database). */
import type { TestProject } from 'vitest/node';
import { startPgServer } from '../../scripts/pgserver.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPgServer();
  project.provide('pgUrl', server.url);
  return () => server.stop();
}

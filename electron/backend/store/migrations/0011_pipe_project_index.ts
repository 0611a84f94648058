/**
 * 0011: an index of the pipes that carry a project (所属项目), so the legend's
 * plan totals find them without reading every pipe.
 *
 * Partial (`WHERE project_id IS NOT NULL`): most pipes belong to no project,
 * so the index holds only the few that do, and a bulk import of pipes without
 * a project adds nothing to it. SQLite uses it for the query that asks
 * exactly `project_id IS NOT NULL`.
 *
 * Frozen SQL: it says exactly what this change does, whatever schema.ts says later.
 */
import type { Migration } from './migration';

export const SQL_0011 = `
CREATE INDEX IF NOT EXISTS "pipes_project_id" ON "pipes" (project_id) WHERE project_id IS NOT NULL;
`;

export const migration0011: Migration = {
  version: 11,
  name: '0011_pipe_project_index',
  up(db) {
    db.exec(SQL_0011);
  },
};

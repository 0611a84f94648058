/**
 * The PostgreSQL of a test file: its own database on the run's server
 * (global-setup.ts), PostGIS created, dropped after the file's tests.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import pg from 'pg';

export interface TestDb {
  /** Superuser URL of this file's database. */
  url: string;
  /** URL of the same database as another role. */
  urlAs(user: string, password: string): string;
  /** One query as the superuser. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

let counter = 0;

/** A database for this test file, created before its tests and dropped after. */
export function useTestDb(): TestDb {
  const base = new URL(inject('pgUrl'));
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  // Administration goes through the `postgres` database: the template may have no one connected.
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const admin = () => new pg.Client({ connectionString: adminUrl.toString() });
  let client: pg.Client | null = null;
  beforeAll(async () => {
    const c = admin();
    await c.connect();
    // The run's `warmnet` database has PostGIS: copy it.
    await c.query(`CREATE DATABASE ${name} TEMPLATE warmnet`);
    await c.end();
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return {
    url: url.toString(),
    urlAs(user, password) {
      const u = new URL(url);
      u.username = encodeURIComponent(user);
      u.password = encodeURIComponent(password);
      return u.toString();
    },
    query(sql, params) {
      if (!client) throw new Error('the test database is not ready (use it inside a test or a hook)');
      return client.query(sql, params as unknown[]);
    },
  };
}

/** Publish the Mingantu sample to `schema` of a test database; returns the project URL. */
export async function publishSample(db: TestDb, schema: string): Promise<string> {
  const { readProjectAt } = await import('../../electron/backend/store/location');
  const { publishProject } = await import('../../electron/backend/store/pg/publish');
  const { fileURLToPath } = await import('node:url');
  const sample = fileURLToPath(new URL('../../gis-data/mingantu.gpkg', import.meta.url));
  const { data, description } = await readProjectAt(sample);
  const url = `${db.url}?schema=${schema}`;
  await publishProject(url, data, { description, source: 'mingantu.gpkg' });
  return url;
}

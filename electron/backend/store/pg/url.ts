/**
 * A project on PostgreSQL is named by a URL: `postgres://user:pw@host:port/db?schema=NAME`.
 * The schema parameter names the project (one schema per project); the rest
 * is a libpq connection string as `pg` reads it.
 */
import pg from 'pg';

export interface PgTarget {
  /** The connection string without the `schema` parameter. */
  connectionString: string;
  /** The project's schema (validated: lower-case letters, digits, underscore). */
  schema: string;
  /** The URL as shown to people: no password. */
  display: string;
}

/** Schema names the store accepts: short enough for the `<schema>_viewer` role names, nothing to quote. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export function isPgUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export class PgUrlError extends Error {
  constructor(url: string, why: string) {
    super(`${redact(url)}: ${why}`);
    this.name = 'PgUrlError';
  }
}

/** The URL without its password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@');
  }
}

export function parsePgUrl(url: string): PgTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PgUrlError(url, 'not a valid URL (expected postgres://user:password@host:port/database?schema=NAME)');
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol)) throw new PgUrlError(url, 'not a postgres:// URL');
  const schema = u.searchParams.get('schema');
  if (!schema) throw new PgUrlError(url, 'no ?schema=NAME: the schema names the project on the server');
  if (!SCHEMA_NAME.test(schema)) {
    throw new PgUrlError(url, `schema "${schema}" is not a valid project name (lower-case letters, digits and _, starting with a letter or _, at most 48 characters)`);
  }
  u.searchParams.delete('schema');
  const connectionString = u.toString();
  const shown = new URL(connectionString);
  if (shown.password) shown.password = '';
  shown.searchParams.set('schema', schema);
  return { connectionString, schema, display: shown.toString().replace(/:@/, '@') };
}

/** Quote an identifier (names come from schema.ts or a validated schema name; quoted anyway). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Values as the GeoPackage store gives them: 64-bit integers and numerics as
 * numbers, dates as their 'YYYY-MM-DD' text.
 */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    if (oid === 1082) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** A connected client for a target. */
export async function connect(target: PgTarget, appName = 'warmnet'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: target.connectionString, types: TYPES, application_name: appName });
  // A connection the server ends (restart, terminated session) must not crash the process:
  // the next query on it fails with the reason instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new PgUrlError(target.display, `cannot connect (${(err as Error).message})`);
  }
  return client;
}

/** Run `fn` in one transaction: COMMIT when it returns, ROLLBACK when it throws. */
export async function inTransaction<T>(client: pg.Client, fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await client.query(begin);
  try {
    const r = await fn();
    await client.query('COMMIT');
    return r;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

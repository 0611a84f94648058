/**
 * `publish`: copy a whole project to a PostgreSQL schema in one transaction
 * (tables, rows, indexes, journal triggers, roles and grants). An existing
 * schema is refused unless `replace` is given; then it is dropped in the same
 * transaction, so a failed publish leaves the old one as it was.
 */
import type pg from 'pg';
import { LAYERS, TABLES, type LayerName } from '../../../../core/model/schema';
import type { ProjectData } from '../../../../core/model/project';
import type { Feature } from '../../../../core/model/types';
import { columnFields } from '../gpkg';
import { PG_LAYOUT_VERSION, addColumnDdl, finishDdl, logRowFunctionDdl, missingColumns, roleNames, tablesDdl } from './ddl';
import { schemaColumns } from './store';
import { layerCols, rowParamsAsIs } from './rows';
import { connect, ident, inTransaction, parsePgUrl, type PgTarget } from './url';

/** Rows per multi-row INSERT (well under PostgreSQL's 65535 parameters). */
const ROWS_PER_INSERT = 500;

export interface PublishOptions {
  replace?: boolean;
  description?: string | null;
  /** Where it came from (kept in warmnet_meta). */
  source?: string;
}

export interface PublishResult {
  schema: string;
  features: Record<string, number>;
  projects: number;
  roles: { viewer: string; editor: string; admin: string };
}

async function insertRows(client: pg.Client, table: string, columns: string[], rows: unknown[][], geomFirst: boolean): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const ph = row.map((v, i) => {
        params.push(v);
        return geomFirst && i === 0 ? `ST_GeomFromWKB($${params.length}, 4490)` : `$${params.length}`;
      });
      return `(${ph.join(', ')})`;
    });
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Create the roles of a schema that do not exist yet (roles are shared by the whole server). */
async function ensureRoles(client: pg.Client, schema: string): Promise<void> {
  for (const name of Object.values(roleNames(schema))) {
    const r = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    if (r.rowCount === 0) await client.query(`CREATE ROLE ${ident(name)} NOLOGIN`);
  }
}

export async function publishToTarget(client: pg.Client, target: PgTarget, data: ProjectData, opts: PublishOptions = {}): Promise<PublishResult> {
  const schema = target.schema;
  const s = ident(schema);
  const features: Record<string, number> = {};
  await inTransaction(client, async () => {
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount) {
      if (!opts.replace) throw new Error(`${target.display}: schema "${schema}" already exists; give --replace to overwrite it`);
      await client.query(`DROP SCHEMA ${s} CASCADE`);
    }
    await client.query(tablesDdl(schema));
    for (const def of LAYERS) {
      const l = layerCols(def.name);
      const list = ((data.layers as Record<LayerName, Feature[]>)[def.name] ?? []) as Feature[];
      await insertRows(client, `${s}.${ident(def.name)}`, l.columnList.split(', '), list.map((f) => rowParamsAsIs(l, f)), true);
      features[def.name] = list.length;
    }
    const pf = columnFields(TABLES.find((t) => t.name === 'projects')!.fields);
    await insertRows(client, `${s}.projects`, pf.map((f) => ident(f.name)), (data.projects ?? []).map((p) => pf.map((f) => (p as unknown as Record<string, unknown>)[f.name] ?? null)), false);
    await insertRows(client, `${s}.project_features`, ['project_id', 'layer', 'feature_id'], (data.projectFeatures ?? []).map((r) => [r.project_id, r.layer, r.feature_id]), false);
    await insertRows(client, `${s}.settings`, ['key', 'value'], Object.entries(data.settings ?? {}).map(([k, v]) => [k, JSON.stringify(v)]), false);
    const meta: [string, string | null][] = [
      ['layout_version', String(PG_LAYOUT_VERSION)],
      ['description', opts.description ?? null],
      ['published_from', opts.source ?? null],
      ['published_at', new Date().toISOString()],
    ];
    await insertRows(client, `${s}.warmnet_meta`, ['key', 'value'], meta, false);
    await ensureRoles(client, schema);
    await client.query(finishDdl(schema));
    await client.query(`ANALYZE`);
  });
  return { schema, features, projects: data.projects?.length ?? 0, roles: roleNames(schema) };
}

/** Publish plain project data to `postgres://…?schema=NAME`. */
export async function publishProject(url: string, data: ProjectData, opts: PublishOptions = {}): Promise<PublishResult> {
  const target = parsePgUrl(url);
  const client = await connect(target, 'warmnet-publish');
  try {
    return await publishToTarget(client, target, data, opts);
  } finally {
    await client.end();
  }
}

/**
 * Give a login user one of a project's roles (creating the login when a
 * password is given), optionally limited to the features in an area or
 * linked to one renovation project (row-level security). Names and passwords are quoted by the server (format %I / %L).
 */
export async function grantRole(
  url: string,
  opts: { user: string; role: 'viewer' | 'editor' | 'admin'; password?: string; bbox?: [number, number, number, number]; project?: string },
): Promise<void> {
  const target = parsePgUrl(url);
  const client = await connect(target, 'warmnet-grant');
  const s = ident(target.schema);
  try {
    await inTransaction(client, async () => {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [opts.user]);
      if (exists.rowCount === 0) {
        if (opts.password === undefined) throw new Error(`${target.display}: no user "${opts.user}" on the server; give --password to create the login`);
        const ddl = await client.query(`SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS sql`, [opts.user, opts.password]);
        await client.query(ddl.rows[0].sql as string);
      }
      const role = roleNames(target.schema)[opts.role];
      const grant = await client.query(`SELECT format('GRANT %I TO %I', $1::text, $2::text) AS sql`, [role, opts.user]);
      await client.query(grant.rows[0].sql as string);
      if (opts.bbox || opts.project) {
        if (opts.project) {
          const p = await client.query(`SELECT 1 FROM ${s}.projects WHERE id = $1`, [opts.project]);
          if (p.rowCount === 0) throw new Error(`${target.display}: no project "${opts.project}" in the ledger`);
        }
        const b = opts.bbox ?? [null, null, null, null];
        await client.query(
          `INSERT INTO ${s}.wn_limits (role_name, area, project_id)
             VALUES ($1, CASE WHEN $2::float8 IS NULL THEN NULL ELSE ST_Multi(ST_MakeEnvelope($2, $3, $4, $5, 4490)) END, $6)
             ON CONFLICT (role_name) DO UPDATE SET area = excluded.area, project_id = excluded.project_id`,
          [opts.user, ...b, opts.project ?? null],
        );
      }
    });
  } finally {
    await client.end();
  }
}

/**
 * Bring a project published by an older WarmNet up to this one's layout:
 * the columns schema.ts added since are added (nullable), in one
 * transaction, by the schema's owner. Returns what was added.
 */
export async function upgradeProject(url: string): Promise<string[]> {
  const target = parsePgUrl(url);
  const client = await connect(target, 'warmnet-upgrade');
  try {
    return await inTransaction(client, async () => {
      const missing = missingColumns(await schemaColumns(client, target.schema));
      for (const m of missing) await client.query(addColumnDdl(target.schema, m));
      // Same name, same behaviour for features; a project row's change is journaled instead of refused.
      await client.query(logRowFunctionDdl(target.schema));
      await client.query(
        `INSERT INTO ${ident(target.schema)}.warmnet_meta (key, value) VALUES ('layout_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(PG_LAYOUT_VERSION)],
      );
      return missing.map((m) => `${m.table}.${m.column}`);
    });
  } finally {
    await client.end();
  }
}

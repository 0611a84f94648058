/**
 * The PostgreSQL/PostGIS form of a WarmNet project: one schema per project,
 * the GeoPackage's tables and columns (from core/model/schema.ts) with
 * geometry in EPSG:4490 and GiST indexes, plus what sharing needs:
 *
 * - `wn_version` on every feature and project row, bumped by a trigger on
 *   every UPDATE (also when QGIS writes the row), the base of conflict checks;
 * - `wn_journal`: every insert / update / delete with who, when, the
 *   transaction, the row before and after (geometry as exact WKB), written by
 *   a SECURITY DEFINER trigger so no client can skip or forge it, and a
 *   NOTIFY on channel `warmnet_<schema>` that clients hear at commit;
 * - `wn_checkouts`: offline copies taken from the project;
 * - roles `<schema>_viewer`, `<schema>_editor`, `<schema>_admin` with grants,
 *   and row-level security limiting a role listed in `wn_limits` to the
 *   features that intersect its area (a district) or that are linked to its
 *   renovation project.
 *
 * Identifiers are schema.ts names and a validated schema name, quoted; no
 * user value ever becomes SQL text.
 */
import { LAYERS, TABLES, EXTRA_COLUMN, type FieldDef, type LayerDef } from '../../../../core/model/schema';
import { columnFields } from '../gpkg';
import { ident } from './url';

/** Version of the PostgreSQL layout written by this code (the GeoPackage's migration 0008 adds the check-out tables). */
export const PG_LAYOUT_VERSION = 8;

export const PG_GEOMETRY: Record<LayerDef['geometry'], string> = { POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'MultiPolygon' };

function pgType(f: FieldDef): string {
  switch (f.type) {
    case 'text':
      return 'text COLLATE "C"';
    case 'integer':
      return 'bigint';
    case 'real':
      return 'double precision';
    case 'date':
      return 'date';
    case 'bool':
      return 'boolean';
  }
}

export function roleNames(schema: string): { viewer: string; editor: string; admin: string } {
  return { viewer: `${schema}_viewer`, editor: `${schema}_editor`, admin: `${schema}_admin` };
}

/** Tables created empty; indexes, triggers, roles come after the data (publish loads first, then indexes). */
export function tablesDdl(schema: string): string {
  const s = ident(schema);
  const out: string[] = [`CREATE SCHEMA ${s}`];
  for (const l of LAYERS) {
    const cols = columnFields(l.fields).map((f) => (f.name === 'id' ? `id text COLLATE "C" NOT NULL UNIQUE` : `${ident(f.name)} ${pgType(f)}${f.required ? ' NOT NULL' : ''}`));
    out.push(
      `CREATE TABLE ${s}.${ident(l.name)} (fid bigserial PRIMARY KEY, geom geometry(${PG_GEOMETRY[l.geometry]}, 4490), ${cols.join(', ')}, ${ident(EXTRA_COLUMN)} text, wn_version integer NOT NULL DEFAULT 1)`,
    );
  }
  for (const t of TABLES) {
    const cols = columnFields(t.fields).map((f) => (f.name === 'id' ? `id text COLLATE "C" NOT NULL UNIQUE` : `${ident(f.name)} ${pgType(f)}${f.required ? ' NOT NULL' : ''}`));
    const extra = t.name === 'project_features' ? ', UNIQUE (project_id, layer, feature_id)' : ', wn_version integer NOT NULL DEFAULT 1';
    out.push(`CREATE TABLE ${s}.${ident(t.name)} (fid bigserial PRIMARY KEY, ${cols.join(', ')}${extra})`);
  }
  out.push(
    `CREATE TABLE ${s}.settings (fid bigserial PRIMARY KEY, key text COLLATE "C" NOT NULL UNIQUE, value text)`,
    `CREATE TABLE ${s}.warmnet_meta (key text COLLATE "C" PRIMARY KEY, value text)`,
    `CREATE TABLE ${s}.wn_journal (
       seq bigserial PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT clock_timestamp(),
       txid bigint NOT NULL,
       app_user text NOT NULL,
       db_user text NOT NULL,
       label text,
       layer text NOT NULL,
       feature_id text NOT NULL,
       op text NOT NULL,
       version integer NOT NULL,
       before jsonb,
       after jsonb,
       before_geom bytea,
       after_geom bytea,
       is_undo boolean NOT NULL DEFAULT false,
       undone boolean NOT NULL DEFAULT false)`,
    `CREATE INDEX ON ${s}.wn_journal (layer, feature_id)`,
    `CREATE INDEX ON ${s}.wn_journal (app_user, txid)`,
    `CREATE TABLE ${s}.wn_checkouts (
       id text PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT clock_timestamp(),
       app_user text NOT NULL,
       bbox text,
       server_seq bigint NOT NULL,
       checked_in_at timestamptz)`,
    `CREATE TABLE ${s}.wn_limits (
       role_name text PRIMARY KEY,
       area geometry(MultiPolygon, 4490),
       project_id text COLLATE "C",
       CHECK (area IS NOT NULL OR project_id IS NOT NULL))`,
  );
  return out.join(';\n');
}

/** The journal trigger body for a table with (`geom`) or without a geometry column. */
function logFunction(schema: string, name: string, withGeom: boolean, replace = false): string {
  const s = ident(schema);
  // A table without geometry (projects) writes typed NULLs: an untyped one would be text, refused by the bytea columns.
  const g = (rec: string) => (withGeom ? `ST_AsBinary(${rec}.geom)` : 'NULL::bytea');
  const strip = `- 'fid' - 'geom' - 'wn_version'`;
  return `CREATE ${replace ? 'OR REPLACE ' : ''}FUNCTION ${s}.${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${s}, public AS $body$
DECLARE
  n bigint;
  who text := coalesce(nullif(current_setting('warmnet.user', true), ''), session_user);
  fid text := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  ver integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.wn_version ELSE NEW.wn_version END;
BEGIN
  INSERT INTO wn_journal (txid, app_user, db_user, label, layer, feature_id, op, version, before, after, before_geom, after_geom, is_undo)
  VALUES (txid_current(), who, session_user, nullif(current_setting('warmnet.label', true), ''), TG_TABLE_NAME, fid, lower(TG_OP), ver,
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) ${strip} END,
    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) ${strip} END,
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE ${g('OLD')} END,
    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE ${g('NEW')} END,
    coalesce(current_setting('warmnet.undo', true), '') = 'on')
  RETURNING seq INTO n;
  PERFORM pg_notify('warmnet_' || TG_TABLE_SCHEMA,
    json_build_object('layer', TG_TABLE_NAME, 'id', fid, 'op', lower(TG_OP), 'version', ver, 'user', who, 'seq', n)::text);
  RETURN NULL;
END $body$`;
}

/** The journal trigger of the projects table as this WarmNet writes it (upgrade replaces an older one that could not journal a change of a project). */
export function logRowFunctionDdl(schema: string): string {
  return logFunction(schema, 'wn_log_row', false, true);
}

/** Indexes, triggers, row-level security, roles and grants: after the data is in. */
export function finishDdl(schema: string): string {
  const s = ident(schema);
  const r = roleNames(schema);
  const [viewer, editor, admin] = [ident(r.viewer), ident(r.editor), ident(r.admin)];
  const out: string[] = [];
  out.push(
    `CREATE FUNCTION ${s}.wn_bump() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN NEW.wn_version := OLD.wn_version + 1; RETURN NEW; END $body$`,
    logFunction(schema, 'wn_log_feature', true),
    logFunction(schema, 'wn_log_row', false),
    `CREATE FUNCTION ${s}.wn_may_edit(g geometry, p_layer text, p_id text) RETURNS boolean LANGUAGE sql STABLE SET search_path = ${s}, public AS $body$
       SELECT NOT EXISTS (SELECT 1 FROM wn_limits l WHERE pg_has_role(current_user, l.role_name, 'MEMBER'))
           OR EXISTS (SELECT 1 FROM wn_limits l WHERE pg_has_role(current_user, l.role_name, 'MEMBER') AND (
                (l.area IS NOT NULL AND ST_Intersects(l.area, g))
             OR (l.project_id IS NOT NULL AND EXISTS (
                  SELECT 1 FROM project_features pf WHERE pf.project_id = l.project_id AND pf.layer = p_layer AND pf.feature_id = p_id)))) $body$`,
  );
  for (const l of LAYERS) {
    const t = `${s}.${ident(l.name)}`;
    // The layer's name is a schema.ts name, written as an SQL literal.
    const may = `${s}.wn_may_edit(geom, '${l.name}', id)`;
    out.push(
      `CREATE INDEX ${ident(`${l.name}_geom_gist`)} ON ${t} USING gist (geom)`,
      `CREATE TRIGGER wn_bump BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${s}.wn_bump()`,
      `CREATE TRIGGER wn_log AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${s}.wn_log_feature()`,
      `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY wn_read ON ${t} FOR SELECT USING (true)`,
      `CREATE POLICY wn_insert ON ${t} FOR INSERT WITH CHECK (${may})`,
      `CREATE POLICY wn_update ON ${t} FOR UPDATE USING (${may}) WITH CHECK (${may})`,
      `CREATE POLICY wn_delete ON ${t} FOR DELETE USING (${may})`,
    );
  }
  out.push(
    `CREATE TRIGGER wn_bump BEFORE UPDATE ON ${s}.projects FOR EACH ROW EXECUTE FUNCTION ${s}.wn_bump()`,
    `CREATE TRIGGER wn_log AFTER INSERT OR UPDATE OR DELETE ON ${s}.projects FOR EACH ROW EXECUTE FUNCTION ${s}.wn_log_row()`,
  );
  const layers = LAYERS.map((l) => `${s}.${ident(l.name)}`).join(', ');
  out.push(
    `REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`,
    `REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ${s} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${s}.wn_may_edit(geometry, text, text) TO ${viewer}, ${editor}, ${admin}`,
    `GRANT USAGE ON SCHEMA ${s} TO ${viewer}, ${editor}, ${admin}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${viewer}, ${editor}, ${admin}`,
    `GRANT INSERT, UPDATE, DELETE ON ${layers}, ${s}.projects, ${s}.project_features TO ${editor}, ${admin}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${editor}, ${admin}`,
    `GRANT UPDATE (undone) ON ${s}.wn_journal TO ${editor}, ${admin}`,
    `GRANT INSERT, UPDATE ON ${s}.wn_checkouts TO ${editor}, ${admin}`,
    `GRANT INSERT, UPDATE, DELETE ON ${s}.settings, ${s}.wn_limits, ${s}.warmnet_meta TO ${admin}`,
  );
  return out.join(';\n');
}

export interface MissingColumn {
  table: string;
  column: string;
  /** The column's PostgreSQL type as publish would create it. */
  type: string;
}

/**
 * Columns schema.ts has that a published project lacks (it was published by
 * an older WarmNet): `warmnet upgrade` adds them, as opening an older
 * GeoPackage does.
 */
export function missingColumns(have: { table: string; column: string }[]): MissingColumn[] {
  const got = new Set(have.map((h) => `${h.table}.${h.column}`));
  const out: MissingColumn[] = [];
  for (const def of [...LAYERS, ...TABLES]) {
    for (const f of def.fields) if (!got.has(`${def.name}.${f.name}`)) out.push({ table: def.name, column: f.name, type: pgType(f) });
  }
  return out;
}

/** ALTER TABLE for one missing column (nullable, as the GeoPackage's syncSchema adds them). */
export function addColumnDdl(schema: string, m: MissingColumn): string {
  return `ALTER TABLE ${ident(schema)}.${ident(m.table)} ADD COLUMN ${ident(m.column)} ${m.type}`;
}

/** Renovation projects and their links to features (projects, project_features). */
import type { ProjectFeatureRow, ProjectRow } from '../../../core/model/project';
import { TABLES, type TableDef } from '../../../core/model/schema';
import { coerceProperties } from '../../../core/model/validate';
import type { Connection, Value } from './connection';
import { ValidationError } from './errors';
import { columnFields, q } from './gpkg';

export function tableDef(name: 'projects' | 'project_features'): TableDef {
  return TABLES.find((t) => t.name === name)!;
}

export class ProjectTables {
  constructor(
    private readonly conn: Connection,
    private readonly year: number,
  ) {}

  private row(r: Record<string, unknown>): ProjectRow {
    const out: Record<string, unknown> = {};
    for (const f of tableDef('projects').fields) out[f.name] = r[f.name] ?? null;
    return out as unknown as ProjectRow;
  }

  get(id: string): ProjectRow | undefined {
    const r = this.conn.db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? this.row(r) : undefined;
  }

  list(): ProjectRow[] {
    return (this.conn.db.prepare('SELECT * FROM projects ORDER BY year, id').all() as Record<string, unknown>[]).map((r) => this.row(r));
  }

  /** A whole row from a partial one merged over the stored row (or the defaults); throws ValidationError naming the field. */
  complete(row: Partial<ProjectRow> & { id: string }): ProjectRow {
    const before = this.get(row.id);
    const merged = { ...(before ?? {}), ...row } as Record<string, unknown>;
    const r = coerceProperties(tableDef('projects'), merged, { year: this.year });
    if (r.issues.length > 0) throw new ValidationError(r.issues.map((i) => ({ ...i, file: 'projects', featureId: row.id })));
    return this.row({ ...Object.fromEntries(tableDef('projects').fields.map((f) => [f.name, f.default ?? null])), ...r.values });
  }

  /** Insert or replace a project row (inside the caller's transaction). */
  write(values: ProjectRow | Record<string, unknown>): void {
    const fields = columnFields(tableDef('projects').fields);
    const v = values as Record<string, unknown>;
    const cols = fields.map((f) => q(f.name)).join(', ');
    const set = fields.filter((f) => f.name !== 'id').map((f) => `${q(f.name)} = excluded.${q(f.name)}`).join(', ');
    this.conn.db
      .prepare(`INSERT INTO projects (${cols}) VALUES (${fields.map(() => '?').join(', ')}) ON CONFLICT(id) DO UPDATE SET ${set}`)
      .run(fields.map((f) => (v[f.name] === undefined ? (f.default ?? null) : v[f.name]) as Value));
    this.conn.touch('projects', null);
  }

  /** Delete a project and its links; returns what was there. */
  remove(id: string): { row: ProjectRow; links: ProjectFeatureRow[] } | undefined {
    const row = this.get(id);
    if (!row) return undefined;
    const links = this.links().filter((r) => r.project_id === id);
    this.conn.db.prepare('DELETE FROM project_features WHERE project_id = ?').run(id);
    this.conn.db.prepare('DELETE FROM projects WHERE id = ?').run(id);
    return { row, links };
  }

  links(): ProjectFeatureRow[] {
    return this.conn.db.prepare('SELECT project_id, layer, feature_id FROM project_features ORDER BY fid').all() as ProjectFeatureRow[];
  }

  /** Add links; returns those that were new. */
  link(links: readonly ProjectFeatureRow[]): ProjectFeatureRow[] {
    const ins = this.conn.db.prepare('INSERT OR IGNORE INTO project_features (project_id, layer, feature_id) VALUES (?, ?, ?)');
    return links.filter((r) => ins.run(r.project_id, r.layer, r.feature_id).changes > 0);
  }

  /** Remove links; returns those that were there. */
  unlink(links: readonly ProjectFeatureRow[]): ProjectFeatureRow[] {
    const del = this.conn.db.prepare('DELETE FROM project_features WHERE project_id = ? AND layer = ? AND feature_id = ?');
    return links.filter((r) => del.run(r.project_id, r.layer, r.feature_id).changes > 0);
  }
}

/** Renovation projects and their links, on the ProjectTables room alone (a real temporary GeoPackage). */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Connection } from './connection';
import { ProjectTables } from './projects';
import { ValidationError } from './errors';
import { useTempDir } from './testkit';

const tmp = useTempDir();
let conn: Connection | undefined;
afterEach(() => conn?.close());

function open(): ProjectTables {
  conn = Connection.create(join(tmp.path, 'p.gpkg'));
  return new ProjectTables(conn, 2026);
}

describe('projects', () => {
  it('completes a partial row with the defaults, writes it and lists by year', () => {
    const p = open();
    p.write(p.complete({ id: 'B', year: 2025, name: '二期' }));
    p.write(p.complete({ id: 'A', year: 2026, name: '一期', budget_wan: 120 }));
    expect(p.list().map((r) => r.id)).toEqual(['B', 'A']);
    const a = p.get('A')!;
    expect(a).toMatchObject({ id: 'A', year: 2026, name: '一期', budget_wan: 120, kind: 'pipe' });
    // A second write of a partial row keeps the stored fields.
    p.write(p.complete({ id: 'A', budget_wan: 150 }));
    expect(p.get('A')).toMatchObject({ name: '一期', budget_wan: 150 });
  });

  it('refuses a bad row naming the table, the project and the field', () => {
    const p = open();
    let err: unknown;
    try {
      p.complete({ id: 'X', year: 1800 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]).toMatchObject({ file: 'projects', featureId: 'X', field: 'year' });
    expect(p.get('X')).toBeUndefined();
  });

  it('links and unlinks report only what changed; removing a project takes its links along', () => {
    const p = open();
    p.write(p.complete({ id: 'A', year: 2026 }));
    const l1 = { project_id: 'A', layer: 'pipes' as const, feature_id: 'P-1' };
    const l2 = { project_id: 'A', layer: 'pipes' as const, feature_id: 'P-2' };
    expect(p.link([l1, l2])).toEqual([l1, l2]);
    expect(p.link([l1])).toEqual([]);
    expect(p.unlink([l2, { ...l2, feature_id: 'P-9' }])).toEqual([l2]);
    expect(p.links()).toEqual([l1]);
    const gone = p.remove('A')!;
    expect(gone.row.id).toBe('A');
    expect(gone.links).toEqual([l1]);
    expect(p.links()).toEqual([]);
    expect(p.remove('A')).toBeUndefined();
  });
});

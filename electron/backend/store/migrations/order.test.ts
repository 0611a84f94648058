import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE, migrate, type Migration } from './index';

const made = (version: number, table: string): Migration => ({
  version,
  name: `make_${table}`,
  up: (db) => db.exec(`CREATE TABLE ${table} (x INTEGER)`),
});

describe('migration order', () => {
  it('runs a lower-numbered migration that a file has not had, even when a higher one is recorded', () => {
    const db = new Database(':memory:');
    const list = [made(1, 'a'), made(2, 'b'), made(3, 'c'), made(6, 'f')];
    // A file written by a build that knew 1, 2 and 6 but not yet 3.
    expect(migrate(db, 6, [list[0], list[1], list[3]])).toEqual([1, 2, 6]);
    expect(migrate(db, 6, list)).toEqual([3]);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type='table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['a', 'b', 'c', 'f', MIGRATIONS_TABLE].sort());
    expect(migrate(db, 6, list)).toEqual([]);
    db.close();
  });

  it('stops at the target and runs in number order whatever the list order', () => {
    const db = new Database(':memory:');
    const ran: number[] = [];
    const m = (v: number): Migration => ({ version: v, name: `m${v}`, up: () => void ran.push(v) });
    expect(migrate(db, 4, [m(4), m(2), m(6), m(1)])).toEqual([1, 2, 4]);
    expect(ran).toEqual([1, 2, 4]);
    db.close();
  });
});

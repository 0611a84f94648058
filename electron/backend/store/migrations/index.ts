/**
 * Numbered schema migrations. `warmnet_migrations` records which ran; a file
 * is brought up to the newest on open, each migration in its own transaction.
 */
import type Database from 'better-sqlite3';
import { migration0001 } from './0001_geopackage';
import { migration0002 } from './0002_journal';
import { migration0006 } from './0006_hydraulics';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0006];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export const MIGRATIONS_TABLE = 'warmnet_migrations';

export function appliedVersion(db: Database.Database): number {
  const row = db.prepare(`SELECT max(version) AS v FROM ${MIGRATIONS_TABLE}`).get() as { v: number | null };
  return row.v ?? 0;
}

/** Run every migration above the file's version (up to `target`); returns the versions applied. */
export function migrate(db: Database.Database, target = LATEST_VERSION): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const from = appliedVersion(db);
  const done: number[] = [];
  const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    done.push(m.version);
  }
  return done;
}

/**
 * Numbered schema migrations. `warmnet_migrations` records which ran; a file
 * is brought up to the newest on open, each migration in its own transaction.
 * A migration runs when its number is not recorded, not only when it is above
 * the file's highest: numbers are handed out to features developed side by
 * side, so a file may hold 6 before 3 exists.
 */
import { maxOf } from '../../../../core/arrays';
import type Database from 'better-sqlite3';
import type { Migration } from './migration';
import { migration0001 } from './0001_geopackage';
import { migration0002 } from './0002_journal';
import { migration0004 } from './0004_import_log';
import { migration0006 } from './0006_hydraulics';
import { migration0007 } from './0007_search_index';
import { migration0008 } from './0008_checkout';
import { migration0009 } from './0009_project_membership';
import { migration0010 } from './0010_basemaps';
import { migration0011 } from './0011_pipe_project_index';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0004, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011];
export const LATEST_VERSION = maxOf(MIGRATIONS.map((m) => m.version));

export const MIGRATIONS_TABLE = 'warmnet_migrations';

export function appliedVersion(db: Database.Database): number {
  const row = db.prepare(`SELECT max(version) AS v FROM ${MIGRATIONS_TABLE}`).get() as { v: number | null };
  return row.v ?? 0;
}

/** Versions recorded in the file. */
export function appliedVersions(db: Database.Database): Set<number> {
  const rows = db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE}`).all() as { version: number }[];
  return new Set(rows.map((r) => r.version));
}

/** Migrations the file has not had yet (up to `target`). */
export function pendingMigrations(db: Database.Database, target = LATEST_VERSION, list: readonly Migration[] = MIGRATIONS): Migration[] {
  const applied = appliedVersions(db);
  return [...list].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version) && m.version <= target);
}

/** Run every migration the file has not had (up to `target`), in number order; returns the versions applied. */
export function migrate(db: Database.Database, target = LATEST_VERSION, list: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done: number[] = [];
  const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
  for (const m of pendingMigrations(db, target, list)) {
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
    done.push(m.version);
  }
  return done;
}

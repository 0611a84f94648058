/**
 * The bundled sample project is written by the current code: every store
 * migration already applied, so opening it (`npm start`, any command) changes
 * nothing in the file. After a new migration, `npm run sample` writes it anew.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS_TABLE, pendingMigrations } from '../../electron/backend/store/migrations/index';

const SAMPLE = join(__dirname, '..', '..', 'gis-data', 'mingantu.gpkg');

describe('the bundled sample', () => {
  it('is at the store\'s latest migration (else: npm run sample)', () => {
    const db = new Database(SAMPLE, { readonly: true, fileMustExist: true });
    try {
      const applied = db.prepare(`SELECT max(version) AS v FROM ${MIGRATIONS_TABLE}`).get() as { v: number };
      expect(pendingMigrations(db).map((m) => m.version)).toEqual([]);
      expect(applied.v).toBe(LATEST_VERSION);
    } finally {
      db.close();
    }
  });
});

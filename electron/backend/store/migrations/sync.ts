/**
 * Columns and settings added to schema.ts after a file was written appear
 * on open: new columns are appended (nullable), new settings get their default.
 */
import type Database from 'better-sqlite3';
import { LAYERS, TABLES, type FieldDef } from '../../../../core/model/schema';
import { DEFAULT_SETTINGS } from '../../../../core/model/settings';
import { q } from '../gpkg';

export function syncSchema(db: Database.Database): void {
  const add = (table: string, fields: readonly FieldDef[]) => {
    const have = new Set((db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[]).map((r) => r.name));
    for (const f of fields) {
      if (!have.has(f.name)) db.exec(`ALTER TABLE ${q(table)} ADD COLUMN ${q(f.name)} ${f.type === 'bool' ? 'BOOLEAN' : f.type === 'date' ? 'DATE' : f.type.toUpperCase()}`);
    }
  };
  // Opening a current file must not write to it (a file opened only to be
  // read stays byte-identical), so only settings keys that are missing are added.
  const stored = new Set(db.prepare('SELECT key FROM settings').pluck().all() as string[]);
  const missing = Object.entries(DEFAULT_SETTINGS).filter(([k]) => !stored.has(k));
  db.transaction(() => {
    for (const l of LAYERS) add(l.name, l.fields);
    for (const t of TABLES) add(t.name, t.fields);
    if (missing.length === 0) return;
    const put = db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
    for (const [k, v] of missing) put.run(k, JSON.stringify(v));
  })();
}

/** The project's engineering settings (the settings table: one JSON value per key, defaults from core). */
import { DEFAULT_SETTINGS, resolveSettings, type Settings } from '../../../core/model/settings';
import type { ValidationIssue } from '../../../core/model/validate';
import type { Connection } from './connection';
import { ValidationError } from './errors';

export class SettingsTable {
  constructor(private readonly conn: Connection) {}

  /** What the file holds, key by key (a value that is not JSON reads as null). */
  stored(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.conn.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string | null }[]) {
      try {
        out[r.key] = r.value === null ? null : JSON.parse(r.value);
      } catch {
        out[r.key] = null;
      }
    }
    return out;
  }

  /** Stored values over the defaults. */
  get(): Settings {
    return resolveSettings(this.stored());
  }

  /** Throws ValidationError naming each key that is not a setting or has the wrong type. */
  check(patch: Partial<Settings>): void {
    const issues: ValidationIssue[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (!(k in DEFAULT_SETTINGS)) issues.push({ file: 'settings', field: k, message: 'is not a setting' });
      else if (typeof v !== typeof (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[k] || (typeof v === 'number' && !Number.isFinite(v)))
        issues.push({ file: 'settings', field: k, message: `${JSON.stringify(v)} has the wrong type` });
    }
    if (issues.length) throw new ValidationError(issues);
  }

  /** Write values (inside the caller's transaction); returns the values they replaced (null where none). */
  write(values: Record<string, unknown>): Record<string, unknown> {
    const stored = this.stored();
    const before: Record<string, unknown> = {};
    const put = this.conn.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of Object.entries(values)) {
      before[k] = stored[k] ?? null;
      put.run(k, JSON.stringify(v));
    }
    this.conn.touch('settings', null);
    // what the map draws of a pipe depends on the settings (its theme classes)
    this.conn.emitChange(null, null);
    return before;
  }
}

/** Engineering settings on the SettingsTable room alone (a real temporary GeoPackage). */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Connection } from './connection';
import { SettingsTable } from './settings';
import { ValidationError } from './errors';
import { DEFAULT_SETTINGS } from '../../../core/model/settings';
import { useTempDir } from './testkit';

const tmp = useTempDir();
let conn: Connection | undefined;
afterEach(() => conn?.close());

function open(): SettingsTable {
  conn = Connection.create(join(tmp.path, 'p.gpkg'));
  return new SettingsTable(conn);
}

describe('settings', () => {
  it('reads the defaults from a new file and writes a value, returning what it replaced', () => {
    const s = open();
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    const before = s.write({ coldWaveHours: 60 });
    // Nothing was stored: the default applied, and undo writes null, which reads as the default again.
    expect(before).toEqual({ coldWaveHours: null });
    expect(s.write(before)).toEqual({ coldWaveHours: 60 });
    expect(s.get().coldWaveHours).toBe(DEFAULT_SETTINGS.coldWaveHours);
    s.write({ coldWaveHours: 60 });
    expect(s.get().coldWaveHours).toBe(60);
    expect(s.stored().coldWaveHours).toBe(60);
  });

  it('a stored value that is not JSON reads as null and falls back to the default', () => {
    const s = open();
    conn!.db.prepare(`INSERT INTO settings (key, value) VALUES ('coldWaveHours', 'not json')`).run();
    expect(s.stored().coldWaveHours).toBeNull();
    expect(s.get().coldWaveHours).toBe(DEFAULT_SETTINGS.coldWaveHours);
  });

  it('refuses unknown keys and wrong types, naming each', () => {
    const s = open();
    let err: unknown;
    try {
      s.check({ coldWaveHours: 'soon', notASetting: 1 } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const fields = (err as ValidationError).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['coldWaveHours', 'notASetting']);
    expect(() => s.check({ coldWaveHours: 72 })).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { electronBinding } from './binding';

describe('the Electron-ABI SQLite binding', () => {
  const own = join('/app/dist-electron', '..', '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

  it('a development build takes the one npm start names', () => {
    expect(electronBinding({ WARMNET_SQLITE_BINDING: '/dev/b.node' }, false, '/app/dist-electron')).toBe('/dev/b.node');
    expect(electronBinding({}, false, '/app/dist-electron')).toBe(own);
  });

  it('the packaged app ignores the environment: no native code chosen from outside', () => {
    expect(electronBinding({ WARMNET_SQLITE_BINDING: '/tmp/evil.node' }, true, '/app/dist-electron')).toBe(own);
  });
});

/** Where main finds the Electron-ABI build of better-sqlite3 (no electron import: a unit test holds it). */
import { join } from 'node:path';

/**
 * The binding to load. `WARMNET_SQLITE_BINDING` (set by `npm start`) counts
 * only in a development build: in the packaged app an environment variable
 * must not choose native code to load, as the fuses keep NODE_OPTIONS from
 * doing.
 */
export function electronBinding(env: Record<string, string | undefined>, packaged: boolean, dir: string): string {
  const own = join(dir, '..', '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return packaged ? own : (env.WARMNET_SQLITE_BINDING ?? own);
}

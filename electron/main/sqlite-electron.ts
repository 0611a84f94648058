/**
 * better-sqlite3 as Electron's main process loads it. node_modules keeps the
 * Node-ABI build the tests and the CLI use; `npm start` puts an Electron-ABI
 * build in .electron-native/ (see scripts/start.mjs), and this wrapper hands
 * its path to better-sqlite3 as `nativeBinding`. scripts/build-electron.mjs
 * substitutes this module for 'better-sqlite3' in the main bundle only, so
 * the store's code stays the same everywhere. A packaged app (electron-builder
 * rebuilds native modules for Electron) has no such folder and uses the
 * default binding.
 */
import Real from 'better-sqlite3';
import { app } from 'electron';
import { existsSync } from 'node:fs';
import { electronBinding } from './binding';

export const ELECTRON_BINDING = electronBinding(process.env, app.isPackaged, __dirname);

type Options = ConstructorParameters<typeof Real>[1];

function Database(this: unknown, path: string, opts: Options = {}) {
  const withBinding = existsSync(ELECTRON_BINDING) ? { nativeBinding: ELECTRON_BINDING, ...opts } : opts;
  return new Real(path, withBinding);
}
Database.prototype = Real.prototype;
Object.setPrototypeOf(Database, Real);

export default Database as unknown as typeof Real;

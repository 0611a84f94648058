#!/usr/bin/env node
/**
 * Bundles Electron's main process and preload into dist-electron/ with
 * esbuild (main.cjs, preload.cjs: a sandboxed preload must be one CommonJS
 * file). In main, 'better-sqlite3' is replaced by electron/main/sqlite-electron.ts,
 * which passes the Electron-ABI binary as `nativeBinding`.
 */
import { build } from 'esbuild';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shim = join(root, 'electron', 'main', 'sqlite-electron.ts');

const sqliteForElectron = {
  name: 'sqlite-for-electron',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, (args) => (args.importer === shim ? { path: 'better-sqlite3', external: true } : { path: shim }));
  },
};

// Our own code is bundled; npm packages stay in node_modules (several are native:
// better-sqlite3, @napi-rs/canvas) and are required at run time, as a packaged app ships them.
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'error', external: ['electron'] };

export async function buildElectron() {
  await build({ ...common, packages: 'external', entryPoints: [join(root, 'electron/main/index.ts')], outfile: join(root, 'dist-electron/main.cjs'), plugins: [sqliteForElectron] });
  // the sandboxed preload may require nothing but electron: everything else is inlined
  await build({ ...common, entryPoints: [join(root, 'electron/preload/index.ts')], outfile: join(root, 'dist-electron/preload.cjs') });
  // the analysis worker is pure core code: bundled whole, main points the runner at it
  await build({ ...common, entryPoints: [join(root, 'electron/backend/analysis/worker.ts')], outfile: join(root, 'dist-electron/analysis-worker.cjs') });
  // the GeoPackage view check runs as a child process: plain CommonJS, copied as it is
  copyFileSync(join(root, 'electron/backend/gpkg-probe.cjs'), join(root, 'dist-electron/gpkg-probe.cjs'));
  console.log('dist-electron/main.cjs, dist-electron/preload.cjs, dist-electron/analysis-worker.cjs, dist-electron/gpkg-probe.cjs');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildElectron();

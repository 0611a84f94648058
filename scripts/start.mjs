#!/usr/bin/env node
/**
 * `npm start [-- --project FILE]`: the desktop app. Builds what is missing
 * (renderer, main + preload bundles, the Electron-ABI better-sqlite3 in
 * .electron-native/) and launches Electron. Where the Electron binary cannot
 * be had (no download possible), says so in one line and runs browser mode
 * instead, so there is never a dead end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ensureRendererBuilt, root, runWeb } from './web.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** The Electron binary's path, or null. Probed in a child so a failed download prints nothing here. */
function electronBinary() {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  const p = r.status === 0 ? r.stdout.trim() : '';
  return p && existsSync(p) ? p : null;
}

/**
 * better-sqlite3 built for Electron's ABI, beside (not instead of) the Node
 * build in node_modules: prebuilt binary first, then a source build.
 */
function electronSqlite() {
  const dir = join(root, '.electron-native', 'better-sqlite3');
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), dir, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
  const quiet = { cwd: dir, stdio: 'ignore', timeout: 600_000 };
  const prebuild = join(root, 'node_modules', 'prebuild-install', 'bin.js');
  if (existsSync(prebuild)) spawnSync(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion], quiet);
  if (!existsSync(binding)) {
    const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(gyp)) spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'], quiet);
  }
  return existsSync(binding) ? binding : null;
}

await ensureRendererBuilt();
const electron = electronBinary();
if (!electron) {
  console.log('WarmNet: the Electron binary is not available on this machine (it could not be downloaded) — starting browser mode instead.');
  process.exit(await runWeb(args));
}
const binding = electronSqlite();
if (!binding) {
  console.log('WarmNet: better-sqlite3 could not be built for Electron here (needs Electron headers or a prebuilt binary) — starting browser mode instead.');
  process.exit(await runWeb(args));
}
const { buildElectron } = await import('./build-electron.mjs');
await buildElectron();
const i = args.indexOf('--project');
const file = i >= 0 ? args[i + 1] : undefined;
const child = spawn(electron, [root, ...(file ? [file] : [])], { cwd: root, stdio: 'inherit', env: { ...process.env, WARMNET_SQLITE_BINDING: binding } });
child.on('exit', (code) => process.exit(code ?? 0));

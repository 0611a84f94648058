#!/usr/bin/env node
/**
 * `npm run web [-- --project FILE] [--port N]`: browser mode. Builds the
 * renderer when dist/ is missing or older than its sources (so a fresh clone
 * works after `npm install`), then serves it and the backend on 127.0.0.1
 * (electron/web.ts, run through tsx).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with Vite unless it is already newer than renderer/, core/, assets/ and vite.config.ts. */
export async function ensureRendererBuilt() {
  const index = join(root, 'dist', 'index.html');
  const sources = ['renderer', 'core', 'assets'].map((d) => join(root, d)).filter(existsSync);
  const newest = Math.max(...sources.map(newestMtime), statSync(join(root, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return;
  console.log('WarmNet: building the renderer (vite build)…');
  await buildRendererInto(join(root, 'dist'));
}

/**
 * Builds into a fresh folder and swaps it in, so a server reading `outDir`
 * (another test run, a running browser mode) never sees it half-written.
 */
export async function buildRendererInto(outDir) {
  const { build } = await import('vite');
  const tmp = `${outDir}.building-${process.pid}`;
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
  const old = `${outDir}.old-${process.pid}`;
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(tmp, outDir);
  rmSync(old, { recursive: true, force: true });
}

/**
 * The environment the backend process starts with. On Linux (glibc) a freed
 * block of more than 128 kB goes straight back to the system: by default the
 * allocator raises that bound as large blocks are freed, and then keeps the
 * memory of an analysis's typed arrays (hundreds of MB at a million pipes)
 * after the analysis, so the next one's peak lands on top of it. A value the
 * caller's environment sets is kept. Other systems ignore the name.
 */
export function backendEnv(env = process.env) {
  return { ...env, MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? String(128 * 1024) };
}

/** Runs browser mode in a child process; resolves with its exit code. */
export async function runWeb(args) {
  await ensureRendererBuilt();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron', 'web.ts'), ...args], { cwd: root, stdio: 'inherit', env: backendEnv() });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  return new Promise((ok) => child.on('exit', (code) => ok(code ?? 0)));
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  process.exit(await runWeb(process.argv.slice(2)));
}

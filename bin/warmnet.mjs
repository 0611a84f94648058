#!/usr/bin/env node
// Entry point of the `warmnet` command. It runs the command from a JavaScript
// bundle of its sources (scripts/build-cli.mjs), built on first use and again
// whenever a source file changes; should the bundle fail to build, the
// TypeScript sources run through tsx as they are (slower to start).
import { readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A reader that goes away early (`warmnet loops p.gpkg --json | head -1`) is
// not an error of the command: stop quietly with the status it had so far.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time and the number of the files the command is built from. */
function sourceStamp() {
  let newest = 0;
  let count = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        count++;
        newest = Math.max(newest, statSync(p).mtimeMs);
      }
    }
  };
  for (const dir of ['electron', 'core', join('gis-data', 'generate')]) walk(join(root, dir));
  return `${Math.floor(newest).toString(36)}-${count}`;
}

async function bundled() {
  if (process.env.WARMNET_CLI_FROM_SOURCE) return null;
  try {
    const dir = join(root, 'node_modules', '.cache', 'warmnet-cli', sourceStamp());
    if (!existsSync(join(dir, 'cli.js'))) {
      const { buildCli } = await import('../scripts/build-cli.mjs');
      await buildCli(root, dir);
    }
    return await import(pathToFileURL(join(dir, 'cli.js')).href);
  } catch (err) {
    if (process.env.WARMNET_DEBUG) console.error(err);
    return null;
  }
}

let cli = await bundled();
if (!cli) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../electron/cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));

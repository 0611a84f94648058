#!/usr/bin/env node
/**
 * Bundles the `warmnet` command (electron/cli.ts) into plain JavaScript with
 * esbuild, one chunk per command (code splitting), so that a command loads
 * only its own modules and no TypeScript is compiled at run time: through
 * tsx's module hooks every start took about 0.3 s more (`warmnet info` on the
 * sample: 0.66 → 0.37 s). npm packages stay in node_modules. bin/warmnet.mjs
 * builds it on first use and again whenever a source file changes.
 */
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundle into `outDir` (written beside it first, then renamed: a reader never sees half a bundle). */
export async function buildCli(root, outDir) {
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await build({
    entryPoints: [join(root, 'electron/cli.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: tmp,
    logLevel: 'error',
  });
  // the GeoPackage view check runs as a child process beside the module that starts it
  copyFileSync(join(root, 'electron/backend/gpkg-probe.cjs'), join(tmp, 'gpkg-probe.cjs'));
  try {
    renameSync(tmp, outDir);
  } catch (err) {
    // another process built the same sources at the same time: theirs serves
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(outDir, 'cli.js'))) throw err;
  }
  // bundles of older sources, left for a minute in case a command still runs from one
  const parent = dirname(outDir);
  for (const name of readdirSync(parent)) {
    const p = join(parent, name);
    if (p !== outDir && Date.now() - statSync(p).mtimeMs > 60_000) rmSync(p, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(here, '..');
  await buildCli(root, join(root, 'node_modules', '.cache', 'warmnet-cli', 'manual'));
  console.log('node_modules/.cache/warmnet-cli/manual');
}

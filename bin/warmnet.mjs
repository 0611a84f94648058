#!/usr/bin/env node
// Entry point of the `warmnet` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

// A reader that goes away early (`warmnet loops p.gpkg --json | head -1`) is
// not an error of the command: stop quietly with the status it had so far.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
/**
 * `npm run db [-- --port N]`: a throwaway PostgreSQL + PostGIS server for
 * development, on 127.0.0.1, data in a temp directory that is removed on
 * Ctrl-C. Prints the connection URL to use with `warmnet publish` and the app.
 */
import { startPgServer } from './pgserver.mjs';

const i = process.argv.indexOf('--port');
const port = i > 0 ? Number(process.argv[i + 1]) : undefined;
const server = await startPgServer({ port });
process.stdout.write(
  `PostgreSQL + PostGIS running (data in ${server.dataDir}, removed on exit)\n` +
    `${server.url}\n` +
    `publish the sample:  node bin/warmnet.mjs publish gis-data/mingantu.gpkg "${server.url}?schema=mingantu"\n` +
    `Ctrl-C stops it.\n`,
);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.stdout.write('stopped\n');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

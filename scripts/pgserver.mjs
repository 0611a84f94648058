/**
 * A throwaway PostgreSQL + PostGIS server on a loopback port: a fresh data
 * directory in the system's temp folder, Debian's PostgreSQL binaries, the
 * `postgis` extension created in a template database. Used by `npm run db`
 * (developers) and by the PostgreSQL tests (one server per test run).
 *
 * PostgreSQL refuses to run as root; when started by root the data directory
 * is given to the `postgres` system user and the server runs as that user.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const SUPERUSER = 'warmnet';

/** Directory of the PostgreSQL binaries: $PG_BIN, else the newest under /usr/lib/postgresql. */
export function pgBinDir() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) throw new Error('PostgreSQL not found: install Debian\'s postgresql and postgresql-15-postgis-3 packages, or set PG_BIN');
  versions.sort((a, b) => Number(b) - Number(a));
  return join(base, versions[0], 'bin');
}

/** The uid/gid to run the server under: the caller's own, or the `postgres` user's when the caller is root. */
function runAs() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0) throw new Error('running as root, but there is no "postgres" system user to run PostgreSQL as');
  return { uid, gid };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start a server. Resolves to { url, port, password, dataDir, stop() }; `url`
 * names the `warmnet` database (PostGIS created) as the superuser.
 */
export async function startPgServer(opts = {}) {
  const bin = pgBinDir();
  const user = runAs();
  const dataDir = mkdtempSync(join(tmpdir(), 'warmnet-pg-'));
  const own = (p) => user.uid !== undefined && chownSync(p, user.uid, user.gid);
  own(dataDir);
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dataDir, 'pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  own(pwfile);
  const pgdata = join(dataDir, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', pgdata, '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { encoding: 'utf8', ...user },
  );
  if (init.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const port = opts.port ?? (await freePort());
  const settings = ['listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${dataDir}`, 'max_connections=200', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
  const child = spawn(join(bin, 'postgres'), ['-D', pgdata, ...settings.flatMap((s) => ['-c', s])], { stdio: ['ignore', 'ignore', 'pipe'], ...user });
  let log = '';
  child.stderr.on('data', (d) => {
    log = (log + d).slice(-20000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null) child.kill('SIGINT'); // fast shutdown
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const psql = (db, sql) =>
    spawnSync(join(bin, 'psql'), ['-h', dataDir, '-p', String(port), '-U', SUPERUSER, '-d', db, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8', ...user });
  // Ready when psql gets in over the socket.
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`PostgreSQL exited at start: ${log}`);
    }
    if (psql('postgres', 'SELECT 1').status === 0) break;
    if (Date.now() - t0 > 30000) {
      await stop();
      throw new Error(`PostgreSQL did not start within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const [db, sql] of [
    ['postgres', `CREATE DATABASE ${SUPERUSER}`],
    [SUPERUSER, 'CREATE EXTENSION postgis'],
  ]) {
    const r = psql(db, sql);
    if (r.status !== 0) {
      await stop();
      throw new Error(`${sql}: ${r.stderr}`);
    }
  }
  const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${SUPERUSER}`;
  return { url, port, password, dataDir, stop, log: () => log };
}

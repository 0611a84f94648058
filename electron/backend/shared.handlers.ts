/**
 * The shared project's channels over the open store: saved connections
 * (JSON in the user's config folder, never a password), the server's role
 * for the user, check-out beside the open project, check-in of the open
 * project. Passwords come with each call and are not kept.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StoreApi } from './store/api';
import type { ArgsOf, ResultOf } from './contract';
import type { SavedConnection, SharedConnection, SharedContract } from './shared.contract';
import { checkIn, checkOut, readCheckout } from './store/pg/checkout';
import { PgStore, type ChangeEvent, type Conflict } from './store/pg/store';
import { LiveProject, type LiveSlot } from './store/pg/live';

/**
 * Where the desktop app keeps connection passwords: the OS keychain
 * (Electron's safeStorage). Browser mode and the command line have none, so
 * there a password is typed for each connection and never written down.
 */
export interface PasswordKeychain {
  save(label: string, password: string): void;
  get(label: string): string | undefined;
}

type SharedImpl = { [K in keyof SharedContract]: (args: ArgsOf<K>) => Promise<ResultOf<K>> | ResultOf<K> };

/** Where saved connections live: $WARMNET_CONFIG_DIR, else ~/.config/warmnet (Electron passes its user-data folder). */
export function configDir(): string {
  return process.env.WARMNET_CONFIG_DIR ?? join(homedir(), '.config', 'warmnet');
}

const connectionsFile = () => join(configDir(), 'connections.json');

function readConnections(): SavedConnection[] {
  try {
    const list = JSON.parse(readFileSync(connectionsFile(), 'utf8')) as unknown;
    return Array.isArray(list) ? (list as SavedConnection[]) : [];
  } catch {
    return [];
  }
}

/** The URL of a connection; the password only in memory, for this call. */
export function connectionUrl(c: SharedConnection, password?: string): string {
  const u = new URL('postgres://localhost');
  u.hostname = c.host;
  u.port = String(c.port);
  u.pathname = `/${encodeURIComponent(c.database)}`;
  u.username = encodeURIComponent(c.user);
  if (password) u.password = encodeURIComponent(password);
  u.searchParams.set('schema', c.schema);
  return u.toString();
}

/** The recorded server URL with this call's password put in. */
function withPassword(url: string, password?: string): string {
  if (!password) return url;
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Announced edits kept for the renderer to fetch (the newest ones). */
const REMOTE_KEEP = 1000;

/** What the shared channels need beside the active store: the live slot of the dispatcher, the window's own GeoPackage. */
export interface SharedHost {
  slot?: LiveSlot;
  local?: () => StoreApi;
  year?: number;
}

export function bindSharedHandlers(store: StoreApi, keychain?: PasswordKeychain, host: SharedHost = {}): SharedImpl {
  const local = host.local ?? (() => store);
  /** The password typed now, else the one the keychain keeps for the saved connection. */
  const passwordFor = (password: string, label?: string) => (password === '' && label && keychain ? (keychain.get(label) ?? '') : password);
  let watcher: PgStore | null = null;
  const remote: (ChangeEvent & { at: string })[] = [];
  return {
    'shared:connections': () => ({
      keychain: keychain !== undefined,
      connections: readConnections().map((c) => ({ ...c, passwordSaved: keychain?.get(c.label) !== undefined })),
    }),
    'shared:saveConnection': ({ label, connection, rememberPassword }) => {
      if (rememberPassword !== undefined) {
        if (!keychain) throw new Error('no OS keychain here (browser mode or command line): the password is not saved; type it when you connect');
        keychain.save(label, rememberPassword);
      }
      // Only the schema's fields are kept: the contract refuses a password here.
      const entry: SavedConnection = { label, host: connection.host, port: connection.port, database: connection.database, user: connection.user, schema: connection.schema };
      const list = [entry, ...readConnections().filter((c) => c.label !== label)].slice(0, 20);
      const file = connectionsFile();
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(list, null, 2), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return list.map((c) => ({ ...c, passwordSaved: keychain?.get(c.label) !== undefined }));
    },
    'shared:connect': async ({ connection, password, label }) => {
      const s = await PgStore.open(connectionUrl(connection, passwordFor(password, label)));
      try {
        const snap = await s.listFeatures('pipes');
        return { role: await s.role(), description: await s.description(), features: snap.length };
      } finally {
        await s.close();
      }
    },
    'shared:checkout': async ({ connection, password, label, fileName, bbox }) => {
      const path = join(dirname(local().path), fileName);
      if (existsSync(path)) throw new Error(`${fileName}: already exists beside the open project; choose another name`);
      const r = await checkOut(connectionUrl(connection, passwordFor(password, label)), path, { bbox: bbox as [number, number, number, number] | undefined, user: connection.user });
      return { path, features: r.features, checkoutId: r.checkoutId };
    },
    'shared:status': async ({ password }) => {
      const co = readCheckout(store.path);
      if (!co) return { checkout: null, role: null };
      if (password === undefined) return { checkout: co.info, role: null };
      try {
        const s = await PgStore.open(withPassword(co.info.serverUrl, password));
        try {
          return { checkout: co.info, role: await s.role() };
        } finally {
          await s.close();
        }
      } catch (err) {
        return { checkout: co.info, role: null, error: (err as Error).message };
      }
    },
    'shared:watch': async ({ password }) => {
      if (watcher) return { watching: true };
      const co = readCheckout(store.path);
      if (!co) throw new Error(`${store.path}: not a checked-out project`);
      const s = await PgStore.open(withPassword(co.info.serverUrl, password), { user: co.info.user });
      watcher = s;
      await s.listen((e) => {
        remote.push({ ...e, at: new Date().toISOString() });
        if (remote.length > REMOTE_KEEP) remote.splice(0, remote.length - REMOTE_KEEP);
      });
      return { watching: true };
    },
    'shared:remote': ({ since }) => {
      const live = host.slot?.current;
      // Others' edits: the user's own saves come back as announcements too.
      if (live) return { events: live.heard.filter((e) => e.seq > since && e.user !== live.info.user), watching: true };
      return { events: remote.filter((e) => e.seq > since), watching: watcher !== null };
    },
    'shared:openLive': async ({ connection, password, label }) => {
      if (!host.slot) throw new Error('shared:openLive: this window cannot open a shared project live');
      const live = await LiveProject.open(connectionUrl(connection, passwordFor(password, label)), { user: connection.user, year: host.year });
      const old = host.slot.current;
      host.slot.current = live;
      await old?.close();
      return { ...live.info };
    },
    'shared:closeLive': async () => {
      const live = host.slot?.current;
      if (!live || !host.slot) return { closed: false };
      host.slot.current = null;
      await live.close();
      return { closed: true };
    },
    'shared:resolve': async ({ conflict, resolution }) => {
      const live = host.slot?.current;
      if (!live) throw new Error('shared:resolve: no shared project is open live');
      return live.resolve(conflict as Conflict, resolution as never);
    },
    'shared:checkin': async ({ password, prefer, resolutions }) => {
      const co = readCheckout(store.path);
      if (!co) throw new Error(`${store.path}: not a checked-out project`);
      return checkIn(store.path, { url: withPassword(co.info.serverUrl, password), prefer, resolutions: resolutions as never });
    },
  };
}

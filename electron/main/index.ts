/**
 * Electron main: one window per project file, the renderer from app://,
 * the security baseline of security.ts, the menu (新建 / 打开 / 另存为 /
 * 导出 GeoJSON / 最近文件 / 退出) with native dialogs, and the contract's
 * handlers bound to each window's store. Arguments are validated by the
 * dispatcher before the store is touched.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, type MenuItemConstructorOptions } from 'electron';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ProjectStore } from '../backend/store/index';
import type { StoreApi } from '../backend/store/api';
import { createDispatcher } from '../backend/handlers';
import type { PasswordKeychain } from '../backend/shared.handlers';
import { sweepStaleUploads, uploads } from '../backend/uploads';
import { analysisEvents } from '../backend/analysis.handlers';
import { LAYER_NAMES } from '../../core/model/schema';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, denyAllPermissions, guardContents, isAppUrl, secureWebPreferences, viewMenuItems } from './security';
import { appProtocolResponse } from './protocol';
import { pushRecent, readRecent } from './recent';
import { EVENT, INVOKE } from '../preload/names';
import { BasemapTiles, parseTilePath, projectKey, type TileAnswer } from '../backend/basemap/serve';
import { OnlineTiles, fileSecrets, onlineTiles, parseOnlinePath, setOnlineTiles, type UserSecrets } from '../backend/basemap/online';
import { DEFAULT_SETTINGS } from '../../core/model/settings';
import { failureOf } from '../backend/failure';
import type { Envelope } from '../backend/contract';
import { t, type KeysUnder, type Lang } from '../../core/i18n';

/** The bundle lives in dist-electron/; the app root (dist/, gis-data/) is one level up. */
const APP_ROOT = resolve(__dirname, '..');
const DIST = join(APP_ROOT, 'dist');
const PRELOAD = join(__dirname, 'preload.cjs');
// The analysis runner loads its worker from TypeScript sources unless told
// otherwise; in the bundled app it is the esbuild output beside main.cjs —
// always that one: an environment variable must not choose the code it runs.
process.env.WARMNET_ANALYSIS_WORKER = join(__dirname, 'analysis-worker.cjs');
// The check of GeoPackage views (a child process) is plain CommonJS copied beside main.cjs.
process.env.WARMNET_GPKG_PROBE = join(__dirname, 'gpkg-probe.cjs');
const SAMPLE = join(APP_ROOT, 'gis-data', 'mingantu.gpkg');
/**
 * The language of the native menus and dialogs: the system's (Chinese on a Chinese system, else
 * English); the words come from the message catalogue like the window's own.
 */
const lang = (): Lang => (app.getLocale().toLowerCase().startsWith('zh') ? 'zh' : 'en');
const say = (key: KeysUnder<'desktop'>) => t(lang(), `desktop.${key}`);
const gpkgFilter = () => [{ name: say('gpkgFilter'), extensions: ['gpkg'] }];

interface ProjectWindow {
  win: BrowserWindow;
  store: StoreApi;
  dispatch: ReturnType<typeof createDispatcher>;
  watch: NodeJS.Timeout;
  /** Basemap tiles of the window's project (made on the first tile request, remade after Save As). */
  tiles?: { path: string; key: string; tiles: BasemapTiles };
}

/** Passwords of saved server connections, encrypted with the OS keychain; none kept where Electron has no keychain. */
function connectionPasswords(): PasswordKeychain | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const file = join(app.getPath('userData'), 'connection-passwords.enc.json');
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    get: (label) => {
      const v = read()[label];
      return v ? safeStorage.decryptString(Buffer.from(v, 'base64')) : undefined;
    },
    save: (label, password) => writeFileSync(file, JSON.stringify({ ...read(), [label]: safeStorage.encryptString(password).toString('base64') }), { mode: 0o600 }),
  };
}

/** The user's keys encrypted with the OS keychain (safeStorage); a private file where Electron has none. */
function keychainSecrets(): UserSecrets {
  const file = join(app.getPath('userData'), 'secrets.enc.json');
  if (!safeStorage.isEncryptionAvailable()) return fileSecrets(join(app.getPath('userData'), 'secrets.json'));
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    protection: 'keychain',
    get: (name) => {
      const v = read()[name];
      return v ? safeStorage.decryptString(Buffer.from(v, 'base64')) : undefined;
    },
    set: (name, value) => writeFileSync(file, JSON.stringify({ ...read(), [name]: safeStorage.encryptString(value).toString('base64') }), { mode: 0o600 }),
  };
}

function tilesOf(key: string): BasemapTiles | undefined {
  for (const pw of windows.values()) {
    if (pw.tiles && pw.tiles.path !== pw.store.path) {
      pw.tiles.tiles.close();
      pw.tiles = undefined;
    }
    if (!pw.tiles) {
      const store = pw.store as ProjectStore;
      pw.tiles = { path: store.path, key: projectKey(store.path), tiles: new BasemapTiles(() => store.reader(), store.path) };
    }
    if (pw.tiles.key === key) return pw.tiles.tiles;
  }
  return undefined;
}

const tileResponse = (t: TileAnswer) => new Response(t.status === 204 ? null : new Uint8Array(t.body), { status: t.status, headers: { 'Content-Type': t.type } });

const windows = new Map<number, ProjectWindow>(); // by webContents id
// Progress of a running analysis goes to every window; each renderer follows only its own runId.
analysisEvents.on('analysis:progress', (p) => {
  for (const pw of windows.values()) pw.win.webContents.send(EVENT, 'analysis:progress', p);
});
const recentFile = () => join(app.getPath('userData'), 'recent.json');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
]);

function windowFor(path: string): ProjectWindow | undefined {
  for (const w of windows.values()) if (resolve(w.store.path) === resolve(path)) return w;
  return undefined;
}

function focused(): ProjectWindow | undefined {
  const win = BrowserWindow.getFocusedWindow();
  return win ? windows.get(win.webContents.id) : undefined;
}

/** Opens a project in its own window, or focuses the window that already has it. */
function openProject(path: string): void {
  const existing = windowFor(path);
  if (existing) {
    existing.win.focus();
    return;
  }
  let store: StoreApi;
  try {
    store = ProjectStore.open(path);
  } catch (e) {
    dialog.showErrorBox(say('cannotOpen'), (e as Error).message);
    return;
  }
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: `${basename(path)} — ${say('appName')}`,
    show: false,
    webPreferences: secureWebPreferences(PRELOAD, { packaged: app.isPackaged }),
  });
  const id = win.webContents.id;
  let lastRevision = store.revision();
  let watched: StoreApi = store;
  const pw: ProjectWindow = {
    win,
    store,
    // The import wizard's files come from this process's own dialog (or an upload), never as a path from the page.
    dispatch: createDispatcher(() => pw.store, undefined, { chooseFiles: () => chooseImportFiles(win), chooseBasemapFile: () => chooseBasemapFile(win), passwords: connectionPasswords() }),
    watch: setInterval(() => {
      // The project the window shows: its GeoPackage, or a shared project opened live in it.
      const now = pw.dispatch.active();
      const changed = now === watched && now.changedExternally();
      const rev = now.revision();
      if (changed || rev !== lastRevision || now !== watched) {
        watched = now;
        lastRevision = rev;
        win.webContents.send(EVENT, 'project:changed', { revision: rev });
      }
    }, 250),
  };
  windows.set(id, pw);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    clearInterval(pw.watch);
    pw.tiles?.tiles.close();
    void pw.dispatch.close();
    pw.store.close();
    windows.delete(id);
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  rememberRecent(path);
}

const importFilter = () => [
  { name: say('importable'), extensions: ['zip', 'shp', 'dbf', 'prj', 'cpg', 'shx', 'dxf', 'csv', 'txt', 'tsv', 'gpkg', 'geojson', 'json'] },
];

/** The import wizard's 选择文件: the native dialog, several files for a shapefile's loose parts. */
async function chooseImportFiles(win: BrowserWindow): Promise<string[] | null> {
  const r = await dialog.showOpenDialog(win, { title: say('importData'), filters: importFilter(), properties: ['openFile', 'multiSelections'] });
  return r.canceled || !r.filePaths.length ? null : r.filePaths;
}

const basemapFilter = () => [{ name: say('basemapFilter'), extensions: ['tif', 'tiff', 'mbtiles', 'pmtiles'] }];

/** 添加底图: the file the user picks (read where it is; an MBTiles/PMTiles may stay referenced by path). */
async function chooseBasemapFile(win: BrowserWindow): Promise<string | null> {
  const r = await dialog.showOpenDialog(win, { title: say('addBasemap'), filters: basemapFilter(), properties: ['openFile'] });
  return r.canceled || !r.filePaths.length ? null : r.filePaths[0];
}

function rememberRecent(path: string) {
  pushRecent(recentFile(), path);
  buildMenu();
}

async function newProject() {
  const r = await dialog.showSaveDialog({ title: say('newProject'), filters: gpkgFilter(), defaultPath: 'project.gpkg' });
  if (r.canceled || !r.filePath) return;
  try {
    ProjectStore.create(r.filePath).close();
    openProject(r.filePath);
  } catch (e) {
    dialog.showErrorBox(say('cannotCreate'), (e as Error).message);
  }
}

async function openDialog() {
  const r = await dialog.showOpenDialog({ title: say('openProject'), filters: gpkgFilter(), properties: ['openFile', 'multiSelections'] });
  if (!r.canceled) for (const p of r.filePaths) openProject(p);
}

/** 另存为: the store checkpoints and closes, the file is copied, and the window continues on the copy. */
async function saveAs() {
  const pw = focused();
  if (!pw) return;
  const r = await dialog.showSaveDialog({ title: say('saveAs'), filters: gpkgFilter(), defaultPath: pw.store.path });
  if (r.canceled || !r.filePath || resolve(r.filePath) === resolve(pw.store.path)) return;
  const from = pw.store.path;
  pw.store.close();
  try {
    copyFileSync(from, r.filePath);
    pw.store = ProjectStore.open(r.filePath);
  } catch (e) {
    pw.store = ProjectStore.open(from);
    dialog.showErrorBox(say('saveAsFailed'), (e as Error).message);
    return;
  }
  pw.win.setTitle(`${basename(r.filePath)} — ${say('appName')}`);
  pw.win.webContents.send(EVENT, 'project:changed', { revision: pw.store.revision() });
  rememberRecent(r.filePath);
}

/** 导出 GeoJSON: one file per layer (RFC 7946, the schema's field names) into a chosen folder. */
async function exportGeoJson() {
  const pw = focused();
  if (!pw) return;
  const r = await dialog.showOpenDialog({ title: say('exportGeoJson'), properties: ['openDirectory', 'createDirectory'] });
  if (r.canceled || !r.filePaths[0]) return;
  mkdirSync(r.filePaths[0], { recursive: true });
  for (const layer of LAYER_NAMES) {
    writeFileSync(join(r.filePaths[0], `${layer}.geojson`), JSON.stringify(pw.store.featureCollection(layer)));
  }
}

function buildMenu() {
  const recent = readRecent(recentFile());
  const template: MenuItemConstructorOptions[] = [
    {
      label: say('menuFile'),
      submenu: [
        { label: say('menuNew'), accelerator: 'CmdOrCtrl+N', click: () => void newProject() },
        { label: say('menuOpen'), accelerator: 'CmdOrCtrl+O', click: () => void openDialog() },
        { label: say('menuSaveAs'), accelerator: 'CmdOrCtrl+Shift+S', click: () => void saveAs() },
        { label: say('menuExportGeoJson'), click: () => void exportGeoJson() },
        {
          label: say('menuRecent'),
          submenu: recent.length ? recent.map((p) => ({ label: p, click: () => openProject(p) })) : [{ label: say('menuNone'), enabled: false }],
        },
        { type: 'separator' },
        { label: say('menuQuit'), accelerator: 'CmdOrCtrl+Q', role: 'quit' },
      ],
    },
    { label: say('menuView'), submenu: viewMenuItems(app.isPackaged) },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

ipcMain.handle(INVOKE, (event, channel: unknown, args: unknown) => {
  if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) throw new Error('refused: call from outside the app');
  const pw = windows.get(event.sender.id);
  if (!pw) throw new Error('no project in this window');
  // Failures travel as typed envelopes: an Error thrown through IPC would keep only its text.
  return pw.dispatch(channel, args).then(
    (result): Envelope => ({ ok: true, result }),
    (e: unknown): Envelope => ({ ok: false, error: failureOf(e) }),
  );
});

app.on('web-contents-created', (_e, contents) => guardContents(contents));

// A second launch with a file opens it in the running app (one window per file).
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', (_e, argv) => {
  const file = argv.find((a) => a.endsWith('.gpkg') && existsSync(a));
  if (file) openProject(resolve(file));
});

void app.whenReady().then(async () => {
  // Saved server connections (never their passwords) beside the app's other per-user files.
  process.env.WARMNET_CONFIG_DIR ??= app.getPath('userData');
  // Upload folders of an earlier run that ended without cleaning up.
  sweepStaleUploads();
  app.on('will-quit', () => uploads.dispose());
  const settingOf = <K extends 'basemapCacheMb' | 'basemapTimeoutMs'>(k: K): number => {
    const pw = focused() ?? windows.values().next().value;
    try {
      return pw ? pw.store.getSettings()[k] : DEFAULT_SETTINGS[k];
    } catch {
      return DEFAULT_SETTINGS[k];
    }
  };
  setOnlineTiles(
    new OnlineTiles({
      cacheDir: join(app.getPath('userData'), 'tile-cache'),
      cacheMb: () => settingOf('basemapCacheMb'),
      timeoutMs: () => settingOf('basemapTimeoutMs'),
      secrets: keychainSecrets(),
    }),
  );
  // Every app:// request gets an answer: a tile or online route that fails is a 500, never an exception.
  protocol.handle(APP_SCHEME, (req) => appRequest(req).catch(() => new Response('server error', { status: 500 })));
  async function appRequest(req: Request): Promise<Response> {
    let u: URL;
    try {
      u = new URL(req.url);
    } catch {
      return new Response('bad request', { status: 400 });
    }
    if (u.host !== APP_HOST) return new Response('forbidden', { status: 403 });
    const tile = parseTilePath(u.pathname);
    if (tile) {
      const tiles = tilesOf(tile.key);
      if (!tiles) return new Response('not an open project', { status: 404 });
      try {
        return tileResponse(await tiles.tile(tile.fid, tile.z, tile.x, tile.y));
      } catch (e) {
        return new Response((e as Error).message, { status: 500 });
      }
    }
    const online = parseOnlinePath(u.pathname);
    if (online) {
      const o = onlineTiles();
      if (!o) return new Response('no online sources', { status: 404 });
      return tileResponse(await o.tile(online.id, online.layer, online.z, online.x, online.y));
    }
    // Malformed or escaping addresses get 400/404, never an exception.
    return appProtocolResponse(DIST, req.url, APP_HOST);
  }
  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(denyAllPermissions(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => denyAllPermissions(permission));
  buildMenu();
  const arg = process.argv.slice(1).find((a) => a.endsWith('.gpkg'));
  const first = arg ? resolve(arg) : (readRecent(recentFile())[0] ?? (existsSync(SAMPLE) ? SAMPLE : undefined));
  if (first) openProject(first);
  else await openDialog();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

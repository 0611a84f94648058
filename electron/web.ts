/**
 * Browser mode: the built renderer and the same backend handlers behind a
 * loopback HTTP bridge, for machines without the Electron binary and for the
 * end-to-end tests. `POST /api/invoke {channel, args}` answers
 * `{ok:true, result}` or `{ok:false, error}`; `GET /api/events` is a stream of
 * server-sent backend events. Binds 127.0.0.1 only.
 *
 * Other pages in the user's browser can reach a loopback port too, so the
 * bridge answers only the app's own page (see `refusal`): a random secret per
 * launch, given to the page as an HttpOnly SameSite=Strict cookie when it is
 * served and required on every /api request; the Host header must be the
 * address the server chose (no DNS rebinding); an Origin, when sent, must be
 * the app's own; calls are `application/json` only. Anything else gets 403
 * before any handler runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from './backend/store/index';
import type { StoreApi } from './backend/store/api';
import { createDispatcher } from './backend/handlers';
import { sweepStaleUploads, UploadStore } from './backend/uploads';
import { analysisEvents } from './backend/analysis.handlers';
import { CSP_WEB } from './main/security';
import { serveTile } from './backend/tiles';
import { BasemapTiles, parseTilePath, projectKey, type TileAnswer } from './backend/basemap/serve';
import { OnlineTiles, fileSecrets, onlineTiles, parseOnlinePath, setOnlineTiles } from './backend/basemap/online';
import type { OnlineSource } from '../core/basemap/online';
import { homedir } from 'node:os';
import { failureOf } from './backend/failure';
import { t } from '../core/i18n';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.pbf': 'application/x-protobuf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface WebServerOptions {
  projectPath: string;
  port?: number;
  /** Folder of the built renderer (default: dist/ at the repository root). */
  distDir?: string;
  /** Year the age classes are computed for (tests pin it). */
  year?: number;
  /** Folder of the online tile cache (default ~/.cache/warmnet/tiles). */
  tileCacheDir?: string;
  /** Online sources beside Tianditu's (user XYZ templates; tests' loopback servers). */
  onlineSources?: OnlineSource[];
}

export interface WebServer {
  url: string;
  /** The import wizard's uploaded files (tests look at its folder). */
  uploads: UploadStore;
  /** The `Cookie` header the app's page sends (for callers outside a browser: tests, benches). */
  cookie: string;
  server: Server;
  store: StoreApi;
  close(): Promise<void>;
}

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

function readBody(req: IncomingMessage, limit = 5_000_000): Promise<string> {
  return new Promise((ok, fail) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        fail(new Error('request body too large'));
        req.destroy();
      } else parts.push(c);
    });
    req.on('end', () => ok(Buffer.concat(parts).toString('utf8')));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CSP_WEB,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    ...extra,
  });
  res.end(body);
}

/** Who may talk to this server: the page it served, at the address it chose. */
export interface BridgeGuard {
  /** `127.0.0.1:<port>`: the only Host header accepted. */
  host: string;
  /** `http://127.0.0.1:<port>`: the only Origin accepted. */
  origin: string;
  /** Cookie name (per port: cookies do not tell ports apart) and the launch's secret. */
  cookieName: string;
  secret: string;
}

export function newBridgeGuard(port: number): BridgeGuard {
  return {
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    cookieName: `warmnet_bridge_${port}`,
    secret: randomBytes(32).toString('base64url'),
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Why a request is refused, or null when it may go on. Every request needs
 * the right Host and, when it names one, the app's Origin; /api requests
 * also the secret cookie, a same-origin fetch, and (calls) a JSON body.
 */
export function refusal(req: Pick<IncomingMessage, 'headers' | 'method' | 'url'>, guard: BridgeGuard): string | null {
  const h = req.headers;
  if (h.host !== guard.host) return `Host "${String(h.host ?? '')}" is not ${guard.host}`;
  if (h.origin !== undefined && h.origin !== guard.origin) return `Origin "${String(h.origin)}" is not the app's`;
  let path: string;
  try {
    // The same parse as the router's, so "/x/../api/invoke" is judged as the call it becomes.
    path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  } catch {
    return 'a malformed address';
  }
  // The page shell and its static files are public; the bridge and every route that reads the project
  // (vector tiles, basemap tiles, the online tile cache) need the launch's secret.
  if (!/^\/(api|tiles|basemap|online)(\/|$)/i.test(path)) return null;
  const site = h['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return `a ${String(site)} request`;
  if (!sameSecret(cookieValue(h.cookie, guard.cookieName), guard.secret)) return 'no bridge secret (open the app from the address browser mode printed)';
  if (path === '/api/invoke') {
    if (req.method !== 'POST') return 'calls are POST';
    const type = String(h['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return `body type "${type}" is not application/json`;
  } else if (path === '/api/events') {
    if (req.method !== 'GET') return 'events are GET';
  } else if (/^\/api(\/|$)/i.test(path)) return 'unknown address';
  return null;
}

/**
 * layer:get hands out the same collection object while the revision stands
 * (the handlers' per-revision cache), so its JSON is written once: at 50k
 * pipe segments that is 24 MB and ~0.4 s a request, paid again on every
 * reload or second window. Keyed by the object, so a new revision misses.
 */
const layerBodies = new WeakMap<object, string>();
function answerBody(channel: unknown, result: unknown): string {
  if (channel !== 'layer:get' || !result || typeof result !== 'object') return JSON.stringify({ ok: true, result });
  let body = layerBodies.get(result);
  if (body === undefined) {
    body = JSON.stringify({ ok: true, result });
    layerBodies.set(result, body);
  }
  return body;
}

/** How often the bridge looks for changes to tell the page about (a change event costs nothing when there is none). */
const WATCH_MS = 250;

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const distDir = resolve(opts.distDir ?? join(REPO_ROOT, 'dist'));
  if (!existsSync(join(distDir, 'index.html'))) throw new Error(`no built renderer in ${distDir} (run npm run build)`);
  const projectStore = ProjectStore.open(resolve(opts.projectPath));
  const store: StoreApi = projectStore;
  const tiles = new BasemapTiles(() => projectStore.reader(), projectStore.path);
  const key = projectKey(projectStore.path);
  if (!onlineTiles() || opts.tileCacheDir || opts.onlineSources) {
    setOnlineTiles(
      new OnlineTiles({
        cacheDir: opts.tileCacheDir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'warmnet', 'tiles'),
        cacheMb: () => projectStore.getSettings().basemapCacheMb,
        timeoutMs: () => projectStore.getSettings().basemapTimeoutMs,
        secrets: fileSecrets(),
        extraSources: opts.onlineSources,
      }),
    );
  }
  const sendTile = (res: ServerResponse, t: TileAnswer) => {
    res.writeHead(t.status, { 'Content-Type': t.type, 'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP_WEB });
    res.end(t.body);
  };
  // Files uploaded to the import wizard: this server's own temp folder; leftovers of a crashed run are swept first.
  sweepStaleUploads();
  const uploads = new UploadStore();
  const dispatch = createDispatcher(() => store, opts.year, { uploads });
  const listeners = new Set<ServerResponse>();
  let watched = dispatch.active();
  let lastRevision = watched.revision();

  // Another program (QGIS) may write the file, or others' edits reach a shared project opened live
  // (within a second of their commit: LISTEN/NOTIFY, then this tick); tell the renderers to reload.
  const watch = setInterval(() => {
    try {
      const now = dispatch.active();
      const changed = now === watched && now.changedExternally();
      const rev = now.revision();
      if (changed || rev !== lastRevision || now !== watched) {
        watched = now;
        lastRevision = rev;
        const msg = `event: project:changed\ndata: ${JSON.stringify({ revision: rev, external: changed })}\n\n`;
        for (const l of listeners) l.write(msg);
      }
    } catch {
      /* the store is closing */
    }
  }, WATCH_MS);
  watch.unref();
  const onProgress = (p: unknown) => {
    const msg = `event: analysis:progress\ndata: ${JSON.stringify(p)}\n\n`;
    for (const l of listeners) l.write(msg);
  };
  analysisEvents.on('analysis:progress', onProgress);

  // The port is known once listening; until then nothing is answered.
  let guard: BridgeGuard | null = null;
  const server = createServer(async (req, res) => {
    const why = guard ? refusal(req, guard) : 'not ready';
    if (why !== null) {
      // Nothing read, nothing called: the refused request changes nothing.
      res.setHeader('Connection', 'close');
      return send(res, 403, JSON.stringify({ ok: false, error: { code: 'refused', message: `refused: ${why}` } }), MIME['.json']);
    }
    const g = guard!;
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/api/invoke' && req.method === 'POST') {
        let call: { channel?: unknown; args?: unknown };
        try {
          // import:preview / import:commit carry whole files (base64), a survey shapefile runs to tens of MB.
          call = JSON.parse(await readBody(req, 300_000_000));
        } catch {
          return send(res, 400, JSON.stringify({ ok: false, error: { code: 'bad_call', message: 'body is not JSON' } }), MIME['.json']);
        }
        try {
          const result = await dispatch(call.channel, call.args);
          return send(res, 200, answerBody(call.channel, result), MIME['.json']);
        } catch (e) {
          return send(res, 200, JSON.stringify({ ok: false, error: failureOf(e) }), MIME['.json']);
        }
      }
      if (url.pathname === '/api/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        listeners.add(res);
        req.on('close', () => listeners.delete(res));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain');
      const tilePath = parseTilePath(url.pathname);
      if (tilePath) {
        if (tilePath.key !== key) return send(res, 404, 'not this project', 'text/plain');
        return sendTile(res, await tiles.tile(tilePath.fid, tilePath.z, tilePath.x, tilePath.y));
      }
      const onlinePath = parseOnlinePath(url.pathname);
      if (onlinePath) {
        const online = onlineTiles();
        if (!online) return send(res, 404, 'no online sources', 'text/plain');
        return sendTile(res, await online.tile(onlinePath.id, onlinePath.layer, onlinePath.z, onlinePath.x, onlinePath.y));
      }
      // vector tiles of the open project's large layers (backend/tiles.ts)
      const tile = serveTile(url.pathname);
      if (tile) return send(res, tile.status, tile.body, tile.type);
      let decoded: string;
      try {
        decoded = decodeURIComponent(url.pathname);
      } catch {
        return send(res, 400, 'bad address', 'text/plain');
      }
      if (decoded.includes('\0')) return send(res, 400, 'bad address', 'text/plain');
      const rel = normalize(decoded).replace(/^([/\\])+/, '');
      let file = resolve(distDir, rel || 'index.html');
      if (file !== distDir && !file.startsWith(distDir + sep)) return send(res, 403, 'forbidden', 'text/plain');
      if (!existsSync(file) || statSync(file).isDirectory()) {
        // Glyph ranges we did not generate: an empty PBF is a valid "no glyphs here" answer.
        if (rel.startsWith('glyphs/') && rel.endsWith('.pbf')) return send(res, 200, Buffer.alloc(0), MIME['.pbf']);
        if (extname(rel)) return send(res, 404, 'not found', 'text/plain');
        file = join(distDir, 'index.html');
      }
      // The app's page receives the launch's secret; scripts cannot read it, other sites never get it sent.
      const cookie = extname(file) === '.html' ? { 'Set-Cookie': `${g.cookieName}=${g.secret}; Path=/; HttpOnly; SameSite=Strict` } : undefined;
      return send(res, 200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream', cookie);
    } catch (e) {
      // The reason stays in this process's log; the page learns only that it failed.
      console.error(`warmnet web: ${(e as Error).message}`);
      return send(res, 500, 'server error', 'text/plain');
    }
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port!;
  guard = newBridgeGuard(port);
  return {
    url: `http://127.0.0.1:${port}/`,
    cookie: `${guard.cookieName}=${guard.secret}`,
    uploads,
    server,
    store,
    close: () =>
      new Promise<void>((ok) => {
        clearInterval(watch);
        analysisEvents.off('analysis:progress', onProgress);
        for (const l of listeners) l.end();
        server.close(async () => {
          await dispatch.close().catch(() => undefined);
          tiles.close();
          store.close();
          uploads.dispose();
          ok();
        });
        server.closeAllConnections();
      }),
  };
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

async function main() {
  const argv = process.argv.slice(2);
  const projectPath = argValue(argv, '--project') ?? join(REPO_ROOT, 'gis-data', 'mingantu.gpkg');
  const port = Number(argValue(argv, '--port') ?? 5178);
  if (!existsSync(projectPath)) {
    console.error(`warmnet web: project file not found: ${projectPath} (generate the sample with npm run sample, or pass --project FILE)`);
    process.exit(2);
  }
  const web = await startWebServer({ projectPath, port });
  console.log(`${t('zh', 'desktop.appName')} browser mode: ${web.url}  (project ${projectPath}; Ctrl+C to stop)`);
  const stop = () => void web.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`warmnet web: ${(e as Error).message}`);
    process.exit(1);
  });
}

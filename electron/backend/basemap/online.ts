/**
 * Online basemap tiles, fetched by the app's own process and kept in a disk
 * cache so tiles seen once stay available offline:
 *
 *   online/<source id>/<layer index>/<z>/<x>/<y>
 *
 * - The cache has a size limit (setting basemapCacheMb); past it the least
 *   recently used tiles are deleted.
 * - A request that takes longer than basemapTimeoutMs fails.
 * - 404 from the server is "no tile here" (an empty answer, the map stays
 *   whole); no key, 401/403, 5xx and timeouts are failures, remembered per
 *   source so the status bar can say what went wrong once.
 * - The Tianditu key comes from the user's secrets (UserSecrets): the OS
 *   keychain in Electron (safeStorage), a private file in browser mode. It is
 *   never written into a project.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TIANDITU_SOURCES, tileUrl, type OnlineSource } from '../../../core/basemap/online';
import { message, say, type Message } from '../../../core/i18n';
import type { TileAnswer } from './serve';
import type { BasemapRow } from './gpkgTiles';
import { tileMime } from './serve';

/** Where the user's own keys live (never in a project). */
export interface UserSecrets {
  get(name: 'tianditu'): string | undefined;
  set(name: 'tianditu', value: string): void;
  /** 'keychain' when the OS protects them, 'file' otherwise. */
  readonly protection: 'keychain' | 'file';
}

/** Browser mode and the command line: a 0600 JSON file in the user's config folder; WARMNET_TIANDITU_KEY overrides. */
export function fileSecrets(path = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'warmnet', 'secrets.json')): UserSecrets {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    protection: 'file',
    get: (name) => (name === 'tianditu' ? process.env.WARMNET_TIANDITU_KEY : undefined) || read()[name] || undefined,
    set: (name, value) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify({ ...read(), [name]: value }), { mode: 0o600 });
      chmodSync(path, 0o600);
    },
  };
}

export interface OnlineOptions {
  cacheDir: string;
  cacheMb: () => number;
  timeoutMs: () => number;
  secrets: UserSecrets;
  /** Sources beyond Tianditu's (user XYZ templates, test servers). */
  extraSources?: OnlineSource[];
}

/** What went wrong with one source, as a typed message (basemap.failure.*) for the status bar to say in its language. */
export interface OnlineFailure {
  source: string;
  name: { zh: string; en: string };
  said: Message;
  at: string;
}

export class OnlineTiles {
  private readonly sources = new Map<string, OnlineSource>();
  private readonly failures = new Map<string, OnlineFailure>();
  private cacheBytes: number | null = null;

  constructor(private readonly opts: OnlineOptions) {
    for (const s of [...TIANDITU_SOURCES, ...(opts.extraSources ?? [])]) this.sources.set(s.id, s);
  }

  list(): OnlineSource[] {
    return [...this.sources.values()];
  }

  addSource(s: OnlineSource): void {
    this.sources.set(s.id, s);
  }

  setKey(name: 'tianditu', value: string): void {
    this.opts.secrets.set(name, value);
  }

  get protection(): 'keychain' | 'file' {
    return this.opts.secrets.protection;
  }

  ready(s: OnlineSource): boolean {
    return !s.needsKey || !!this.opts.secrets.get(s.needsKey);
  }

  /** The failures since the last call, once each. */
  takeFailures(): OnlineFailure[] {
    const out = [...this.failures.values()];
    this.failures.clear();
    return out;
  }

  /** Remember the failure for the status bar; the answer's body is the English text, for logs. */
  private fail(s: OnlineSource, said: Message, status: number): TileAnswer {
    this.failures.set(s.id, { source: s.id, name: s.name, said, at: new Date().toISOString() });
    return { status, body: Buffer.from(`${s.name.en}: ${say('en', said)}`), type: 'text/plain; charset=utf-8' };
  }

  private cachePath(id: string, layer: number, z: number, x: number, y: number): string {
    return join(this.opts.cacheDir, id, String(layer), String(z), String(x), String(y));
  }

  async tile(id: string, layer: number, z: number, x: number, y: number): Promise<TileAnswer> {
    const s = this.sources.get(id);
    if (!s || !s.layers[layer]) return { status: 404, body: Buffer.from(`no online source ${id}/${layer}`), type: 'text/plain' };
    const file = this.cachePath(id, layer, z, x, y);
    if (existsSync(file)) {
      const body = readFileSync(file);
      const now = new Date();
      utimesSync(file, now, now);
      return { status: body.length ? 200 : 204, body, type: body.length ? tileMime(body) : 'application/octet-stream' };
    }
    let key = '';
    if (s.needsKey) {
      key = this.opts.secrets.get(s.needsKey) ?? '';
      if (!key) return this.fail(s, message('basemap.failure.noKey'), 401);
    }
    const url = tileUrl(s.layers[layer], z, x, y, key);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(Math.max(100, this.opts.timeoutMs())), redirect: 'follow' });
    } catch (err) {
      const e = err as Error;
      const said = e.name === 'TimeoutError' ? message('basemap.failure.timeout', { ms: this.opts.timeoutMs() }) : message('basemap.failure.unreachable', { error: e.message });
      return this.fail(s, said, 504);
    }
    if (res.status === 404 || res.status === 204) {
      await res.arrayBuffer().catch(() => undefined);
      return { status: 204, body: Buffer.alloc(0), type: 'application/octet-stream' };
    }
    if (!res.ok) {
      await res.arrayBuffer().catch(() => undefined);
      const refused = res.status === 401 || res.status === 403;
      return this.fail(s, message(refused ? 'basemap.failure.keyRefused' : 'basemap.failure.serverError', { status: res.status }), 502);
    }
    const body = Buffer.from(await res.arrayBuffer());
    this.store(file, body);
    return { status: 200, body, type: res.headers.get('content-type') ?? tileMime(body) };
  }

  private store(file: string, body: Buffer): void {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, body);
      renameSync(tmp, file);
      if (this.cacheBytes === null) this.cacheBytes = this.scan().reduce((n, f) => n + f.size, 0);
      else this.cacheBytes += body.length;
      if (this.cacheBytes > this.opts.cacheMb() * 1024 * 1024) this.trim();
    } catch {
      /* a cache that cannot be written only costs a refetch */
    }
  }

  private scan(): { path: string; size: number; atime: number }[] {
    const out: { path: string; size: number; atime: number }[] = [];
    const walk = (d: string) => {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch {
        return;
      }
      for (const n of names) {
        const p = join(d, n);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else out.push({ path: p, size: st.size, atime: st.mtimeMs });
      }
    };
    walk(this.opts.cacheDir);
    return out;
  }

  /** Delete least recently used tiles until the cache is at 90 % of its limit. */
  trim(): void {
    const files = this.scan().sort((a, b) => a.atime - b.atime);
    let total = files.reduce((n, f) => n + f.size, 0);
    const target = this.opts.cacheMb() * 1024 * 1024 * 0.9;
    for (const f of files) {
      if (total <= target) break;
      rmSync(f.path, { force: true });
      total -= f.size;
    }
    this.cacheBytes = total;
  }

  cacheSize(): number {
    return this.scan().reduce((n, f) => n + f.size, 0);
  }
}

/** Parse `online/<id>/<layer>/<z>/<x>/<y>`. */
export function parseOnlinePath(pathname: string): { id: string; layer: number; z: number; x: number; y: number } | null {
  const m = /^\/?online\/([a-z0-9-]+)\/(\d)\/(\d+)\/(\d+)\/(\d+)$/.exec(pathname);
  if (!m) return null;
  return { id: m[1], layer: Number(m[2]), z: Number(m[3]), x: Number(m[4]), y: Number(m[5]) };
}

/** A stable id for a user's XYZ template. */
export function xyzSourceId(url: string): string {
  return `xyz-${createHash('sha256').update(url).digest('hex').slice(0, 10)}`;
}

/** A user's source saved in the project (an XYZ template or a WMTS layer turned into one), with its row. */
export interface ProjectOnlineSource extends OnlineSource {
  fid: number;
}

/** The online sources a project keeps in its basemap list (kind 'online'; the URL template in `path`). */
export function projectOnlineSources(rows: readonly BasemapRow[]): ProjectOnlineSource[] {
  return rows
    .filter((r) => r.kind === 'online' && r.path)
    .map((r) => ({
      fid: r.fid,
      id: xyzSourceId(r.path!),
      name: { zh: r.name, en: r.name },
      layers: [{ url: r.path! }],
      attribution: r.attribution ?? '',
      maxZoom: r.maxZoom ?? 19,
      ...(r.details?.gcj02 === true ? { gcj02: true } : {}),
    }));
}

/** The project's own online sources registered with the process's fetcher (so their tiles can be served and printed). */
export function registerProjectSources(online: OnlineTiles | null, rows: readonly BasemapRow[]): ProjectOnlineSource[] {
  const list = projectOnlineSources(rows);
  for (const s of list) online?.addSource(s);
  return list;
}

let shared: OnlineTiles | null = null;

/** The process's online tiles (one cache per process); the main process or the bridge sets it up. */
export function onlineTiles(): OnlineTiles | null {
  return shared;
}

export function setOnlineTiles(o: OnlineTiles | null): void {
  shared = o;
}

/**
 * Basemap tiles as the app loads them, from the loopback bridge: an MBTiles
 * made by `gdal_translate -of MBTILES` referenced by path and copied in, a
 * GeoTIFF pyramid, and online sources through the disk cache against a tile
 * server this test starts on loopback (200, 404, slow, 500) — never the real
 * internet. The view state is saved in the project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ProjectStore } from '../../electron/backend/store/index';
import { startWebServer, type WebServer } from '../../electron/web';
import { runCli } from '../../electron/cli/testing';
import type { BasemapList } from '../../electron/backend/basemap.contract';
import { setOnlineTiles } from '../../electron/backend/basemap/online';
import { say, t } from '../../core/i18n';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const VALIDATE = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2263a0c0000000049454e44ae426082', 'hex');

let dir: string;
let web: WebServer;
let upstream: Server;
let upstreamUrl: string;
const hits: string[] = [];

async function invoke<T>(channel: string, args: unknown = {}): Promise<T> {
  const r = await fetch(new URL('api/invoke', web.url), { method: 'POST', body: JSON.stringify({ channel, args }), headers: { 'Content-Type': 'application/json', Cookie: web.cookie } });
  const j = (await r.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!j.ok) throw new Error(j.error?.message);
  return j.result as T;
}

// Tiles need the bridge's launch secret like every route that reads the project.
const get = (path: string) => fetch(new URL(path, web.url), { headers: { Cookie: web.cookie } });
const tileOf = (template: string, z: number, x: number, y: number) => template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-basemap-serve-'));
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  delete process.env.WARMNET_TIANDITU_KEY;
  const info = execFileSync(PYTHON, [join(ROOT, 'tests/fixtures/basemap/rasters.py'), dir], { encoding: 'utf8' });
  expect(info).toContain('blockCentre');
  // An MBTiles with overviews, made by GDAL.
  execFileSync('gdal_translate', ['-q', '-of', 'MBTILES', join(dir, 'gk38.tif'), join(dir, 'ortho.mbtiles')]);
  execFileSync('gdaladdo', ['-q', join(dir, 'ortho.mbtiles'), '2', '4']);

  upstream = createServer((req, res) => {
    const url = req.url ?? '';
    hits.push(url);
    if (url.startsWith('/ok/')) {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      return res.end(PNG);
    }
    if (url.startsWith('/missing/')) {
      res.writeHead(404);
      return res.end('no tile');
    }
    if (url.startsWith('/slow/')) {
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.end(PNG);
      }, 1500);
      return;
    }
    res.writeHead(500);
    res.end('boom');
  });
  await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', () => ok()));
  const addr = upstream.address() as { port: number };
  upstreamUrl = `http://127.0.0.1:${addr.port}`;

  const project = join(dir, 'p.gpkg');
  ProjectStore.create(project).close();
  const store = ProjectStore.open(project);
  store.setSettings({ basemapTimeoutMs: 400, basemapCacheMb: 0.0002 });
  store.close();
  const added = await runCli(['basemap', 'add', join(dir, 'ortho.mbtiles'), '--into', project, '--name', 'mb-ref']);
  expect(added.status, added.stderr).toBe(0);
  expect(added.stdout).toMatch(/referenced at ortho\.mbtiles/);
  const copied = await runCli(['basemap', 'add', join(dir, 'ortho.mbtiles'), '--into', project, '--name', 'mb-copy', '--copy']);
  expect(copied.status, copied.stderr).toBe(0);
  expect(copied.stdout).toMatch(/copied in: 22 tiles in table basemap_mb_copy/);

  const dist = join(dir, 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');
  const src = (id: string, path: string) => ({ id, name: { zh: id, en: id }, layers: [{ url: `${upstreamUrl}/${path}/{z}/{x}/{y}.png` }], attribution: `© ${id}`, maxZoom: 18 });
  web = await startWebServer({
    projectPath: project,
    distDir: dist,
    tileCacheDir: join(dir, 'cache'),
    onlineSources: [src('t-ok', 'ok'), src('t-missing', 'missing'), src('t-slow', 'slow'), src('t-err', 'err')],
  });
});

afterAll(async () => {
  await web?.close();
  setOnlineTiles(null);
  await new Promise<void>((ok) => (upstream ? upstream.close(() => ok()) : ok()));
  rmSync(dir, { recursive: true, force: true });
});

describe('basemaps from the loopback bridge', () => {
  it('serves an MBTiles by path and its copy in the project with the same tiles, flipping TMS rows to XYZ', async () => {
    const list = await invoke<BasemapList>('basemap:list');
    const ref = list.basemaps.find((b) => b.name === 'mb-ref')!;
    const copy = list.basemaps.find((b) => b.name === 'mb-copy')!;
    expect(ref).toMatchObject({ kind: 'mbtiles', format: 'raster', minZoom: 16, maxZoom: 18 });
    expect(copy).toMatchObject({ kind: 'gpkg-tiles', format: 'raster', minZoom: 16, maxZoom: 18 });
    const mb = new Database(join(dir, 'ortho.mbtiles'), { readonly: true });
    const rows = mb.prepare('SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles').all() as { z: number; x: number; y: number; d: Buffer }[];
    mb.close();
    expect(rows.length).toBe(22);
    for (const r of rows.slice(0, 8)) {
      const y = 2 ** r.z - 1 - r.y;
      for (const b of [ref, copy]) {
        const res = await get(tileOf(b.tiles, r.z, r.x, y));
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/png');
        expect(Buffer.from(await res.arrayBuffer()).equals(r.d)).toBe(true);
      }
    }
    // Outside the tiles: an empty answer, not an error.
    expect((await get(tileOf(ref.tiles, 18, 0, 0))).status).toBe(204);
    // Without the bridge's secret, refused; another project's key, refused.
    expect((await fetch(new URL(tileOf(ref.tiles, 18, 0, 0), web.url))).status).toBe(403);
    expect((await get(ref.tiles.replace(/basemap\/[0-9a-f]{16}/, 'basemap/0000000000000000').replace('{z}/{x}/{y}', '18/0/0'))).status).toBe(404);
    const v = execFileSync(PYTHON, [VALIDATE, web.store.path], { encoding: 'utf8' });
    expect(v).toBe('');
  });

  it('online: 200 is served and cached (still there with the server gone from the list), 404 is an empty tile', async () => {
    const list = await invoke<BasemapList>('basemap:list');
    const ok = list.online.find((s) => s.id === 'online:t-ok')!;
    expect(ok).toMatchObject({ ready: true, attribution: '© t-ok', gcj02: false });
    const r1 = await get(tileOf(ok.tiles[0], 15, 100, 200));
    expect(r1.status).toBe(200);
    expect(Buffer.from(await r1.arrayBuffer()).equals(PNG)).toBe(true);
    const before = hits.length;
    const r2 = await get(tileOf(ok.tiles[0], 15, 100, 200));
    expect(r2.status).toBe(200);
    expect(hits.length).toBe(before);
    const missing = list.online.find((s) => s.id === 'online:t-missing')!;
    expect((await get(tileOf(missing.tiles[0], 15, 1, 1))).status).toBe(204);
  });

  it('online: a slow server times out, a 500 fails, Tianditu without a key fails; each failure is reported once', async () => {
    const list = await invoke<BasemapList>('basemap:list');
    const slow = list.online.find((s) => s.id === 'online:t-slow')!;
    const err = list.online.find((s) => s.id === 'online:t-err')!;
    const tdt = list.online.find((s) => s.id === 'online:tianditu-img')!;
    expect(tdt).toMatchObject({ ready: false, approvalNumber: true });
    expect(tdt.tiles).toHaveLength(2);
    const t0 = performance.now();
    const rs = await get(tileOf(slow.tiles[0], 10, 1, 1));
    expect(rs.status).toBe(504);
    expect(performance.now() - t0).toBeLessThan(1400);
    expect(await rs.text()).toMatch(/timeout after 400 ms/);
    const re = await get(tileOf(err.tiles[0], 10, 1, 1));
    expect(re.status).toBe(502);
    expect(await re.text()).toMatch(/HTTP 500/);
    const rk = await get(tileOf(tdt.tiles[0], 10, 1, 1));
    expect(rk.status).toBe(401);
    const failures = (await invoke<BasemapList>('basemap:list')).failures;
    expect(failures.map((f) => f.source).sort()).toEqual(['t-err', 't-slow', 'tianditu-img']);
    // typed messages, said by the status bar in its language
    const byId = Object.fromEntries(failures.map((f) => [f.source, f]));
    expect(byId['tianditu-img'].said).toEqual({ code: 'basemap.failure.noKey' });
    expect(byId['t-slow'].said).toEqual({ code: 'basemap.failure.timeout', params: { ms: 400 } });
    expect(byId['t-err'].said).toEqual({ code: 'basemap.failure.serverError', params: { status: 500 } });
    expect(say('zh', byId['tianditu-img'].said)).toBe('未设置天地图密钥');
    expect(t('en', 'basemap.failure', { source: byId['t-err'].name.en, reason: say('en', byId['t-err'].said) })).toMatch(/: HTTP 500: server error$/);
    expect((await invoke<BasemapList>('basemap:list')).failures).toEqual([]);
  });

  it('the Tianditu key goes to the user secrets, not the project', async () => {
    const r = await invoke<{ stored: boolean; protection: string }>('basemap:key', { tianditu: '0123456789abcdef0123456789abcdef' });
    expect(r).toEqual({ stored: true, protection: 'file' });
    const list = await invoke<BasemapList>('basemap:list');
    expect(list.online.find((s) => s.id === 'online:tianditu-vec')!.ready).toBe(true);
    const db = new Database(web.store.path, { readonly: true });
    const dump = (db.prepare(`SELECT group_concat(value) FROM view_state`).pluck().get() ?? '') + JSON.stringify(db.prepare('SELECT * FROM settings').all()) + JSON.stringify(db.prepare('SELECT * FROM basemaps').all());
    db.close();
    expect(dump).not.toContain('0123456789abcdef0123456789abcdef');
  });

  it('keeps the cache under its size limit, dropping the least recently used tiles', async () => {
    const list = await invoke<BasemapList>('basemap:list');
    const ok = list.online.find((s) => s.id === 'online:t-ok')!;
    for (let x = 0; x < 6; x++) expect((await get(tileOf(ok.tiles[0], 12, x, 7))).status).toBe(200);
    const files = execFileSync('find', [join(dir, 'cache'), '-type', 'f'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    // 0.0002 MB ≈ 210 bytes: at most two 70-byte tiles stay, the newest among them.
    expect(files.length).toBeLessThanOrEqual(3);
    expect(files.some((f) => f.endsWith(join('12', '5', '7')))).toBe(true);
  });

  it('saves the chosen basemap, opacity, muted look and presentation views in the project', async () => {
    const list = await invoke<BasemapList>('basemap:list');
    expect(list.view).toEqual({ basemap: 'none', opacity: 1, muted: false, views: [] });
    const id = list.basemaps[1].id;
    const v = await invoke('view:set', { basemap: id, opacity: 0.6, muted: true, views: [{ name: '全镇', bbox: [115, 42.2, 115.1, 42.3], theme: 'age' }] });
    expect(v).toEqual({ basemap: id, opacity: 0.6, muted: true, views: [{ name: '全镇', bbox: [115, 42.2, 115.1, 42.3], theme: 'age' }] });
    const store = ProjectStore.open(join(dir, 'p.gpkg'));
    try {
      expect(store.viewState()).toMatchObject({ basemap: id, muted: true });
    } finally {
      store.close();
    }
  });
});

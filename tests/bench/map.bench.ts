/* eslint-disable @typescript-eslint/no-explicit-any -- pages report free-form figures */
/**
 * Map load benchmark: page load → the first map `idle` with the project's data
 * drawn, the app (browser mode, its own backend in a child process) next to a
 * bare MapLibre page showing the same data from the same backend — the same
 * vector tiles where the app draws a layer from tiles, the same GeoJSON where
 * it does not — in the same run and browser. Networks: the Mingantu sample and
 * generated grids of MAP_BENCH_SIZES pipe segments (default 10000,100000; add
 * 1000000 for the city figure).
 *
 * For each network it prints a small table of where the load goes, for the
 * app and for the bare page: JavaScript fetched before the first idle (kB, on
 * the wire), the requests before the first idle by kind (script, style sheet,
 * backend call, data tile, basemap tile, glyphs), and the time to first idle;
 * then the app's own steps (ms since navigation) and the ratio app / bare.
 * After the load, an attribute edit of a tiled pipe is timed from the save
 * (the backend's answer) to the map showing it, with the data tiles the map
 * fetched for it.
 *
 * Chromium: CHROMIUM_PATH or /usr/bin/chromium (software WebGL here, so the
 * absolute times are slow; the ratio is the figure). The machine is shared:
 * each side is loaded once to warm up, then MAP_BENCH_REPEATS times
 * alternating, and the fastest run of each is kept.
 */
import { backendEnv } from '../../scripts/web.mjs';
import { chromium, type Browser, type Page, type Request } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { LAYER_NAMES } from '../../core/model/schema';
import { buildStyle } from '../../renderer/map/style';

/** The system fonts the app draws Chinese labels with (renderer/map/MapController.ts). */
const CJK_FONTS = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
import { gridProject } from './grid';
export { gridProject };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = join(ROOT, '.bench-tmp', 'map');
const REPEATS = Number(process.env.MAP_BENCH_REPEATS ?? 3);
const ARGS = ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// ------------------------------------------------------------------ the backend (browser mode) in a child process

export interface Backend {
  child: ChildProcess;
  url: string;
  cookie: string;
}

export async function startBackend(projectPath: string, distDir: string): Promise<Backend> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
    const { startWebServer } = await import(${JSON.stringify(join(ROOT, 'electron/web.ts'))});
    const w = await startWebServer({ projectPath: ${JSON.stringify(projectPath)}, distDir: ${JSON.stringify(distDir)}, port: 0 });
    console.log('COOKIE ' + w.cookie);
    console.log('URL ' + w.url);
  `], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...backendEnv(), NODE_OPTIONS: '--max-old-space-size=4096' } });
  return new Promise<Backend>((ok, fail) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /URL (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      const c = /COOKIE (\S+)/.exec(out);
      if (m && c) ok({ child, url: m[1], cookie: c[1] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`backend exited (${code}): ${out.slice(-1500)}`)));
  });
}

export async function invoke(b: Backend, channel: string, args: unknown): Promise<any> {
  const r = await fetch(new URL('api/invoke', b.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: b.cookie }, body: JSON.stringify({ channel, args }) });
  const body = await r.json();
  if (!body.ok) throw new Error(JSON.stringify(body.error));
  return body.result;
}

// ------------------------------------------------------------------ the bare MapLibre page

const BARE_HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="/maplibre/maplibre-gl.css"><style>html,body,#map{margin:0;height:100%}</style></head>
<body><div id="map"></div><script type="module">
import * as maplibregl from '/maplibre/maplibre-gl.mjs';
maplibregl.setWorkerUrl('/maplibre/maplibre-gl-worker.mjs');
const info = await (await fetch('/data/info.json')).json();
if (new URLSearchParams(location.search).has('appstyle')) {
  // the app's own style (layers, expressions, labels) with the same data, in a page with nothing else
  const style = info.appStyle;
  const layers = await Promise.all(info.geojson.map(async ([name]) => [name, await (await fetch('/data/' + name + '.json')).json()]));
  for (const [name, fc] of layers) style.sources[name] = { type: 'geojson', data: fc };
  style.glyphs = new URL('/glyphs/', location.href).href + '{fontstack}/{range}.pbf';
  for (const src of Object.values(style.sources)) if (src.type === 'vector') src.tiles = src.tiles.map((t) => new URL(t, location.href).href.replace(/%7B/g, '{').replace(/%7D/g, '}'));
  const map = new maplibregl.Map({ container: 'map', style, bounds: info.bbox, fitBoundsOptions: { padding: 40 }, attributionControl: false, fadeDuration: 0,
    localIdeographFontFamily: info.cjk, canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false } });
  window.bareMap = map;
  for (const n of ['station', 'source', 'source-backup']) map.addImage(n, { width: 52, height: 52, data: new Uint8Array(52 * 52 * 4).fill(180) }, { pixelRatio: 2 });
  map.once('idle', () => { window.firstDataIdleMs = performance.now(); });
} else {
const map = new maplibregl.Map({ container: 'map', style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f3f1ec' } }] },
  bounds: info.bbox, fitBoundsOptions: { padding: 40 }, attributionControl: false, fadeDuration: 0, canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false } });
window.bareMap = map;
map.on('load', async () => {
  const add = (name, type, source, extra) => {
    if (type === 'Polygon') map.addLayer({ id: name, type: 'fill', source, ...extra, paint: { 'fill-color': '#f6e7c1' } });
    else if (type === 'LineString') map.addLayer({ id: name, type: 'line', source, ...extra, paint: { 'line-color': '#c0392b', 'line-width': 2 } });
    else map.addLayer({ id: name, type: 'circle', source, ...extra, paint: { 'circle-radius': 4, 'circle-color': '#1f618d' } });
  };
  const layers = await Promise.all(info.geojson.map(async ([name, t]) => [name, t, await (await fetch('/data/' + name + '.json')).json()]));
  for (const [name, t] of Object.entries(info.tiled)) {
    map.addSource(name, { type: 'vector', tiles: [new URL('/tiles/' + info.key + '/' + name + '/{z}/{x}/{y}.pbf', location.href).href.replace(/%7B/g, '{').replace(/%7D/g, '}')], minzoom: info.minzoom, maxzoom: info.maxzoom, promoteId: 'id' });
    add(name, t, name, { 'source-layer': name });
  }
  for (const [name, t, fc] of layers) { map.addSource(name, { type: 'geojson', data: fc }); add(name, t, name, {}); }
  map.once('idle', () => { window.firstDataIdleMs = performance.now(); });
});
}
</script></body></html>`;

/**
 * The project's layers as the bare page shows them: the tiled ones (name →
 * geometry type) and the others (name, type) with their GeoJSON from the backend.
 */
export async function bareLayers(b: Backend, info: { counts: Record<string, number>; tiles?: { layers: string[] } }) {
  const tiled: Record<string, string> = {};
  const geojson: [string, string][] = [];
  const data = new Map<string, string>();
  for (const l of LAYER_NAMES) {
    if (!info.counts[l]) continue;
    const type = l === 'pipes' || l === 'streets' ? 'LineString' : l === 'communities' || l === 'coal_areas' ? 'Polygon' : 'Point';
    if (info.tiles?.layers.includes(l)) tiled[l] = type;
    else {
      geojson.push([l, type]);
      data.set(l, JSON.stringify(await invoke(b, 'layer:get', { layer: l })));
    }
  }
  return { tiled, geojson, data };
}

/**
 * Serves the bare page (`html`: this bench's, or another's), MapLibre's own files, the small layers' GeoJSON
 * (as the backend gave it), and passes tile requests on to the backend.
 */
export function startBareServer(backend: Backend, info: unknown, layers: Map<string, string>, html = BARE_HTML) {
  const dist = join(ROOT, 'node_modules', 'maplibre-gl', 'dist');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const type = { '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json' }[extname(url.pathname)] ?? 'text/html';
    if (url.pathname === '/') return res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    if (url.pathname.startsWith('/maplibre/')) return res.writeHead(200, { 'Content-Type': type }).end(readFileSync(join(dist, url.pathname.slice(10))));
    if (url.pathname.startsWith('/glyphs/')) {
      const file = join(ROOT, 'assets', 'public', decodeURIComponent(url.pathname));
      return res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(existsSync(file) ? readFileSync(file) : Buffer.alloc(0));
    }
    if (url.pathname === '/data/info.json') return res.writeHead(200, { 'Content-Type': type }).end(JSON.stringify(info));
    if (url.pathname.startsWith('/data/')) return res.writeHead(200, { 'Content-Type': type }).end(layers.get(url.pathname.slice(6, -5)) ?? '{}');
    if (url.pathname.startsWith('/tiles/')) {
      const up = request(new URL(url.pathname, backend.url), { headers: { Cookie: backend.cookie } }, (r) => {
        res.writeHead(r.statusCode ?? 502, { 'Content-Type': r.headers['content-type'] ?? 'application/x-protobuf' });
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      return up.end();
    }
    res.writeHead(404).end();
  });
  return new Promise<{ url: string; close(): void }>((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      ok({ url: `http://127.0.0.1:${a.port}/`, close: () => server.close() });
    }),
  );
}

/** The app's start-up style (default theme and visibility) with the tiled layers as vector sources, tile URLs relative to the bare page. */
function appStyle(tiles: { key: string; minzoom: number; maxzoom: number } | undefined, tiled: string[]) {
  const style = buildStyle({ theme: 'age', glyphsUrl: '', visible: { incidents: false, complaints: false } });
  for (const l of tiled) {
    style.sources[l] = { type: 'vector', tiles: [`/tiles/${tiles!.key}/${l}/{z}/{x}/{y}.pbf`], minzoom: tiles!.minzoom, maxzoom: tiles!.maxzoom, promoteId: 'id' };
    for (const layer of style.layers) if ('source' in layer && layer.source === l) (layer as { 'source-layer'?: string })['source-layer'] = l;
  }
  return style;
}

// ------------------------------------------------------------------ one page load, and what it fetched

const KINDS = ['script', 'css', 'api', 'data-tile', 'basemap', 'glyphs', 'other'] as const;
type Kind = (typeof KINDS)[number];

function kindOf(r: Request): Kind {
  const p = new URL(r.url()).pathname;
  if (/\.m?js$/.test(p)) return 'script';
  if (p.endsWith('.css')) return 'css';
  if (p.startsWith('/api/') || p.startsWith('/data/')) return 'api';
  if (p.startsWith('/tiles/')) return 'data-tile';
  if (p.startsWith('/basemap/') || p.startsWith('/online/')) return 'basemap';
  if (p.startsWith('/glyphs/')) return 'glyphs';
  return 'other';
}

interface Load {
  ms: number;
  /** requests that ended before the first idle, by kind: count and kB on the wire */
  count: Record<Kind, number>;
  kB: Record<Kind, number>;
  /** the backend calls before the first idle, by channel */
  channels: string[];
  /** app only: ms since navigation of each of its marks before the first idle */
  steps?: Record<string, number>;
}

/** Records every request of the page (its dedicated workers included) with the wall-clock time it ended. */
function recordRequests(page: Page) {
  const done: Promise<{ kind: Kind; end: number; bytes: number; channel?: string }>[] = [];
  page.on('requestfinished', (r) => {
    done.push(
      (async () => {
        const t = r.timing();
        const sizes = await r.sizes().catch(() => ({ responseBodySize: 0, responseHeadersSize: 0 }));
        let channel: string | undefined;
        if (r.url().includes('/api/invoke')) {
          try {
            channel = JSON.parse(r.postData() ?? '{}').channel;
          } catch {
            /* not JSON */
          }
        }
        return { kind: kindOf(r), end: t.startTime + t.responseEnd, bytes: sizes.responseBodySize + sizes.responseHeadersSize, channel };
      })(),
    );
  });
  return done;
}

async function loadOnce(browser: Browser, url: string, app: boolean): Promise<Load> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    const done = recordRequests(page);
    await page.goto(url);
    const h = await page.waitForFunction((a) => (a ? (window as any).warmnetDebug?.firstDataIdleMs : (window as any).firstDataIdleMs), app, { timeout: 600_000, polling: 50 });
    const ms = (await h.jsonValue()) as number;
    const origin = await page.evaluate(() => performance.timeOrigin);
    // the basemap (drawn after the data) when the project has one: its idle is an app step too
    if (app) await page.waitForFunction(() => (window as any).warmnetDebug?.basemapIdleMs !== undefined || document.documentElement.dataset.basemap === 'none', undefined, { timeout: 60_000, polling: 50 }).catch(() => undefined);
    const steps = app
      ? await page.evaluate(() => {
          const out: Record<string, number> = {};
          for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('wn:')) out[m.name.slice(3)] ??= m.startTime;
          return out;
        })
      : undefined;
    // let the requests that finished just before the idle report their sizes
    await page.waitForTimeout(200);
    const reqs = (await Promise.all(done)).filter((r) => r.end <= origin + ms + 1);
    const count = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    const kB = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    for (const r of reqs) {
      count[r.kind]++;
      kB[r.kind] += r.bytes / 1024;
    }
    return { ms, count, kB, channels: reqs.filter((r) => r.channel).map((r) => r.channel!), steps };
  } finally {
    await page.close();
  }
}

// ------------------------------------------------------------------ an edit of a tiled layer: save → drawn, and the tiles it took

async function editRedraw(browser: Browser, b: Backend): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(b.url);
    await page.waitForFunction(() => (window as any).warmnetDebug?.firstDataIdleMs !== undefined, undefined, { timeout: 600_000 });
    const target = await page.evaluate(async () => {
      const c = (window as any).warmnetDebug.controller;
      c.map.jumpTo({ center: c.map.getCenter(), zoom: 16 });
      await c.whenIdle();
      const f = c.map.queryRenderedFeatures(undefined, { layers: ['pipes-line'] }).find((h: any) => h.properties?.id);
      return f ? { id: String(f.properties.id), tiled: c.isTiled('pipes') } : null;
    });
    if (!target) return 'no pipe in view';
    const stored = await invoke(b, 'feature:get', { layer: 'pipes', id: target.id });
    const dn = stored.feature.properties.dn === 400 ? 350 : 400;
    const tiles: number[] = [];
    const t0 = { at: 0 };
    page.on('request', (r) => {
      if (t0.at && new URL(r.url()).pathname.startsWith('/tiles/')) tiles.push(Date.now() - t0.at);
    });
    // the edit as the attribute form sends it, from the page (so the page's reload follows it)
    const r = await page.evaluate(
      async ([id, props, dn]) => {
        const t = performance.now();
        const res = await fetch('api/invoke', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'edit:update', args: { layer: 'pipes', id, properties: { ...props, dn } } }) });
        const body = await res.json();
        return { ok: body.ok, commitMs: performance.now() - t, at: t, error: body.ok ? undefined : JSON.stringify(body.error) };
      },
      [target.id, stored.feature.properties, dn] as const,
    );
    t0.at = Date.now();
    if (!r.ok) return `edit refused: ${r.error}`;
    const drawn = await page.waitForFunction(
      ([id, want, at]) => {
        const c = (window as any).warmnetDebug.controller;
        const m = c.map;
        const opts = c.isTiled('pipes') ? { sourceLayer: 'pipes', filter: ['==', ['get', 'id'], id] } : { filter: ['==', ['get', 'id'], id] };
        const f = m.querySourceFeatures('pipes', opts)[0];
        return f && f.properties.dn === want && !m.isMoving() && m.areTilesLoaded() ? performance.now() - (at as number) : false;
      },
      [target.id, dn, r.at] as const,
      { polling: 'raf', timeout: 120_000 },
    );
    const total = (await drawn.jsonValue()) as number;
    return `edit of ${target.id} (${target.tiled ? 'tiled' : 'GeoJSON'}): committed ${r.commitMs.toFixed(0)} ms, drawn ${total.toFixed(0)} ms after save; ${tiles.length} data tiles refetched`;
  } finally {
    await page.close();
  }
}

// ------------------------------------------------------------------ one network

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

function table(rows: [string, Load][]): string {
  const cols = ['first idle', 'JS kB', ...KINDS];
  const head = `             ${cols.map((c) => c.padStart(11)).join('')}`;
  const line = (name: string, l: Load) => `  ${name.padEnd(11)}${[`${f0(l.ms)} ms`, f0(l.kB.script), ...KINDS.map((k) => `${l.count[k]}/${f0(l.kB[k])}`)].map((c) => c.padStart(11)).join('')}`;
  return [head, ...rows.map(([n, l]) => line(n, l))].join('\n');
}

async function mapPart(browser: Browser, name: string, gpkg: string, distDir: string): Promise<string> {
  const b = await startBackend(gpkg, distDir);
  try {
    const info = await invoke(b, 'project:info', {});
    const { tiled, geojson, data } = await bareLayers(b, info);
    const bare = await startBareServer(b, { bbox: info.bbox, key: info.tiles?.key, minzoom: info.tiles?.minzoom, maxzoom: info.tiles?.maxzoom, tiled, geojson, appStyle: appStyle(info.tiles, Object.keys(tiled)), cjk: CJK_FONTS }, data);
    try {
      // a first load of each warms the backend's tile cache and the browser's code cache; then alternate
      const styled = `${bare.url}?appstyle`;
      await loadOnce(browser, bare.url, false);
      await loadOnce(browser, styled, false);
      await loadOnce(browser, b.url, true);
      const app: Load[] = [], raw: Load[] = [], same: Load[] = [];
      for (let i = 0; i < REPEATS; i++) {
        raw.push(await loadOnce(browser, bare.url, false));
        same.push(await loadOnce(browser, styled, false));
        app.push(await loadOnce(browser, b.url, true));
      }
      const best = (a: Load[]) => a.reduce((x, y) => (y.ms < x.ms ? y : x));
      const a = best(app), r = best(raw), st = best(same);
      const pipes = info.counts.pipes ?? 0;
      const how = Object.keys(tiled).length ? `tiles: ${Object.keys(tiled).join(', ')}` : 'all GeoJSON';
      const ratio = a.ms / r.ms;
      const runs = (x: Load[]) => x.map((y) => f0(y.ms)).join('/');
      console.log(`\n${name} — ${pipes} pipes (${how}); ratio app/bare ${ratio.toFixed(2)}, app/bare with the app's style ${(a.ms / st.ms).toFixed(2)} (best of ${REPEATS}; runs app ${runs(app)}, bare ${runs(raw)}, bare+style ${runs(same)})`);
      console.log(table([['app', a], ['bare+style', st], ['bare', r]]));
      const steps = Object.entries(a.steps ?? {}).sort((x, y) => x[1] - y[1]);
      console.log(`  app steps (ms since navigation): ${steps.map(([k, v]) => `${k} ${f0(v)}`).join(' → ')}`);
      console.log(`  app backend calls before idle: ${a.channels.join(', ') || 'none'}`);
      if (Object.keys(tiled).length) console.log(`  ${await editRedraw(browser, b).catch((e: Error) => `edit failed: ${e.message.split('\n')[0]}`)}`);
      return `${name.padEnd(8)} ${String(pipes).padStart(8)} pipes  app ${f0(a.ms).padStart(6)} ms  bare ${f0(r.ms).padStart(6)} ms  ratio ${ratio.toFixed(2)}  bare+style ${f0(st.ms).padStart(6)} ms  ratio ${(a.ms / st.ms).toFixed(2)}  JS before idle app ${f0(a.kB.script)} kB / bare ${f0(r.kB.script)} kB  requests app ${KINDS.reduce((s, k) => s + a.count[k], 0)} / bare ${KINDS.reduce((s, k) => s + r.count[k], 0)}`;
    } finally {
      bare.close();
    }
  } finally {
    b.child.kill();
  }
}

export default async function mapBench() {
  const exe = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  if (!exe) {
    console.log('map bench: no Chromium (set CHROMIUM_PATH or apt-get install chromium); skipped');
    return;
  }
  const sizes = (process.env.MAP_BENCH_SIZES ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  // the app page is the renderer built into the bench's own folder (dist/ is shared with other runs)
  // (MAP_BENCH_DIST: a renderer built elsewhere, to compare two builds on the same data)
  const distDir = process.env.MAP_BENCH_DIST ?? join(TMP, 'dist');
  if (!process.env.MAP_BENCH_DIST) execFileSync(process.execPath, ['-e', `import('./scripts/web.mjs').then(m => m.buildRendererInto(${JSON.stringify(distDir)}))`], { cwd: ROOT, stdio: 'inherit' });
  console.log(`map load, page → first idle with the data drawn (Chromium, 1280×800, software WebGL); sizes ${sizes.join(', ')} (MAP_BENCH_SIZES); load average ${loadavg()[0].toFixed(1)}`);
  console.log('table: per side, the time to first idle, the JavaScript fetched before it (kB), and the requests that ended before it by kind (count/kB on the wire)');

  const networks: { name: string; path: string }[] = [];
  const sample = join(ROOT, 'gis-data', 'mingantu.gpkg');
  if (existsSync(sample)) {
    copyFileSync(sample, join(TMP, 'sample.gpkg'));
    networks.push({ name: 'sample', path: join(TMP, 'sample.gpkg') });
  }
  const browser = await chromium.launch({ executablePath: exe, args: ARGS });
  const rows: string[] = [];
  try {
    for (const net of networks) rows.push(await mapPart(browser, net.name, net.path, distDir));
    for (const n of sizes) {
      const path = join(TMP, `grid-${n}.gpkg`);
      const t0 = performance.now();
      // in a child: the generator's objects are not kept in this process
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/e2e/make-scale.ts'), path, String(n)], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=6144' } });
      console.log(`\n(generated ${n} segments in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      rows.push(await mapPart(browser, n >= 1000 ? `${n / 1000}k` : String(n), path, distDir));
      rmSync(path, { force: true });
    }
  } finally {
    await browser.close();
    rmSync(TMP, { recursive: true, force: true });
  }
  console.log(`\nsummary\n${rows.join('\n')}\ngoal: ratio app/bare ≤ 1.1 at every size`);
}

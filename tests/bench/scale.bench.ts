/* eslint-disable @typescript-eslint/no-explicit-any -- child runs report free-form JSON figures */
/**
 * City scale: for generated networks (network.bench's generator) of
 * WARMNET_SCALE_SIZES pipe segments (default 10000; e.g. 10000,100000,1000000)
 * and the Mingantu sample, each next to its peer in the same run:
 *
 * - import of the pipes (GeoJSON, streamed in batches in one transaction) into
 *   a new project vs `ogr2ogr -f GPKG` (which also writes an R-tree) on the
 *   same file, the importer in a process of its own: the store's import and the
 *   whole `warmnet import` path, best of WARMNET_SCALE_IMPORT_REPEATS (3) each;
 * - map load, page load → first idle with the data drawn, the app (browser
 *   mode, its own backend in a child process) vs a bare MapLibre page showing
 *   the same data: the same vector tiles from the same backend where the app
 *   uses tiles, the same GeoJSON where it does not;
 * - graph build, isolation p50/p95, criticality, loop options (network.bench's
 *   child on the same generator);
 * - hydraulics vs EPANET (hydraulics.bench, up to WARMNET_SCALE_HYDRAULICS_MAX
 *   pipes, default 100000);
 * - an edit, backend side (commit, the reload's project:info, the touched
 *   tiles recut) in a child, and in the app (attribute form → saved → the map
 *   shows it from the recut tile);
 * - main-thread time per frame while panning, from timing MapLibre's own
 *   render call (software WebGL here: GPU frame rates cannot be measured on
 *   this machine; the figure is the CPU side of a frame);
 * - peak memory (VmHWM) of each process: importer, analyses, backend, browser processes.
 *
 * WARMNET_SCALE_PARTS picks parts (comma-separated, default all): sample (the
 * sample's map part), import, analyses, edit (backend side), map, appmemory
 * (the app's backend, as the app starts it, through the analyses one after
 * another, its memory after each: appMemoryPart), hydraulics — e.g. `map`
 * alone for the 1M map and frame figures — and, not in the default, appedit:
 * WARMNET_SCALE_EDIT_REPEATS (default 3) in-app edits after one to warm up,
 * each with its breakdown (edit:update answered, reload done, touched tiles
 * asked, data tiles fetched, first frame showing it), on the sample too
 * (WARMNET_SCALE_SIZES=0: the sample alone). WARMNET_SCALE_CACHE names
 * a folder where the generated projects are kept and reused (a 1M network is made
 * once); unset, they go to a temporary folder removed after the run.
 */
import { chromium, type Browser, type Page, type Request } from '@playwright/test';
import { maxOf, minOf } from '../../core/arrays';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { ProjectStore } from '../../electron/backend/store/index';
import { geoJsonBatches, importGeoJsonStreamed } from '../../electron/backend/importer';
import { benchNetwork } from './network.bench';
import { bareLayers, invoke, startBackend, startBareServer, type Backend } from './map.bench';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = join(ROOT, 'tests', 'bench');
const TMP = join(ROOT, '.bench-tmp', 'scale');
const REPEATS = Number(process.env.WARMNET_SCALE_REPEATS ?? 2);
/** In-app edits timed by the `appedit` part (after one to warm up). */
const EDIT_REPEATS = Number(process.env.WARMNET_SCALE_EDIT_REPEATS ?? 3);
/** Where generated projects are kept between runs (made once per size); unset: a temporary folder, removed after. */
const CACHE = process.env.WARMNET_SCALE_CACHE;
const TRACE = !!process.env.WARMNET_SCALE_EDIT_TRACE;
const ARGS = ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// ------------------------------------------------------------------ child: make the project and time the import

/** In a child: the generated project as a GeoPackage, and its pipes as a GeoJSON file for the import. Prints one JSON line. */
function childMake(size: number, dir: string): void {
  const data = benchNetwork(size);
  ProjectStore.createFromData(join(dir, 'project.gpkg'), data).close();
  writeFileSync(join(dir, 'pipes.geojson'), JSON.stringify({ type: 'FeatureCollection', features: data.layers.pipes }));
  process.stdout.write(JSON.stringify({ pipes: data.layers.pipes.length, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

/** In a child: a network of the hydraulics bench's generator (sources, stations with their loads) as a GeoPackage. */
async function childMakeHydraulic(size: number, path: string): Promise<void> {
  const { hydraulicBenchNetwork } = await import('./hydraulics.bench');
  const data = hydraulicBenchNetwork(size);
  ProjectStore.createFromData(path, data).close();
  process.stdout.write(JSON.stringify({ pipes: data.layers.pipes.length }) + '\n');
}

/**
 * In a child of its own (its peak memory is the importer's): the pipes'
 * import into a new project, streamed: the GeoJSON read piece by piece, each
 * batch validated and written, one transaction, the R-tree packed once.
 * `store`: the store's streamed import of the features as they are (the work
 * ogr2ogr does, plus validation); `cli`: the whole `warmnet import` path
 * (coordinate system and field mapping decided from the first features, each
 * record transformed, mapped and checked, an import log entry). Prints one JSON line.
 */
function childImport(dir: string, mode: string): void {
  const out = join(dir, `import-${mode}.gpkg`);
  const src = join(dir, 'pipes.geojson');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const store = ProjectStore.create(out);
  const { inserted } = mode === 'cli' ? importGeoJsonStreamed(store, 'pipes', src) : store.importStream('pipes', geoJsonBatches(src), { fileName: 'pipes.geojson' });
  store.close();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ pipes: inserted, importMs: wall, importCpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

/**
 * The import part for one size: our two imports (childImport) and ogr2ogr on
 * the same file, alternating, WARMNET_SCALE_IMPORT_REPEATS rounds; the best
 * wall and the best CPU time of each, the load average at each run beside it.
 */
function importPart(dir: string): boolean {
  const rounds = Number(process.env.WARMNET_SCALE_IMPORT_REPEATS ?? 3);
  type Run = { ms: number; cpuMs: number; load: number; pipes?: number; maxRssMB?: number };
  const runs: Record<'store' | 'cli' | 'gdal', Run[]> = { store: [], cli: [], gdal: [] };
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['store', 'cli'] as const) {
      const load = loadavg()[0];
      const x = childJson([join(HERE, 'scale.bench.ts'), '--import', dir, mode]);
      if (typeof x === 'string') {
        console.log(`  import (${mode}): ${x}`);
        return false;
      }
      runs[mode].push({ ms: x.importMs, cpuMs: x.importCpuMs, load, pipes: x.pipes, maxRssMB: x.maxRssMB });
      rmSync(join(dir, `import-${mode}.gpkg`), { force: true });
    }
    const load = loadavg()[0];
    const gdal = ogr2ogr(join(dir, 'pipes.geojson'), join(dir, 'gdal.gpkg'));
    rmSync(join(dir, 'gdal.gpkg'), { force: true });
    if (typeof gdal === 'string') {
      console.log(`  import: ${gdal}`);
      return true;
    }
    runs.gdal.push({ ...gdal, load });
  }
  const best = (xs: Run[]) => ({ ms: minOf(xs.map((x) => x.ms)), cpuMs: minOf(xs.map((x) => x.cpuMs)) });
  const shown = (xs: Run[]) => `${f0(best(xs).ms)} ms (CPU ${f0(best(xs).cpuMs)}; runs ${xs.map((x) => `${f0(x.ms)}/${f0(x.cpuMs)} at load ${x.load.toFixed(1)}`).join(', ')})`;
  const [o, c, g] = [best(runs.store), best(runs.cli), best(runs.gdal)];
  console.log(`  import ${runs.store[0].pipes} pipes (GeoJSON → new GeoPackage + R-tree, best of ${rounds}, wall/CPU ms):`);
  console.log(`    ours, store's streamed import (validated): ${shown(runs.store)}; peak ${f0(maxOf(runs.store.map((x) => x.maxRssMB ?? 0)))} MB`);
  console.log(`    ours, the whole warmnet import path (CRS, mapping, checks, log): ${shown(runs.cli)}; peak ${f0(maxOf(runs.cli.map((x) => x.maxRssMB ?? 0)))} MB`);
  console.log(`    ogr2ogr -f GPKG: ${shown(runs.gdal)}`);
  console.log(`    ratio ours/GDAL: store import wall ${f2(o.ms / g.ms)}, CPU ${f2(o.cpuMs / g.cpuMs)}; whole path wall ${f2(c.ms / g.ms)}, CPU ${f2(c.cpuMs / g.cpuMs)}`);
  return true;
}

/** A pipe's tile at zoom z: x, y. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

/**
 * In a child: the backend's side of an attribute edit on the project, as the
 * app makes it: edit:update committed, project:info (the renderer's reload on
 * the change event) and the recut of the touched tiles the map shows (z14 and
 * z16, cached before, dropped by the edit). Then the legend's totals, which the
 * renderer asks for once the map is idle again. Prints one JSON line.
 */
async function childEdit(gpkg: string): Promise<void> {
  const { createDispatcher } = await import('../../electron/backend/handlers');
  const { serveTile } = await import('../../electron/backend/tiles');
  const store = ProjectStore.open(gpkg);
  const dispatch = createDispatcher(() => store);
  const info = (await dispatch('project:info', {})) as { bbox: number[]; tiles: { key: string; layers: string[] } };
  const pipesTiled = info.tiles.layers.includes('pipes');
  const [w, s, e, n] = info.bbox;
  const box = [(w + e) / 2 - 0.002, (s + n) / 2 - 0.002, (w + e) / 2 + 0.002, (s + n) / 2 + 0.002] as [number, number, number, number];
  const pipes = store.featuresInBox('pipes', box).filter((f) => f.geometry?.type === 'LineString').slice(0, 12);
  const commit: number[] = [], reload: number[] = [], tiles: number[] = [], total: number[] = [], cpu: number[] = [];
  let recut = 0;
  for (const [i, p] of pipes.entries()) {
    const [lon, lat] = (p.geometry as { coordinates: number[][] }).coordinates[0];
    const urls = [14, 16].map((z) => {
      const [x, y] = tileOf(lon, lat, z);
      return `tiles/${info.tiles.key}/pipes/${z}/${x}/${y}.pbf`;
    });
    if (pipesTiled) for (const u of urls) serveTile(u); // the map shows these: cut and cached before the edit
    const dn = p.properties.dn === 400 ? 350 : 400;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await dispatch('edit:update', { layer: 'pipes', id: p.id, properties: { dn } });
    const t1 = performance.now();
    await dispatch('project:info', {});
    const t2 = performance.now();
    if (pipesTiled) for (const u of urls) if (serveTile(u)?.status !== 200) throw new Error(`tile ${u} not served`);
    const t3 = performance.now();
    const c = process.cpuUsage(c0);
    if (i === 0) continue; // the first edit prepares statements
    cpu.push((c.user + c.system) / 1000);
    commit.push(t1 - t0);
    reload.push(t2 - t1);
    tiles.push(t3 - t2);
    total.push(t3 - t0);
    recut++;
  }
  const s0 = performance.now();
  await dispatch('theme:stats', { theme: 'age' });
  const statsMs = performance.now() - s0;
  store.close();
  process.stdout.write(JSON.stringify({ edits: recut, pipesTiled, commit, reload, tiles, total, cpu, statsMs, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

function ogr2ogr(src: string, out: string): { ms: number; cpuMs: number } | string {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'ogr2ogr -f GPKG "$1" "$2" -nln pipes && times', 'bench', out, src], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `ogr2ogr failed: ${r.error?.message ?? r.stderr.slice(-300)}`;
  const ms = performance.now() - t0;
  const secs = [...(r.stdout.trim().split('\n').pop() ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { ms, cpuMs: secs.length === 2 ? (secs[0] + secs[1]) * 1000 : NaN };
}

function childJson(args: string[], heapMB = 4096): Record<string, any> | string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heapMB}` },
  });
  if (r.status !== 0) return `failed (${r.status}): ${r.stderr.slice(-1500)}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

// ------------------------------------------------------------------ processes and their memory

/** Resident and peak memory (VmRSS, VmHWM, MB) of a process; NaN when it is gone. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  let st = '';
  try {
    st = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    /* gone */
  }
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(st)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Peak resident memory (VmHWM, MB) of a process, or NaN when it is gone. */
const peakMB = (pid: number): number => memoryOf(pid).hwm;

function children(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d), ...children(Number(d)));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU ms (user + system) a process has used so far. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks of 1/100 s
  } catch {
    return NaN;
  }
}

/** CPU ms of every Chromium process below this one, together. */
function browserCpuMs(): number {
  let sum = 0;
  for (const pid of children(process.pid)) {
    try {
      if (/chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0])) sum += cpuMs(pid) || 0;
    } catch {
      /* gone */
    }
  }
  return sum;
}

/** CPU ms of the Chromium processes below this one by kind (renderer, gpu-process, …), added up. */
function browserCpuByKind(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of children(process.pid)) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!/chrom/i.test(cmd.split(' ')[0])) continue;
    const kind = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
    out[kind] = (out[kind] ?? 0) + (cpuMs(pid) || 0);
  }
  return out;
}

/** Peak memory by kind of Chromium process (browser, renderer, gpu-process, utility…) below this one, the largest of each kind. */
function browserPeaks(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of children(process.pid)) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!/chrom/i.test(cmd.split(' ')[0])) continue;
    const kind = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
    out[kind] = Math.max(out[kind] ?? 0, peakMB(pid) || 0);
  }
  return out;
}

const BARE_HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="/maplibre/maplibre-gl.css"><style>html,body,#map{margin:0;height:100%}</style></head>
<body><div id="map"></div><script type="module">
import * as maplibregl from '/maplibre/maplibre-gl.mjs';
maplibregl.setWorkerUrl('/maplibre/maplibre-gl-worker.mjs');
const info = await (await fetch('/data/info.json')).json();
const map = new maplibregl.Map({ container: 'map', style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f3f1ec' } }] },
  bounds: info.bbox, fitBoundsOptions: { padding: 40 }, attributionControl: false, fadeDuration: 0, canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false } });
window.bareMap = map;
map.on('load', async () => {
  const add = (name, type, source, extra) => {
    if (type === 'Polygon' || type === 'MultiPolygon') map.addLayer({ id: name, type: 'fill', source, ...extra, paint: { 'fill-color': '#f6e7c1' } });
    else if (type === 'LineString' || type === 'MultiLineString') map.addLayer({ id: name, type: 'line', source, ...extra, paint: { 'line-color': '#c0392b', 'line-width': 2 } });
    else map.addLayer({ id: name, type: 'circle', source, ...extra, paint: { 'circle-radius': 4, 'circle-color': '#1f618d' } });
  };
  for (const [name, t] of Object.entries(info.tiled)) {
    map.addSource(name, { type: 'vector', tiles: [new URL('/tiles/' + info.key + '/' + name + '/{z}/{x}/{y}.pbf', location.href).href.replace(/%7B/g, '{').replace(/%7D/g, '}')], minzoom: info.minzoom, maxzoom: info.maxzoom, promoteId: 'id' });
    add(name, t, name, { 'source-layer': name });
  }
  const layers = await Promise.all(info.geojson.map(async ([name, t]) => [name, t, await (await fetch('/data/' + name + '.json')).json()]));
  for (const [name, t, fc] of layers) { map.addSource(name, { type: 'geojson', data: fc }); add(name, t, name, {}); }
  map.once('idle', () => { window.firstDataIdleMs = performance.now(); });
});
</script></body></html>`;

async function timeToIdle(browser: Browser, url: string, app: boolean): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(url);
    const h = await page.waitForFunction(
      (a) => (a ? (window as any).warmnetDebug?.firstDataIdleMs : (window as any).firstDataIdleMs),
      app,
      { timeout: 600_000, polling: 50 },
    );
    return (await h.jsonValue()) as number;
  } finally {
    await page.close();
  }
}

/**
 * While the map pans 40 frames: the main thread's ms in each MapLibre render call, and from
 * Chromium's trace the ms per frame of MapLibre's worker threads and of the GPU process's main thread.
 */
async function panFrames(page: Page, mapExpr: 'app' | 'bare'): Promise<{ main: number[]; workerMsPerFrame: number; gpuMsPerFrame: number; workers: number }> {
  // MapLibre's workers (tile parsing, layout) and the GPU process's main thread (here the software
  // rasteriser) as the browser's own trace sees them: their tasks' time over the pan, per frame drawn
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  let traced: Buffer | null = null;
  const main = await page.evaluate(async (expr) => {
    const map = expr === 'app' ? (window as any).warmnetDebug.controller.map : (window as any).bareMap;
    const times: number[] = [];
    const orig = map._render.bind(map);
    map._render = (t: number) => {
      const a = performance.now();
      const r = orig(t);
      times.push(performance.now() - a);
      return r;
    };
    for (let i = 0; i < 40; i++) {
      map.panBy([12, 6], { duration: 0 });
      await new Promise((ok) => requestAnimationFrame(() => ok(null)));
    }
    map._render = orig;
    return times;
  }, mapExpr).finally(async () => {
    traced = await browser.stopTracing();
  });
  const events = (JSON.parse(traced!.toString()).traceEvents ?? []) as { ph: string; name: string; pid: number; tid: number; dur?: number; args?: { name?: string } }[];
  const threads = (name: string) => new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === name).map((e) => `${e.pid}:${e.tid}`));
  const workers = threads('DedicatedWorker thread');
  const gpu = threads('CrGpuMain');
  let workerMs = 0, gpuMs = 0;
  for (const e of events) {
    // a thread's top-level tasks (the name differs between Chromium versions)
    if (e.ph !== 'X' || (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask')) continue;
    const t = `${e.pid}:${e.tid}`;
    if (workers.has(t)) workerMs += (e.dur ?? 0) / 1000;
    else if (gpu.has(t)) gpuMs += (e.dur ?? 0) / 1000;
  }
  const n = main.length || NaN;
  return { main, workerMsPerFrame: workerMs / n, gpuMsPerFrame: gpuMs / n, workers: workers.size };
}

/** Waits until the map has drawn everything it asked for (no missed `idle` event). */
async function settled(page: Page, mapExpr: 'app' | 'bare'): Promise<void> {
  await page.waitForFunction(
    (expr) => {
      const map = expr === 'app' ? (window as any).warmnetDebug.controller.map : (window as any).bareMap;
      return map.loaded() && !map.isMoving() && map.areTilesLoaded();
    },
    mapExpr,
    { polling: 50, timeout: 600_000 },
  );
}

/** One attribute edit in the app, timed in the page (ms after the Save click's handler started). */
interface EditTiming {
  commitMs: number;
  drawnMs: number;
  backendCpuMs: number;
  browserCpuMs: number;
  /** The backend's answer to edit:update arrived. */
  committedAt: number;
  /** The reload after it (project:info, journal) done, the form closed. */
  reloadedAt: number;
  /** The map asked for the touched tiles again (NaN: it reloaded the layer or drew GeoJSON). */
  refreshAt: number;
  /** Data tiles fetched after the save: how many, the first asked and the last answered. */
  tiles: number;
  tileFirstAt: number;
  tileLastAt: number;
  /** The first frame drawn showing the edit with every tile loaded. */
  drawnAt: number;
}

/** Attribute form edit of one pipe in the app: save clicked → committed and drawn (ms), with where the time went. */
async function editLatency(page: Page, backend: Backend, backendPid: number): Promise<EditTiming | string> {
  // the functions below run in the page as tsx compiled them: give its name-keeping helper a stand-in
  await page.evaluate('window.__name = window.__name || ((f) => f)');
  await page.evaluate(() => {
    const map = (window as any).warmnetDebug.controller.map;
    map.jumpTo({ center: map.getCenter(), zoom: 17.5 });
  });
  await settled(page, 'app');
  // A pipe near the middle of the view, clicked a quarter along (valves sit at ends and midpoints), at a
  // point where the click reaches the map's canvas (no panel, control or legend over it) and no point
  // feature, which a click prefers to a pipe, lies within the pick's reach.
  const target = await page.evaluate(() => {
    const map = (window as any).warmnetDebug.controller.map;
    const canvas = map.getCanvas() as HTMLCanvasElement;
    const rect = canvas.getBoundingClientRect();
    const cx = rect.width / 2, cy = rect.height / 2;
    const hits = map.queryRenderedFeatures([[cx - 200, cy - 150], [cx + 200, cy + 150]], { layers: ['pipes-line'] });
    const points = ['heat_sources-symbol', 'stations-symbol', 'valves-open', 'valves-closed', 'incidents-circle', 'complaints-circle'].filter((l) => map.getLayer(l));
    for (const f of hits) {
      if (f.geometry.type !== 'LineString') continue;
      const [a, b] = f.geometry.coordinates;
      const p = map.project([a[0] + (b[0] - a[0]) / 4, a[1] + (b[1] - a[1]) / 4]);
      if (document.elementFromPoint(rect.left + p.x, rect.top + p.y) !== canvas) continue;
      if (map.queryRenderedFeatures([[p.x - 6, p.y - 6], [p.x + 6, p.y + 6]], { layers: points }).length) continue;
      return { id: f.properties.id, dn: f.properties.dn, x: p.x, y: p.y };
    }
    return null;
  });
  if (!target) return 'no pipe in view';
  const box = (await page.locator('[data-testid=map] canvas').boundingBox())!;
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.getByTestId('inspector-id').filter({ hasText: target.id }).waitFor({ timeout: 60_000 });
  await page.getByTestId('tool-edit-attributes').click();
  const form = page.locator('[data-testid=attribute-form]');
  await form.waitFor();
  const dn = target.dn === 400 ? 350 : 400;
  await form.locator('input[name=dn]').fill(String(dn));
  // let the inspector's and the form's own calls settle before the clock starts
  await settled(page, 'app');
  // In the page: the first frame drawn (MapLibre's `render`, after the frame) with the edited pipe's
  // new DN in its tiles and every tile loaded. Checked once per frame, not by polling from outside.
  await page.evaluate(
    ([id, want]) => {
      const w = window as any;
      const map = w.warmnetDebug.controller.map;
      performance.clearResourceTimings();
      w.editDrawnAt = undefined;
      const check = () => {
        const f = map.querySourceFeatures('pipes', map.getSource('pipes').type === 'vector' ? { sourceLayer: 'pipes', filter: ['==', ['get', 'id'], id] } : { filter: ['==', ['get', 'id'], id] })[0];
        if (f && f.properties.dn === want && map.areTilesLoaded()) {
          w.editDrawnAt = performance.now();
          map.off('render', check);
        }
      };
      map.on('render', check);
    },
    [target.id, dn] as const,
  );
  // data tiles asked and answered (the map's worker fetches them: the page's own resource timings do not list them)
  const tileTimes: { url: string; start: number; end: number }[] = [];
  const isTile = (u: string) => /\/tiles\/[0-9a-f]+\/[a-z_]+\/\d+\/\d+\/\d+\.pbf/.test(u);
  // with WARMNET_SCALE_EDIT_TRACE set, every backend call in that time too (channel, asked, answered)
  const calls: { what: string; start: number; end: number; req: Request }[] = [];
  const onRequest = (r: Request) => {
    if (isTile(r.url())) tileTimes.push({ url: r.url(), start: Date.now(), end: NaN });
    else if (TRACE && r.url().includes('/api/')) calls.push({ what: String(/"channel":"([^"]+)"/.exec(r.postData() ?? '')?.[1] ?? r.url()), start: Date.now(), end: NaN, req: r });
  };
  const onDone = (r: Request) => {
    const t = tileTimes.find((x) => x.url === r.url() && Number.isNaN(x.end));
    if (t) t.end = Date.now();
    const c = calls.find((x) => x.req === r);
    if (c) c.end = Date.now();
  };
  page.on('request', onRequest);
  page.on('requestfinished', onDone);
  // WARMNET_SCALE_EDIT_TRACE=timeline: a Chromium trace of the page instead, summed by event name on its main thread
  const timeline = process.env.WARMNET_SCALE_EDIT_TRACE === 'timeline';
  if (timeline) await page.context().browser()!.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'] });
  const cdp = TRACE && !timeline ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const b0 = cpuMs(backendPid), r0 = browserCpuMs(), k0 = TRACE ? browserCpuByKind() : {};
  const t0 = Date.now();
  await form.locator('[data-testid=form-save]').click();
  await form.waitFor({ state: 'hidden' });
  const commitMs = Date.now() - t0;
  await page.waitForFunction(() => (window as any).editDrawnAt !== undefined, undefined, { polling: 20, timeout: 60_000 });
  const drawnMs = Date.now() - t0;
  const backendCpuMs = cpuMs(backendPid) - b0, browserCpu = browserCpuMs() - r0;
  if (cdp) {
    // the page's main thread: self time by function, the largest first
    const { profile } = (await cdp.send('Profiler.stop')) as any;
    const self = new Map<number, number>();
    profile.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i] / 1000));
    const byFn = new Map<string, number>();
    for (const n of profile.nodes) {
      const k = `${n.callFrame.functionName || '(anon)'} ${String(n.callFrame.url).split('/').pop()}:${n.callFrame.lineNumber}`;
      byFn.set(k, (byFn.get(k) ?? 0) + (self.get(n.id) ?? 0));
    }
    const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 14);
    console.log(`    main thread self ms: ${top.map(([k, v]) => `${k} ${f0(v)}`).join('; ')}`);
    await cdp.detach();
  }
  if (timeline) {
    const buf = await page.context().browser()!.stopTracing();
    const events = (JSON.parse(buf.toString()).traceEvents ?? []) as any[];
    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const saveEpochUs = (events.filter((e) => e.name === 'wn:edit-save').at(-1)?.ts ?? 0) / 1000;
    const sum = new Map<string, number>();
    const tasks: string[] = [];
    for (const e of events) {
      if (e.ph !== 'X' || !main || e.tid !== main.tid || e.pid !== main.pid) continue;
      sum.set(e.name, (sum.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
      if (e.name === 'RunTask' && e.dur > 8000) tasks.push(`${f0(e.ts / 1000 - saveEpochUs)}+${f0(e.dur / 1000)}`);
    }
    console.log(`    main thread by event (ms, nested events counted in each): ${[...sum].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([k, v]) => `${k} ${f0(v)}`).join('; ')}`);
    console.log(`    main thread tasks over 8 ms (start+ms, trace clock): ${tasks.join(' ')}`);
  }
  if (TRACE) console.log(`    browser CPU by process kind: ${Object.entries(browserCpuByKind()).map(([k, v]) => `${k} ${f0(v - (k0[k] ?? 0))}`).join(', ')}`);
  page.off('request', onRequest);
  page.off('requestfinished', onDone);
  // the form closes once the edit is committed; the reload behind it may land after the frame showing it
  await page.waitForFunction(() => performance.getEntriesByName('wn:reloaded').some((m) => m.startTime >= (performance.getEntriesByName('wn:edit-save').at(-1)?.startTime ?? Infinity)), undefined, { polling: 20, timeout: 60_000 });
  const marks = await page.evaluate(() => {
    const at = (n: string) => performance.getEntriesByName(n).at(-1)?.startTime ?? NaN;
    const save = at('wn:edit-save');
    const refresh = at('wn:tiles-refresh');
    return {
      saveEpoch: performance.timeOrigin + save,
      committedAt: at('wn:edit-committed') - save,
      reloadedAt: (performance.getEntriesByName('wn:reloaded').find((m) => m.startTime >= save)?.startTime ?? NaN) - save,
      refreshAt: refresh >= save ? refresh - save : NaN,
      drawnAt: (window as any).editDrawnAt - save,
      marks: performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('wn:') && m.startTime >= save)
        .map((m) => `${m.name} ${(m.startTime - save).toFixed(0)}`)
        .join(', '),
    };
  });
  const { saveEpoch, marks: markList, ...inPage } = marks;
  if (TRACE) console.log(`    marks: ${markList}`);
  const asked = tileTimes.filter((t) => t.start >= saveEpoch - 5);
  if (TRACE) for (const c of [...calls, ...tileTimes.map((t) => ({ what: t.url.replace(/^.*\/tiles\/[0-9a-f]+\//, 'tile '), start: t.start, end: t.end }))]) console.log(`    ${c.what}: ${f0(c.start - saveEpoch)}–${f0(c.end - saveEpoch)} ms`);
  const tiles = { tiles: asked.length, tileFirstAt: asked.length ? minOf(asked.map((t) => t.start)) - saveEpoch : NaN, tileLastAt: asked.length ? maxOf(asked.map((t) => t.end)) - saveEpoch : NaN };
  const stored = await invoke(backend, 'feature:get', { layer: 'pipes', id: target.id });
  if (stored.feature.properties.dn !== dn) return 'edit not stored';
  return { commitMs, drawnMs, backendCpuMs, browserCpuMs: browserCpu, ...inPage, ...tiles };
}

/** One line of an in-app edit's figures. */
function editLine(e: EditTiming): string {
  return `form save → form closed: ${e.commitMs} ms; → drawn from the recut tile/data: ${e.drawnMs} ms wall (in the page: edit:update answered ${f0(e.committedAt)}, reload done ${f0(e.reloadedAt)}, touched tiles asked ${f0(e.refreshAt)}, ${e.tiles} data tiles fetched ${f0(e.tileFirstAt)}–${f0(e.tileLastAt)} (request seen by the test, ±5 ms), first frame showing it ${f0(e.drawnAt)}); CPU in that time: backend ${f0(e.backendCpuMs)} ms, browser processes ${f0(e.browserCpuMs)} ms, at 10 ms resolution`;
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

/** The map part for one project file: app vs bare, edit, frames, memory. Prints its lines. */
async function mapPart(browser: Browser, name: string, gpkg: string, distDir: string): Promise<void> {
  const backend = await startBackend(gpkg, distDir);
  const { child, url } = backend;
  try {
    const info = await invoke(backend, 'project:info', {});
    const { tiled, geojson, data } = await bareLayers(backend, info);
    const bare = await startBareServer(backend, { bbox: info.bbox, key: info.tiles.key, minzoom: info.tiles.minzoom, maxzoom: info.tiles.maxzoom, tiled, geojson }, data, BARE_HTML);
    try {
      // a first load of each warms the backend's tile cache and the browser's code cache; then best of REPEATS, alternating
      await timeToIdle(browser, bare.url, false);
      await timeToIdle(browser, url, true);
      const app: number[] = [], raw: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        raw.push(await timeToIdle(browser, bare.url, false));
        app.push(await timeToIdle(browser, url, true));
      }
      const a = Math.min(...app), b = Math.min(...raw);
      console.log(`  map load → first idle: app ${f0(a)} ms, bare MapLibre ${f0(b)} ms, ratio ${f2(a / b)} (${Object.keys(tiled).length ? `tiles: ${Object.keys(tiled).join(', ')}` : 'all GeoJSON'}; runs app ${app.map(f0).join('/')}, bare ${raw.map(f0).join('/')})`);

      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      let mem: Record<string, number> = {};
      try {
        await page.goto(url);
        await page.waitForFunction(() => (window as any).warmnetDebug?.firstDataIdleMs !== undefined, undefined, { timeout: 600_000 });
        // the app then has the analysis worker read the network: frames and edits are timed after it
        await invoke(backend, 'analysis:prepare', {});
        await page.evaluate(() => (window as any).warmnetDebug.controller.map.zoomTo(15, { duration: 0 }));
        await page.evaluate(() => (window as any).warmnetDebug.controller.whenIdle());
        const appPan = await panFrames(page, 'app');
        const appFrames = appPan.main;
        await settled(page, 'app');
        const bp = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await bp.goto(bare.url);
        await bp.waitForFunction(() => (window as any).firstDataIdleMs !== undefined, undefined, { timeout: 600_000 });
        await bp.evaluate(() => (window as any).bareMap.zoomTo(15, { duration: 0 }));
        await settled(bp, 'bare');
        const barePan = await panFrames(bp, 'bare');
        const bareFrames = barePan.main;
        await settled(bp, 'bare');
        await bp.close();
        console.log(`  panning at z15, main-thread ms per frame (MapLibre render): app p50 ${f2(pct(appFrames, 0.5))} / p95 ${f2(pct(appFrames, 0.95))}, bare p50 ${f2(pct(bareFrames, 0.5))} / p95 ${f2(pct(bareFrames, 0.95))} (${appFrames.length} / ${bareFrames.length} frames); ms per frame from Chromium's trace over the pan: MapLibre's workers app ${f2(appPan.workerMsPerFrame)} (${appPan.workers} worker threads) / bare ${f2(barePan.workerMsPerFrame)} (${barePan.workers}), the GPU process's main thread (software WebGL's rasteriser) app ${f2(appPan.gpuMsPerFrame)} / bare ${f2(barePan.gpuMsPerFrame)}; GPU frame rates not measurable here`);
        const e = await editLatency(page, backend, child.pid!).catch((err: Error) => `failed: ${err.message.split('\n')[0]}`);
        console.log(typeof e === 'string' ? `  edit: ${e}` : `  edit (${editLine(e)})`);
        // read while the app's page is open: its renderer process (the map's main thread and workers) ends with it
        mem = browserPeaks();
      } finally {
        await page.close();
      }
      console.log(`  peak memory MB: backend ${f0(peakMB(child.pid!))}, browser ${Object.entries(mem).map(([k, v]) => `${k} ${f0(v)}`).join(', ')}`);
    } finally {
      bare.close();
    }
  } finally {
    child.kill();
  }
  void name;
}

/**
 * The in-app edit alone (part `appedit`): the app's page loaded once, then EDIT_REPEATS + 1
 * attribute edits one after another (the first warms up), each with where its time went.
 */
async function appEditPart(browser: Browser, gpkg: string, distDir: string): Promise<void> {
  const backend = await startBackend(gpkg, distDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(backend.url);
      await page.waitForFunction(() => (window as any).warmnetDebug?.firstDataIdleMs !== undefined, undefined, { timeout: 600_000 });
      // the app then has the analysis worker read the network: the edits are timed after it
      await invoke(backend, 'analysis:prepare', {});
      const runs: EditTiming[] = [];
      for (let i = 0; i <= EDIT_REPEATS; i++) {
        const e = await editLatency(page, backend, backend.child.pid!).catch((err: Error) => `failed: ${err.message.split('\n')[0]}`);
        console.log(`  in-app edit ${i === 0 ? '(warm-up)' : i}: ${typeof e === 'string' ? e : editLine(e)}; load ${loadavg()[0].toFixed(2)}`);
        if (typeof e !== 'string' && i > 0) runs.push(e);
      }
      if (runs.length) {
        const best = runs.reduce((a, b) => (b.drawnAt < a.drawnAt ? b : a));
        console.log(`  in-app edit, best of ${runs.length}: ${editLine(best)}`);
      }
      // What one frame costs at this view, nothing loading: the floor under "drawn" (an edit needs one)
      const frames = await page.evaluate(async () => {
        const m = (window as any).warmnetDebug.controller.map;
        const out: number[] = [];
        for (let i = 0; i < 10; i++) {
          const t = performance.now();
          await new Promise<void>((ok) => {
            m.once('render', () => ok());
            m.triggerRepaint();
          });
          await new Promise((ok) => requestAnimationFrame(() => ok(null)));
          out.push(performance.now() - t);
        }
        return out;
      });
      console.log(`  one frame at the edit's view (a repaint asked → the next animation frame, 10 in a row): p50 ${f0(pct(frames, 0.5))} ms, min ${f0(minOf(frames))}, max ${f0(maxOf(frames))}`);
    } finally {
      await page.close();
    }
  } finally {
    backend.child.kill();
  }
}

// ------------------------------------------------------------------ the app's backend through its analyses

/**
 * The app's backend (browser mode, its process started as the app starts it: one process, the
 * analysis worker a thread of it) through the analyses the app offers, one after another on one
 * project as a user would ask for them: each call's wall time, its answer's size, and the
 * process's resident and peak memory after it, printed under `title`. `calls`: [label, channel, args].
 */
async function backendCalls(title: string, gpkg: string, distDir: string, calls: [string, string, Record<string, unknown>][]): Promise<void> {
  const backend = await startBackend(gpkg, distDir);
  const lines: string[] = [];
  try {
    const pid = backend.child.pid!;
    await invoke(backend, 'project:info', {});
    let m = memoryOf(pid);
    lines.push(`opened: ${f0(m.rss)} MB`);
    for (const [label, channel, args] of calls) {
      const t0 = performance.now();
      let said: string;
      try {
        const answer = await invoke(backend, channel, args);
        said = `${f0(performance.now() - t0)} ms, answer ${(JSON.stringify(answer ?? null).length / 1e6).toFixed(1)} MB`;
      } catch (err) {
        said = `refused: ${(err as Error).message.slice(0, 200)}`;
      }
      m = memoryOf(pid);
      lines.push(`${label} ${said}; resident ${f0(m.rss)} MB, peak so far ${f0(m.hwm)} MB`);
    }
    lines.push(`process peak ${f0(memoryOf(pid).hwm)} MB`);
  } finally {
    backend.child.kill();
  }
  console.log(`  ${title}:\n${lines.map((l) => `    ${l}`).join('\n')}`);
}

/**
 * The `appmemory` part: the app's backend peak memory at this size. On the generated project:
 * the warm-up read, an isolation, 事故影响 (N-1), loop options, 工程校核 (capacity) and 改造候选.
 * On a network of the hydraulics bench's generator of the same size (the generated project has
 * no loads to run): the warm-up read and four hydraulic runs (design, "now" at -10 ℃, the cold
 * wave, design again); the generator leaves a few stations on islands without a source, which the
 * design run refuses, and those are deleted first through the app's own edit:delete.
 */
async function appMemoryPart(size: number, dir: string, distDir: string): Promise<void> {
  const gpkg = join(dir, 'project.gpkg');
  const work = join(dir, 'appmemory.gpkg');
  copyFileSync(gpkg, work);
  const reader = ProjectStore.open(work);
  const pipeId = reader.featureIds('pipes')[0];
  reader.close();
  const run = (name: string) => ({ runId: `bench-${name}` });
  await backendCalls('app backend, analyses one after another (generated project)', work, distDir, [
    ['warm-up read (analysis:prepare)', 'analysis:prepare', {}],
    ['isolation', 'analysis:isolate', { ...run('isolate'), pipeId }],
    ['N-1', 'analysis:criticality', run('criticality')],
    ['loop options', 'analysis:loops', run('loops')],
    ['capacity', 'analysis:capacity', run('capacity')],
    ['renewal candidates', 'analysis:candidates', { ...run('candidates'), asOf: '2026-12-01' }],
  ]);
  rmSync(work, { force: true });

  const hyd = join(dir, 'appmemory-hydraulic.gpkg');
  const made = childJson([join(HERE, 'scale.bench.ts'), '--make-hydraulic', String(size), hyd]);
  if (typeof made === 'string') return console.log(`  app backend, hydraulics: generator ${made}`);
  // The stations the design run refuses (no path to a source), deleted as a user would.
  const probe = await startBackend(hyd, distDir);
  try {
    await invoke(probe, 'analysis:hydraulics', { ...run('probe'), scenario: 'design' }).catch(async (err: Error) => {
      const stations = (/"stations":(\[[^\]]*\])/.exec(err.message)?.[1] ?? '[]');
      const ids = JSON.parse(stations) as string[];
      if (!ids.length) throw err;
      await invoke(probe, 'edit:delete', { layer: 'stations', ids });
      console.log(`  app backend, hydraulics: ${ids.length} station(s) without a path to a source deleted first`);
    });
  } finally {
    probe.child.kill();
  }
  await backendCalls(`app backend, hydraulics (the hydraulics bench's network of ${made.pipes} pipes)`, hyd, distDir, [
    ['warm-up read (analysis:prepare)', 'analysis:prepare', {}],
    ['hydraulics, design', 'analysis:hydraulics', { ...run('design'), scenario: 'design' }],
    ['hydraulics, now at -10 ℃', 'analysis:hydraulics', { ...run('now'), scenario: 'now', outdoorC: -10 }],
    ['hydraulics, cold wave', 'analysis:hydraulics', { ...run('coldwave'), scenario: 'coldwave' }],
    // at a city's size the runner keeps one run at a time (HYDRAULIC_RESULTS_KEPT_MAX_PIPES): run again
    ['hydraulics, design again', 'analysis:hydraulics', { ...run('design2'), scenario: 'design' }],
  ]);
  rmSync(hyd, { force: true });
}

export default async function scaleBench(): Promise<void> {
  const sizes = (process.env.WARMNET_SCALE_SIZES ?? '10000').split(',').map(Number).filter((n) => n > 0);
  const hydMax = Number(process.env.WARMNET_SCALE_HYDRAULICS_MAX ?? 100_000);
  const parts = new Set((process.env.WARMNET_SCALE_PARTS ?? 'sample,import,analyses,edit,map,appmemory,hydraulics').split(',').map((x) => x.trim()));
  const exe = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  const distDir = join(TMP, 'dist');
  execFileSync(process.execPath, ['-e', `import('./scripts/web.mjs').then(m => m.buildRendererInto(${JSON.stringify(distDir)}))`], { cwd: ROOT, stdio: 'inherit' });
  console.log(`sizes ${sizes.join(', ')} (WARMNET_SCALE_SIZES); load average ${loadavg()[0].toFixed(1)} — the machine is shared, CPU times are given where wall-clock is noisy`);
  const browser = exe ? await chromium.launch({ executablePath: exe, args: ARGS }) : null;
  if (!browser) console.log('no Chromium (CHROMIUM_PATH or /usr/bin/chromium): map figures skipped');
  try {
    const sample = join(ROOT, 'gis-data', 'mingantu.gpkg');
    if (browser && (parts.has('sample') || parts.has('appedit')) && existsSync(sample)) {
      console.log('\nsample (Mingantu)');
      const copy = join(TMP, 'sample.gpkg');
      copyFileSync(sample, copy);
      if (parts.has('sample')) await mapPart(browser, 'sample', copy, distDir);
      if (parts.has('appedit')) await appEditPart(browser, copy, distDir);
    }
    for (const size of sizes) {
      const dir = join(CACHE ?? TMP, String(size));
      mkdirSync(dir, { recursive: true });
      console.log(`\n${size.toLocaleString('en-US')} (generated)`);
      const kept = CACHE && existsSync(join(dir, 'project.gpkg')) && existsSync(join(dir, 'pipes.geojson'));
      const made = kept ? { pipes: size } : childJson([join(HERE, 'scale.bench.ts'), '--make', String(size), dir]);
      if (typeof made === 'string') {
        console.log(`  generator: ${made}`);
        continue;
      }
      if (parts.has('import') && !importPart(dir)) continue;

      const net = !parts.has('analyses') ? null : childJson([join(HERE, 'network.bench.ts'), '--child', String(size)]);
      if (typeof net === 'string') console.log(`  analyses: ${net}`);
      else if (net) {
        rmSync(net.edgeDir, { recursive: true, force: true });
        const p = (x: number[]) => `${f0(x[0])} ms (CPU ${f0(x[1])})`;
        console.log(`  graph ${p(net.graph)}, segments ${p(net.segments)}, isolation p50 ${f2(net.isolate[0])} / p95 ${f2(net.isolate[1])} ms (CPU ${f2(net.isolate[2])} / ${f2(net.isolate[3])}), criticality ${p(net.criticality)}, loops ${p(net.loops)}; analyses process peak ${f0(net.maxRssMB)} MB`);
      }
      const edit = parts.has('edit') ? childJson([join(HERE, 'scale.bench.ts'), '--edit', join(dir, 'project.gpkg')]) : null;
      if (typeof edit === 'string') console.log(`  edit (backend): ${edit}`);
      else if (edit) {
        const pp = (x: number[]) => `${f2(pct(x, 0.5))} / ${f2(pct(x, 0.95))}`;
        console.log(
          `  edit, backend side (${edit.edits} attribute edits, ms p50 / p95): commit ${pp(edit.commit)}, project:info ${pp(edit.reload)}, touched tiles recut (z14 + z16) ${edit.pipesTiled ? pp(edit.tiles) : 'n/a (GeoJSON)'}, together ${pp(edit.total)} (CPU ${pp(edit.cpu)}); legend totals after it ${f0(edit.statsMs)} ms; process peak ${f0(edit.maxRssMB)} MB`,
        );
      }
      if (browser && parts.has('map')) await mapPart(browser, String(size), join(dir, 'project.gpkg'), distDir);
      if (browser && parts.has('appedit')) await appEditPart(browser, join(dir, 'project.gpkg'), distDir);
      if (parts.has('appmemory')) await appMemoryPart(size, dir, distDir);
      if (!CACHE) rmSync(dir, { recursive: true, force: true });
    }
    const hyd = parts.has('hydraulics') ? sizes.filter((s) => s <= hydMax) : [];
    if (hyd.length) {
      console.log(`\nhydraulics vs EPANET (hydraulics bench at ${hyd.join(', ')}; its own generator of looped networks):`);
      process.env.BENCH_HYDRAULICS_SIZES = hyd.join(',');
      await (await import('./hydraulics.bench')).default();
    }
  } finally {
    await browser?.close();
    rmSync(TMP, { recursive: true, force: true });
  }
  console.log('\ngoals at 1M: graph ≤ 3 s, isolation p95 ≤ 10 ms, criticality ≤ 30 s, loops ≤ 10 s, edit drawn ≤ 100 ms, every process ≤ 2 GB; map ratio ≤ 1.1; import ≤ 1.0× GDAL');
}

const mk = process.argv.indexOf('--make');
if (mk >= 0) childMake(Number(process.argv[mk + 1]), process.argv[mk + 2]);
const at = process.argv.indexOf('--import');
if (at >= 0) childImport(process.argv[at + 1], process.argv[at + 2] ?? 'store');
const mh = process.argv.indexOf('--make-hydraulic');
if (mh >= 0) await childMakeHydraulic(Number(process.argv[mh + 1]), process.argv[mh + 2]);
const ed = process.argv.indexOf('--edit');
if (ed >= 0) await childEdit(process.argv[ed + 1]);

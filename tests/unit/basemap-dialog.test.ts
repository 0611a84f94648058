/**
 * The add-basemap dialog's channels over the loopback bridge, as the app
 * calls them: files by handle only (uploaded bytes, as in browser mode), a
 * GeoTIFF made by GDAL in the run tiled into the project with progress and a
 * cancel that leaves the project unchanged, refusals naming the file and the
 * reason, a PMTiles archive copied in, online sources by XYZ template and by
 * WMTS capabilities (REST ResourceURL and KVP) against a tile server this
 * test starts on loopback, and removal from the switcher's list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import { ProjectStore } from '../../electron/backend/store/index';
import { startWebServer, type WebServer } from '../../electron/web';
import { analysisEvents } from '../../electron/backend/analysis.handlers';
import type { AnalysisProgress } from '../../electron/backend/analysis.contract';
import type { BasemapAdded, BasemapList } from '../../electron/backend/basemap.contract';
import { setOnlineTiles } from '../../electron/backend/basemap/online';
import { runCli } from '../../electron/cli/testing';
import { writePmtiles } from '../fixtures/basemap/pmtiles';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const VALIDATE = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';

let dir: string;
let project: string;
let web: WebServer;
let upstream: Server;
let upstreamUrl: string;
const hits: string[] = [];
let red: Buffer;

async function call<T>(channel: string, args: unknown = {}): Promise<{ ok: true; result: T } | { ok: false; error: { code: string; message: string; params?: Record<string, unknown> } }> {
  const r = await fetch(new URL('api/invoke', web.url), { method: 'POST', body: JSON.stringify({ channel, args }), headers: { 'Content-Type': 'application/json', Cookie: web.cookie } });
  return (await r.json()) as never;
}
async function invoke<T>(channel: string, args: unknown = {}): Promise<T> {
  const r = await call<T>(channel, args);
  if (!r.ok) throw new Error(r.error.message);
  return r.result;
}
const upload = (name: string, bytes: Buffer) => invoke<{ handle: string; fileName: string }>('import:upload', { files: [{ name, base64: bytes.toString('base64') }] });
const get = (path: string) => fetch(new URL(path, web.url), { headers: { Cookie: web.cookie } });
const fill = (t: string, z: number, x: number, y: number) => t.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));

const CAPS_REST = (base: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
  <ows:ServiceIdentification><ows:Title>Test WMTS</ows:Title></ows:ServiceIdentification>
  <Contents>
    <Layer>
      <ows:Title>Town plan</ows:Title>
      <ows:WGS84BoundingBox><ows:LowerCorner>114.8 41.8</ows:LowerCorner><ows:UpperCorner>115.0 42.0</ows:UpperCorner></ows:WGS84BoundingBox>
      <ows:Identifier>plan</ows:Identifier>
      <Style isDefault="true"><ows:Identifier>grey</ows:Identifier></Style>
      <Format>image/png</Format>
      <TileMatrixSetLink><TileMatrixSet>utm50</TileMatrixSet></TileMatrixSetLink>
      <TileMatrixSetLink><TileMatrixSet>webmerc</TileMatrixSet></TileMatrixSetLink>
      <ResourceURL format="image/png" resourceType="tile" template="${base}/rest/plan/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png"/>
    </Layer>
    <TileMatrixSet>
      <ows:Identifier>utm50</ows:Identifier>
      <ows:SupportedCRS>urn:ogc:def:crs:EPSG::32650</ows:SupportedCRS>
      <TileMatrix><ows:Identifier>0</ows:Identifier><ScaleDenominator>1000000</ScaleDenominator><TopLeftCorner>0 5000000</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>4</MatrixWidth><MatrixHeight>4</MatrixHeight></TileMatrix>
    </TileMatrixSet>
    <TileMatrixSet>
      <ows:Identifier>webmerc</ows:Identifier>
      <ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>
      ${[10, 11, 12, 13, 14, 15, 16]
        .map(
          (z) =>
            `<TileMatrix><ows:Identifier>EPSG:3857:${z}</ows:Identifier><ScaleDenominator>${559082264.0287178 / 2 ** z}</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>${2 ** z}</MatrixWidth><MatrixHeight>${2 ** z}</MatrixHeight></TileMatrix>`,
        )
        .join('\n      ')}
    </TileMatrixSet>
  </Contents>
</Capabilities>`;

const CAPS_KVP = (base: string) => `<?xml version="1.0"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
  <ows:OperationsMetadata>
    <ows:Operation name="GetTile"><ows:DCP><ows:HTTP><ows:Get xlink:href="${base}/kvp?map=town&amp;"><ows:Constraint name="GetEncoding"><ows:AllowedValues><ows:Value>KVP</ows:Value></ows:AllowedValues></ows:Constraint></ows:Get></ows:HTTP></ows:DCP></ows:Operation>
  </ows:OperationsMetadata>
  <Contents>
    <Layer>
      <ows:Identifier>img</ows:Identifier>
      <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
      <Format>image/tiff</Format>
      <Format>image/jpeg</Format>
      <TileMatrixSetLink><TileMatrixSet>w</TileMatrixSet></TileMatrixSetLink>
    </Layer>
    <TileMatrixSet>
      <ows:Identifier>w</ows:Identifier>
      <ows:SupportedCRS>urn:ogc:def:crs:EPSG::900913</ows:SupportedCRS>
      ${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]
        .map(
          (z) =>
            `<TileMatrix><ows:Identifier>${z}</ows:Identifier><ScaleDenominator>${559082264.0287178 / 2 ** z}</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>${2 ** z}</MatrixWidth><MatrixHeight>${2 ** z}</MatrixHeight></TileMatrix>`,
        )
        .join('\n      ')}
    </TileMatrixSet>
  </Contents>
</Capabilities>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-basemap-dialog-'));
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  execFileSync(PYTHON, [join(ROOT, 'tests/fixtures/basemap/rasters.py'), dir], { encoding: 'utf8' });
  // A larger raster (0.125 m: zoom 20, hundreds of tiles) for the cancel.
  execFileSync('gdal_translate', ['-q', '-outsize', '400%', '400%', join(dir, 'gk38.tif'), join(dir, 'big.tif')]);
  red = await sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 220, g: 30, b: 30, alpha: 1 } } }).png().toBuffer();

  upstream = createServer((req, res) => {
    const url = req.url ?? '';
    hits.push(url);
    const base = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    if (url.startsWith('/caps/rest.xml')) {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      return res.end(CAPS_REST(base));
    }
    if (url.startsWith('/caps/kvp')) {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      return res.end(CAPS_KVP(base));
    }
    if (url.startsWith('/caps/html')) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<html><body>login</body></html>');
    }
    if (url.startsWith('/rest/') || url.startsWith('/kvp') || url.startsWith('/xyz/')) {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      return res.end(red);
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', () => ok()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;

  project = join(dir, 'p.gpkg');
  ProjectStore.create(project).close();
  const dist = join(dir, 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');
  web = await startWebServer({ projectPath: project, distDir: dist, tileCacheDir: join(dir, 'cache') });
}, 120_000);

afterAll(async () => {
  await web?.close();
  setOnlineTiles(null);
  await new Promise<void>((ok) => (upstream ? upstream.close(() => ok()) : ok()));
  rmSync(dir, { recursive: true, force: true });
});

describe('add-basemap dialog channels', () => {
  it('a GeoTIFF uploaded by handle becomes a tile pyramid in the project, with progress, and is served to the map', async () => {
    const h = await upload('正射影像.tif', readFileSync(join(dir, 'gk38.tif')));
    const seen: number[] = [];
    const on = (p: AnalysisProgress) => p.runId === 'add-1' && seen.push(p.fraction);
    analysisEvents.on('analysis:progress', on);
    const r = await invoke<BasemapAdded>('basemap:add', { handle: h.handle, name: '影像', attribution: '测绘院', runId: 'add-1' });
    analysisEvents.off('analysis:progress', on);
    expect(r.id).toMatch(/^gpkg:\d+$/);
    expect(r.name).toBe('影像');
    expect(r.tiles).toBeGreaterThan(4);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen[seen.length - 1]).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true);
    const list = await invoke<BasemapList>('basemap:list');
    const b = list.basemaps.find((x) => x.id === r.id)!;
    expect(b).toMatchObject({ name: '影像', kind: 'gpkg-tiles', format: 'raster', attribution: '测绘院', sourceFile: '正射影像.tif' });
    const tile = await get(fill(b.tiles, r.maxZoom, ...firstTile(r.id)));
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toMatch(/^image\/(jpeg|png)$/);
    // The uploaded copy is gone once it is in the project; the handle no longer works.
    const again = await call('basemap:add', { handle: h.handle, name: 'again' });
    expect(again.ok).toBe(false);
    expect(execFileSync(PYTHON, [VALIDATE, project], { encoding: 'utf8' })).not.toMatch(/error/i);
  }, 120_000);

  it('refusals name the file and the reason, and write nothing', async () => {
    const before = await invoke<BasemapList>('basemap:list');
    const notTiff = await upload('plan.tif', Buffer.from('this is not a TIFF'));
    const r1 = await call('basemap:add', { handle: notTiff.handle });
    expect(r1.ok).toBe(false);
    if (!r1.ok) {
      expect(r1.error.code).toBe('basemap.refused');
      expect(r1.error.params?.file).toBe('plan.tif');
      expect(String(r1.error.params?.reason)).not.toContain(tmpdir());
      expect(r1.error.message).toContain('plan.tif');
    }
    const dem = await upload('dem16.tif', readFileSync(join(dir, 'dem16.tif')));
    const r2 = await call('basemap:add', { handle: dem.handle });
    expect(r2.ok || r2.error).toMatchObject({ code: 'basemap.refused', params: { file: 'dem16.tif' } });
    if (!r2.ok) expect(String(r2.error.params?.reason)).toMatch(/16|band/i);
    const shp = await upload('pipes.shp', Buffer.from('x'));
    const r3 = await call('basemap:add', { handle: shp.handle });
    expect(r3.ok || r3.error).toMatchObject({ code: 'basemap.unsupportedFile', params: { file: 'pipes.shp' } });
    const taken = await upload('x.tif', readFileSync(join(dir, 'gk38.tif')));
    const r4 = await call('basemap:add', { handle: taken.handle, name: '影像' });
    expect(r4.ok || r4.error).toMatchObject({ code: 'basemap.nameTaken', params: { name: '影像' } });
    // A path instead of a handle never reaches the backend.
    const r5 = await call('basemap:add', { handle: join(dir, 'gk38.tif') });
    expect(r5.ok || r5.error).toMatchObject({ code: 'bad_call' });
    const after = await invoke<BasemapList>('basemap:list');
    expect(after.basemaps).toEqual(before.basemaps);
  }, 60_000);

  it('a cancel part-way (analysis:cancel with the run id) leaves the project unchanged', async () => {
    const before = new Database(project, { readonly: true });
    const tables = before.prepare(`SELECT count(*) FROM sqlite_master`).pluck().get();
    before.close();
    const h = await upload('big.tif', readFileSync(join(dir, 'big.tif')));
    let cancelled = false;
    const on = (p: AnalysisProgress) => {
      if (p.runId === 'add-big' && p.fraction > 0 && !cancelled) {
        cancelled = true;
        void invoke('analysis:cancel', { runId: 'add-big' });
      }
    };
    analysisEvents.on('analysis:progress', on);
    const r = await call('basemap:add', { handle: h.handle, name: 'big', runId: 'add-big' });
    analysisEvents.off('analysis:progress', on);
    expect(cancelled).toBe(true);
    expect(r.ok || r.error).toMatchObject({ code: 'basemap.cancelled', params: { file: 'big.tif' } });
    const db = new Database(project, { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM sqlite_master`).pluck().get()).toBe(tables);
    expect(db.prepare(`SELECT count(*) FROM basemaps WHERE name = 'big'`).pluck().get()).toBe(0);
    db.close();
  }, 180_000);

  it('a PMTiles archive is copied into the project (uploaded: always; CLI: with --copy), tiles identical', async () => {
    const tiles = [
      { z: 14, x: 13421, y: 6120, data: red },
      { z: 14, x: 13422, y: 6120, data: await sharp({ create: { width: 256, height: 256, channels: 3, background: '#2060c0' } }).jpeg().toBuffer() },
      { z: 13, x: 6710, y: 3060, data: red },
    ];
    const pm = join(dir, 'town.pmtiles');
    writePmtiles(pm, { tiles, tileType: 2, bounds: [114.88, 41.9, 114.92, 41.94], metadata: { name: 'town', attribution: '© 镇规划局' } });
    // A tile of another basemap just before: the server's basemap list is fresh, and the new one must still be served at once.
    const first = (await invoke<BasemapList>('basemap:list')).basemaps[0];
    await get(fill(first.tiles, 0, 0, 0));
    const h = await upload('town.pmtiles', readFileSync(pm));
    const r = await invoke<BasemapAdded>('basemap:add', { handle: h.handle, name: 'pm' });
    expect(r).toMatchObject({ name: 'pm', tiles: 3, minZoom: 13, maxZoom: 14 });
    expect(r.path).toBeUndefined();
    const list = await invoke<BasemapList>('basemap:list');
    const b = list.basemaps.find((x) => x.id === r.id)!;
    expect(b).toMatchObject({ kind: 'gpkg-tiles', format: 'raster', attribution: '© 镇规划局' });
    for (const t of tiles) {
      const res = await get(fill(b.tiles, t.z, t.x, t.y));
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(t.data)).toBe(true);
    }
    // The command line copies on request only.
    const cliProject = join(dir, 'cli.gpkg');
    ProjectStore.create(cliProject).close();
    const ref = await runCli(['basemap', 'add', pm, '--into', cliProject, '--name', 'ref']);
    expect(ref.status, ref.stderr).toBe(0);
    expect(ref.stdout).toMatch(/referenced at/);
    const copied = await runCli(['basemap', 'add', pm, '--into', cliProject, '--name', 'copied', '--copy']);
    expect(copied.status, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/copied in: 3 tiles in table basemap_copied/);
    const gi = execFileSync('gdalinfo', [`GPKG:${cliProject}:basemap_copied`], { encoding: 'utf8' });
    expect(gi).toMatch(/Size is \d+, \d+/);
    expect(execFileSync(PYTHON, [VALIDATE, cliProject], { encoding: 'utf8' })).not.toMatch(/error/i);
  }, 60_000);

  it('an XYZ template and WMTS layers (REST and KVP) become online sources kept in the project', async () => {
    const xyz = await invoke<BasemapAdded>('basemap:online', { url: `${upstreamUrl}/xyz/{z}/{x}/{y}.png`, name: '规划底图', attribution: '© 规划院', gcj02: true });
    expect(xyz.id).toMatch(/^online:xyz-[0-9a-f]{10}$/);
    const rest = await invoke<BasemapAdded>('basemap:online', { url: `${upstreamUrl}/caps/rest.xml?SERVICE=WMTS&REQUEST=GetCapabilities`, name: 'WMTS 规划' });
    expect(rest.wmts).toEqual({ layer: 'plan', tileMatrixSet: 'webmerc', format: 'image/png', style: 'grey', encoding: 'rest' });
    expect([rest.minZoom, rest.maxZoom]).toEqual([10, 16]);
    const kvp = await invoke<BasemapAdded>('basemap:online', { url: `${upstreamUrl}/caps/kvp?SERVICE=WMTS&REQUEST=GetCapabilities`, name: 'WMTS 影像' });
    expect(kvp.wmts).toEqual({ layer: 'img', tileMatrixSet: 'w', format: 'image/jpeg', style: 'default', encoding: 'kvp' });

    const list = await invoke<BasemapList>('basemap:list');
    const src = (id: string) => list.online.find((s) => s.id === id)!;
    expect(src(xyz.id)).toMatchObject({ gcj02: true, ready: true, attribution: '© 规划院', name: { zh: '规划底图', en: '规划底图' } });
    expect(src(xyz.id).fid).toBeGreaterThan(0);
    expect(list.online.find((s) => s.id === 'online:tianditu-vec')!.fid).toBeNull();
    // Not in the offline list.
    expect(list.basemaps.some((b) => b.name === '规划底图')).toBe(false);

    hits.length = 0;
    for (const id of [rest.id, kvp.id]) {
      const res = await get(fill(src(id).tiles[0], 14, 13421, 6120));
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(red)).toBe(true);
    }
    expect(hits).toContain('/rest/plan/grey/webmerc/EPSG:3857:14/6120/13421.png');
    const kvpHit = new URL(hits.find((h) => h.startsWith('/kvp'))!, upstreamUrl).searchParams;
    expect(Object.fromEntries(kvpHit)).toEqual({
      map: 'town',
      SERVICE: 'WMTS',
      REQUEST: 'GetTile',
      VERSION: '1.0.0',
      LAYER: 'img',
      STYLE: 'default',
      TILEMATRIXSET: 'w',
      FORMAT: 'image/jpeg',
      TILEMATRIX: '14',
      TILEROW: '6120',
      TILECOL: '13421',
    });

    // Refusals say which address and why.
    const html = await call('basemap:online', { url: `${upstreamUrl}/caps/html?SERVICE=WMTS&REQUEST=GetCapabilities`, name: 'h' });
    expect(html.ok || html.error).toMatchObject({ code: 'basemap.wmtsNotCapabilities' });
    const layer = await call('basemap:online', { url: `${upstreamUrl}/caps/rest.xml?SERVICE=WMTS&REQUEST=GetCapabilities`, name: 'l', layer: 'roads' });
    expect(layer.ok || layer.error).toMatchObject({ code: 'basemap.wmtsLayerMissing', params: { layer: 'roads', layers: 'plan' } });
    const gone = await call('basemap:online', { url: `${upstreamUrl}/nothing/WMTSCapabilities.xml`, name: 'n' });
    expect(gone.ok || gone.error).toMatchObject({ code: 'basemap.fetchFailed' });
    expect(String(!gone.ok && gone.error.params?.reason)).toContain('404');
    const noZ = await call('basemap:online', { url: `${upstreamUrl}/xyz/{x}/{y}.png`, name: 'z' });
    expect(noZ.ok || noZ.error).toMatchObject({ code: 'basemap.badUrl' });

    // The command line adds the same sources.
    const cliProject = join(dir, 'cli-online.gpkg');
    ProjectStore.create(cliProject).close();
    const cli = await runCli(['basemap', 'add', `${upstreamUrl}/caps/kvp?SERVICE=WMTS&REQUEST=GetCapabilities`, '--into', cliProject, '--name', '影像']);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/online basemap "影像" \(WMTS layer img, w, image\/jpeg, KVP\), zoom 1–18, online:xyz-[0-9a-f]{10}/);
    const cliBad = await runCli(['basemap', 'add', `${upstreamUrl}/caps/rest.xml?SERVICE=WMTS&REQUEST=GetCapabilities`, '--into', cliProject, '--name', 'x', '--layer', 'roads']);
    expect(cliBad.status).not.toBe(0);
    expect(cliBad.stderr).toContain('“roads”');
    expect(cliBad.stderr).toContain('nothing was written');
    expect((await runCli(['basemap', 'list', cliProject])).stdout).toMatch(/^影像\tonline\t/m);

    // Kept in the project: a second server on the same file lists them.
    const db = new Database(project, { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM basemaps WHERE kind = 'online'`).pluck().get()).toBe(3);
    db.close();
  }, 60_000);

  it('removing from the switcher drops the basemap (and its tiles table) and the choice goes back to none', async () => {
    const list = await invoke<BasemapList>('basemap:list');
    const pm = list.basemaps.find((b) => b.name === 'pm')!;
    await invoke('view:set', { basemap: pm.id });
    expect(await invoke('basemap:remove', { id: pm.id })).toBe(true);
    const xyz = list.online.find((s) => s.fid !== null)!;
    expect(await invoke('basemap:remove', { id: xyz.id })).toBe(true);
    expect(await invoke('basemap:remove', { id: xyz.id })).toBe(false);
    const after = await invoke<BasemapList>('basemap:list');
    expect(after.basemaps.some((b) => b.id === pm.id)).toBe(false);
    expect(after.online.some((s) => s.id === xyz.id)).toBe(false);
    expect(after.view.basemap).toBe('none');
    const db = new Database(project, { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM gpkg_contents WHERE identifier = 'pm'`).pluck().get()).toBe(0);
    db.close();
    expect(execFileSync(PYTHON, [VALIDATE, project], { encoding: 'utf8' })).not.toMatch(/error/i);
  });
});

/** A tile the pyramid holds at its finest zoom. */
function firstTile(id: string): [number, number] {
  const db = new Database(project, { readonly: true });
  try {
    const table = db.prepare('SELECT tiles_table FROM basemaps WHERE fid = ?').pluck().get(Number(id.slice(5))) as string;
    const r = db.prepare(`SELECT tile_column, tile_row FROM "${table}" ORDER BY zoom_level DESC LIMIT 1`).get() as { tile_column: number; tile_row: number };
    return [r.tile_column, r.tile_row];
  } finally {
    db.close();
  }
}

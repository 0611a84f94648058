/**
 * Orthophoto basemaps: GeoTIFFs made by GDAL in the test run (a CGCS2000
 * 3° Gauss–Krüger zone 38 raster with a white block at a known pixel, a 6°
 * zone grey raster with no-data) are tiled into a project with
 * `warmnet basemap add`, then read back by GDAL itself: the GeoPackage
 * validates, the tile table covers the extent gdalwarp gives for the same
 * raster within one pixel, and the white block lands where GDAL transforms its
 * coordinate, within one pixel. Refusals name the file and the reason; a
 * cancel (AbortSignal, and SIGTERM to the real command) leaves the project
 * unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../../electron/backend/store/index';
import { BasemapCancelled, addGeoTiffBasemap } from '../../electron/backend/basemap/addRaster';
import { listBasemaps } from '../../electron/backend/basemap/gpkgTiles';
import { runCli } from '../../electron/cli/testing';
import { mercatorResolution } from '../../core/geo/webMercator';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const VALIDATE = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
const FIX = join(ROOT, 'tests', 'fixtures', 'basemap');
const BIN = join(ROOT, 'bin', 'warmnet.mjs');

let dir: string;
let info: { blockCentre: [number, number]; crs: string; width: number; height: number };

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

function emptyProject(name: string): string {
  const p = join(dir, name);
  ProjectStore.create(p).close();
  return p;
}

function validate(path: string): void {
  const r = (() => {
    try {
      return { status: 0, out: sh(PYTHON, [VALIDATE, path]) };
    } catch (e) {
      const x = e as { status?: number; stdout?: string; stderr?: string };
      return { status: x.status ?? 1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
    }
  })();
  expect(r.status, r.out).toBe(0);
}

interface GdalRead {
  geotransform: number[];
  width: number;
  height: number;
  bands: number;
  overviews: number;
  bright: number;
  brightCentre: [number, number] | null;
  opaquePixels: number;
}

const readBack = (gpkg: string, table: string): GdalRead => JSON.parse(sh(PYTHON, [join(FIX, 'read_gpkg_raster.py'), gpkg, table]));

/** Corner coordinates as gdalinfo -json reports them. */
function corners(path: string, extra: string[] = []): { ul: number[]; lr: number[] } {
  const j = JSON.parse(sh('gdalinfo', ['-json', ...extra, path]));
  return { ul: j.cornerCoordinates.upperLeft, lr: j.cornerCoordinates.lowerRight };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-basemap-'));
  info = JSON.parse(sh(PYTHON, [join(FIX, 'rasters.py'), dir]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('basemap add: a Gauss–Krüger GeoTIFF becomes a Web Mercator tile pyramid in the project', () => {
  let project: string;
  let result: { table: string; maxZoom: number; minZoom: number; tiles: number; jpegTiles: number; pngTiles: number };

  beforeAll(async () => {
    project = emptyProject('ortho.gpkg');
    const r = await runCli(['basemap', 'add', join(dir, 'gk38.tif'), '--into', project, '--name', '航拍影像2024', '--attribution', '示例测绘院', '--json']);
    expect(r.status, r.stderr).toBe(0);
    result = JSON.parse(r.stdout);
  });

  it('reads the CRS from the GeoTIFF keys, picks the zoom nearest the 0.5 m pixels and builds overviews down to one tile', () => {
    expect(result).toMatchObject({ crs: 'EPSG:4526', name: '航拍影像2024' });
    // 0.5 m at 41.9° N: zoom 18 is 0.445 m on the ground, zoom 17 0.89 m — 18 is nearer.
    expect(result.maxZoom).toBe(18);
    expect(result.minZoom).toBeLessThan(result.maxZoom);
    expect(result.tiles).toBeGreaterThan(4);
    // Inner tiles are opaque photo (JPEG), the edges have transparency (PNG).
    expect(result.jpegTiles).toBeGreaterThan(0);
    expect(result.pngTiles).toBeGreaterThan(0);
    const store = ProjectStore.open(project);
    try {
      const [b] = listBasemaps(store.reader());
      expect(b).toMatchObject({ name: '航拍影像2024', kind: 'gpkg-tiles', tilesTable: result.table, sourceCrs: 'EPSG:4526', attribution: '示例测绘院', minZoom: result.minZoom, maxZoom: 18 });
      const top = store.reader().prepare(`SELECT count(*) FROM "${result.table}" WHERE zoom_level = ?`).pluck().get(result.minZoom);
      expect(top).toBe(1);
    } finally {
      store.close();
    }
  });

  it('passes GDAL validate_gpkg.py', () => validate(project));

  it('GDAL reads the tile table back covering the extent gdalwarp gives the same raster, within one pixel, with its overviews', () => {
    const res = mercatorResolution(result.maxZoom);
    const warped = join(dir, 'gk38-3857.tif');
    sh('gdalwarp', ['-q', '-overwrite', '-t_srs', 'EPSG:3857', '-tr', String(res), String(res), join(dir, 'gk38.tif'), warped]);
    const want = corners(warped);
    const got = corners(project, ['-oo', `TABLE=${result.table}`]);
    for (const k of ['ul', 'lr'] as const) {
      expect(Math.abs(got[k][0] - want[k][0]), `${k} x`).toBeLessThanOrEqual(res);
      expect(Math.abs(got[k][1] - want[k][1]), `${k} y`).toBeLessThanOrEqual(res);
    }
    const back = readBack(project, result.table);
    expect(back.geotransform[1]).toBeCloseTo(res, 9);
    // GDAL lists the overviews down to the last one wider than a tile (the one-tile top level it leaves out).
    expect(back.overviews).toBe(result.maxZoom - result.minZoom - 1);
    const store = ProjectStore.open(project);
    try {
      const zooms = store.reader().prepare(`SELECT DISTINCT zoom_level FROM "${result.table}" ORDER BY 1`).pluck().all();
      expect(zooms).toEqual(Array.from({ length: result.maxZoom - result.minZoom + 1 }, (_, i) => result.minZoom + i));
    } finally {
      store.close();
    }
  });

  it('puts the white block where GDAL transforms its coordinate, within one pixel', () => {
    const back = readBack(project, result.table);
    // GDAL (PROJ) transforms the block's centre from EPSG:4526 to Web Mercator.
    const [mx, my] = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4526', '-t_srs', 'EPSG:3857', '-output_xy'], {
      input: `${info.blockCentre[0]} ${info.blockCentre[1]}\n`,
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/)
      .map(Number);
    const gt = back.geotransform;
    const wantCol = (mx - gt[0]) / gt[1];
    const wantRow = (my - gt[3]) / gt[5];
    // 36 source pixels of 0.5 m ≈ 45 pixels of 0.445 m at zoom 18 (bilinear spreads the edges a little).
    expect(back.bright).toBeGreaterThan(20);
    expect(back.bright).toBeLessThan(80);
    expect(Math.abs(back.brightCentre![0] - wantCol)).toBeLessThanOrEqual(1);
    expect(Math.abs(back.brightCentre![1] - wantRow)).toBeLessThanOrEqual(1);
  });
});

describe('basemap add: other rasters and refusals', () => {
  it('a 6° zone grey raster with no-data: the no-data border is transparent, the rest opaque grey', async () => {
    const project = emptyProject('gk6.gpkg');
    const store = ProjectStore.open(project);
    let table: string;
    try {
      const r = await addGeoTiffBasemap(store, join(dir, 'gk6.tif'));
      expect(r.crs).toBe('EPSG:4509');
      expect(r.name).toBe('gk6');
      table = r.table;
    } finally {
      store.close();
    }
    validate(project);
    const back = readBack(project, table);
    expect(back.bands).toBe(4);
    // 290 × 190 of 300 × 200 source pixels have data; at zoom 16 (2.39 m, 1.78 m on the ground) about (290·2/1.78)·(190·2/1.78) pixels.
    const expected = ((290 * 2) / (mercatorResolution(16) * Math.cos((41.86 * Math.PI) / 180))) * ((190 * 2) / (mercatorResolution(16) * Math.cos((41.86 * Math.PI) / 180)));
    expect(Math.abs(back.opaquePixels - expected) / expected).toBeLessThan(0.05);
  });

  it('refuses a 16-bit raster and one without a coordinate system, naming the file; --crs supplies the CRS', async () => {
    const project = emptyProject('bad.gpkg');
    const before = readFileSync(project);
    const r16 = await runCli(['basemap', 'add', join(dir, 'dem16.tif'), '--into', project]);
    expect(r16.status).toBe(1);
    expect(r16.stderr).toMatch(/dem16\.tif: band 1 has 16-bit integer samples; a basemap needs 8-bit images/);
    expect(r16.stderr).toMatch(/nothing was written/);
    const rNo = await runCli(['basemap', 'add', join(dir, 'nocrs.tif'), '--into', project]);
    expect(rNo.status).toBe(1);
    expect(rNo.stderr).toMatch(/nocrs\.tif: no coordinate system the importer knows .*--crs/);
    expect(readFileSync(project).equals(before)).toBe(true);
    const ok = await runCli(['basemap', 'add', join(dir, 'nocrs.tif'), '--into', project, '--crs', 'EPSG:4526', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ crs: 'EPSG:4526', crsReason: 'given as EPSG:4526' });
    const dup = await runCli(['basemap', 'add', join(dir, 'nocrs.tif'), '--into', project, '--crs', 'EPSG:4526']);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/a basemap named "nocrs" is already in the project/);
    const list = await runCli(['basemap', 'list', project]);
    expect(list.stdout).toMatch(/^nocrs\tgpkg-tiles\ttable basemap_nocrs\tzoom \d+–\d+$/m);
    const rm = await runCli(['basemap', 'remove', project, '--name', 'nocrs']);
    expect(rm.status, rm.stderr).toBe(0);
    validate(project);
    const store = ProjectStore.open(project);
    try {
      expect(listBasemaps(store.reader())).toEqual([]);
      expect(store.reader().prepare(`SELECT count(*) FROM gpkg_contents WHERE data_type = 'tiles'`).pluck().get()).toBe(0);
    } finally {
      store.close();
    }
  });

  it('a cancel part-way leaves the project unchanged', async () => {
    const project = emptyProject('cancel.gpkg');
    const store = ProjectStore.open(project);
    const abort = new AbortController();
    let calls = 0;
    try {
      await expect(
        addGeoTiffBasemap(store, join(dir, 'gk38.tif'), {
          signal: abort.signal,
          concurrency: 1,
          onProgress: () => {
            if (++calls === 3) abort.abort();
          },
        }),
      ).rejects.toBeInstanceOf(BasemapCancelled);
      expect(calls).toBeGreaterThanOrEqual(3);
      expect(listBasemaps(store.reader())).toEqual([]);
      expect(store.reader().prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'basemap\\_%' ESCAPE '\\'`).pluck().get()).toBe(0);
      // The store is usable afterwards.
      const r = await addGeoTiffBasemap(store, join(dir, 'gk6.tif'));
      expect(r.tiles).toBeGreaterThan(0);
    } finally {
      store.close();
    }
    validate(project);
  });

  it('SIGTERM to the real command stops it and leaves the project as it was', async () => {
    const project = emptyProject('sigterm.gpkg');
    const copy = join(dir, 'sigterm-before.gpkg');
    copyFileSync(project, copy);
    const child = spawn(process.execPath, [BIN, 'basemap', 'add', join(dir, 'gk38.tif'), '--into', project, '--progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /progress \d+\/\d+/.test(stderr)) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(sent, stderr).toBe(true);
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/cancelled; the project is unchanged/);
    validate(project);
    const store = ProjectStore.open(project);
    try {
      expect(listBasemaps(store.reader())).toEqual([]);
    } finally {
      store.close();
    }
    expect(statSync(project).size).toBe(statSync(copy).size);
  });
});

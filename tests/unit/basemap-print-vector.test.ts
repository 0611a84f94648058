/**
 * Vector basemaps in exports: the sample's own offline basemap (MVT tiles in
 * the project) is drawn under the network on a PNG map sheet where it has
 * features — the river's blue where the river is — and leaves the paper
 * white where it has none; the PDF carries its attribution as text
 * (pdftotext). The same sheet with `--basemap none` shows the river's place
 * white, so the colour is the basemap's. The community atlas draws it under
 * every community's map, each with the credit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { runCli } from '../../electron/cli/testing';
import { ProjectStore } from '../../electron/backend/store/index';
import { sheetMapView } from '../../core/carto/mapSheet';
import { sheetLayout } from '../../core/carto/layout';
import { lonLatToMercator } from '../../core/geo/webMercator';
import { sampleBasemap } from '../../gis-data/generate/basemap';
import type { ProjectData } from '../../core/model/project';
import type { Feature, Position } from '../../core/model/geojson';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DPI = 100;
let dir: string;
let project: string;
let data: ProjectData;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-print-vector-'));
  project = join(dir, 'sample.gpkg');
  copyFileSync(join(ROOT, 'gis-data', 'mingantu.gpkg'), project);
  const store = ProjectStore.open(project);
  data = store.snapshot();
  expect(store.viewState().basemap).toBe(`gpkg:${store.basemaps().find((b) => b.sample)!.fid}`);
  store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pixel of a lon/lat on the A4 landscape sheet's map frame at DPI. */
function pixelOf(lon: number, lat: number): [number, number] {
  const view = sheetMapView(data, { paper: 'A4', orientation: 'landscape' });
  const frame = sheetLayout('A4', 'landscape').map;
  const m = lonLatToMercator(lon, lat), m0 = lonLatToMercator(view.bbox[0], view.bbox[1]), m1 = lonLatToMercator(view.bbox[2], view.bbox[3]);
  const xMm = frame.x + ((m[0] - m0[0]) / (m1[0] - m0[0])) * frame.w;
  const yMm = frame.y + ((m1[1] - m[1]) / (m1[1] - m0[1])) * frame.h;
  return [Math.round((xMm / 25.4) * DPI), Math.round((yMm / 25.4) * DPI)];
}

async function pixels(png: string): Promise<(x: number, y: number) => [number, number, number]> {
  const { data: raw, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return (x, y) => {
    const i = (y * info.width + x) * 3;
    return [raw[i], raw[i + 1], raw[i + 2]];
  };
}

/** Points well inside the river polygon (between its banks), away from pipes and streets drawn over it. */
function riverPoints(): [number, number][] {
  const water = sampleBasemap(data).layers.water.features[0] as Feature;
  const ring = (water.geometry as { coordinates: Position[][] }).coordinates[0];
  const n = (ring.length - 1) / 2;
  const pts: [number, number][] = [];
  for (let i = 4; i < n - 4; i += 3) {
    const a = ring[i], b = ring[ring.length - 2 - i];
    pts.push([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
  }
  return pts;
}

describe('vector basemaps in exports', () => {
  it('a PNG sheet has the basemap colours where it has features and white paper where it has none', async () => {
    const png = join(dir, 'sheet.png');
    const r = await runCli(['export-map', project, '--out', png, '--paper', 'A4', '--dpi', String(DPI), '--date', '2026-12-06']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/basemap .*\(vector tiles\)/);
    expect(r.stderr).toMatch(/basemap \d+ × \d+ px at 100 dpi/);
    const none = join(dir, 'none.png');
    const r2 = await runCli(['export-map', project, '--out', none, '--paper', 'A4', '--dpi', String(DPI), '--date', '2026-12-06', '--basemap', 'none']);
    expect(r2.status, r2.stderr).toBe(0);
    const at = await pixels(png);
    const atNone = await pixels(none);

    // The river: blue (the palette's water #a9d1ee) with the basemap, not without it.
    const river = riverPoints().map(([lon, lat]) => pixelOf(lon, lat));
    expect(river.length).toBeGreaterThan(8);
    const blue = (p: [number, number, number]) => p[2] > p[0] + 40 && p[2] > 200;
    const withBasemap = river.filter(([x, y]) => blue(at(x, y))).length;
    expect(withBasemap / river.length).toBeGreaterThan(0.8);
    expect(river.filter(([x, y]) => blue(atNone(x, y))).length).toBe(0);

    // Where the basemap has no feature (beyond its extent, inside the map frame), the paper stays white.
    const bm = sampleBasemap(data);
    let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
    for (const fc of Object.values(bm.layers))
      for (const f of fc.features)
        JSON.stringify(f.geometry.coordinates).replace(/\[(-?[\d.]+),(-?[\d.]+)\]/g, (_, x: string, y: string) => {
          west = Math.min(west, +x);
          east = Math.max(east, +x);
          south = Math.min(south, +y);
          north = Math.max(north, +y);
          return '';
        });
    const view = sheetMapView(data, { paper: 'A4', orientation: 'landscape' });
    const outside: [number, number][] = [];
    for (let i = 1; i < 20; i++)
      for (let j = 1; j < 20; j++) {
        const lon = view.bbox[0] + ((view.bbox[2] - view.bbox[0]) * i) / 20, lat = view.bbox[1] + ((view.bbox[3] - view.bbox[1]) * j) / 20;
        if (lon < west - 0.002 || lon > east + 0.002 || lat < south - 0.002 || lat > north + 0.002) outside.push(pixelOf(lon, lat));
      }
    expect(outside.length).toBeGreaterThan(5);
    const white = (p: [number, number, number]) => p.every((v) => v >= 245);
    // Mostly paper there (the network's own symbols may stand on a few of them in both sheets).
    const paper = outside.filter(([x, y]) => white(at(x, y)));
    expect(paper.length / outside.length).toBeGreaterThan(0.8);
    expect(outside.filter(([x, y]) => white(at(x, y)) !== white(atNone(x, y))).length).toBe(0);

    // Inside the town, between the streets: land use drawn (not paper) with the basemap.
    const blocks = bm.layers.landuse.features.slice(0, 20).map((f) => {
      const ring = (f.geometry as { coordinates: Position[][] }).coordinates[0];
      return pixelOf((ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2);
    });
    expect(blocks.filter(([x, y]) => !white(at(x, y))).length).toBeGreaterThan(blocks.length * 0.8);
  }, 120_000);

  it('the PDF sheet carries the vector basemap as an image and its attribution as text', async () => {
    const pdf = join(dir, 'sheet.pdf');
    const r = await runCli(['export-map', project, '--out', pdf, '--paper', 'A3', '--date', '2026-12-06']);
    expect(r.status, r.stderr).toBe(0);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('底图：示例底图 · 示例数据，非实测');
    // Drawn at the print resolution setting (200 dpi over the A3 map frame: thousands of pixels a side).
    expect(execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' })).toMatch(/image\s+\d{4}\s+\d{4}/);
  }, 120_000);

  it('the atlas draws the basemap under every community map, with the credit on each page', async () => {
    const pdf = join(dir, 'atlas.pdf');
    const r = await runCli(['atlas', project, '--out', pdf, '--date', '2026-12-06']);
    expect(r.status, r.stderr).toBe(0);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages).toBe(data.layers.communities.length);
    expect(r.stderr).toContain(`basemap under ${pages} of ${pages} maps at 200 dpi`);
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).split('\n').filter((l) => /^\s*\d+\s+\d+\s+image\s/.test(l));
    expect(new Set(images.map((l) => l.trim().split(/\s+/)[0])).size).toBe(pages);
    for (const p of [1, Math.ceil(pages / 2), pages]) {
      const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain('底图：示例底图 · 示例数据，非实测');
    }
    const none = join(dir, 'atlas-none.pdf');
    expect((await runCli(['atlas', project, '--out', none, '--date', '2026-12-06', '--basemap', 'none'])).status).toBe(0);
    expect(execFileSync('pdfimages', ['-list', none], { encoding: 'utf8' })).not.toMatch(/\bimage\b/);
    expect(execFileSync('pdftotext', [none, '-'], { encoding: 'utf8' })).not.toContain('底图：');
  }, 180_000);
});

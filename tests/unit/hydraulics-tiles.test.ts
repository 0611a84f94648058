/**
 * A hydraulic run on a project whose pipes are drawn from tiles, through the
 * real dispatcher on a temporary GeoPackage of the scale benchmark's
 * generated network (tiled by the `mapTileMinFeatures` setting): the answer
 * carries no row per pipe (its size does not grow with the pipes), the result
 * tiles decoded with @mapbox/vector-tile carry each pipe's numbers equal to
 * the whole result's, a pipe asked for by id equals its row, and the map's
 * themes drawn as style expressions on those tiles give every pipe the colour,
 * width and arrow the GeoJSON overlay gives it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { createExpression, featureFilter, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { ProjectStore } from '../../electron/backend/store/index';
import { createDispatcher } from '../../electron/backend/handlers';
import { analysisRunner } from '../../electron/backend/analysis.handlers';
import { serveTile, type TilePlan } from '../../electron/backend/tiles';
import { benchNetwork } from '../bench/network.bench';
import type { HydraulicsPipeView, HydraulicsView } from '../../core/hydraulics/view';
import type { FeatureCollection } from '../../core/model/geojson';
import type { OverlayLayer } from '../../renderer/map/overlays';
import { hydraulicsOverlay, type HydTheme } from '../../renderer/panels/analysis/hydraulics/themes';

/** Tile (x, y) at zoom z holding a point. */
function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

interface Project {
  dir: string;
  store: ProjectStore;
  dispatch: ReturnType<typeof createDispatcher>;
}

function openProject(pipes: number): Project {
  const dir = mkdtempSync(join(tmpdir(), 'warmnet-hydtiles-'));
  const store = ProjectStore.createFromData(join(dir, 'net.gpkg'), benchNetwork(pipes));
  return { dir, store, dispatch: createDispatcher(() => store, 2026) };
}

const call = <T>(p: Project, channel: string, args: unknown) => p.dispatch(channel, args) as Promise<T>;

/** Every pipe feature of the result tiles at zoom z over the project, by id (a pipe cut by a tile edge comes more than once: all alike). */
function resultTileFeatures(p: Project, plan: TilePlan, token: string, z: number, gcj02 = false) {
  const [w, s, e, n] = p.store.bbox()!;
  const [x0, y0] = tileAt(w, n, z);
  const [x1, y1] = tileAt(e, s, z);
  const out = new Map<string, Record<string, unknown>>();
  for (let x = x0; x <= x1; x++)
    for (let y = y0; y <= y1; y++) {
      const r = serveTile(`/tiles/${plan.key}/pipes${gcj02 ? '~gcj02' : ''}~hyd-${token}/${z}/${x}/${y}.pbf`)!;
      expect(r.status, String(r.body)).toBe(200);
      const layer = new VectorTile(new PbfReader(r.body as Buffer)).layers.pipes;
      for (let i = 0; i < (layer?.length ?? 0); i++) {
        const f = layer.feature(i);
        const id = String(f.properties.id);
        const seen = out.get(id);
        if (seen) expect(f.properties).toEqual(seen);
        else out.set(id, f.properties);
      }
    }
  return out;
}

/** An answer's arrays, however deep, with their paths. */
function arraysOf(x: unknown, path = '', out: [string, number][] = []): [string, number][] {
  if (Array.isArray(x)) {
    out.push([path, x.length]);
    x.forEach((v, i) => arraysOf(v, `${path}[${i}]`, out));
  } else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) arraysOf(v, `${path}.${k}`, out);
  return out;
}

/** The answer less what grows with the stations (their rows, balancing, the 水压图 and the pressure findings). */
const pipeFree = (a: HydraulicsView) => JSON.stringify({ ...a, stations: [], balancing: [], profile: null, pressure: null, unfavourable: null, sources: [] });

describe('hydraulic results in the pipes’ tiles', () => {
  let small: Project;
  let big: Project;
  let plan: TilePlan;
  let tiled: HydraulicsView;
  let full: HydraulicsView;

  beforeAll(async () => {
    small = openProject(3000);
    big = openProject(12000);
    for (const p of [small, big]) await call(p, 'settings:set', { patch: { mapTileMinFeatures: 1000 } });
    plan = (await call<{ tiles: TilePlan }>(small, 'project:info', {})).tiles;
    tiled = await call<HydraulicsView>(small, 'analysis:hydraulics', { scenario: 'design' });
  }, 240_000);

  afterAll(async () => {
    for (const p of [small, big]) {
      p?.store.close();
      if (p) rmSync(p.dir, { recursive: true, force: true });
    }
    await analysisRunner().dispose();
  });

  it('the answer carries the legend and the tiles’ token, no row per pipe: its size does not grow with the pipes', async () => {
    expect(plan.layers).toContain('pipes');
    expect(tiled.converged).toBe(true);
    expect(tiled.pipes).toEqual([]);
    expect(tiled.pipeTiles?.token).toMatch(/^[0-9a-f]{16}$/);
    expect(tiled.pipeCount).toBeGreaterThan(0.9 * small.store.count('pipes'));
    // no list in the answer is as long as the pipes
    for (const [path, n] of arraysOf(tiled)) expect(n, path).toBeLessThan(tiled.pipeCount / 4);
    const bigAnswer = await call<HydraulicsView>(big, 'analysis:hydraulics', { scenario: 'design' });
    expect(bigAnswer.pipeCount).toBeGreaterThan(3.5 * tiled.pipeCount);
    expect(bigAnswer.pipes).toEqual([]);
    for (const [path, n] of arraysOf(bigAnswer)) expect(n, path).toBeLessThan(bigAnswer.pipeCount / 4);
    // four times the pipes, the same answer but for what the stations bring
    expect(pipeFree(bigAnswer).length).toBeLessThan(pipeFree(tiled).length * 1.2);
  }, 240_000);

  it('the result tiles carry every pipe’s numbers, equal to the whole result’s; a pipe asked for by id equals its row', async () => {
    // the same scenario with the pipes drawn from GeoJSON: every pipe's row
    await call(small, 'settings:reset', { keys: ['mapTileMinFeatures'] });
    full = await call<HydraulicsView>(small, 'analysis:hydraulics', { scenario: 'design' });
    await call(small, 'settings:set', { patch: { mapTileMinFeatures: 1000 } });
    tiled = await call<HydraulicsView>(small, 'analysis:hydraulics', { scenario: 'design' });
    expect(full.pipeTiles).toBeNull();
    expect(full.pipes.length).toBe(tiled.pipeCount);
    expect(tiled.legend).toEqual(full.legend);
    const { pipes: _p, pipeTiles: _t, ...fullRest } = full;
    const { pipes: _q, pipeTiles: _u, ...tiledRest } = tiled;
    expect(tiledRest).toEqual(fullRest);

    const token = tiled.pipeTiles!.token;
    const features = resultTileFeatures(small, plan, token, 14);
    // every pipe of the layer is in the tiles; those the run has numbers for carry them
    expect(features.size).toBe(small.store.count('pipes'));
    const inRun = new Set(full.pipes.map((p) => p.id));
    for (const [id, f] of features) expect('hyd_q' in f, id).toBe(inRun.has(id));
    const props: [string, keyof HydraulicsPipeView][] = [['hyd_q', 'flowM3h'], ['hyd_v', 'velocityMs'], ['hyd_r', 'rPam'], ['hyd_p', 'supplyPressureKpa'], ['hyd_t', 'supplyInC']];
    for (const row of full.pipes) {
      const f = features.get(row.id)!;
      expect(f, row.id).toBeDefined();
      expect(f.dn).toBe(row.dn);
      for (const [name, key] of props) {
        if (row[key] === null) expect(f[name], `${row.id} ${name}`).toBeUndefined();
        else expect(f[name], `${row.id} ${name}`).toBe(row[key]);
      }
    }
    // the shifted tiles for a GCJ-02 basemap carry the same numbers
    const shifted = resultTileFeatures(small, plan, token, 13, true);
    for (const [id, f] of shifted) for (const [name] of props) expect(f[name], id).toEqual(features.get(id)![name]);

    // one pipe by id, as the inspector asks
    for (let i = 0; i < full.pipes.length; i += 97) expect(await call(small, 'analysis:hydraulicsPipe', { token, pipeId: full.pipes[i].id })).toEqual(full.pipes[i]);
    expect(await call(small, 'analysis:hydraulicsPipe', { token, pipeId: 'NO-SUCH-PIPE' })).toBeNull();

    // another run replaces the one held: its tiles and rows are gone
    const outage = await call<HydraulicsView>(small, 'analysis:hydraulics', { scenario: 'outage', sourcesOff: [String(small.store.listFeatures('heat_sources')[0].id)] });
    expect(outage.pipeTiles!.token).not.toBe(token);
    expect(serveTile(`/tiles/${plan.key}/pipes~hyd-${token}/14/0/0.pbf`)!.status).toBe(404);
    expect(await call(small, 'analysis:hydraulicsPipe', { token, pipeId: full.pipes[0].id })).toBeNull();
    // the first run asked again (cached) is held again under its token
    expect((await call<HydraulicsView>(small, 'analysis:hydraulics', { scenario: 'design' })).pipeTiles!.token).toBe(token);
  }, 240_000);

  it('the themes drawn on the result tiles give each pipe the colour, width and arrow of the GeoJSON overlay', () => {
    const pipesFc = small.store.featureCollection('pipes') as FeatureCollection;
    const features = resultTileFeatures(small, plan, tiled.pipeTiles!.token, 14);
    const themes: HydTheme[] = ['flow', 'velocity', 'r', 'pressure', 'temp', 'dp'];
    for (const theme of themes) {
      const geo = hydraulicsOverlay(full, pipesFc, theme, false);
      const want = new Map(geo.sources['hydraulics-pipes'].features.map((f) => [String(f.properties!.id), f.properties!]));
      const onTiles = hydraulicsOverlay(tiled, undefined, theme, false, true);
      expect(Object.keys(onTiles.sources)).not.toContain('hydraulics-pipes');
      // a valid style (the vector source as the map controller adds it), whose layers list no pipe
      const sources: Record<string, unknown> = { 'hydraulics-pipe-tiles': { type: 'vector', tiles: ['http://127.0.0.1/{z}/{x}/{y}.pbf'], promoteId: 'id' } };
      for (const [k, fc] of Object.entries(onTiles.sources)) sources[k] = { type: 'geojson', data: fc };
      const style = { version: 8, glyphs: 'http://127.0.0.1/{fontstack}/{range}.pbf', sources, layers: onTiles.layers.map(({ before: _b, ...l }) => l) };
      expect(validateStyleMin(style as never), theme).toEqual([]);
      expect(JSON.stringify(onTiles.layers).length).toBeLessThan(5_000);
      const line = onTiles.layers.find((l) => l.id === 'hydraulics-pipe-line-tiled') as OverlayLayer & { paint: Record<string, unknown>; filter: unknown };
      expect((line as { source: string }).source).toBe('hydraulics-pipe-tiles');
      expect(onTiles.tiles!['hydraulics-pipe-tiles']).toEqual({ layer: 'pipes', variant: `hyd-${tiled.pipeTiles!.token}` });
      const colour = createExpression(line.paint['line-color'], 'layers[0].paint.line-color', latest.paint_line['line-color'] as never);
      const width = createExpression(line.paint['line-width'], 'layers[0].paint.line-width', latest.paint_line['line-width'] as never);
      if (colour.result !== 'success' || width.result !== 'success') throw new Error(JSON.stringify([colour.value, width.value]));
      const drawn = featureFilter(line.filter as never, 'layers[0].filter');
      const arrowsLayer = onTiles.layers.find((l) => l.id === 'hydraulics-flow-arrows-tiled') as (OverlayLayer & { filter: unknown; layout: Record<string, unknown> }) | undefined;
      expect(!!arrowsLayer).toBe(theme === 'flow');
      const arrows = arrowsLayer && featureFilter(arrowsLayer.filter as never, 'layers[1].filter');
      const rotate = arrowsLayer && createExpression(arrowsLayer.layout['icon-rotate'], 'layers[1].layout.icon-rotate', latest.layout_symbol['icon-rotate'] as never);
      if (rotate) expect(rotate.result).toBe('success');
      expect(want.size).toBe(full.pipes.length);
      for (const [id, w] of want) {
        const f = { type: 2, properties: features.get(id)!, geometry: [] } as never;
        expect(drawn.filter({ zoom: 14 }, f), id).toBe(true);
        const c = colour.value.evaluate({ zoom: 14 }, f) as { toString(): string };
        expect(c.toString(), `${theme} ${id}`).toBe(colourString(String(w._c)));
        if (theme === 'flow') {
          expect(width.value.evaluate({ zoom: 14 }, f) as number, id).toBeCloseTo(w._w as number, 9);
          expect(arrows!.filter({ zoom: 14 }, f), id).toBe(w._arrow);
          if (rotate!.result === 'success' && w._arrow) expect(rotate!.value.evaluate({ zoom: 14 }, f)).toBe((w.q as number) < 0 ? 180 : 0);
        }
      }
    }
  }, 120_000);
});

/** A #rrggbb colour as the style spec's Color prints it. */
function colourString(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},1)`;
}

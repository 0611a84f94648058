/**
 * The analysis registry with the real store behind the bridge: a temporary
 * copy of the sample opened by the backend's ProjectStore, its dispatcher as
 * `window.warmnet` (what Electron's preload gives the renderer). Every
 * registered view declares an id, a label in both languages, a state, a
 * result panel; each that runs does so through the dispatcher and ends up
 * with a result; its overlay is consistent data (every layer's source and
 * icon declared); its panel renders. The hydraulics view shows the command
 * line's numbers.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYER_NAMES, type LayerName } from '../../../core/model/schema';
import type { FeatureCollection } from '../../../core/model/geojson';
import { ProjectStore } from '../../../electron/backend/store/index';
import { createDispatcher } from '../../../electron/backend/handlers';
import { analysisEvents, analysisRunner } from '../../../electron/backend/analysis.handlers';
import { contract } from '../../../electron/backend/contract';
import { main } from '../../../electron/cli';
import { generateSample } from '../../../gis-data/generate/index';
import type { AnalysisContext, AnalysisView, RunApi } from './types';
import type { MapOverlay } from '../../map/overlays';
import { Color, createExpression, featureFilter, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { THEME_SOURCE } from './overlay';
import { failureOf } from '../../../electron/backend/failure';

const dir = mkdtempSync(join(tmpdir(), 'warmnet-registry-'));
const path = join(dir, 'sample.gpkg');
let store: ProjectStore;
let layers: Partial<Record<LayerName, FeatureCollection>>;
let api: RunApi;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- views are held as the registry holds them
let ANALYSES: readonly AnalysisView<any>[];
let label: (lang: 'zh' | 'en', key: string) => string;
let am: (lang: 'zh' | 'en', key: never) => string;

async function cliJson(...argv: string[]) {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  try {
    expect(await main([...argv, '--json'])).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  return JSON.parse(out);
}

beforeAll(async () => {
  const sample = join(process.cwd(), 'gis-data', 'mingantu.gpkg');
  if (existsSync(sample)) copyFileSync(sample, path);
  else ProjectStore.createFromData(path, generateSample()).close();
  store = ProjectStore.open(path);
  const dispatch = createDispatcher(() => store, 2026);
  // The bridge as the preload exposes it: every call through the one validated dispatcher, answered
  // with the envelope the main process sends (failures typed, as electron/main does).
  (globalThis as { window?: unknown }).window = {
    warmnet: {
      invoke: (channel: string, args: unknown) =>
        dispatch(channel, args).then(
          (result) => ({ ok: true, result }),
          (e: unknown) => ({ ok: false, error: failureOf(e) }),
        ),
      on: (event: string, cb: (p: unknown) => void) => {
        analysisEvents.on(event, cb);
        return () => analysisEvents.off(event, cb);
      },
    },
  };
  const apiModule = await import('../../api');
  api = { start: (c, a) => apiModule.invoke(c, a), invoke: (c, a) => apiModule.invoke(c, a) };
  ({ ANALYSES } = await import('./registry'));
  ({ label, am } = (await import('./messages')) as never);
  layers = Object.fromEntries(LAYER_NAMES.map((l) => [l, store.featureCollection(l)]));
}, 60_000);

afterAll(async () => {
  store?.close();
  await analysisRunner().dispose();
  rmSync(dir, { recursive: true, force: true });
});

const ctxFor = (lang: 'zh' | 'en' = 'zh', selection: AnalysisContext['selection'] = { type: 'none' }): AnalysisContext => ({
  lang,
  t: (k) => am(lang, k as never),
  layers,
  revision: store.revision(),
  selection,
  running: false,
  goTo: () => undefined,
  flyTo: () => undefined,
  onMapContextMenu: () => () => undefined,
});

/** Every layer's source and every icon it names are declared by the overlay; ids are unique. */
function checkOverlay(o: MapOverlay) {
  const ids = o.layers.map((l) => l.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const l of o.layers) {
    expect(Object.keys(o.sources)).toContain((l as { source: string }).source);
    const icon = (l.layout as Record<string, unknown> | undefined)?.['icon-image'];
    if (typeof icon === 'string') expect(Object.keys(o.images ?? {})).toContain(icon);
  }
  for (const fc of Object.values(o.sources)) expect(fc.type).toBe('FeatureCollection');
}

const CJK = /[\u3400-\u9fff]/;

/** A pipe of the tiled source as MapLibre's expressions see it. */
const tilePipe = (id: string) => ({ type: 2 as const, id, properties: { id, dn: 200 }, geometry: [] });

/**
 * The same overlay with the pipes drawn from tiles (no GeoJSON of them): a valid style on a vector
 * `pipes` source, the theme's layer on the tiles picks exactly the pipes the GeoJSON theme colours,
 * in the same colour, and a burst's isolated pipes are the ones its tiled layers draw.
 */
function checkTiled(view: string, small: MapOverlay, tiled: MapOverlay, state: unknown) {
  const sources: Record<string, unknown> = { pipes: { type: 'vector', tiles: ['http://127.0.0.1/{z}/{x}/{y}.pbf'] } };
  for (const [k, fc] of Object.entries(tiled.sources)) sources[k] = { type: 'geojson', data: fc };
  const style = { version: 8, glyphs: 'http://127.0.0.1/{fontstack}/{range}.pbf', sources, layers: tiled.layers.map(({ before: _b, ...l }) => l) };
  expect(validateStyleMin(style as never), `${view} tiled style`).toEqual([]);
  for (const l of tiled.layers) if ((l as { source?: string }).source === 'pipes') expect((l as { 'source-layer'?: string })['source-layer']).toBe('pipes');
  const themed = small.sources[THEME_SOURCE]?.features ?? [];
  const themeLayer = tiled.layers.find((l) => l.id === 'analysis-theme-tiled');
  if (view === 'risk' || view === 'trace') expect(themed.length, `${view} themes pipes`).toBeGreaterThan(0);
  if (themed.length) {
    expect(themeLayer, `${view} themes the tiled pipes`).toBeTruthy();
    expect(tiled.sources[THEME_SOURCE].features).toEqual([]);
    const pass = featureFilter((themeLayer as { filter?: unknown }).filter as never, 'layers[0].filter');
    const colour = createExpression((themeLayer!.paint as Record<string, unknown>)['line-color'], 'layers[0].paint.line-color', latest.paint_line['line-color'] as never);
    if (colour.result !== 'success') throw new Error(`${view}: ${JSON.stringify(colour.value)}`);
    const inTheme = new Set<string>();
    for (const f of themed) {
      const id = String(f.properties.id);
      inTheme.add(id);
      expect(pass.filter({ zoom: 14 }, tilePipe(id) as never), `${view} ${id}`).toBe(true);
      expect((colour.value.evaluate({ zoom: 14 }, tilePipe(id) as never) as Color).toString()).toBe(Color.parse(String(f.properties._c))!.toString());
    }
    for (const f of layers.pipes!.features) {
      const id = String(f.id ?? f.properties.id);
      if (!inTheme.has(id)) expect(pass.filter({ zoom: 14 }, tilePipe(id) as never), `${view} ${id} not themed`).toBe(false);
    }
  } else expect(themeLayer).toBeUndefined();
  if (view === 'burst') {
    const isolated = new Set((state as { burst: { result: { pipesIsolated: string[] } } }).burst.result.pipesIsolated);
    expect(isolated.size).toBeGreaterThan(0);
    // the GeoJSON marks of the isolated pipes give way to the tiled layers
    expect(tiled.sources['analysis-marks'].features.filter((f) => f.properties._mark === 'isolated')).toEqual([]);
    expect(small.sources['analysis-marks'].features.filter((f) => f.properties._mark === 'isolated').length).toBe(isolated.size);
    const line = tiled.layers.find((l) => l.id === 'analysis-isolated-line-tiled')!;
    const pass = featureFilter((line as { filter?: unknown }).filter as never, 'layers[0].filter');
    for (const f of layers.pipes!.features) {
      const id = String(f.id ?? f.properties.id);
      expect(pass.filter({ zoom: 14 }, tilePipe(id) as never), id).toBe(isolated.has(id));
    }
  }
}

describe('analysis registry', () => {
  it('every view declares a unique id, a label in both languages, a state and a result panel; channels are the contract’s', () => {
    expect(ANALYSES.length).toBeGreaterThanOrEqual(8);
    const ids = ANALYSES.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['check', 'trace', 'burst', 'risk', 'loops', 'hydraulics', 'engineering', 'settings']));
    for (const v of ANALYSES) {
      expect(v.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(label('zh', v.label).length).toBeGreaterThan(0);
      expect(label('en', v.label)).not.toMatch(CJK);
      expect(typeof v.Panel).toBe('function');
      expect(typeof v.initial()).toBe('object');
      if (v.needsRun) expect(typeof v.run, `${v.id} says when to run but not how`).toBe('function');
      if (v.channel) expect(Object.keys(contract)).toContain(v.channel);
      for (const x of v.exports ?? []) expect(label('en', x.label)).not.toMatch(CJK);
    }
  });

  it('each view that runs gets its result through the dispatcher, draws consistent overlay data and renders its panel', async () => {
    const pipe = String(layers.pipes!.features[0].id ?? layers.pipes!.features[0].properties.id);
    for (const v of ANALYSES) {
      const ctx = ctxFor('zh', v.id === 'burst' ? { type: 'single', layer: 'pipes', id: pipe } : { type: 'none' });
      let state = v.initial();
      if (v.run) {
        const patch = await v.run(state, api, ctx);
        expect(patch, `${v.id} ran`).toBeTruthy();
        state = { ...state, ...patch };
        if (v.needsRun) expect(v.needsRun(state), `${v.id} still wants to run after running`).toBe(false);
      }
      const overlay = v.overlay?.(state, ctx) ?? null;
      if (overlay) checkOverlay(overlay);
      if (overlay) checkTiled(v.id, overlay, v.overlay!(state, { ...ctx, layers: { ...layers, pipes: undefined }, tiled: new Set<LayerName>(['pipes']) })!, state);
      const props = { state, setState: () => undefined, run: () => undefined, api, ctx };
      const html = renderToStaticMarkup(createElement(v.Panel, props));
      if (v.id !== 'settings') expect(html.length, `${v.id} panel`).toBeGreaterThan(0);
      if (v.Form) renderToStaticMarkup(createElement(v.Form, props));
    }
  }, 240_000);

  it('hydraulics: the panel shows the CLI’s sources’ shares and unfavourable station; the overlay carries its flows with arrows; the 水压图 names the station', async () => {
    const cli = await cliJson('hydraulics', path);
    const v = ANALYSES.find((x) => x.id === 'hydraulics')!;
    const ctx = ctxFor('en');
    const state = { ...v.initial(), ...(await v.run!(v.initial(), api, ctx)) };
    const html = renderToStaticMarkup(createElement(v.Panel, { state, setState: () => undefined, run: () => undefined, api, ctx }));
    const running = cli.sources.filter((s: { heatMw: number }) => s.heatMw > 0);
    const total = running.reduce((a: number, s: { heatMw: number }) => a + s.heatMw, 0);
    expect(running.length).toBeGreaterThanOrEqual(2);
    const f = (x: number, d: number) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    for (const s of running) expect(html).toContain(`data-col="share">${f((s.heatMw / total) * 100, 1)} %`);
    const unfav = cli.stations.find((s: { id: string }) => s.id === cli.unfavourable.station);
    expect(html).toContain(`${unfav.id} · ${f(unfav.dpKpa, 1)}`);
    expect(html).not.toMatch(CJK);
    const overlay = v.overlay!(state, ctx)!;
    checkOverlay(overlay);
    expect(overlay.layers.map((l) => l.id)).toContain('hydraulics-flow-arrows');
    const flows = new Map(cli.pipes.map((p: { id: string; flowM3h: number }) => [p.id, p.flowM3h]));
    const drawn = overlay.sources['hydraulics-pipes'].features;
    expect(drawn.length).toBe(cli.pipes.filter((p: { id: string }) => layers.pipes!.features.some((x) => String(x.id ?? x.properties.id) === p.id)).length);
    for (const x of drawn) expect(x.properties.q).toBeCloseTo(flows.get(x.properties.id as string) as number, 9);
    // a pipe flowing against its drawing direction turns its arrow round
    const arrows = overlay.layers.find((l) => l.id === 'hydraulics-flow-arrows')!;
    expect(JSON.stringify(arrows.layout)).toContain('"icon-rotate":["case",["<",["get","q"],0],180,0]');
    expect(drawn.some((x) => (x.properties.q as number) < 0)).toBe(true);
    // with the pipes drawn from tiles (an answer with no rows, the numbers in the result tiles): the arrows turn by the tiles' flow
    const tiledState = { ...state, result: { ...state.result, pipes: [], pipeTiles: { token: '0123456789abcdef' } } };
    const tiled = v.overlay!(tiledState, { ...ctx, layers: { ...layers, pipes: undefined }, tiled: new Set<LayerName>(['pipes']) })!;
    const tiledArrows = tiled.layers.find((l) => l.id === 'hydraulics-flow-arrows-tiled')!;
    expect(tiledArrows).toBeTruthy();
    expect(tiled.tiles).toEqual({ 'hydraulics-pipe-tiles': { layer: 'pipes', variant: 'hyd-0123456789abcdef' } });
    const rotate = createExpression((tiledArrows.layout as Record<string, unknown>)['icon-rotate'], 'layers[0].layout.icon-rotate', latest.layout_symbol['icon-rotate'] as never);
    if (rotate.result !== 'success') throw new Error(JSON.stringify(rotate.value));
    for (const x of drawn) {
      const f = tilePipe(String(x.properties.id));
      expect(rotate.value.evaluate({ zoom: 14 }, { ...f, properties: { ...f.properties, hyd_q: x.properties.q } } as never)).toBe((x.properties.q as number) < 0 ? 180 : 0);
    }
    expect(Object.keys(tiled.sources)).not.toContain('hydraulics-pipes');
    const profile = renderToStaticMarkup(createElement(v.Panel, { state: { ...state, sub: 'profile' }, setState: () => undefined, run: () => undefined, api, ctx }));
    expect(profile).toContain(`data-station="${cli.unfavourable.station}"`);
    expect(profile).toContain('Supply head');
    // the inspector section of a pipe on the path shows its flow
    const pipeId = cli.unfavourable.path[0];
    const section = renderToStaticMarkup(createElement(v.Inspector!, { state, layer: 'pipes', id: pipeId, lang: 'en' }));
    expect(section).toContain(f(cli.pipes.find((p: { id: string }) => p.id === pipeId).flowM3h, 2));
  }, 120_000);

  it('hydraulics: a refused scenario reaches the view as an error naming the feature', async () => {
    const v = ANALYSES.find((x) => x.id === 'hydraulics')!;
    const state = { ...v.initial(), params: { ...v.initial().params, scenario: 'outage', sourcesOff: ['S-NOPE'] } };
    await expect(v.run!(state, api, ctxFor())).rejects.toThrow(/S-NOPE/);
  }, 60_000);

  it('hydraulics: a DN-less pipe cannot reach the model from the app: the edit is refused naming the pipe and the field, and the scenario still runs', async () => {
    const v = ANALYSES.find((x) => x.id === 'hydraulics')!;
    const pipe = layers.pipes!.features.find((x) => x.properties.level === 'primary' && x.properties.status === 'in_service')!;
    const id = String(pipe.id ?? pipe.properties.id);
    await expect(api.invoke('edit:update', { layer: 'pipes', id, properties: { dn: null } })).rejects.toThrow(new RegExp(`${id}.*field "dn"`));
    const patch = await v.run!(v.initial(), api, ctxFor());
    expect(patch?.result?.converged).toBe(true);
  }, 60_000);
});

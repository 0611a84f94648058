/**
 * Every channel's real answer against its result schema: the dispatcher runs
 * on a temporary copy of the Mingantu sample, each channel is called the way
 * the app calls it, and what comes back is parsed with the channel's result
 * schema (strict objects, so a field the contract does not name fails as much
 * as a missing one). A handler that answers another shape than its contract
 * fails here, naming the channel and the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from './store/index';
import { CHANNELS, contract, type Channel } from './contract';
import { CHECK_RESULTS, ContractError, createDispatcher } from './handlers';
import { analysisRunner } from './analysis.handlers';
import { uploads } from './uploads';
import { THEME_IDS } from '../../core/style/themes';
import { LAYER_NAMES } from '../../core/model/schema';
import type { Feature, LineStringGeom, PointGeom } from '../../core/model/types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE = join(ROOT, 'gis-data', 'mingantu.gpkg');
const FORECAST = join(ROOT, 'tests', 'fixtures', 'forecasts', 'hourly-49h.csv');
const YEAR = 2026;

/**
 * Channels this test cannot call, and why. Everything else must be called
 * below: the last test fails on a channel that is neither.
 */
const NOT_CALLED: Partial<Record<Channel, string>> = {
  'import:choose': 'opens the desktop app’s native file dialog; browser mode refuses it by design',
  'basemap:choose': 'opens the desktop app’s native file dialog; browser mode refuses it by design',
  'basemap:add': 'needs a GeoTIFF made by GDAL or an MBTiles/PMTiles upload: tests/unit/basemap-dialog.test.ts calls it through the bridge, whose dispatcher checks results under the tests',
  'basemap:online': 'needs a loopback tile/WMTS server: tests/unit/basemap-dialog.test.ts calls it through the bridge',
  'basemap:remove': 'removes what basemap:add made: tests/unit/basemap-dialog.test.ts calls it through the bridge',
  'shared:connect': 'needs a PostgreSQL server: tests/pg/shared-channels.test.ts calls it through the dispatcher, which checks results under the tests',
  'shared:checkout': 'needs a PostgreSQL server (tests/pg/shared-channels.test.ts)',
  'shared:checkin': 'needs a checked-out project and its PostgreSQL server (tests/pg/shared-channels.test.ts)',
  'shared:watch': 'needs a checked-out project and its PostgreSQL server (tests/pg/shared-channels.test.ts)',
  'shared:openLive': 'needs a PostgreSQL server: tests/pg/live.test.ts calls it through the dispatcher, which checks results under the tests',
  'shared:resolve': 'needs a live project and a conflict on its PostgreSQL server (tests/pg/live.test.ts)',
};

let dir: string;
let store: ProjectStore;
let dispatch: ReturnType<typeof createDispatcher>;
const called = new Set<Channel>();
const configDirBefore = process.env.WARMNET_CONFIG_DIR;

/** Calls a channel (results unchecked by the dispatcher) and parses the answer with the channel's result schema. */
async function answer<K extends Channel>(channel: K, args: unknown): Promise<unknown> {
  called.add(channel);
  const result = await dispatch(channel, args);
  const parsed = contract[channel].result.safeParse(result);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(result)'}: ${i.message}`).slice(0, 5);
    expect.fail(`${channel} answered a shape its contract does not describe — ${where.join('; ')}`);
  }
  return result;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'warmnet-contract-'));
  const path = join(dir, 'sample.gpkg');
  copyFileSync(SAMPLE, path);
  process.env.WARMNET_CONFIG_DIR = join(dir, 'config');
  store = ProjectStore.open(path);
  // The schemas are applied by `answer` itself, so the dispatcher's own check stays off here.
  dispatch = createDispatcher(() => store, YEAR, {}, false);
});
afterAll(async () => {
  uploads.dispose();
  store.close();
  await analysisRunner().dispose();
  if (configDirBefore === undefined) delete process.env.WARMNET_CONFIG_DIR;
  else process.env.WARMNET_CONFIG_DIR = configDirBefore;
  rmSync(dir, { recursive: true, force: true });
});

const pipes = () => store.listFeatures('pipes') as Feature<LineStringGeom>[];
const firstOf = (layer: 'stations' | 'valves' | 'heat_sources') => store.listFeatures(layer)[0] as Feature<PointGeom>;

describe('project, layers, search and settings', () => {
  it('project:info, layer:get of every layer, layer:page, feature:get, theme:stats, search:find, settings:get', async () => {
    await answer('project:info', {});
    for (const layer of LAYER_NAMES) await answer('layer:get', { layer });
    await answer('layer:page', { layer: 'pipes', offset: 0, limit: 50, sort: 'dn', desc: true });
    const [x, y] = pipes()[0].geometry.coordinates[0];
    expect(((await answer('layer:box', { layer: 'pipes', bbox: [x - 0.001, y - 0.001, x + 0.001, y + 0.001] })) as { features: unknown[] }).features.length).toBeGreaterThan(0);
    await answer('feature:get', { layer: 'pipes', id: pipes()[0].id });
    await answer('feature:get', { layer: 'stations', id: firstOf('stations').id });
    for (const theme of THEME_IDS) await answer('theme:stats', { theme });
    const name = String(firstOf('stations').properties.name ?? firstOf('stations').id);
    expect(((await answer('search:find', { query: name.slice(0, 2) })) as unknown[]).length).toBeGreaterThan(0);
    await answer('settings:get', {});
  });
});

describe('analyses and settings writes', () => {
  it('every analysis on the sample network', async () => {
    await answer('analysis:prepare', {});
    await answer('analysis:check', {});
    await answer('analysis:trace', {});
    const crit = (await answer('analysis:criticality', {})) as { worst: { pipes: string[] }[] };
    await answer('analysis:isolate', { pipeId: crit.worst[0].pipes[0] });
    const p = pipes()[0].geometry.coordinates[0];
    await answer('analysis:isolate', { lon: p[0], lat: p[1] });
    const loops = (await answer('analysis:loops', {})) as { options: unknown[] };
    expect(loops.options.length).toBeGreaterThan(0);
    await answer('analysis:whatif', { optionRank: 1 });
    await answer('analysis:capacity', {});
    await answer('analysis:candidates', { asOf: '2026-06-30' });
    await answer('analysis:coldwave', { csv: readFileSync(FORECAST, 'utf8') });
    await answer('analysis:coldwave', { csv: 'time,temperature_c\nnot a time,-20\n' });
    await answer('analysis:hydraulics', { scenario: 'design' });
    await answer('analysis:hydraulics', { scenario: 'outage', sourcesOff: [firstOf('heat_sources').id] });
    // pipes drawn from tiles: the answer carries the result tiles' token, a pipe's numbers are asked for by id
    await dispatch('settings:set', { patch: { mapTileMinFeatures: 1 } });
    try {
      const tiled = (await answer('analysis:hydraulics', { scenario: 'design' })) as { pipes: unknown[]; pipeTiles: { token: string } };
      expect(tiled.pipes).toEqual([]);
      expect(await answer('analysis:hydraulicsPipe', { token: tiled.pipeTiles.token, pipeId: pipes()[0].id })).toMatchObject({ id: pipes()[0].id });
      expect(await answer('analysis:hydraulicsPipe', { token: tiled.pipeTiles.token, pipeId: 'NO-SUCH-PIPE' })).toBeNull();
    } finally {
      await dispatch('settings:reset', { keys: ['mapTileMinFeatures'] });
    }
    expect(await answer('analysis:cancel', { runId: 'nothing-runs-under-this' })).toBe(false);
  });

  it('settings:set and settings:reset answer all settings', async () => {
    await answer('settings:set', { patch: { designLifeYears: 31 } });
    await answer('settings:reset', { keys: ['designLifeYears'] });
  });
});

describe('editing, journal, renovation projects and plan', () => {
  it('each edit channel and the journal it fills', async () => {
    const source = pipes()[0];
    const [a, b] = source.geometry.coordinates;
    const shifted = source.geometry.coordinates.map(([x, y]) => [x + 0.0005, y + 0.0005] as [number, number]);
    const props = { level: source.properties.level, dn: source.properties.dn };
    await answer('edit:validate', { layer: 'pipes', properties: { id: 'P-NEW', ...props }, geometry: { type: 'LineString', coordinates: shifted } });
    const id = (await answer('edit:nextId', { layer: 'pipes' })) as string;
    const before = (await answer('project:info', {})) as { revision: number };
    await answer('edit:insert', { layer: 'pipes', geometry: { type: 'LineString', coordinates: shifted }, properties: { id, ...props } });
    expect(((await answer('layer:since', { layer: 'pipes', revision: before.revision })) as { features: { id: string }[] }).features.map((f) => f.id)).toEqual([id]);
    await answer('edit:update', { layer: 'pipes', id, properties: { dn: props.dn } });
    // the change is listed with its boxes for the map's tiles
    expect(((await answer('project:info', {})) as { tileChanges: { boxes: unknown[] | null }[] }).tileChanges.at(-1)!.boxes!.length).toBeGreaterThan(0);
    const mid: [number, number] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    await answer('edit:split', { pipeId: source.id, at: mid });
    await answer('edit:place', { layer: 'valves', at: [shifted[0][0], shifted[0][1]] });
    await answer('edit:trace', { pipeIds: [pipes()[1].id] });
    await answer('edit:delete', { layer: 'pipes', ids: [id] });
    await answer('journal:get', {});
    await answer('journal:undo', {});
    await answer('journal:redo', {});
  });

  it('renovation projects and plan progress', async () => {
    await answer('project:list', {});
    const row = { id: 'XM-CONTRACT', name: '合同检验', year: YEAR, kind: 'pipe', status: 'planned', budget_wan: 12 };
    await answer('project:save', { row });
    const ring = pipes()[2].geometry.coordinates[0];
    const box: [number, number][] = [
      [ring[0] - 0.002, ring[1] - 0.002],
      [ring[0] + 0.002, ring[1] - 0.002],
      [ring[0] + 0.002, ring[1] + 0.002],
      [ring[0] - 0.002, ring[1] + 0.002],
    ];
    const linked = (await answer('project:link', { projectId: row.id, polygon: box })) as string[];
    expect(linked.length).toBeGreaterThan(0);
    await answer('project:link', { projectId: row.id, pipeIds: [pipes()[3].id] });
    await answer('plan:progress', { year: YEAR, today: `${YEAR}-12-31` });
    await answer('feature:get', { layer: 'pipes', id: linked[0] });
    await answer('project:unlink', { projectId: row.id, pipeIds: [linked[0]] });
    await answer('project:delete', { id: row.id });
  });
});

describe('presentation and exports', () => {
  it('charts and key figures, in both languages', async () => {
    await answer('present:charts', { year: YEAR, lang: 'zh' });
    await answer('present:charts', { year: YEAR, lang: 'en' });
    await answer('present:figures', { planYear: YEAR, loops: true });
  });

  it('map sheet, ledger, balancing table, 水压图 and atlas', async () => {
    await answer('export:map', { format: 'png', paper: 'A4', orientation: 'landscape', dpi: 150, theme: 'age' });
    await answer('export:ledger', { format: 'csv', lang: 'en' });
    await answer('export:balancing', { scenario: 'design' });
    await answer('export:profile', { scenario: 'design', format: 'png', dpi: 72 });
    await answer('export:atlas', { lang: 'en' });
  }, 300_000);
});

describe('import wizard', () => {
  it('upload, preview, commit and release of a GeoJSON file', async () => {
    const near = pipes()[4].geometry.coordinates;
    const fc = {
      type: 'FeatureCollection',
      features: [1, 2].map((k) => ({
        type: 'Feature',
        properties: { id: `P-IMP-${k}`, level: 'courtyard', dn: 100, install_year: 2020 },
        geometry: { type: 'LineString', coordinates: near.map(([x, y]) => [x + 0.001 * k, y - 0.001 * k]) },
      })),
    };
    const base64 = Buffer.from(JSON.stringify(fc)).toString('base64');
    const { handle } = (await answer('import:upload', { files: [{ name: 'survey.geojson', base64 }] })) as { handle: string };
    await answer('import:preview', { handle, layer: 'pipes' });
    const done = (await answer('import:commit', { handle, layer: 'pipes' })) as { inserted: number };
    expect(done.inserted).toBe(2);
    // The wizard closing on a file it did not import lets go of its handle.
    const second = (await answer('import:upload', { files: [{ name: 'again.geojson', base64 }] })) as { handle: string };
    expect(await answer('import:release', { handle: second.handle })).toBe(true);
  });
});

describe('basemaps and the shared project without a server', () => {
  it('basemap:list, view:set, basemap:key', async () => {
    await answer('basemap:list', {});
    await answer('view:set', { opacity: 0.5, muted: true, views: [{ name: '全网', bbox: [115.0, 36.5, 115.2, 36.7], theme: 'age' }] });
    await answer('basemap:key', { tianditu: '0123456789abcdef0123456789abcdef' });
  });

  it('saved connections, the status of a project not checked out, remote changes when not watching', async () => {
    const connection = { host: 'localhost', port: 5432, database: 'warmnet', user: 'editor', schema: 'mingantu' };
    await answer('shared:saveConnection', { label: 'office', connection });
    await answer('shared:connections', {});
    await answer('shared:status', {});
    await answer('shared:remote', { since: 0 });
    await answer('shared:closeLive', {});
  });
});

describe('the dispatcher checks results under the tests', () => {
  it('is on here (NODE_ENV test) and refuses a handler answering another shape, naming the channel and the field', async () => {
    expect(CHECK_RESULTS).toBe(true);
    // The real store, with one answer bent out of its contract (a number where the hit's id is text).
    const bent = Object.create(store) as ProjectStore;
    bent.search = (query, limit, layers) => store.search(query, limit, layers).map((h) => ({ ...h, id: 7 as unknown as string }));
    const checking = createDispatcher(() => bent, YEAR);
    const error = await checking('search:find', { query: 'P' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toMatch(/^search:find: result does not match the contract — field "0\.id"/);
  });
});

describe('coverage', () => {
  it('every channel was called above, or is listed with the reason it cannot be', () => {
    const missing = CHANNELS.filter((c) => !called.has(c) && !NOT_CALLED[c]);
    expect(missing).toEqual([]);
    for (const c of Object.keys(NOT_CALLED)) expect(CHANNELS).toContain(c);
  });
});

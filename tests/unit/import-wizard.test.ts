/**
 * The import wizard's channels on a real temporary GeoPackage: a shapefile
 * written by ogr2ogr in EPSG:4547 with Chinese field names, sent as bytes the
 * way the browser sends a file input's loose parts (uploaded, then named by
 * the handle the backend issued).
 */
import { message, say } from '../../core/i18n';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/backend/store/index';
import { createDispatcher } from '../../electron/backend/handlers';
import { analysisEvents } from '../../electron/backend/analysis.handlers';
import { mainFileOf } from '../../electron/backend/import.handlers';
import { uploads } from '../../electron/backend/uploads';
import type { ImportCommitResult, ImportPreviewResult, ImportUpload } from '../../electron/backend/import.contract';
import type { AnalysisProgress } from '../../electron/backend/analysis.contract';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson, zipFiles } from '../fixtures/import/gdal';

const tmp = tempDir('warmnet-wizard-');
let store: ProjectStore;
let dispatch: ReturnType<typeof createDispatcher>;
let parts: { name: string; base64: string }[];

beforeAll(() => {
  const src = writeJson(join(tmp.dir, 'survey.geojson'), pipesGeoJson(40));
  const shpDir = join(tmp.dir, 'shp');
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', shpDir, src);
  parts = readdirSync(shpDir).map((name) => ({ name, base64: readFileSync(join(shpDir, name)).toString('base64') }));
  store = ProjectStore.create(join(tmp.dir, 'project.gpkg'));
  dispatch = createDispatcher(() => store, 2026);
});
afterAll(() => {
  // the uploaded copies of this run
  uploads.dispose();
  store.close();
  tmp.cleanup();
});

/** The wizard's way: upload the bytes once, then refer to them by the handle the backend issued. */
async function withHandle(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { files, ...rest } = args;
  if (!files) return rest;
  const { handle } = (await dispatch('import:upload', { files })) as ImportUpload;
  return { ...rest, handle };
}
const preview = async (args: Record<string, unknown>) => dispatch('import:preview', { layer: 'pipes', ...(await withHandle(args)) }) as Promise<ImportPreviewResult>;
const commit = async (args: Record<string, unknown>) => dispatch('import:commit', { layer: 'pipes', ...(await withHandle(args)) }) as Promise<ImportCommitResult>;
const failure = (p: Promise<unknown>) => p.then(() => null, (e: Error) => e.message);

describe('import:preview', () => {
  it('reads loose shapefile parts sent as bytes: CRS from the .prj, Chinese fields guessed, nothing written', async () => {
    const rev = store.revision();
    const p = await preview({ files: parts });
    expect(p.problems).toEqual([]);
    expect(p.format).toBe('shapefile');
    expect(p.crs.crs?.code).toBe('EPSG:4547');
    expect(p.crs.source).toBe('file');
    expect(say('en', p.crs.reason)).toMatch(/\.prj/);
    expect(say('zh', p.crs.reason)).toMatch(/^来自 .+\.prj：/);
    expect(p.mapping).toMatchObject({ id: '编号', dn: '管径', level: '级别', material: '材质' });
    expect(p.total).toBe(40);
    const [lon, lat] = (p.features[0].geometry.coordinates as number[][])[0];
    expect(lon).toBeGreaterThan(114.9);
    expect(lon).toBeLessThan(115.2);
    expect(lat).toBeGreaterThan(42.2);
    expect(lat).toBeLessThan(42.4);
    expect(store.revision()).toBe(rev);
  });

  it('follows the overrides: a constant, an emptied guess, another CRS', async () => {
    const p = await preview({ files: parts, mapping: { material: '=', status: '=in_service' } });
    expect(p.features[0].properties.material).toBeUndefined();
    expect(p.features[0].properties.status).toBe('in_service');
    const wrong = await preview({ files: parts, crs: 'EPSG:4326' });
    expect(wrong.crs.source).toBe('user');
    expect(wrong.problems.length).toBeGreaterThan(0);
  });

  it('checks the whole file: a bad record far down is found, the counts are the whole file', async () => {
    const many = writeJson(join(tmp.dir, 'many.geojson'), pipesGeoJson(400));
    const fc = JSON.parse(readFileSync(many, 'utf8'));
    fc.features[350].properties.管径 = 'DN207';
    const body = Buffer.from(JSON.stringify(fc)).toString('base64');
    const p = await preview({ files: [{ name: 'many.geojson', base64: body }] });
    expect(p.sourceCount).toBe(400);
    expect(p.total).toBe(399); // every good record; the bad one is listed instead
    expect(p.features.length).toBe(200);
    expect(p.problems.map((q) => q.where)).toEqual([message('io.where.feature', { n: 351 })]);
    expect(say('zh', p.problems[0].where!)).toBe('第 351 个要素');
    // Ticking "skip bad records": nothing refuses, the record is listed as skipped.
    const skipping = await preview({ files: [{ name: 'many.geojson', base64: body }], skipInvalid: true });
    expect(skipping.problems).toEqual([]);
    expect(skipping.skipped.map((q) => q.fid)).toEqual([351]);
  });

  it('a shapefile without its .dbf comes back as a problem naming the file, not as an error', async () => {
    const p = await preview({ files: parts.filter((f) => !f.name.endsWith('.dbf')) });
    expect(p.total).toBe(0);
    expect(p.problems[0].reason).toMatch(/dbf/i);
    expect(p.fileName).toMatch(/survey\.shp/);
  });

  it('a zip of two shapefiles offers both to choose from, and previews the one chosen', async () => {
    const zip = join(tmp.dir, 'two.zip');
    const shpDir = join(tmp.dir, 'shp');
    const second = join(tmp.dir, 'second');
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', '-nln', 'other', second, join(tmp.dir, 'survey.geojson'));
    zipFiles(zip, [...readdirSync(shpDir).map((n) => join(shpDir, n)), ...readdirSync(second).map((n) => join(second, n))]);
    const files = [{ name: 'two.zip', base64: readFileSync(zip).toString('base64') }];
    const p = await preview({ files });
    expect(p.problems[0].reason).toMatch(/several shapefiles/);
    expect([...(p.sourceLayers ?? [])].sort()).toEqual(['other', 'survey']);
    const chosen = await preview({ files, sourceLayer: 'other' });
    expect(chosen.problems).toEqual([]);
    expect(chosen.total).toBe(40);
  });

  it('a GBK shapefile without .cpg reads right with the encoding chosen', async () => {
    const gbkDir = join(tmp.dir, 'gbk');
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=CP936', gbkDir, join(tmp.dir, 'survey.geojson'));
    const files = readdirSync(gbkDir)
      .filter((n) => !n.toLowerCase().endsWith('.cpg'))
      .map((name) => ({ name, base64: readFileSync(join(gbkDir, name)).toString('base64') }));
    const p = await preview({ files, encoding: 'gbk' });
    expect(p.problems).toEqual([]);
    expect(p.encoding?.toLowerCase()).toMatch(/gbk/);
    expect(p.mapping).toMatchObject({ id: '编号', dn: '管径', level: '级别' });
    expect(p.features[0].properties.level).toBe('primary');
  });

  it('picks the .shp among its parts', () => {
    expect(mainFileOf(['a.dbf', 'a.prj', 'a.shp', 'a.cpg'])).toBe('a.shp');
    expect(mainFileOf(['wells.csv'])).toBe('wells.csv');
  });
});

describe('import:commit', () => {
  it('writes the whole file in one undo step, with progress under the runId', async () => {
    const seen: number[] = [];
    const on = (p: AnalysisProgress) => p.runId === 'imp-1' && seen.push(p.fraction);
    analysisEvents.on('analysis:progress', on);
    try {
      const r = await commit({ files: parts, runId: 'imp-1' });
      expect(r).toMatchObject({ inserted: 40, layer: 'pipes' });
    } finally {
      analysisEvents.off('analysis:progress', on);
    }
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const pipes = store.listFeatures('pipes');
    expect(pipes).toHaveLength(40);
    expect(pipes.find((f) => f.id === 'P-0001')?.properties).toMatchObject({ dn: 200, level: 'primary' });
    store.undo();
    expect(store.listFeatures('pipes')).toHaveLength(0);
    store.redo();
    expect(store.listFeatures('pipes')).toHaveLength(40);
  });

  it('refuses a CSV with text in a coordinate, naming the file and the row; nothing written', async () => {
    const rev = store.revision();
    const csv = 'code,x,y,name\nW-1,38500100.5,4683000.2,一号井\nW-2,38500200.1,abc,二号井\n';
    const msg = await failure(commit({ layer: 'valves', files: [{ name: 'wells.csv', base64: Buffer.from(csv).toString('base64') }], crs: 'EPSG:4526' }));
    expect(msg).toMatch(/wells\.csv/);
    expect(msg).toMatch(/row 3|line 3/);
    expect(msg).toMatch(/nothing was written/);
    expect(store.revision()).toBe(rev);
    expect(store.listFeatures('valves')).toHaveLength(0);
  });

  it('refuses a truncated zip and writes nothing', async () => {
    const rev = store.revision();
    const zip = join(tmp.dir, 'cut.zip');
    writeFileSync(zip, Buffer.from('PK\u0003\u0004truncated'));
    const msg = await failure(commit({ files: [{ name: 'cut.zip', base64: readFileSync(zip).toString('base64') }] }));
    expect(msg).toMatch(/cut\.zip/);
    expect(store.revision()).toBe(rev);
    expect(store.listFeatures('pipes')).toHaveLength(40);
  });
});

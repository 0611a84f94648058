/**
 * Bad files are refused whole, with a message naming the file, the row /
 * record / entity and the reason — and nothing reaches the project file.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportRefused } from '../../core/io/source';
import { message, say } from '../../core/i18n';
import { LAYER_NAMES } from '../../core/model/schema';
import { importFile, previewImport } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { ogr2ogr, pipesGeoJson, tempDir, writeJson, zipFiles } from '../fixtures/import/gdal';

const tmp = tempDir();
let store: ProjectStore;
const sourcePath = writeJson(join(tmp.dir, 'pipes.geojson'), pipesGeoJson(8));
const shpDir = join(tmp.dir, 'shp');

beforeAll(async () => {
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', shpDir, sourcePath);
  store = ProjectStore.create(join(tmp.dir, 'project.gpkg'));
  // One good import first, so "nothing written" is checked against a non-empty layer.
  await importFile(store, 'pipes', join(shpDir, 'pipes.shp'), { year: 2026 });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

function counts(): number[] {
  return LAYER_NAMES.map((l) => store.listFeatures(l).length);
}

/** Import must fail with ImportRefused naming file, place and reason; the project must not change. */
async function expectRefused(layer: 'pipes' | 'valves', path: string, file: string, where: RegExp | undefined, reason: RegExp, opts = {}) {
  const before = counts();
  const revision = store.revision();
  const err = await importFile(store, layer, path, { year: 2026, ...opts }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportRefused);
  const r = err as ImportRefused;
  expect(r.file).toBe(file);
  // Place and reason are messages: English for the log, and said in Chinese too (file and field names stay data).
  if (where) expect(say('en', r.where!)).toMatch(where);
  expect(say('en', r.reason)).toMatch(reason);
  expect(r.message.startsWith(file)).toBe(true);
  expect(r.message).toBe(say('en', r.said));
  const zh = say('zh', r.said);
  expect(zh.startsWith(file)).toBe(true);
  expect(zh).toMatch(/[\u4e00-\u9fff]/);
  expect(zh).not.toBe(r.message);
  expect(counts()).toEqual(before);
  expect(store.revision()).toBe(revision);
  // The wizard's preview shows the same problem instead of throwing.
  const preview = await previewImport(path, layer, { year: 2026, ...opts });
  expect(preview.problems.length).toBeGreaterThan(0);
  expect(preview.problems[0].reason).toMatch(reason);
  return r;
}

describe('bad files are refused naming the file, the place and the reason', () => {
  it('a truncated zip', async () => {
    const zip = join(tmp.dir, 'pipes.zip');
    zipFiles(zip, [...['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => join(shpDir, `pipes.${e}`))]);
    const bytes = readFileSync(zip);
    const cut = join(tmp.dir, 'cut.zip');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expectRefused('pipes', cut, 'cut.zip', undefined, /truncated/);
    // Cut inside an entry's data instead of the directory: the entry is named.
    const cut2 = join(tmp.dir, 'cut2.zip');
    const copy = Buffer.from(bytes);
    copy[200] ^= 0xff;
    writeFileSync(cut2, copy);
    await expectRefused('pipes', cut2, 'cut2.zip', /zip entry pipes\./, /checksum|inflate/);
  });

  it('a shapefile without its .dbf', async () => {
    const dir = join(tmp.dir, 'nodbf');
    mkdirSync(dir);
    for (const e of ['shp', 'shx', 'prj']) copyFileSync(join(shpDir, `pipes.${e}`), join(dir, `pipes.${e}`));
    await expectRefused('pipes', join(dir, 'pipes.shp'), 'pipes.shp', undefined, /pipes\.dbf is missing/);
  });

  it('a truncated .shp names the record', async () => {
    const dir = join(tmp.dir, 'cutshp');
    mkdirSync(dir);
    for (const e of ['dbf', 'shx', 'prj', 'cpg']) copyFileSync(join(shpDir, `pipes.${e}`), join(dir, `pipes.${e}`));
    const shp = readFileSync(join(shpDir, 'pipes.shp'));
    writeFileSync(join(dir, 'pipes.shp'), shp.subarray(0, shp.length - 40));
    await expectRefused('pipes', join(dir, 'pipes.shp'), 'pipes.shp', undefined, /truncated/);
  });

  it('a DXF with no usable entities', async () => {
    const path = join(tmp.dir, 'notes.dxf');
    writeFileSync(path, ['0', 'SECTION', '2', 'ENTITIES', '0', 'TEXT', '8', '标注', '10', '1', '20', '2', '1', 'DN200', '0', 'MTEXT', '8', 'X', '10', '1', '20', '1', '1', '说明', '0', 'ENDSEC', '0', 'EOF'].join('\n'));
    await expectRefused('pipes', path, 'notes.dxf', undefined, /no usable entities.*1 TEXT, 1 MTEXT/);
  });

  it('a DXF polyline with a broken vertex names the entity', async () => {
    const path = join(tmp.dir, 'broken.dxf');
    writeFileSync(path, ['0', 'SECTION', '2', 'ENTITIES', '0', 'LWPOLYLINE', '5', 'A1', '8', '一级', '90', '1', '10', '38500000', '20', '4680000', '0', 'ENDSEC', '0', 'EOF'].join('\n'));
    await expectRefused('pipes', path, 'broken.dxf', /entity LWPOLYLINE #1 \(handle A1\)/, /at least 2 vertices/);
  });

  it('a CSV row with text in a coordinate', async () => {
    const path = join(tmp.dir, 'valves.csv');
    writeFileSync(path, 'id,kind,lon,lat\nV-1,闸阀,115.03,42.287\nV-2,蝶阀,115.04,北纬42度\n');
    const r = await expectRefused('valves', path, 'valves.csv', /^row 3, column "lat"$/, /"北纬42度" is not a number/);
    expect(r.message).toBe('valves.csv, row 3, column "lat": "北纬42度" is not a number');
  });

  it('a datum with no known shift to CGCS2000 (NAD27 in the .prj), unless the user gives the parameters or another CRS', async () => {
    const dir = join(tmp.dir, 'nad27');
    mkdirSync(dir);
    for (const e of ['shp', 'shx', 'dbf', 'cpg']) copyFileSync(join(shpDir, `pipes.${e}`), join(dir, `pipes.${e}`));
    writeFileSync(join(dir, 'pipes.prj'), execFileSync('gdalsrsinfo', ['-o', 'wkt_esri', 'EPSG:26750'], { encoding: 'utf8' }).trim());
    await expectRefused('pipes', join(dir, 'pipes.shp'), 'pipes.shp', undefined, /North_American_1927 has no known shift to CGCS2000; give its parameters with --towgs84/);
    const preview = await previewImport(join(dir, 'pipes.shp'), 'pipes', { crs: 'EPSG:4547', year: 2026 });
    expect(preview.problems).toEqual([]);
    expect(preview.crs.source).toBe('user');
  });

  it('Gauss–Krüger coordinates without prefix and without .prj', async () => {
    const dir = join(tmp.dir, 'noprj');
    mkdirSync(dir);
    for (const e of ['shp', 'shx', 'dbf', 'cpg']) copyFileSync(join(shpDir, `pipes.${e}`), join(dir, `pipes.${e}`));
    const r = await expectRefused('pipes', join(dir, 'pipes.shp'), 'pipes.shp', undefined, /without a zone prefix.*choose the coordinate system/);
    // The project already has pipes near 115° E, so the zones covering it are offered.
    expect(say('en', r.reason)).toMatch(/the project lies in EPSG:4547 \/ EPSG:4509/);
    const preview = await previewImport(join(dir, 'pipes.shp'), 'pipes', { nearLon: 115.03 });
    expect(preview.crs.suggestions).toEqual(['EPSG:4547', 'EPSG:4509']);
    await expectRefused('pipes', join(dir, 'pipes.shp'), 'pipes.shp', undefined, /unknown coordinate system "EPSG:9999"/, { crs: 'EPSG:9999' });
  });

  it('a .prj that does not match the coordinates says what they look like', async () => {
    const dir = join(tmp.dir, 'wrongprj');
    mkdirSync(dir);
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4526', dir, sourcePath);
    writeFileSync(join(dir, 'pipes.prj'), readFileSync(join(shpDir, 'pipes.prj'))); // the 4547 .prj
    await expectRefused('pipes', join(dir, 'pipes.shp'), 'pipes.shp', /record 1/, /look like EPSG:4526 .*zone prefix 38.*try --crs EPSG:4526/);
  });

  it('the wrong zone chosen by the user', async () => {
    await expectRefused('pipes', join(shpDir, 'pipes.shp'), 'pipes.shp', /record 1/, /(far outside|cannot be transformed from) .*zone 38.*wrong coordinate system/, { crs: 'EPSG:4526' });
  });

  it('a value that does not fit the schema names the record and the field', async () => {
    const path = join(tmp.dir, 'dn.geojson');
    writeJson(path, {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { 编号: 'X-1', 管径: 'DN200', 级别: '一级' }, geometry: { type: 'LineString', coordinates: [[115.03, 42.28], [115.031, 42.281]] } },
        { type: 'Feature', properties: { 编号: 'X-2', 管径: 'DN210', 级别: '一级' }, geometry: { type: 'LineString', coordinates: [[115.03, 42.28], [115.031, 42.281]] } },
      ],
    });
    const r = await expectRefused('pipes', path, 'dn.geojson', /^feature 2$/, /210 is not one of/);
    expect(r.message).toMatch(/^dn\.geojson, feature 2: field dn: 210 is not one of/);
    // One bad record, and only it, is listed; with skipInvalid the other imports.
    expect((r as ImportRefused & { problems: unknown[] }).problems).toHaveLength(1);
    const skipped = await previewImport(path, 'pipes', { year: 2026, skipInvalid: true });
    expect(skipped.problems).toEqual([]);
    expect(skipped.features.map((f) => f.id)).toEqual(['X-1']);
    expect(skipped.skipped).toEqual([{ fid: 2, where: message('io.where.feature', { n: 2 }), field: 'dn', reason: expect.stringMatching(/210 is not one of/), message: [expect.objectContaining({ code: 'issue.notOneOf' })] }]);
    // The report says it in the reader's language.
    expect(say('zh', skipped.skipped[0].where)).toBe('第 2 个要素');
    expect(say('zh', skipped.skipped[0].message)).toMatch(/不在可选值中/);
  });

  it('a file of an unknown kind', async () => {
    const path = join(tmp.dir, 'drawing.dwg');
    writeFileSync(path, 'AC1032 binary');
    await expectRefused('pipes', path, 'drawing.dwg', undefined, /unknown file type/);
  });
});

it('the project still opens and holds only the first good import', () => {
  expect(store.listFeatures('pipes').length).toBe(8);
  rmSync(join(tmp.dir, 'does-not-exist'), { force: true });
});

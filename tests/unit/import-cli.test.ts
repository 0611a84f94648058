/** `warmnet import` with --crs, --map and --encoding on files written by GDAL. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { say } from '../../core/i18n';
import { afterAll, describe, expect, it } from 'vitest';
import { distanceM } from '../../core/geo/length';
import type { Position } from '../../core/model/geojson';
import type { SkippedRecord } from '../../core/io/prepare';
import { ProjectStore } from '../../electron/backend/store/index';
import { cs2cs, ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';
import { runCli } from '../../electron/cli/testing';

const root = resolve(__dirname, '../..');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function warmnet(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/warmnet.mjs'), ...args], { encoding: 'utf8', cwd: tmp.dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const src = pipesGeoJson(10);
const srcPath = writeJson(join(tmp.dir, 'src.geojson'), src);

describe('warmnet import', () => {

  it('a shapefile without .prj in a prefix-less zone, with --crs, --map and --encoding', () => {
    const dir = join(tmp.dir, 'shp');
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', dir, srcPath);
    // What a surveyor often sends: no .prj, no .cpg, names in GBK.
    for (const f of readdirSync(dir)) if (/\.(prj|cpg)$/.test(f)) renameSync(join(dir, f), join(dir, `${f}.bak`));
    const gpkg = join(tmp.dir, 'a.gpkg');
    const r = warmnet('import', join(dir, 'src.shp'), '--into', gpkg, '--layer', 'pipes', '--create', '--crs', 'EPSG:4547', '--encoding', 'gbk', '--map', 'name=备注', '--map', 'status==planned', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ inserted: 10, crs: 'EPSG:4547', crsFrom: 'user' });
    const store = ProjectStore.open(gpkg);
    try {
      const p = store.getFeature('pipes', 'P-0001')!;
      expect(p.properties).toMatchObject({ name: '第1段 明安图镇', status: 'planned', level: 'primary', dn: 200 });
      const original = src.features[0].geometry.coordinates as Position[];
      (p.geometry.coordinates as Position[]).forEach((q, i) => expect(distanceM(q, original[i])).toBeLessThan(0.01));
    } finally {
      store.close();
    }
  });

  it('a refused file exits 1 naming file, place and reason, and creates no project', () => {
    const csv = join(tmp.dir, 'v.csv');
    writeFileSync(csv, 'id,lon,lat\nV-1,115.03,42.28\nV-2,abc,42.29\n');
    const gpkg = join(tmp.dir, 'b.gpkg');
    const r = warmnet('import', csv, '--into', gpkg, '--layer', 'valves', '--create');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('v.csv, row 3, column "lon": "abc" is not a number');
    expect(r.stderr).toContain('nothing was written');
    expect(existsSync(gpkg)).toBe(false);
  });

  it('a DXF in zone 38 with the level taken from a constant and the preview-free CLI path', () => {
    const [a, b] = cs2cs('EPSG:4490', 'EPSG:4526', [[115.03, 42.287], [115.031, 42.2875]]);
    const dxf = ['0', 'SECTION', '2', 'ENTITIES', '0', 'LINE', '8', 'PIPE', '10', a[0].toFixed(4), '20', a[1].toFixed(4), '11', b[0].toFixed(4), '21', b[1].toFixed(4), '0', 'ENDSEC', '0', 'EOF'].join('\n');
    mkdirSync(join(tmp.dir, 'cad'));
    const path = join(tmp.dir, 'cad', 'line.dxf');
    writeFileSync(path, dxf);
    const gpkg = join(tmp.dir, 'c.gpkg');
    const bad = warmnet('import', path, '--into', gpkg, '--layer', 'pipes', '--create');
    expect(bad.code).toBe(1);
    // The CAD layer "PIPE" does not read as a level, so it is not taken for one: the level must be given.
    expect(bad.stderr).toMatch(/line\.dxf, entity LINE #1 at line 5: field level: is required/);
    const ok = warmnet('import', path, '--into', gpkg, '--layer', 'pipes', '--create', '--map', 'level==secondary', '--map', 'dn==150');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/1 features imported into pipes .*zone 38/);
  });
});

describe('warmnet import --dry-run, --skip-invalid, --towgs84', () => {
  // In this process (the same main as the command): these run many times and a process each is slow.
  const cli = async (...args: string[]) => {
    const r = await runCli(args);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const dir = join(tmp.dir, 'dry');
  mkdirSync(dir);
  // Two good valves and two bad rows, one of them with text where a number goes.
  const csv = join(dir, 'valves.csv');
  writeFileSync(csv, '编号,阀门类型,经度,纬度\nV-1,闸阀,115.03,42.28\nV-2,蝶阀,abc,42.29\nV-3,球阀,115.031,42.281\nV-4,闸阀,115.032,\n');
  const gpkg = join(dir, 'p.gpkg');

  it('--dry-run --json reads and checks everything, prints the summary and writes nothing', async () => {
    const r = await cli('import', csv, '--into', gpkg, '--layer', 'valves', '--dry-run', '--json');
    expect(r.code).toBe(1); // the import itself would be refused
    expect(existsSync(gpkg)).toBe(false);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ dryRun: true, wouldImport: false, layer: 'valves' });
    const s = out.summary;
    expect(s).toMatchObject({ records: 4, kinds: { Point: 2, none: 2 }, features: 2, recordsImported: 2, crs: { code: 'EPSG:4490', from: 'coordinates' } });
    expect(s.encoding).toEqual({ encoding: 'utf-8', reason: [{ code: 'import.enc.utf8', params: { n: expect.any(Number) } }] });
    expect(say('en', s.encoding.reason)).toMatch(/UTF-8: every text value decodes cleanly/);
    expect(s.mapping.map((g: { target: string; source: string }) => [g.target, g.source])).toEqual(expect.arrayContaining([['id', '编号'], ['kind', '阀门类型']]));
    expect(say('en', s.mapping.find((g: { target: string }) => g.target === 'kind').evidence)).toMatch(/4 of 4 values read as kind/);
    expect(s.badRecords.map((b: SkippedRecord) => [b.fid, say('en', b.where), b.reason, say('en', b.message)])).toEqual([
      [2, 'row 3, column "经度"', '"abc" is not a number', '"abc" is not a number'],
      [4, 'row 5, column "纬度"', '"" is not a number', '"" is not a number'],
    ]);
    expect(r.stderr).toMatch(/valves\.csv, row 3, column "经度": "abc" is not a number \(and 1 more problems, listed above\)/);
  });

  it('--dry-run in words, with --skip-invalid: would import, lists what it would skip; with --lang en only the data is not English', async () => {
    const r = await cli('import', csv, '--into', gpkg, '--layer', 'valves', '--dry-run', '--skip-invalid', '--lang', 'en');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valves\.csv → valves \(dry run, nothing written\): would import/);
    expect(r.stdout).toMatch(/records: 4 \(Point 2, none 2\)/);
    expect(r.stdout).toMatch(/would write: 2 valves features from 2 records/);
    expect(r.stdout).toMatch(/coordinate system: EPSG:4490 CGCS2000 — coordinates look like longitude\/latitude in China/);
    expect(r.stdout).toMatch(/kind ← 阀门类型 \(name "阀门类型" matches kind/);
    expect(r.stdout).toMatch(/bad records \(2\), skipped \(--skip-invalid\):\n {4}row 3, column "经度": "abc" is not a number/);
    expect(r.stdout).toMatch(/encoding: utf-8 — UTF-8: every text value decodes cleanly as UTF-8/);
    // Data as written (the file's column names and values); every other word English.
    const data = ['编号', '阀门类型', '经度', '纬度', '闸阀', '蝶阀', '球阀'];
    const words = data.reduce((text, d) => text.split(d).join(''), r.stdout);
    expect(words.match(/[\p{Script=Han}\u3000-\u303f\uff01-\uff60]+/gu) ?? []).toEqual([]);
    expect(existsSync(gpkg)).toBe(false);
    // Without --lang the CLI says it in both languages, Chinese first.
    const both = await cli('import', csv, '--into', gpkg, '--layer', 'valves', '--dry-run', '--skip-invalid');
    expect(both.stdout).toMatch(/coordinate system: EPSG:4490 CGCS2000 — 坐标像中国境内的经纬度.* \/ coordinates look like longitude\/latitude in China/);
  });

  it('--skip-invalid imports the rest, writes the report beside the file and keeps the summary in the import log', async () => {
    const r = await cli('import', csv, '--into', gpkg, '--layer', 'valves', '--create', '--skip-invalid', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ inserted: 2, skipped: 2, report: { csv: join(dir, 'valves.skipped.csv'), json: join(dir, 'valves.skipped.json') } });
    const report = readFileSync(join(dir, 'valves.skipped.csv'), 'utf8');
    // A file written has one language: Chinese unless --lang en (the column names stay as the file has them).
    expect(report.replace(/^\uFEFF/, '').split('\r\n')).toEqual(['fid,位置,字段,原因', '2,第 3 行，“经度”列,,“abc”不是数字', '4,第 5 行，“纬度”列,,“”不是数字', '']);
    expect(JSON.parse(readFileSync(join(dir, 'valves.skipped.json'), 'utf8'))).toMatchObject({ file: 'valves.csv', layer: 'valves', records: 4, imported: 2, skipped: [{ fid: 2 }, { fid: 4 }] });
    const store = ProjectStore.open(gpkg);
    try {
      expect(store.listFeatures('valves').map((f) => f.id)).toEqual(['V-1', 'V-3']);
      const log = store.importLog();
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ layer: 'valves', sourceFile: 'valves.csv', format: 'csv', records: 4, featuresWritten: 2, recordsSkipped: 2, crs: 'EPSG:4490', encoding: 'utf-8' });
      expect(log[0].summary).toMatchObject({ badRecords: [{ fid: 2 }, { fid: 4 }], skipInvalid: true });
    } finally {
      store.close();
    }
    // GDAL lists the log beside the layers.
    expect(execFileSync('ogrinfo', ['-ro', '-so', gpkg, 'import_log'], { encoding: 'utf8' })).toMatch(/Feature Count: 1/);
  });

  it('--towgs84 is read and checked', async () => {
    const bad = await cli('import', csv, '--into', gpkg, '--layer', 'valves', '--towgs84', '1,2', '--dry-run');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--towgs84: "1,2" is not 3 or 7 numbers/);
    const dirB = join(tmp.dir, 'bj54');
    ogr2ogr('-f', 'ESRI Shapefile', '-s_srs', 'EPSG:4214', '-t_srs', 'EPSG:2436', '-lco', 'ENCODING=UTF-8', dirB, srcPath);
    const r = await cli('import', join(dirB, 'src.shp'), '--layer', 'pipes', '--dry-run', '--json', '--towgs84', '15.8,-154.4,-82.3');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout).summary;
    expect(s.crs).toMatchObject({ code: 'EPSG:2436', datumShift: { code: 'import.shift.given' } });
    expect(say('en', s.crs.datumShift)).toMatch(/Beijing 1954 → CGCS2000 with the datum shift given \(15\.8,-154\.4,-82\.3\)/);
  });
});

/**
 * Files written by GDAL (and a DXF written by hand, as a design institute's
 * CAD export would be) go through the importer into a real temporary
 * GeoPackage; the coordinates that come back must agree with PROJ's (cs2cs)
 * to 1 cm, measured on the ellipsoid.
 */
import { say } from '../../core/i18n';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { distanceM } from '../../core/geo/length';
import type { Position } from '../../core/model/geojson';
import { importFile, previewImport, readSourceFile } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { cs2cs, ogr2ogr, pipesGeoJson, tempDir, writeJson, zipFiles } from '../fixtures/import/gdal';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const source = pipesGeoJson(60);
const sourcePath = writeJson(join(tmp.dir, 'pipes-4490.geojson'), source);
const originalById = new Map(source.features.map((f) => [String(f.properties.编号), f.geometry.coordinates as Position[]]));

let storeNo = 0;
function newStore(): ProjectStore {
  return ProjectStore.create(join(tmp.dir, `project-${++storeNo}.gpkg`));
}

function vertices(features: { id: string; geometry: { coordinates: unknown } }[]): Map<string, Position[]> {
  return new Map(features.map((f) => [f.id, f.geometry.coordinates as Position[]]));
}

/** Largest geodesic distance between matching vertices, in metres. */
function worstDistance(a: Map<string, Position[]>, b: Map<string, Position[]>): number {
  let worst = 0;
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [id, pts] of a) {
    const other = b.get(id)!;
    expect(pts.length).toBe(other.length);
    pts.forEach((p, i) => (worst = Math.max(worst, distanceM(p, other[i]))));
  }
  return worst;
}

/** PROJ's inverse of the raw projected vertices the file holds, by feature code. */
async function projInverse(path: string, code: string, idField = '编号'): Promise<Map<string, Position[]>> {
  const raw = await readSourceFile(path);
  const flat = raw.features.flatMap((f) => (f.geometry as { coordinates: Position[] }).coordinates);
  const lonlat = cs2cs(code, 'EPSG:4490', flat);
  let k = 0;
  return new Map(
    raw.features.map((f) => [String(f.properties[idField]), (f.geometry as { coordinates: Position[] }).coordinates.map(() => lonlat[k++])]),
  );
}

describe.each(['EPSG:4547', 'EPSG:4526', 'EPSG:4490'])('shapefile written by ogr2ogr in %s', (code) => {
  const dir = join(tmp.dir, `shp-${code.slice(5)}`);
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', code, '-lco', 'ENCODING=UTF-8', dir, sourcePath);
  const shp = join(dir, 'pipes-4490.shp');

  it('detects the CRS from the .prj and maps the Chinese fields', async () => {
    const preview = await previewImport(shp, 'pipes', { year: 2026 });
    expect(preview.problems).toEqual([]);
    expect(preview.crs.crs?.code).toBe(code);
    expect(preview.crs.source).toBe('file');
    // GDAL cuts "敷设年代" (12 bytes in UTF-8) to 10 bytes, mid-character; the clipped name still maps.
    expect(preview.mapping).toMatchObject({ id: '编号', dn: '管径', level: '级别', install_year: expect.stringMatching(/^敷设年/), material: '材质' });
    expect(preview.total).toBe(60);
    expect(preview.features[0].properties).toMatchObject({ id: 'P-0001', dn: 200, level: 'primary', install_year: 1990 });
    expect(preview.features[2].properties).toMatchObject({ dn: 200, level: 'courtyard' }); // D219×6 → DN200
  });

  it('imports into a GeoPackage with coordinates within 1 cm of PROJ', async () => {
    const store = newStore();
    try {
      const { inserted } = await importFile(store, 'pipes', shp, { year: 2026 });
      expect(inserted).toBe(60);
      const got = vertices(store.listFeatures('pipes'));
      expect(worstDistance(got, originalById)).toBeLessThan(0.01);
      if (code !== 'EPSG:4490') expect(worstDistance(got, await projInverse(shp, code))).toBeLessThan(0.01);
      const p = store.getFeature('pipes', 'P-0002')!;
      expect(p.properties).toMatchObject({ level: 'secondary', dn: 150, install_year: 1991, material: '钢' });
    } finally {
      store.close();
    }
  });
});

describe('GBK-encoded shapefile (ogr2ogr -lco ENCODING=GBK)', () => {
  const dir = join(tmp.dir, 'shp-gbk');
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4526', '-lco', 'ENCODING=GBK', dir, sourcePath);
  const shp = join(dir, 'pipes-4490.shp');

  it('really is GBK on disk', () => {
    const dbf = readFileSync(join(dir, 'pipes-4490.dbf'));
    expect(dbf.includes(Buffer.from('预制保温钢管', 'utf8'))).toBe(false);
    expect(readFileSync(join(dir, 'pipes-4490.cpg'), 'latin1').trim()).toMatch(/936|GBK/i);
  });

  it('decodes names and values from the .cpg, then the code-page byte, then by sniffing', async () => {
    const check = async (label: string) => {
      const s = await readSourceFile(shp);
      expect(s.encoding, label).toBe('gbk');
      expect(s.fields, label).toContain('敷设年代');
      expect(s.features[0].properties, label).toMatchObject({ 材质: '预制保温钢管', 备注: '第1段 明安图镇' });
    };
    await check('.cpg');
    rmSync(join(dir, 'pipes-4490.cpg'));
    await check('code page byte');
    const dbfPath = join(dir, 'pipes-4490.dbf');
    const dbf = readFileSync(dbfPath);
    dbf[29] = 0;
    writeFileSync(dbfPath, dbf);
    await check('sniffed');
    // --encoding wins over everything: forced UTF-8 garbles, which shows it was applied.
    const forced = await readSourceFile(shp, { encoding: 'utf-8' });
    expect(forced.features[0].properties.材质).toBeUndefined();
  });

  it('imports with the Chinese text intact and coordinates within 1 cm of PROJ', async () => {
    const store = newStore();
    try {
      await importFile(store, 'pipes', shp, { year: 2026 });
      const got = vertices(store.listFeatures('pipes'));
      expect(worstDistance(got, originalById)).toBeLessThan(0.01);
      expect(worstDistance(got, await projInverse(shp, 'EPSG:4526'))).toBeLessThan(0.01);
      expect(store.getFeature('pipes', 'P-0001')!.properties).toMatchObject({ material: '预制保温钢管', 备注: '第1段 明安图镇' });
    } finally {
      store.close();
    }
  });
});

describe('other containers written by GDAL', () => {
  it('a zipped shapefile', async () => {
    const dir = join(tmp.dir, 'shp-zip');
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', dir, sourcePath);
    const zip = join(tmp.dir, 'pipes.zip');
    zipFiles(zip, [...['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => join(dir, `pipes-4490.${e}`))]);
    const store = newStore();
    try {
      const { inserted, prepared } = await importFile(store, 'pipes', zip, { year: 2026 });
      expect(inserted).toBe(60);
      expect(prepared.crs.crs?.code).toBe('EPSG:4547');
      expect(worstDistance(vertices(store.listFeatures('pipes')), originalById)).toBeLessThan(0.01);
    } finally {
      store.close();
    }
  });

  it('a GeoPackage layer in EPSG:4547', async () => {
    const gpkg = join(tmp.dir, 'from-gdal.gpkg');
    ogr2ogr('-f', 'GPKG', '-t_srs', 'EPSG:4547', '-nln', '管线', gpkg, sourcePath);
    const store = newStore();
    try {
      const { prepared } = await importFile(store, 'pipes', gpkg, { year: 2026 });
      expect(prepared.crs.crs?.code).toBe('EPSG:4547');
      const got = vertices(store.listFeatures('pipes'));
      expect(worstDistance(got, originalById)).toBeLessThan(0.01);
      expect(store.getFeature('pipes', 'P-0003')!.properties.level).toBe('courtyard');
    } finally {
      store.close();
    }
  });

  it('a GeoJSON with a "crs" member (EPSG:4526)', async () => {
    const path = join(tmp.dir, 'pipes-4526.geojson');
    ogr2ogr('-f', 'GeoJSON', '-t_srs', 'EPSG:4526', '-lco', 'COORDINATE_PRECISION=4', path, sourcePath);
    const store = newStore();
    try {
      const { prepared } = await importFile(store, 'pipes', path, { year: 2026 });
      expect(prepared.crs.crs?.code).toBe('EPSG:4526');
      // 4 decimals of a metre is 0.1 mm: still far inside 1 cm.
      expect(worstDistance(vertices(store.listFeatures('pipes')), originalById)).toBeLessThan(0.01);
    } finally {
      store.close();
    }
  });

  it('a DXF written by ogr2ogr in EPSG:4526 (no .prj: the zone comes from the eastings)', async () => {
    const path = join(tmp.dir, 'pipes-gdal.dxf');
    ogr2ogr('-f', 'DXF', '-t_srs', 'EPSG:4526', path, sourcePath);
    const preview = await previewImport(path, 'pipes', { mapping: { level: '=primary', dn: '=200' }, year: 2026 });
    expect(preview.problems).toEqual([]);
    expect(preview.crs).toMatchObject({ source: 'coordinates' });
    expect(preview.crs.crs?.code).toBe('EPSG:4526');
    expect(preview.total).toBe(60);
  });
});

describe('DXF with LWPOLYLINEs in Gauss–Krüger coordinates', () => {
  // Two pipes and a valve block drawn in CGCS2000 3° zone 38 (prefix in the
  // easting), as a design institute's drawing would hold them.
  const lonlat: Position[][] = [
    [
      [115.0301, 42.2871],
      [115.0312, 42.2874],
      [115.0325, 42.2883],
    ],
    [
      [115.0325, 42.2883],
      [115.0341, 42.2902],
    ],
  ];
  const projected = lonlat.map((line) => cs2cs('EPSG:4490', 'EPSG:4526', line));
  const valve = cs2cs('EPSG:4490', 'EPSG:4526', [[115.0325, 42.2883]])[0];
  const lw = (handle: string, layer: string, pts: Position[]) =>
    ['0', 'LWPOLYLINE', '5', handle, '8', layer, '90', String(pts.length), '70', '0', ...pts.flatMap((p) => ['10', p[0].toFixed(4), '20', p[1].toFixed(4)])];
  const dxf = [
    '0', 'SECTION', '2', 'ENTITIES',
    ...lw('2F', '一级管网', projected[0]),
    ...lw('30', '二级管网DN150', projected[1]),
    '0', 'INSERT', '5', '31', '8', '阀门', '2', 'VALVE', '10', valve[0].toFixed(4), '20', valve[1].toFixed(4),
    '0', 'TEXT', '5', '32', '8', '标注', '10', '0', '20', '0', '1', 'DN200',
    '0', 'ENDSEC', '0', 'EOF',
  ].join('\r\n');
  const path = join(tmp.dir, '管网图.dxf');
  writeFileSync(path, dxf);

  it('reads the lines, keeps the CAD layer for level, detects zone 38 and lands within 1 cm of PROJ', async () => {
    const store = newStore();
    try {
      const { inserted, prepared } = await importFile(store, 'pipes', path, { mapping: { dn: '=200' }, year: 2026 });
      expect(inserted).toBe(2);
      expect(prepared.crs.crs?.code).toBe('EPSG:4526');
      expect(prepared.mapping.level).toBe('layer');
      expect(say('en', prepared.notes)).toMatch(/1 TEXT/);
      // The valve block (an INSERT of a block the drawing does not define) is a point, not a pipe.
      expect(say('en', prepared.notes)).toMatch(/left out 1 INSERT/);
      const pipes = store.listFeatures('pipes');
      expect(pipes.map((p) => p.properties.level).sort()).toEqual(['primary', 'secondary']);
      const got = vertices(pipes);
      const ids = [...got.keys()].sort();
      expect(ids).toEqual(['管网图-1', '管网图-2']);
      const expected = new Map(ids.map((id, i) => [id, lonlat[i]]));
      expect(worstDistance(got, expected)).toBeLessThan(0.01);
      const projBack = new Map(ids.map((id, i) => [id, cs2cs('EPSG:4526', 'EPSG:4490', projected[i])]));
      expect(worstDistance(got, projBack)).toBeLessThan(0.01);
    } finally {
      store.close();
    }
  });

  it('imports only the CAD layers chosen (--source-layer), and lists the layers for the wizard', async () => {
    const preview = await previewImport(path, 'pipes', { mapping: { dn: '=200' }, sourceLayer: '一级管网', year: 2026 });
    expect(preview.sourceLayers).toEqual(['一级管网', '二级管网DN150', '阀门']);
    expect(preview.total).toBe(1);
    expect(preview.features[0].properties.level).toBe('primary');
    const none = await previewImport(path, 'pipes', { sourceLayer: '道路', year: 2026 });
    expect(none.problems[0].reason).toMatch(/no usable entities on CAD layer 道路/);
  });

  it('takes the INSERT (valve block) as a point for the valves layer', async () => {
    const store = newStore();
    try {
      const { inserted } = await importFile(store, 'valves', path, { year: 2026 });
      expect(inserted).toBe(1);
      const v = store.listFeatures('valves')[0];
      expect(distanceM(v.geometry.coordinates as Position, [115.0325, 42.2883])).toBeLessThan(0.01);
      expect(v.properties).toMatchObject({ block: 'VALVE', layer: '阀门' });
    } finally {
      store.close();
    }
  });
});

describe('CSV tables', () => {
  it('a GBK survey table with X = northing, Y = easting (zone prefix) is swapped and transformed', async () => {
    const pts: Position[] = [
      [115.031, 42.2871],
      [115.0342, 42.2899],
    ];
    const xy = cs2cs('EPSG:4490', 'EPSG:4526', pts);
    const text = ['编号,阀门类型,X坐标,Y坐标,安装年份', ...xy.map((p, i) => `V-${i + 1},${i ? '蝶阀' : '闸阀'},${p[1].toFixed(4)},${p[0].toFixed(4)},${2001 + i}年`)].join('\r\n');
    const path = join(tmp.dir, '阀门.csv');
    writeFileSync(path, gbk(text));
    const store = newStore();
    try {
      const { prepared } = await importFile(store, 'valves', path, { year: 2026 });
      expect(say('en', prepared.notes)).toMatch(/swapped/);
      const v = store.listFeatures('valves');
      expect(v.map((f) => f.properties.kind)).toEqual(['gate', 'butterfly']);
      expect(v[1].properties.install_year).toBe(2002);
      v.forEach((f, i) => expect(distanceM(f.geometry.coordinates as Position, pts[i])).toBeLessThan(0.01));
    } finally {
      store.close();
    }
  });

  it('lon/lat taken from a web map are GCJ-02 when the user says so', async () => {
    const path = join(tmp.dir, 'stations.csv');
    writeFileSync(path, 'id,name,lng,lat\nHS-1,一号站,121.531541859215,31.17530398364597\n');
    const store = newStore();
    try {
      await importFile(store, 'stations', path, { crs: 'gcj02', year: 2026 });
      const s = store.getFeature('stations', 'HS-1')!;
      expect(distanceM(s.geometry.coordinates as Position, [121.5272106, 31.1774276])).toBeLessThan(0.01);
    } finally {
      store.close();
    }
  });
});

/** GBK bytes of a string through iconv (GDAL's environment has it; Node has no GBK encoder). */
function gbk(text: string): Uint8Array {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text });
}

it('no stray files left for the next test', () => {
  expect(existsSync(tmp.dir)).toBe(true);
});

/**
 * The import corpus: for each kind of file that went wrong on real data, a
 * fixture made by another tool (GDAL's ogr2ogr / Python bindings, or bytes
 * written by hand to the format's specification) goes through the importer
 * into a real temporary GeoPackage, and what lands there is compared with
 * what GDAL reads from the same file: feature count, geometry kind, total
 * geodesic length or area within 0.5 %, parts and holes exactly, attribute
 * values.
 */
import { message, say } from '../../core/i18n';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Feature, Geometry } from '../../core/model/geojson';
import { ImportRefused } from '../../core/io/source';
import { importFile, previewImport } from '../../electron/backend/importer';
import { ProjectStore } from '../../electron/backend/store/index';
import { gdalRead, relDiff, summarise, type GdalFeature, type GdalRead } from '../fixtures/import/compare';
import { arc, block, circle, dbfLayout, dxfText, ellipse, insert, line, lwpolyline, patchFile, point, python, section, spline } from '../fixtures/import/corpus';
import { ogr2ogr, tempDir, writeJson } from '../fixtures/import/gdal';

const tmp = tempDir('warmnet-corpus-');
afterAll(() => tmp.cleanup());
const at = (...p: string[]) => join(tmp.dir, ...p);
let n = 0;

type Kind = 'POINT' | 'LINESTRING' | 'POLYGON';
const LAYER = { POINT: 'valves', LINESTRING: 'pipes', POLYGON: 'communities' } as const;
/** Pipes need a level and a DN; a file from elsewhere has neither, so they are given as constants. */
const PIPE_CONSTANTS = { level: '=secondary', dn: '=100' };

/** Import into a fresh project and read back what the store holds. */
async function imported(path: string, kind: Kind, opts: Parameters<typeof importFile>[3] = {}) {
  const store = ProjectStore.create(at(`p${++n}.gpkg`));
  try {
    const mapping = kind === 'LINESTRING' ? (opts.mapping ?? PIPE_CONSTANTS) : opts.mapping;
    const { prepared, inserted } = await importFile(store, LAYER[kind], path, { year: 2026, ...opts, ...(mapping ? { mapping } : {}) });
    return { prepared, inserted, features: store.listFeatures(LAYER[kind]), log: store.importLog() };
  } finally {
    store.close();
  }
}

const FITS: Record<Kind, RegExp> = { POINT: /Point/, LINESTRING: /LineString/, POLYGON: /Polygon/ };

/** GDAL's features of a kind (collections give their parts of it; a closed CAD line is a polygon for a polygon layer). */
function gdalOfKind(read: GdalRead, kind: Kind): { features: GdalFeature[]; geometries: unknown[] } {
  const features: GdalFeature[] = [];
  const geometries: unknown[] = [];
  for (const f of read.features) {
    const g = f.geometry as { type: string; geometries?: { type: string }[]; coordinates?: number[][] } | null;
    if (!g) continue;
    let fit: unknown;
    if (g.type === 'GeometryCollection') {
      const parts = g.geometries!.filter((x) => FITS[kind].test(x.type));
      if (parts.length) fit = { type: 'GeometryCollection', geometries: parts };
    } else if (FITS[kind].test(g.type)) fit = g;
    else if (kind === 'POLYGON' && g.type === 'LineString') {
      const c = g.coordinates!;
      if (c.length >= 4 && Math.abs(c[0][0] - c[c.length - 1][0]) < 1e-9 && Math.abs(c[0][1] - c[c.length - 1][1]) < 1e-9) fit = { type: 'Polygon', coordinates: [c] };
    }
    if (fit) {
      features.push(f);
      geometries.push(fit);
    }
  }
  return { features, geometries };
}

/** What the store holds against what GDAL reads: records, parts, holes exactly; length and area within 0.5 %. */
function expectLikeGdal(ours: { features: Feature[]; prepared: { summary: { recordsImported: number } } }, read: GdalRead, kind: Kind) {
  const ref = gdalOfKind(read, kind);
  const a = summarise(ours.features.map((f) => f.geometry as Geometry));
  const b = summarise(ref.geometries as Geometry[]);
  expect(ours.prepared.summary.recordsImported, 'records').toBe(ref.features.length);
  expect(a.parts, 'parts').toBe(b.parts);
  expect(a.holes, 'holes').toBe(b.holes);
  if (kind === 'LINESTRING') expect(relDiff(a.length, b.length), `length ${a.length} vs ${b.length}`).toBeLessThan(0.005);
  if (kind === 'POLYGON') expect(relDiff(a.area, b.area), `area ${a.area} vs ${b.area}`).toBeLessThan(0.005);
  return { ours: a, gdal: b, ref };
}

/** Attribute values, record by record (the file's order), as GDAL reads them. */
function expectAttributes(features: Feature[], ref: GdalFeature[], fields: string[]) {
  expect(features.length).toBe(ref.length);
  ref.forEach((g, i) => {
    for (const f of fields) {
      const want = g.properties[f];
      const got = features[i].properties[f];
      if (typeof want === 'number') expect(Number(got), `${f} of record ${i + 1}`).toBeCloseTo(want, 9);
      else expect(got ?? null, `${f} of record ${i + 1}`).toEqual(want ?? null);
    }
  });
}

/** A GeoJSON in EPSG:4490 as the source the other tools convert from. */
function sourceGeoJson(name: string, features: { geometry: unknown; properties: Record<string, unknown> }[]): string {
  return writeJson(at(name), { type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', ...f })) });
}

// Squares in degrees around Mingantu (115.03, 42.287), outer counter-clockwise as GeoJSON has them.
const sq = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
const hole = (x: number, y: number, d: number) => [[x, y], [x, y + d], [x + d, y + d], [x + d, y], [x, y]];

describe('1. shapefile rings: outer rings by orientation, holes by containment, multipart kept', () => {
  const src = sourceGeoJson('communities.geojson', [
    { properties: { name: '一号小区', households: 120 }, geometry: { type: 'Polygon', coordinates: [sq(115.0, 42.28, 0.01), hole(115.002, 42.282, 0.002), hole(115.006, 42.286, 0.002)] } },
    {
      // A lake with an island in it, and a second parcel across the road.
      properties: { name: '二号小区', households: 80 },
      geometry: { type: 'MultiPolygon', coordinates: [[sq(115.02, 42.28, 0.005), hole(115.021, 42.281, 0.003)], [sq(115.0215, 42.2815, 0.001)], [sq(115.03, 42.28, 0.004)]] },
    },
    { properties: { name: '三号小区', households: 45 }, geometry: { type: 'Polygon', coordinates: [sq(115.04, 42.28, 0.003)] } },
  ]);
  const dir = at('rings');
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', dir, src);
  const shp = join(dir, 'communities.shp');

  it('ogr2ogr writes outer rings clockwise; the importer agrees with GDAL on parts, holes and area', async () => {
    const ours = await imported(shp, 'POLYGON');
    const read = gdalRead(shp, { tSrs: 'EPSG:4490' });
    const { ours: s } = expectLikeGdal(ours, read, 'POLYGON');
    expect(s).toMatchObject({ parts: 5, holes: 3 });
    expect(ours.features.map((f) => f.geometry.type)).toEqual(['Polygon', 'MultiPolygon', 'Polygon']);
    expectAttributes(ours.features, read.features, ['name', 'households']);
  });

  it('a writer with every ring clockwise (holes too): GDAL and the importer still agree', async () => {
    // Reverse the hole of the first record in the .shp bytes: its ring is then clockwise like the outer ring.
    const d2 = at('rings-cw');
    mkdirSync(d2);
    for (const e of ['shp', 'shx', 'dbf', 'prj', 'cpg']) copyFileSync(join(dir, `communities.${e}`), join(d2, `communities.${e}`));
    python(
      `import struct,sys
b=bytearray(open(sys.argv[1],'rb').read())
p=100+8
nparts,npts=struct.unpack_from('<ii',b,p+36)
starts=list(struct.unpack_from('<%di'%nparts,b,p+44))+[npts]
base=p+44+4*nparts
s,e=starts[1],starts[2]
pts=[struct.unpack_from('<dd',b,base+16*k) for k in range(s,e)]
for i,(x,y) in enumerate(reversed(pts)): struct.pack_into('<dd',b,base+16*(s+i),x,y)
open(sys.argv[1],'wb').write(b)`,
      join(d2, 'communities.shp'),
    );
    const ours = await imported(join(d2, 'communities.shp'), 'POLYGON');
    expectLikeGdal(ours, gdalRead(join(d2, 'communities.shp'), { tSrs: 'EPSG:4490' }), 'POLYGON');
  });
});

describe('2. DXF geometry: bulges, arcs, circles, ellipses, splines, MINSERT, OCS, nested blocks', () => {
  // A drawing in CGCS2000 3° GK CM 114°E (EPSG:4547) around Mingantu, written to the DXF reference by hand.
  const X = 582400, Y = 4684300;
  const entities = [
    ...lwpolyline('100', '一级管网', [[X, Y, 0.4], [X + 80, Y + 10], [X + 140, Y - 20, -0.3], [X + 200, Y]]),
    ...arc('101', '二级管网', [X + 50, Y + 100], 40, 30, 150),
    ...circle('102', '二级管网', [X + 250, Y + 100], 15),
    ...ellipse('103', '二级管网', [X + 300, Y + 200], [30, 10], 0.5),
    ...spline('104', '二级管网', [[X, Y + 300], [X + 40, Y + 360], [X + 90, Y + 280], [X + 140, Y + 350], [X + 200, Y + 300]]),
    // Mirrored in CAD: extrusion 0,0,-1, so the OCS x is the negative of the world x.
    ...lwpolyline('105', '庭院管网', [[-(X + 20), Y - 100, 0.25], [-(X + 120), Y - 90], [-(X + 160), Y - 150]], { extrusion: [0, 0, -1] }),
    ...arc('106', '庭院管网', [-(X + 300), Y - 100], 25, 200, 340, [0, 0, -1]),
    ...insert('107', '阀门', 'GROUP', [X + 400, Y], { scale: 0.5, rotation: 45 }),
    ...insert('108', '阀门', 'VALVE', [X + 500, Y + 50], { cols: 3, rows: 2, dx: 20, dy: 15, attribs: { 编号: 'FM-01' } }),
    ...point('109', '测点', [X + 10, Y + 10]),
    0, 'TEXT', 5, '10A', 100, 'AcDbEntity', 8, '标注', 100, 'AcDbText', 10, X, 20, Y, 30, 0, 40, 2, 1, 'DN200',
  ];
  const blocks = [
    ...block('VALVE', [line('V1', '0', [-2, 0], [2, 0]), circle('V2', '0', [0, 0], 1)]),
    // A block holding a line and a scaled, rotated copy of another block.
    ...block('GROUP', [line('G1', '0', [0, 0], [30, 0]), insert('G2', '0', 'VALVE', [30, 0], { scale: 2, rotation: 30 })]),
  ];
  const text = dxfText(section('HEADER', [9, '$ACADVER', 1, 'AC1015', 9, '$DWGCODEPAGE', 3, 'ANSI_936']), section('BLOCKS', blocks), section('ENTITIES', entities), [0, 'EOF']);
  const path = at('drawing.dxf');
  // AutoCAD 2000 writes text in the drawing's code page ($DWGCODEPAGE ANSI_936 = GBK).
  writeFileSync(path, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text }));
  const read = gdalRead(path, { sSrs: 'EPSG:4547', tSrs: 'EPSG:4490' });

  it('lines agree with GDAL: records, parts and total length within 0.5 % (curves as chords)', async () => {
    const ours = await imported(path, 'LINESTRING', { crs: 'EPSG:4547' });
    expectLikeGdal(ours, read, 'LINESTRING');
    expect(ours.prepared.summary.encoding?.encoding).toBe('gbk');
    expect(say('en', ours.prepared.summary.encoding!.reason)).toMatch(/from \$DWGCODEPAGE ANSI_936/);
    expect(ours.features.find((f) => f.properties.layer === '一级管网')).toBeDefined();
    // What was read, approximated and skipped, by entity kind.
    const e = ours.prepared.summary.entities!;
    expect(e.read).toMatchObject({ LWPOLYLINE: 2, ARC: 2, CIRCLE: 1, ELLIPSE: 1, SPLINE: 1, INSERT: 1, MINSERT: 1, POINT: 1, ATTRIB: 1 });
    expect(e.approximated).toMatchObject({ LWPOLYLINE: 2, ARC: 2, CIRCLE: 1, ELLIPSE: 1, SPLINE: 1, INSERT: 1, MINSERT: 1 });
    expect(e.skipped).toEqual({ TEXT: 1 });
    expect(ours.log[0].summary).toMatchObject({ entities: e });
  });

  it('the mirrored polyline lands where GDAL puts it (OCS), not mirrored across the meridian', async () => {
    const ours = await imported(path, 'LINESTRING', { sourceLayer: '庭院管网', crs: 'EPSG:4547' });
    const gdal = read.features.filter((f) => f.properties.Layer === '庭院管网');
    expect(gdal).toHaveLength(2);
    const box = (gs: unknown[]) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (const g of gs) {
        for (const p of (g as { coordinates: number[][] }).coordinates) {
          xs.push(p[0]);
          ys.push(p[1]);
        }
      }
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    };
    const a = box(ours.features.map((f) => f.geometry));
    const b = box(gdal.map((f) => f.geometry));
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-6)); // ~0.1 m
    expectLikeGdal(ours, { ...read, features: gdal }, 'LINESTRING');
  });

  it('MINSERT gives a valve per cell, nested block copies land scaled and rotated', async () => {
    const ours = await imported(path, 'POINT', { sourceLayer: '阀门', crs: 'EPSG:4547' });
    expect(ours.features).toHaveLength(7); // GROUP once, VALVE 3 × 2
    expect(ours.features.filter((f) => f.properties.block === 'VALVE').every((f) => f.properties.编号 === 'FM-01')).toBe(true);
    // The cells, from PROJ: (X+500 + 20c, Y+50 + 15r).
    const cells = [0, 1].flatMap((r) => [0, 1, 2].map((c) => [X + 500 + 20 * c, Y + 50 + 15 * r]));
    const proj = execFileSync('cs2cs', ['-f', '%.10f', 'EPSG:4547', 'EPSG:4490'], { input: cells.map((p) => `${p[1]} ${p[0]}`).join('\n') + '\n', encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number));
    const valves = ours.features.filter((f) => f.properties.block === 'VALVE').map((f) => f.geometry.coordinates as number[]);
    proj.forEach((p, i) => {
      expect(Math.abs(valves[i][0] - p[1])).toBeLessThan(1e-9);
      expect(Math.abs(valves[i][1] - p[0])).toBeLessThan(1e-9);
    });
    // The nested VALVE inside GROUP: at (X+400) + R45·0.5·(30, 0); its lines are a quarter-sized, 75°-turned copy.
    const group = await imported(path, 'LINESTRING', { sourceLayer: '阀门', crs: 'EPSG:4547' });
    const gdalGroup = read.features.filter((f) => f.properties.Layer === '阀门');
    expectLikeGdal(group, { ...read, features: gdalGroup }, 'LINESTRING');
  });

  it('polygons: circles and ellipses as GDAL reads their rings; block symbols are not communities', async () => {
    const ours = await imported(path, 'POLYGON', { crs: 'EPSG:4547' });
    expectLikeGdal(ours, read, 'POLYGON');
    expect(ours.features).toHaveLength(2);
    expect(ours.prepared.summary.otherKinds).toMatchObject({ INSERT: 7 });
  });

  it('a missing EOF and an empty section do not refuse a drawing whose entities parse', async () => {
    const cut = at('cut.dxf');
    writeFileSync(cut, dxfText(section('HEADER', []), section('TABLES', []), section('ENTITIES', [...lwpolyline('1', 'A', [[X, Y], [X + 10, Y + 10]])])));
    const ours = await imported(cut, 'LINESTRING', { crs: 'EPSG:4547' });
    expect(ours.inserted).toBe(1);
    expect(say('en', ours.prepared.notes)).toMatch(/no EOF marker/);
    expectLikeGdal(ours, gdalRead(cut, { sSrs: 'EPSG:4547', tSrs: 'EPSG:4490' }), 'LINESTRING');
  });

  it('the chord tolerance is a setting: a finer one gives more vertices on the same arc', async () => {
    const coarse = await previewImport(path, 'pipes', { mapping: PIPE_CONSTANTS, sourceLayer: '二级管网', limit: 100, crs: 'EPSG:4547' });
    const fine = await previewImport(path, 'pipes', {
      mapping: PIPE_CONSTANTS,
      sourceLayer: '二级管网',
      limit: 100,
      crs: 'EPSG:4547',
      settings: { importChordToleranceM: 0.001, importArcStepDeg: 4, datumShiftBeijing1954: [], datumShiftXian1980: [] },
    });
    const count = (p: typeof coarse) => p.features.reduce((s, f) => s + (f.geometry.coordinates as unknown[]).length, 0);
    expect(count(fine)).toBeGreaterThan(count(coarse) * 1.5);
  });
});

describe('3. bad records: listed, all of them; skipped on request; NUL-padded numbers read', () => {
  const src = sourceGeoJson('wells.geojson', [
    { properties: { 编号: 'V-1', 口径: 200, 深度: 1.5 }, geometry: { type: 'Point', coordinates: [115.03, 42.287] } },
    { properties: { 编号: 'V-2', 口径: 150, 深度: 2.25 }, geometry: { type: 'Point', coordinates: [115.031, 42.288] } },
    { properties: { 编号: 'V-3', 口径: 100, 深度: null }, geometry: { type: 'Point', coordinates: [115.032, 42.289] } },
    { properties: { 编号: 'V-4', 口径: 80, 深度: 3 }, geometry: { type: 'Point', coordinates: [115.033, 42.29] } },
  ]);
  const dir = at('wells');
  ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', dir, src);
  const shp = join(dir, 'wells.shp');
  // Some writers pad numbers with NUL bytes instead of spaces: record 2's numbers become "150\0\0…", "2.25\0…".
  const layout = dbfLayout(join(dir, 'wells.dbf'));
  for (const name of ['口径'.slice(0, 0) || [...layout.fields.keys()][1], [...layout.fields.keys()][2]]) {
    const f = layout.fields.get(name)!;
    const rec = layout.headerLen + 1 * layout.recordLen + f.offset;
    const bytes = readFileSync(join(dir, 'wells.dbf')).subarray(rec, rec + f.length);
    const text = bytes.toString('latin1').trim();
    patchFile(join(dir, 'wells.dbf'), rec, [...Buffer.from(text, 'latin1'), ...new Array(f.length - text.length).fill(0)]);
  }
  // Record 3 gets a null shape (type 0), as editors leave a feature whose geometry was deleted.
  python(
    `import struct,sys
b=bytearray(open(sys.argv[1],'rb').read())
x=open(sys.argv[2],'rb').read()
off=struct.unpack_from('>i',x,100+8*2)[0]*2
struct.pack_into('<i',b,off+8,0)
open(sys.argv[1],'wb').write(b)`,
    shp,
    join(dir, 'wells.shx'),
  );
  const read = gdalRead(shp, { tSrs: 'EPSG:4490' });

  it('GDAL reads the NUL-padded numbers as numbers, and so does the importer', async () => {
    expect(read.features[1].properties).toMatchObject({ [[...layout.fields.keys()][1]]: 150, [[...layout.fields.keys()][2]]: 2.25 });
    expect(read.features[2].geometry).toBeNull();
    const ours = await imported(shp, 'POINT', { skipInvalid: true });
    expect(ours.inserted).toBe(3);
    expectLikeGdal(ours, read, 'POINT');
    // dn is mapped (口径); the other number is kept under its own name, as GDAL reads it.
    const keys = [...layout.fields.keys()];
    expect(ours.features.map((f) => f.properties.dn)).toEqual([200, 150, 80]);
    expectAttributes(ours.features, read.features.filter((f) => f.geometry), [keys[2]]);
  });

  it('by default the null shape refuses the file, naming the record; --skip-invalid imports the rest and reports it', async () => {
    const store = ProjectStore.create(at(`p${++n}.gpkg`));
    try {
      const err = await importFile(store, 'valves', shp, { year: 2026 }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ImportRefused);
      expect((err as ImportRefused).message).toMatch(/^wells\.shp, record 3: the record has no geometry \(null shape\)/);
      expect(store.listFeatures('valves')).toHaveLength(0);
      expect(store.importLog()).toHaveLength(0);
      const { prepared } = await importFile(store, 'valves', shp, { year: 2026, skipInvalid: true });
      expect(prepared.skipped).toEqual([{ fid: 3, where: message('io.where.record', { n: 3 }), reason: 'the record has no geometry (null shape)', message: [message('io.shp.nullShape')] }]);
      expect(say('zh', prepared.skipped[0].message)).toBe('该记录没有几何（空图形）');
      const log = store.importLog();
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ layer: 'valves', sourceFile: 'wells.shp', records: 4, featuresWritten: 3, recordsSkipped: 1, crs: 'EPSG:4547', encoding: 'utf-8' });
    } finally {
      store.close();
    }
  });

  it('every bad record is listed, not only the first, numbered from 1', async () => {
    const path = at('bad.geojson');
    writeJson(path, {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'C-1' }, geometry: null },
        { type: 'Feature', properties: { id: 'C-2' }, geometry: { type: 'Polygon', coordinates: [sq(115.03, 42.28, 0.001)] } },
        { type: 'Feature', properties: { id: 'C-3' }, geometry: { type: 'Point', coordinates: [115.03, 42.28] } },
        { type: 'Feature', properties: { id: 'C-4', households: -5 }, geometry: { type: 'Polygon', coordinates: [sq(115.04, 42.28, 0.001)] } },
      ],
    });
    const p = await previewImport(path, 'communities', { year: 2026 });
    expect(p.problems.map((q) => [q.where && say('en', q.where), q.field ?? null])).toEqual([
      ['feature 1', null],
      ['feature 3', 'geometry'],
      ['feature 4', 'households'],
    ]);
    const gdal = gdalRead(path);
    expect(gdal.features.map((f) => f.fid)).toEqual([0, 1, 2, 3]); // GDAL numbers GeoJSON from 0; its messages and ours say "feature N" from 1
  });
});

describe('4. Beijing 1954 and Xian 1980: read, shifted to CGCS2000, said', () => {
  const src = sourceGeoJson('bj.geojson', [
    { properties: { 编号: 'P-1', 级别: '一级', 管径: 'DN300' }, geometry: { type: 'LineString', coordinates: [[115.03, 42.287], [115.035, 42.289], [115.04, 42.2875]] } },
    { properties: { 编号: 'P-2', 级别: '二级', 管径: 'DN150' }, geometry: { type: 'LineString', coordinates: [[115.04, 42.2875], [115.045, 42.291]] } },
  ]);
  const shift = [12.646, -155.176, -80.863];

  it.each([
    ['EPSG:2436', 'Beijing 1954 / 3° GK CM 117E', '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m +no_defs'],
    ['EPSG:2415', 'Beijing 1954 / 3° GK zone 39', '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=krass +units=m +no_defs'],
    ['EPSG:21460', 'Beijing 1954 / 6° GK CM 117E', '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m +no_defs'],
  ])('%s (%s) from the .prj GDAL writes: the default shift of the settings, within 1 cm of PROJ with it', async (code, _name, proj) => {
    const dir = at(`bj-${code.slice(5)}`);
    ogr2ogr('-f', 'ESRI Shapefile', '-s_srs', 'EPSG:4214', '-t_srs', code, '-lco', 'ENCODING=UTF-8', dir, src);
    const shp = join(dir, 'bj.shp');
    const ours = await imported(shp, 'LINESTRING', { mapping: {} });
    expect(ours.prepared.crs.crs?.code).toBe(code);
    expect(ours.prepared.crs.shift).toMatchObject({ from: 'default', towgs84: shift });
    expect(say('en', ours.prepared.summary.crs.datumShift!)).toMatch(/Beijing 1954 → CGCS2000 with the default datum shift .*metres, not centimetres/);
    // PROJ with the same parameters is the reference for every vertex.
    const read = gdalRead(shp, { sSrs: `${proj} +towgs84=${shift.join(',')}`, tSrs: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs' });
    const { ref } = expectLikeGdal(ours, read, 'LINESTRING');
    ours.features.forEach((f, i) => {
      const want = (ref.geometries[i] as { coordinates: number[][] }).coordinates;
      (f.geometry.coordinates as number[][]).forEach((p, k) => {
        expect(Math.abs(p[0] - want[k][0]) * 111320 * Math.cos((42.29 * Math.PI) / 180)).toBeLessThan(0.01);
        expect(Math.abs(p[1] - want[k][1]) * 111132).toBeLessThan(0.01);
      });
    });
    expect(ours.features.map((f) => f.properties.level)).toEqual(['primary', 'secondary']);
  });

  it("Xian 1980 (EPSG:2384, 3° GK CM 117E) with the user's own seven parameters", async () => {
    const dir = at('xa');
    ogr2ogr('-f', 'ESRI Shapefile', '-s_srs', 'EPSG:4610', '-t_srs', 'EPSG:2384', '-lco', 'ENCODING=UTF-8', dir, src);
    const towgs84 = [-14.5, 110.2, 66.9, 0.3, -0.2, 0.8, 1.2];
    const ours = await imported(join(dir, 'bj.shp'), 'LINESTRING', { towgs84, mapping: {} });
    expect(ours.prepared.crs.shift).toMatchObject({ from: 'user', towgs84 });
    const read = gdalRead(join(dir, 'bj.shp'), {
      sSrs: `+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=IAU76 +units=m +no_defs +towgs84=${towgs84.join(',')}`,
      tSrs: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs',
    });
    const { ref } = expectLikeGdal(ours, read, 'LINESTRING');
    const a = (ours.features[0].geometry.coordinates as number[][])[0];
    const b = (ref.geometries[0] as { coordinates: number[][] }).coordinates[0];
    expect(Math.hypot((a[0] - b[0]) * 82000, (a[1] - b[1]) * 111132)).toBeLessThan(0.01);
  });

  it('no .prj: the refusal names --crs, the coordinates, and the zones the project lies in', async () => {
    const dir = at('noprj');
    ogr2ogr('-f', 'ESRI Shapefile', '-s_srs', 'EPSG:4214', '-t_srs', 'EPSG:2436', dir, src);
    rmSync(join(dir, 'bj.prj'));
    const p = await previewImport(join(dir, 'bj.shp'), 'pipes', { nearLon: 115.03 });
    expect(p.problems[0].reason).toMatch(/declares no coordinate system \(no \.prj\)/);
    expect(p.problems[0].reason).toMatch(/x 3\d{5}…3\d{5}, y 468\d{4}…468\d{4}/);
    expect(p.problems[0].reason).toMatch(/--crs/);
    expect(p.problems[0].reason).toMatch(/EPSG:4547 \/ EPSG:4509/);
  });
});

describe('5. encodings: .cpg code pages, the DBF language-driver byte, evidence in CSV', () => {
  const src = sourceGeoJson('names.geojson', [
    { properties: { 名稱: '臺北市供熱站', 備註: '測試點' }, geometry: { type: 'Point', coordinates: [115.03, 42.287] } },
    { properties: { 名稱: '明安圖鎮', 備註: '二號閥' }, geometry: { type: 'Point', coordinates: [115.031, 42.288] } },
  ]);
  const variants: [string, string, string | null, number | null][] = [
    ['big5-cpg950', 'CP950', '950', null],
    ['gb18030', 'GB18030', 'GB18030', null],
    ['gbk-cpg936', 'CP936', '936', null],
    ['utf8-cpg65001', 'UTF-8', '65001', null],
    ['gbk-ldid', 'CP936', null, 0x4d],
  ];
  it.each(variants)('%s: GDAL and the importer read the same text', async (name, encoding, cpg, ldid) => {
    const dir = at(`enc-${name}`);
    ogr2ogr('-f', 'ESRI Shapefile', '-lco', `ENCODING=${encoding}`, dir, src);
    const shp = join(dir, 'names.shp');
    if (cpg === null) rmSync(join(dir, 'names.cpg'));
    else writeFileSync(join(dir, 'names.cpg'), cpg);
    if (ldid !== null) patchFile(join(dir, 'names.dbf'), 29, [ldid]);
    const read = gdalRead(shp, { tSrs: 'EPSG:4490' });
    const ours = await imported(shp, 'POINT', { crs: 'EPSG:4490' });
    expect(say('en', ours.prepared.summary.encoding!.reason)).toMatch(cpg ? /names\.cpg/ : /language-driver byte 0x4D/);
    const fields = read.fields;
    expect(fields.length).toBe(2);
    expectAttributes(ours.features, read.features, fields);
    expect(Object.values(read.features[0].properties)).toContain(encoding === 'CP950' ? '臺北市供熱站' : encoding === 'UTF-8' ? '臺北市供熱站' : '臺北市供熱站');
  });

  it('a UTF-8 CSV with one bad byte is refused naming its row and byte, not read as GBK; --encoding reads it anyway', async () => {
    const good = '编号,经度,纬度,名称\nV-1,115.03,42.287,一号阀门井\nV-2,115.031,42.288,二号阀门井\nV-3,115.032,42.289,三号阀门井\n';
    const bytes = Buffer.from(good, 'utf8');
    const bad = Buffer.concat([bytes.subarray(0, bytes.length - 8), Buffer.from([0xff]), bytes.subarray(bytes.length - 7)]);
    const path = at('damaged.csv');
    writeFileSync(path, bad);
    const p = await previewImport(path, 'valves', { year: 2026 });
    expect(p.problems[0].reason).toMatch(/the text is UTF-8 \(\d+ non-ASCII characters\) except \d+ bytes? that (is|are) not, first at row 4, byte \d+ of the file/);
    const forced = await previewImport(path, 'valves', { year: 2026, encoding: 'utf-8' });
    expect(forced.problems).toEqual([]);
    expect(say('en', forced.summary.encoding!.reason)).toMatch(/given with --encoding/);
  });

  it('a GBK CSV is read as GBK and says why; a BOM decides UTF-8', async () => {
    const text = '编号,经度,纬度,名称\nV-1,115.03,42.287,一号阀门井\n';
    const gbk = at('gbk.csv');
    writeFileSync(gbk, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text }));
    const p = await previewImport(gbk, 'valves', { year: 2026 });
    expect(p.problems).toEqual([]);
    expect(p.features[0].properties.name).toBe('一号阀门井');
    expect(say('en', p.summary.encoding!.reason)).toMatch(/GBK\/GB18030: not UTF-8 .* decodes cleanly as GB18030/);
    const bom = at('bom.csv');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    expect(say('en', (await previewImport(bom, 'valves', { year: 2026 })).summary.encoding!.reason)).toMatch(/byte-order mark/);
  });
});

describe('6. field guesses with evidence', () => {
  it('a constant ArcGIS Id is not an id; AREA equal to the polygon area is not the heated area', async () => {
    const src = sourceGeoJson('parcels.geojson', [
      { properties: { Id: 0, 名称: '一号小区', AREA: 0 }, geometry: { type: 'Polygon', coordinates: [sq(115.0, 42.28, 0.004)] } },
      { properties: { Id: 0, 名称: '二号小区', AREA: 0 }, geometry: { type: 'Polygon', coordinates: [sq(115.01, 42.28, 0.003)] } },
      { properties: { Id: 0, 名称: '三号小区', AREA: 0 }, geometry: { type: 'Polygon', coordinates: [sq(115.02, 42.28, 0.002)] } },
    ]);
    const dir = at('parcels');
    // AREA as ArcGIS computes it: the polygon's own area in the projected units (m²).
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', '-dialect', 'SQLite', '-sql', 'SELECT Id, 名称, ST_Area(ST_Transform(geometry, 4547)) AS AREA, geometry FROM parcels', dir, src);
    const p = await previewImport(join(dir, 'SELECT.shp').replace('SELECT.shp', existsSync(join(dir, 'SELECT.shp')) ? 'SELECT.shp' : 'parcels.shp'), 'communities', { year: 2026 });
    expect(p.problems).toEqual([]);
    expect(p.mapping.id).toBeUndefined();
    expect(p.mapping.heated_area_m2).toBeUndefined();
    expect(p.mapping.name).toBe('名称');
    expect(p.rejectedGuesses.map((r) => [r.target, r.source])).toEqual(expect.arrayContaining([['id', 'Id'], ['heated_area_m2', 'AREA']]));
    expect(say('en', p.rejectedGuesses.find((r) => r.target === 'id')!.reason)).toMatch(/repeats .*all "0"/);
    expect(say('en', p.rejectedGuesses.find((r) => r.target === 'heated_area_m2')!.reason)).toMatch(/equals each polygon's own area/);
    expect(say('en', p.guesses.find((g) => g.target === 'name')!.evidence)).toMatch(/name "名称" matches name/);
    expect(p.features.map((f) => f.id)).toEqual([expect.stringMatching(/-1$/), expect.stringMatching(/-2$/), expect.stringMatching(/-3$/)]);
  });
});

describe('7. GeoPackage and GeoJSON gaps', () => {
  it('a GeoPackage of raster tiles only says so', async () => {
    const tif = at('ortho.tif');
    python(
      `import sys
from osgeo import gdal
ds=gdal.GetDriverByName('GTiff').Create(sys.argv[1],64,64,3,gdal.GDT_Byte)
ds.SetGeoTransform([115.0,0.0001,0,42.29,0,-0.0001]); ds.SetProjection('EPSG:4490')
for b in range(1,4): ds.GetRasterBand(b).Fill(b*60)
ds=None`,
      tif,
    );
    const gpkg = at('tiles.gpkg');
    execFileSync('gdal_translate', ['-q', '-of', 'GPKG', tif, gpkg]);
    const p = await previewImport(gpkg, 'pipes', { year: 2026 });
    expect(p.problems[0].reason).toMatch(/holds only raster tiles \(\w+\), no feature tables/);
  });

  it('a GeometryCollection gives its parts of the layer kind; the rest is reported', async () => {
    const path = at('mixed.geojson');
    writeJson(path, {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: '热源区' },
          geometry: { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [sq(115.03, 42.28, 0.002)] }, { type: 'LineString', coordinates: [[115.03, 42.28], [115.04, 42.29]] }, { type: 'Polygon', coordinates: [sq(115.05, 42.28, 0.001)] }] },
        },
      ],
    });
    const ours = await imported(path, 'POLYGON');
    expect(ours.features[0].geometry.type).toBe('MultiPolygon');
    expectLikeGdal(ours, gdalRead(path), 'POLYGON');
    expect(ours.prepared.summary.collectionPartsLeftOut).toBe(1);
    expect(say('en', ours.prepared.notes)).toMatch(/1 parts of GeometryCollections are not polygons/);
  });

  it('the same MultiPolygon file gives the same community with or without options (one feature, one numbering)', async () => {
    const path = at('two-parcels.geojson');
    writeJson(path, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'C-9', households: 10 }, geometry: { type: 'MultiPolygon', coordinates: [[sq(115.03, 42.28, 0.002)], [sq(115.04, 42.28, 0.002)]] } }] });
    const plain = await imported(path, 'POLYGON');
    const withOptions = await imported(path, 'POLYGON', { crs: 'EPSG:4326', encoding: 'utf-8' });
    expect(plain.features).toEqual(withOptions.features);
    expect(plain.features).toHaveLength(1);
    expect(plain.features[0]).toMatchObject({ id: 'C-9', geometry: { type: 'MultiPolygon' }, properties: { households: 10 } });
  });
});

describe('8. .shx when .shp and .dbf disagree', () => {
  it('the records the .shx lists are read, as GDAL reads them, and the notes say so', async () => {
    const src = sourceGeoJson('lines.geojson', [0, 1, 2].map((i) => ({ properties: { n: i + 1 }, geometry: { type: 'LineString', coordinates: [[115.03 + i * 0.001, 42.287], [115.031 + i * 0.001, 42.288]] } })));
    const dir = at('shx');
    ogr2ogr('-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', dir, src);
    const shp = join(dir, 'lines.shp');
    // A tool appended a stray fourth record to the .shp without updating the .shx or the .dbf.
    const b = readFileSync(shp);
    const rec = b.subarray(100, 100 + 8 + b.readInt32BE(104) * 2);
    const extra = Buffer.from(rec);
    extra.writeInt32BE(4, 0);
    const grown = Buffer.concat([b, extra]);
    grown.writeInt32BE(grown.length / 2, 24);
    writeFileSync(shp, grown);
    const read = gdalRead(shp, { tSrs: 'EPSG:4490' });
    expect(read.count).toBe(3);
    const ours = await imported(shp, 'LINESTRING');
    expectLikeGdal(ours, read, 'LINESTRING');
    expectAttributes(ours.features, read.features, ['n']);
    // And the other way round: a .dbf with fewer records than the .shx: the shorter is taken, and said.
    const layout = dbfLayout(join(dir, 'lines.dbf'));
    patchFile(join(dir, 'lines.dbf'), 4, [2, 0, 0, 0]);
    const fewer = await imported(shp, 'LINESTRING');
    expect(fewer.inserted).toBe(Math.min(2, layout.count));
    expect(say('en', fewer.prepared.notes)).toMatch(/has 3 records but lines\.dbf has 2: the first 2 were read, as GDAL does/);
    expect(gdalRead(shp).count).toBe(2);
  });
});

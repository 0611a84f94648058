/** The pure readers and the field mapping, on small files built in the test. */
import { message, say } from '../../core/i18n';
import { describe, expect, it } from 'vitest';
import { readCsv, parseWkt } from '../../core/io/csv';
import { readDxf } from '../../core/io/dxf';
import { guessMapping, mapEnumValue, parseDate, parseDn, parseYear } from '../../core/io/fieldMap';
import { prepareImport } from '../../core/io/prepare';
import { ImportRefused } from '../../core/io/source';
import { layerDef } from '../../core/model/schema';
import { crc32, readZip } from '../../core/io/zip';

const enc = (s: string) => new TextEncoder().encode(s);
const field = (layer: string, name: string) => layerDef(layer)!.fields.find((f) => f.name === name)!;

describe('field mapping guesses', () => {
  it.each([
    ['管径', 'dn'],
    ['DN', 'dn'],
    ['口径', 'dn'],
    ['公称直径(mm)', 'dn'],
    ['年份', 'install_year'],
    ['敷设年代', 'install_year'],
    ['安装年份', 'install_year'],
    ['材质', 'material'],
    ['管网级别', 'level'],
    ['级别', 'level'],
    ['敷设方式', 'laying'],
    ['失水率', 'water_loss_rate'],
    ['编号', 'id'],
    ['名称', 'name'],
  ])('pipes: %s → %s', (source, target) => {
    expect(guessMapping('pipes', ['OBJECTID', source, 'Shape_Leng'])[target]).toBe(source);
  });

  it('prefers the exact schema name, and maps valves and stations by their own words', () => {
    expect(guessMapping('pipes', ['year', 'install_year']).install_year).toBe('install_year');
    expect(guessMapping('valves', ['阀门类型', '开关状态', '口径'])).toMatchObject({ kind: '阀门类型', state: '开关状态', dn: '口径' });
    expect(guessMapping('stations', ['站名', '设计负荷', '自控水平'])).toMatchObject({ name: '站名', design_capacity_mw: '设计负荷', automation: '自控水平' });
  });

  it('maps values where the word is clear and leaves the rest for validation to report', () => {
    const level = field('pipes', 'level');
    expect(mapEnumValue(level, '一级')).toBe('primary');
    expect(mapEnumValue(level, '二级管网')).toBe('secondary');
    expect(mapEnumValue(level, '庭院')).toBe('courtyard');
    expect(mapEnumValue(level, '一次网')).toBe('primary');
    expect(mapEnumValue(level, '未知')).toBe('未知');
    expect(mapEnumValue(field('pipes', 'laying'), '直埋')).toBe('buried');
    expect(mapEnumValue(field('valves', 'operable'), '不可')).toBe('no');
    expect(mapEnumValue(field('valves', 'operable'), '是')).toBe('yes');
    expect(mapEnumValue(field('valves', 'state'), '常闭')).toBe('closed');
    expect(parseDn('DN200')).toBe(200);
    expect(parseDn('D219×6')).toBe(200);
    expect(parseDn('Φ426')).toBe(400);
    expect(parseDn('150mm')).toBe(150);
    expect(parseDn(219)).toBe(200);
    expect(parseDn(200)).toBe(200);
    expect(parseYear('1998年')).toBe(1998);
    expect(parseYear('2005-06-01')).toBe(2005);
    expect(parseDate('2023/5/1')).toBe('2023-05-01');
    expect(parseDate('2023年5月1日')).toBe('2023-05-01');
  });
});

describe('CSV', () => {
  it('reads quoted cells, semicolons and a WKT column', () => {
    const s = readCsv(enc('id;name;wkt\n"P-1";"A; ""quoted""";LINESTRING (115.03 42.28, 115.04 42.29)\n'), 'l.csv');
    expect(s.features[0].properties).toEqual({ id: 'P-1', name: 'A; "quoted"' });
    expect(s.features[0].geometry).toEqual({ type: 'LineString', coordinates: [[115.03, 42.28], [115.04, 42.29]] });
    expect(parseWkt('POINT (1 2)')).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseWkt('POLYGON ((0 0, 1 0, 1 1, 0 0))')).toMatchObject({ type: 'Polygon' });
    expect(typeof parseWkt('POINT (x y)')).toBe('string');
  });

  it('names the row and the column of a bad coordinate, as a spreadsheet numbers rows, and reads the other rows', () => {
    const s = readCsv(enc('id,经度,纬度\nV-1,115,42\n\nV-2,,42\nV-3,115.1,42.1\n'), 'v.csv');
    expect(s.features.map((f) => [f.fid, f.where && say('en', f.where), f.problem ? say('en', f.problem) : null])).toEqual([
      [1, 'row 2', null],
      [2, 'row 4, column "经度"', '"" is not a number'],
      [3, 'row 5', null],
    ]);
    const p = prepareImport(s, 'valves', { year: 2026 });
    expect(p.problems).toEqual([{ where: s.features[1].where, reason: '"" is not a number', message: [message('io.problem.notNumber', { value: '' })], fid: 2 }]);
    // In Chinese mode the place and the reason are Chinese; the column name stays as the file has it.
    expect(say('zh', p.problems[0].where!)).toBe('第 4 行，“经度”列');
    expect(say('zh', p.problems[0].message)).toBe('“”不是数字');
    expect(prepareImport(s, 'valves', { year: 2026, skipInvalid: true }).features.map((f) => f.id)).toEqual(['V-1', 'V-3']);
    expect(() => readCsv(enc('id,name\n1,a\n'), 'n.csv')).toThrow(/n\.csv, row 1: no coordinate columns/);
  });
});

describe('DXF', () => {
  const dxf = (...entities: string[][]) => enc(['0', 'SECTION', '2', 'ENTITIES', ...entities.flat(), '0', 'ENDSEC', '0', 'EOF'].join('\n'));

  it('reads POLYLINE with VERTEX, INSERT with ATTRIB, LINE, and \\U+ escapes in layer names', () => {
    const s = readDxf(
      dxf(
        ['0', 'POLYLINE', '5', '10', '8', '\\U+4E00\\U+7EA7', '66', '1', '70', '0'],
        ['0', 'VERTEX', '8', '0', '10', '1', '20', '2'],
        ['0', 'VERTEX', '8', '0', '10', '3', '20', '4'],
        ['0', 'SEQEND'],
        ['0', 'INSERT', '5', '11', '8', '阀门', '2', 'FM', '66', '1', '10', '5', '20', '6'],
        ['0', 'ATTRIB', '2', '编号', '1', 'V-7', '10', '5', '20', '6'],
        ['0', 'SEQEND'],
        ['0', 'LINE', '8', 'L', '10', '0', '20', '0', '11', '1', '21', '1'],
      ),
      'a.dxf',
    );
    expect(s.features.map((f) => f.geometry?.type)).toEqual(['LineString', 'Point', 'LineString']);
    expect(s.features[0].properties.layer).toBe('一级');
    expect(s.features[0].geometry).toEqual({ type: 'LineString', coordinates: [[1, 2], [3, 4]] });
    expect(s.features[1].properties).toMatchObject({ 编号: 'V-7', block: 'FM', layer: '阀门' });
    expect(s.fields).toContain('编号');
  });

  it('turns a closed polyline into a community polygon', () => {
    const s = readDxf(dxf(['0', 'LWPOLYLINE', '8', '小区', '90', '4', '70', '1', '10', '115.03', '20', '42.28', '10', '115.04', '20', '42.28', '10', '115.04', '20', '42.29', '10', '115.03', '20', '42.29']), 'c.dxf');
    const p = prepareImport(s, 'communities', { mapping: { name: '=阳光小区' }, year: 2026 });
    expect(p.problems).toEqual([]);
    expect(p.features[0].geometry.type).toBe('Polygon');
    expect((p.features[0].geometry.coordinates as number[][][])[0]).toHaveLength(5);
  });

  it('refuses damaged group codes with the line, and reads a drawing cut after its last entity', () => {
    expect(() => readDxf(enc('0\nSECTION\n2\nENTITIES\nxx\nLINE\n0\nEOF\n'), 'd.dxf')).toThrow(/d\.dxf, line 5: group code "xx" is not a number/);
    // No ENDSEC, no EOF (GDAL reads such a file too): the point is there, and the notes say the file may be cut.
    const cut = readDxf(enc('0\nSECTION\n2\nENTITIES\n0\nPOINT\n10\n1\n20\n2\n'), 't.dxf');
    expect(cut.features.map((f) => f.geometry)).toEqual([{ type: 'Point', coordinates: [1, 2] }]);
    expect(say('en', cut.notes)).toMatch(/no EOF marker/);
    // An empty section and a missing EOF are not refusals either.
    expect(readDxf(enc('0\nSECTION\n2\nHEADER\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n0\nLINE\n8\n0\n10\n0\n20\n0\n11\n1\n21\n1\n0\nENDSEC\n'), 'e.dxf').features).toHaveLength(1);
  });
});

describe('zip', () => {
  it('reads entries with GBK names, and refuses a bad checksum naming the entry', async () => {
    // A stored (uncompressed) zip built by hand: one entry named 管线.cpg in GBK, no UTF-8 flag.
    const name = Uint8Array.from([0xb9, 0xdc, 0xcf, 0xdf, 0x2e, 0x63, 0x70, 0x67]);
    const data = enc('GBK');
    const le = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => (n >>> (8 * i)) & 0xff);
    const crc = crc32(data);
    const local = [...le(0x04034b50, 4), ...le(20, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(crc, 4), ...le(3, 4), ...le(3, 4), ...le(name.length, 2), 0, 0, ...name, ...data];
    const central = [...le(0x02014b50, 4), 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le(crc, 4), ...le(3, 4), ...le(3, 4), ...le(name.length, 2), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le(0, 4), ...name];
    const end = [...le(0x06054b50, 4), 0, 0, 0, 0, 1, 0, 1, 0, ...le(central.length, 4), ...le(local.length, 4), 0, 0];
    const zip = Uint8Array.from([...local, ...central, ...end]);
    const entries = await readZip(zip, 'z.zip');
    expect([...entries.keys()]).toEqual(['管线.cpg']);
    const bad = zip.slice();
    bad[local.length - 1] ^= 1;
    await expect(readZip(bad, 'z.zip')).rejects.toThrow(ImportRefused);
    await expect(readZip(bad, 'z.zip')).rejects.toThrow('z.zip, zip entry 管线.cpg: checksum mismatch');
  });
});

describe('GeoJSON without "crs"', () => {
  it('is WGS84 lon/lat (RFC 7946), even outside China', async () => {
    const { readGeoJsonSource } = await import('../../core/io/geojsonSource');
    const s = readGeoJsonSource(enc(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'S-1' }, geometry: { type: 'Point', coordinates: [2.35, 48.85] } }] })), 'paris.geojson');
    const p = prepareImport(s, 'stations', { year: 2026 });
    expect(p.problems).toEqual([]);
    expect(p.crs.crs?.code).toBe('EPSG:4326');
    expect(p.features[0].geometry.coordinates).toEqual([2.35, 48.85]);
  });
});

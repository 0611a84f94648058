/**
 * Coordinate systems of the importer against PROJ: every CGCS2000
 * Gauss–Krüger code 4491–4554 as defined in core/geo/crs.ts must agree with
 * PROJ's EPSG database (cs2cs) to 1 cm; .prj text from GDAL must be
 * recognised; GCJ-02 must match published reference points.
 */
import { message, say } from '../../core/i18n';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { crsFromWkt, guessCrsFromCoordinates, knownCrs, lookupCrs, toProjectTransform } from '../../core/geo/crs';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../core/geo/gcj02';
import { distanceM } from '../../core/geo/length';
import { cs2cs } from '../fixtures/import/gdal';
import { PYTHON } from '../fixtures/import/compare';

const gk = knownCrs().filter((c) => c.kind === 'gauss-kruger' && c.datum === 'cgcs2000');

describe('CGCS2000 Gauss–Krüger family against PROJ', () => {
  it('defines all 64 codes EPSG:4491–4554', () => {
    expect(gk.map((c) => Number(c.code.slice(5))).sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => 4491 + i));
  });

  it.each(gk.map((c) => c.code))('%s: PROJ forward, our inverse, within 1 cm', (code) => {
    const crs = lookupCrs(code)!;
    const cm = crs.centralMeridian!;
    // Points across the zone (up to its edge) and across China's latitudes.
    const half = crs.zoneWidth! / 2;
    const lonlat: [number, number][] = [];
    for (const dl of [-half, -half / 3, 0, half / 2, half]) for (const lat of [18.5, 30.25, 42.287, 53.1]) lonlat.push([cm + dl, lat]);
    const projected = cs2cs('EPSG:4490', code, lonlat);
    const back = projected.map(toProjectTransform(crs));
    const worst = Math.max(...back.map((p, i) => distanceM(p, lonlat[i])));
    expect(worst).toBeLessThan(0.01);
    // And PROJ's own inverse of the same numbers agrees with ours.
    const projBack = cs2cs(code, 'EPSG:4490', projected);
    expect(Math.max(...back.map((p, i) => distanceM(p, projBack[i])))).toBeLessThan(0.01);
  });
});

describe('Beijing 1954 and Xian 1980 Gauss–Krüger families against PROJ', () => {
  const old = knownCrs().filter((c) => c.kind === 'gauss-kruger' && (c.datum === 'beijing1954' || c.datum === 'xian1980'));

  it('defines the 64 codes of each family (and the codes PROJ names them by)', () => {
    const codes = old.map((c) => Number(c.code.slice(5))).sort((a, b) => a - b);
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(codes).toEqual([...range(2327, 2390), ...range(2401, 2442), ...range(21413, 21423), ...range(21453, 21463)].sort((a, b) => a - b));
    // PROJ's names of all of them, from one Python process with GDAL's bindings.
    const script = 'import sys\nfrom osgeo import osr\nfor c in sys.argv[1:]:\n  s=osr.SpatialReference(); s.ImportFromEPSG(int(c)); print(s.GetName())';
    const names = execFileSync(PYTHON, ['-c', script, ...old.map((c) => c.code.slice(5))], { encoding: 'utf8' }).trim().split('\n');
    old.forEach((c, i) => expect(names[i], c.code).toBe(c.name));
  });

  it('every code: PROJ forward, our inverse on the same datum, within 1 cm (across the zone, 22–50° N)', () => {
    // One Python process with GDAL's bindings projects the test points for every code (a cs2cs per code is slow).
    const script = `import sys, json
from osgeo import osr
out = {}
for code, geo, cm, half in json.loads(sys.argv[1]):
    a = osr.SpatialReference(); a.ImportFromEPSG(geo); a.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    b = osr.SpatialReference(); b.ImportFromEPSG(code); b.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    t = osr.CoordinateTransformation(a, b)
    out[code] = [list(t.TransformPoint(cm + dl, lat)[:2]) for dl in (-half, 0, half) for lat in (22.5, 42.287, 50)]
print(json.dumps(out))`;
    const args = old.map((c) => [Number(c.code.slice(5)), c.datum === 'beijing1954' ? 4214 : 4610, c.centralMeridian!, c.zoneWidth! / 2]);
    const projected = JSON.parse(execFileSync(PYTHON, ['-c', script, JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, [number, number][]>;
    for (const c of old) {
      const half = c.zoneWidth! / 2;
      const lonlat: [number, number][] = [];
      for (const dl of [-half, 0, half]) for (const lat of [22.5, 42.287, 50]) lonlat.push([c.centralMeridian! + dl, lat]);
      // Without a datum shift the transform stays on the file's datum: PROJ's forward and our inverse must meet.
      const back = projected[c.code.slice(5)].map(toProjectTransform(c, { from: 'none', note: message('import.shift.none') }));
      expect(Math.max(...back.map((p, i) => distanceM(p, lonlat[i]))), c.code).toBeLessThan(0.01);
    }
  });

  it('the datum shift is the Helmert transformation PROJ applies for the same parameters', () => {
    const crs = lookupCrs('EPSG:2436')!; // Beijing 1954 / 3-degree GK CM 117E
    const towgs84 = [12.646, -155.176, -80.863];
    const pts: [number, number][] = [[385000.123, 4684333.21], [335046.98, 4685869.31], [415230.5, 4725000.75]];
    const ours = pts.map(toProjectTransform(crs, { from: 'default', towgs84, note: message('import.shift.none') }));
    const src = `+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=krass +towgs84=${towgs84.join(',')} +units=m +no_defs +type=crs`;
    const proj = execFileSync('cs2cs', ['-f', '%.10f', src, '+to', '+proj=longlat', '+ellps=GRS80', '+towgs84=0,0,0', '+no_defs'], {
      input: pts.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n',
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).slice(0, 2).map(Number) as [number, number]);
    ours.forEach((p, i) => expect(distanceM(p, proj[i])).toBeLessThan(0.01));
    // And the shift is real: without it the same numbers land tens of metres away.
    const none = pts.map(toProjectTransform(crs, { from: 'none', note: message('import.shift.none') }));
    expect(distanceM(none[0], ours[0])).toBeGreaterThan(30);
  });
});

describe('CRS detection', () => {
  const wkt = (code: number, format: string) =>
    execFileSync('gdalsrsinfo', ['-o', format, `EPSG:${code}`], { encoding: 'utf8' }).trim();

  it.each([4490, 4326, 4547, 4526, 4491, 4501, 4508, 4513, 4533, 4534, 4554])('recognises EPSG:%i from GDAL ESRI and OGC WKT', (code) => {
    expect(crsFromWkt(wkt(code, 'wkt_esri'))?.code).toBe(`EPSG:${code}`);
    expect(crsFromWkt(wkt(code, 'wkt1'))?.code).toBe(`EPSG:${code}`);
    expect(crsFromWkt(wkt(code, 'wkt2'))?.code).toBe(`EPSG:${code}`);
  });

  it('recognises Beijing 1954 / Xian 1980 from GDAL ESRI and OGC WKT', () => {
    const codes = [4214, 4610, 2436, 2384, 2401, 2421, 2422, 2442, 21413, 21453, 2327, 2338, 2349, 2370];
    const script = `import sys
from osgeo import osr
for c in sys.argv[1:]:
    s = osr.SpatialReference(); s.ImportFromEPSG(int(c))
    print(s.ExportToWkt().replace(chr(10), ' ')); s.MorphToESRI(); print(s.ExportToWkt().replace(chr(10), ' '))`;
    const lines = execFileSync(PYTHON, ['-c', script, ...codes.map(String)], { encoding: 'utf8' }).trim().split('\n');
    codes.forEach((code, i) => {
      expect(crsFromWkt(lines[2 * i])?.code, `WKT1 of ${code}`).toBe(`EPSG:${code}`);
      // ESRI's WKT has no EPSG authority: recognised by its datum and Gauss–Krüger parameters.
      expect(crsFromWkt(lines[2 * i + 1])?.code, `ESRI WKT of ${code}`).toBe(`EPSG:${code}`);
    });
  });

  it('a datum it has no shift for (NAD27) is named, not guessed; garbage is nothing', () => {
    const nad27 = crsFromWkt(wkt(4267, 'wkt1'))!;
    expect(nad27.datum).toBe('other');
    expect(nad27.datumName).toMatch(/North_American_Datum_1927/);
    expect(crsFromWkt('garbage')).toBeUndefined();
  });

  it('reads names users type', () => {
    expect(lookupCrs('4547')?.code).toBe('EPSG:4547');
    expect(lookupCrs('epsg:4526')?.code).toBe('EPSG:4526');
    expect(lookupCrs('urn:ogc:def:crs:EPSG::4547')?.code).toBe('EPSG:4547');
    expect(lookupCrs('GCJ02')?.code).toBe('GCJ-02');
    expect(lookupCrs('wgs84')?.code).toBe('EPSG:4326');
    expect(lookupCrs('EPSG:9999')).toBeUndefined();
    expect(lookupCrs('beijing1954')?.code).toBe('EPSG:4214');
    expect(lookupCrs('EPSG:21473')?.centralMeridian).toBe(75); // the deprecated Beijing 1954 6° series reads as its successor
    expect(lookupCrs('+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m +no_defs')?.datum).toBe('beijing1954');
  });

  it('guesses a zone from the prefix in the eastings, and lon/lat in China', () => {
    expect(guessCrsFromCoordinates([[38584952.19, 4684029.52]]).crs?.code).toBe('EPSG:4526');
    expect(guessCrsFromCoordinates([[20584952.19, 4684029.52]]).crs?.code).toBe('EPSG:4498'); // 6° zone 20 (4491 is zone 13)
    expect(guessCrsFromCoordinates([[115.03, 42.287]]).crs?.code).toBe('EPSG:4490');
    const noPrefix = guessCrsFromCoordinates([[584952.19, 4684029.52]]);
    expect(noPrefix.crs).toBeUndefined();
    expect(say('en', noPrefix.reason)).toMatch(/without a zone prefix/);
    expect(guessCrsFromCoordinates([[1e9, -5]]).crs).toBeUndefined();
  });
});

describe('GCJ-02', () => {
  // Reference pairs published with the eviltransform library
  // (github.com/googollee/eviltransform, test files of every language port):
  // [WGS84 lat, lon, GCJ-02 lat, lon].
  const REFERENCE = [
    [31.1774276, 121.5272106, 31.17530398364597, 121.531541859215], // Shanghai
    [22.543847, 113.912316, 22.540796131694766, 113.9171764808363], // Shenzhen
    [39.911954, 116.377817, 39.91334545536069, 116.38404722455657], // Beijing
  ];

  it.each(REFERENCE)('WGS84 (%f, %f) → GCJ-02 matches the published value', (wLat, wLon, gLat, gLon) => {
    const [lon, lat] = wgs84ToGcj02(wLon, wLat);
    expect(Math.abs(lat - gLat)).toBeLessThan(1e-9);
    expect(Math.abs(lon - gLon)).toBeLessThan(1e-9);
  });

  it.each(REFERENCE)('GCJ-02 → WGS84 of the published point lands within 1 cm of (%f, %f)', (wLat, wLon, gLat, gLon) => {
    const w = gcj02ToWgs84(gLon, gLat);
    expect(distanceM(w, [wLon, wLat])).toBeLessThan(0.01);
  });

  it('inverts to < 1 cm everywhere around Mingantu and leaves points outside China alone', () => {
    for (let i = 0; i < 200; i++) {
      const p: [number, number] = [114.9 + (i % 20) * 0.013, 42.2 + Math.floor(i / 20) * 0.017];
      const g = wgs84ToGcj02(p[0], p[1]);
      expect(distanceM(g, p)).toBeGreaterThan(50); // the offset is real (hundreds of metres)
      expect(distanceM(gcj02ToWgs84(g[0], g[1]), p)).toBeLessThan(0.01);
    }
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(toProjectTransform(lookupCrs('gcj02')!)([121.531541859215, 31.17530398364597])[1]).toBeCloseTo(31.1774276, 6);
  });
});

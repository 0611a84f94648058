/** `warmnet import` with --crs, --map and --encoding on files written by GDAL. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { distanceM } from '../../core/geo/length';
import type { Position } from '../../core/model/geojson';
import { ProjectStore } from '../../electron/backend/store/index';
import { cs2cs, ogr2ogr, pipesGeoJson, tempDir, writeJson } from '../fixtures/import/gdal';

const root = resolve(__dirname, '../..');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function warmnet(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/warmnet.mjs'), ...args], { encoding: 'utf8', cwd: tmp.dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('warmnet import', () => {
  const src = pipesGeoJson(10);
  const srcPath = writeJson(join(tmp.dir, 'src.geojson'), src);

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
